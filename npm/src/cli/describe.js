// How the CLI names an error on stderr: the core's message, then its stable code and JSON path.

export function describe(error) {
  if (error?.name === "LedgerError") {
    return `${error.message} [${error.code}${error.path ? ` at ${error.path}` : ""}]`;
  }
  return error?.message ?? String(error);
}

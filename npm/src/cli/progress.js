// A one-line progress bar on stderr, only when stderr is a terminal (never in logs or pipes).

export function progress(stream, totalBytes) {
  if (!stream.isTTY) return { bytes() {}, records() {}, done() {} };
  let bytes = 0;
  let count = 0;
  let last = 0;
  const started = Date.now();
  const draw = () => {
    const width = 30;
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? Math.round(count / secs) : 0;
    let bar = "";
    if (totalBytes > 0) {
      const share = Math.min(1, bytes / totalBytes);
      const filled = Math.round(share * width);
      bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% `;
    }
    stream.write(`\r${bar}${count} records, ${rate}/s`);
  };
  const tick = () => {
    const now = Date.now();
    if (now - last >= 100) {
      last = now;
      draw();
    }
  };
  return {
    bytes(n) {
      bytes += n;
      tick();
    },
    records(n) {
      count += n;
      tick();
    },
    done() {
      draw();
      stream.write("\r\x1b[K");
    },
  };
}

// Shared by the node:test files: fixture discovery and the native reference binary.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const NPM = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = join(NPM, "..");
export const FIXTURES = join(ROOT, "tests", "fixtures");
export const CLI = join(NPM, "bin", "ledgerbridge.mjs");

/** Every fixture case of the given platforms: {platform, name, dir, input, configPath, config}. */
export function fixtureCases(platforms) {
  const cases = [];
  for (const platform of platforms) {
    const root = join(FIXTURES, platform);
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).sort()) {
      const dir = join(root, name);
      if (!existsSync(join(dir, "input.json"))) continue;
      const configPath = existsSync(join(dir, "config.toml")) ? join(dir, "config.toml") : null;
      cases.push({
        platform,
        name,
        dir,
        inputPath: join(dir, "input.json"),
        input: readFileSync(join(dir, "input.json"), "utf8"),
        configPath,
        config: configPath ? readFileSync(configPath, "utf8") : undefined,
      });
    }
  }
  return cases;
}

/** Fixture platform directories the wasm build does not support (reported, not silently dropped). */
export function unsupportedFixturePlatforms(platforms) {
  return readdirSync(FIXTURES, { withFileTypes: true })
    // `reports/` holds report goldens over the platforms' fixtures, not a platform.
    .filter((d) => d.isDirectory() && d.name !== "reports" && !platforms.includes(d.name))
    .map((d) => d.name);
}

let nativeBin = null;
/**
 * The native reference: core/examples/map. Uses LEDGERBRIDGE_MAP_BIN, else the debug example in
 * CARGO_TARGET_DIR (or ./target), building it once if missing.
 */
export function nativeMap() {
  if (nativeBin) return nativeBin;
  const fromEnv = process.env.LEDGERBRIDGE_MAP_BIN;
  const targetDir = process.env.CARGO_TARGET_DIR || join(ROOT, "target");
  const bin = fromEnv || join(targetDir, "debug", "examples", "map");
  if (!fromEnv) {
    const built = spawnSync("cargo", ["build", "-q", "-p", "ledgerbridge-core", "--example", "map"], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (built.status !== 0) throw new Error("cargo build --example map failed");
  }
  if (!existsSync(bin)) throw new Error(`native map example not found at ${bin}`);
  nativeBin = bin;
  return bin;
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, maxBuffer: 1 << 28, ...options });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr?.toString() ?? "" };
}

export function runNative(platform, configPath, file, input) {
  const args = ["--platform", platform, ...(configPath ? ["--config", configPath] : []), file];
  return run(nativeMap(), args, input === undefined ? {} : { input });
}

export function runCli(args, input) {
  return run(process.execPath, [CLI, ...args], input === undefined ? {} : { input });
}

/** A pretty-printed JSON document on one line: JSON strings hold no raw newlines, so this is exact. */
export function oneLine(text) {
  return text.replace(/\r?\n/g, " ").trim();
}

// Chromium and axe-core for the tests that drive the admin page: one launch and one accessibility
// check for every test file, so the flags that keep headless Chromium quiet and offline on CI and
// the rule for what axe may report live in one place.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** A fresh headless Chromium profile named after the test file; `close()` removes it again. */
export async function launchChromium(name, { viewport = PHONE, colorScheme, locale = "en-US" } = {}) {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), `ledgerbridge-${name}-`));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    locale,
    viewport,
    ...(colorScheme ? { colorScheme } : {}),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * What axe-core finds on the page as it is now, one line per rule (`id (impact): targets`).
 * By default only serious and critical findings count; `{ impacts: null }` reports every one.
 * Injected through DevTools, not an inline script, so the page's CSP stays on.
 */
export async function axeViolations(page, { impacts = ["serious", "critical"] } = {}) {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")).join(", ") })));
  return found
    .filter((v) => impacts === null || impacts.includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.targets}`);
}

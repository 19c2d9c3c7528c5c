// What every browser script shares: Debian's Chromium started headless without reaching the
// network, and axe-core's WCAG 2.1 A/AA check of a page.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");

export const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
  "--no-first-run", "--disable-background-networking", "--disable-component-update",
  "--disable-sync"];

/** Chromium at `width` × `height` CSS px without scrollbars (so scrollWidth is the page's own),
 * Swedish locale, in the profile directory `profile`. */
export async function measuringBrowser(chromium, profile, width, height) {
  return chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium", headless: true, args: [...FLAGS, "--hide-scrollbars"],
    locale: "sv-SE", viewport: { width, height }, deviceScaleFactor: 1,
  });
}

export async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
  }));
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
    help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}

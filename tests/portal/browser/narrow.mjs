// Every portal page at a phone's width (390 px): no sideways scrolling, a full-page screenshot.
// Usage: node narrow.mjs CONFIG.json → prints [{name, status, scrollWidth, innerWidth}] on stdout.
// CONFIG: {base, artifacts, profile, width, pages: [{name, path}]}
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

import { measuringBrowser } from "./common.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const context = await measuringBrowser(chromium, config.profile, config.width, 844);
try {
  const out = [];
  for (const spec of config.pages) {
    const page = await context.newPage();
    const response = await page.goto(config.base + spec.path);
    const size = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
      widest: [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 3).map((e) => e.tagName + "." + e.className),
    }));
    await page.screenshot({ path: `${config.artifacts}/portal-390-${spec.name}.png`, fullPage: true });
    out.push({ name: spec.name, status: response.status(), ...size });
    await page.close();
  }
  console.log(JSON.stringify(out));
} finally {
  await context.close();
}

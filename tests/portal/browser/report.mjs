// The annual report's HTML at a desktop width (1280 px): no sideways scrolling, and every
// chart's text inside its SVG's viewBox (getBBox through the text's own transform, in the
// SVG's user units). Usage: node report.mjs CONFIG.json → prints the measurements on stdout.
// CONFIG: {url, screenshot, profile, width}
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

import { measuringBrowser } from "./common.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const context = await measuringBrowser(chromium, config.profile, config.width, 900);
try {
  const page = await context.newPage();
  await page.goto(config.url);
  const result = await page.evaluate(() => {
    const charts = [...document.querySelectorAll("svg")].map((svg) => {
      const vb = svg.viewBox.baseVal;
      const toSvg = svg.getScreenCTM().inverse();
      const outside = [...svg.querySelectorAll("text")].filter((text) => {
        const box = text.getBBox();
        const m = toSvg.multiply(text.getScreenCTM());
        const corners = [[box.x, box.y], [box.x + box.width, box.y],
          [box.x, box.y + box.height], [box.x + box.width, box.y + box.height]]
          .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
        return corners.some((p) => p.x < vb.x - 0.5 || p.x > vb.x + vb.width + 0.5
          || p.y < vb.y - 0.5 || p.y > vb.y + vb.height + 0.5);
      }).map((t) => t.textContent);
      return { texts: svg.querySelectorAll("text").length, outside,
        width: svg.getBoundingClientRect().width };
    });
    return {
      scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
      widest: [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 3).map((e) => e.tagName + "." + e.className),
      tables: [...document.querySelectorAll("table")].map((t) => ({
        caption: t.caption ? t.caption.textContent : "",
        right: t.getBoundingClientRect().right,
        // wider than its box: it would scroll sideways inside the page
        hidden: t.parentElement.scrollWidth - t.parentElement.clientWidth })),
      charts,
    };
  });
  await page.screenshot({ path: config.screenshot, fullPage: true });
  console.log(JSON.stringify(result));
} finally {
  await context.close();
}

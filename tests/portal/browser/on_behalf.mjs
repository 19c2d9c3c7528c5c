// A chef answers an overdue kvittens in the contact's place in headless Chromium, with axe-core
// on every page on the way, then on the other pages a link opens (campaigns, 403, 410).
// Usage: node on_behalf.mjs CONFIG.json → one JSON object on stdout.
// CONFIG: {base, artifacts, profile, overview: path, pages: [{name, path, status}]}
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

import { axe, FLAGS } from "./common.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));

async function step(page, name, status) {
  return { name, status, lang: await page.getAttribute("html", "lang"),
    heading: await page.getByRole("heading", { level: 1 }).innerText(), violations: await axe(page) };
}

async function answerOnBehalf(context) {
  const page = await context.newPage();
  const steps = [];
  let response = await page.goto(config.base + config.overview);
  steps.push(await step(page, "overview", response.status()));
  await page.getByRole("link", { name: "Svara i kontaktpersonens ställe" }).click();
  await page.waitForURL(/\/svara$/);
  steps.push(await step(page, "form-on-behalf", 200));
  await page.getByLabel("Ja", { exact: true }).check();
  await page.getByLabel("Datum då momentet blev klart").fill("2027-06-09");
  await page.getByLabel(/^Kommentar/).fill("Klart, kontaktpersonen är sjuk.");
  await page.screenshot({ path: `${config.artifacts}/portal-on-behalf-filled.png`, fullPage: true });
  await page.getByRole("button", { name: "Skicka in", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/kvitto$/);
  steps.push(await step(page, "receipt", 200));
  response = await page.goto(config.base + config.overview);
  const history = await page.locator("ul.history").innerText();
  steps.push(await step(page, "overview-after", response.status()));
  await page.screenshot({ path: `${config.artifacts}/portal-on-behalf-overview.png`, fullPage: true });
  await page.close();
  return { steps, history };
}

async function checkPage(context, spec) {
  const page = await context.newPage();
  const response = await page.goto(config.base + spec.path);
  const out = await step(page, spec.name, response.status());
  await page.close();
  return out;
}

const context = await chromium.launchPersistentContext(config.profile, {
  executablePath: "/usr/bin/chromium", headless: true, args: FLAGS, bypassCSP: true,
  locale: "sv-SE",
});
try {
  const onBehalf = await answerOnBehalf(context);
  const pages = [];
  for (const spec of config.pages) pages.push(await checkPage(context, spec));
  console.log(JSON.stringify({ onBehalf, pages }));
} finally {
  await context.close();
}

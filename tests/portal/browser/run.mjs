// Drives Debian's headless Chromium through the portal and runs axe-core on every page type.
// Usage: node run.mjs CONFIG.json  → prints one JSON object with the findings on stdout.
// CONFIG: {base, artifacts, profile, risk: path,
//          pages: [{name, path, status, submitEmpty?, mutate?: "drop-csrf" | "too-large"}]}
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

import { axe, FLAGS } from "./common.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));

async function checkPage(context, spec) {
  const page = await context.newPage();
  let response = await page.goto(config.base + spec.path);
  if (spec.mutate) {
    // Post the page's own form, first broken the way a forged or oversized post would be.
    [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.evaluate((how) => {
        const form = document.querySelector("form");
        if (how === "drop-csrf") form.querySelector("[name=csrf]").remove();
        if (how === "too-large") form.querySelector("textarea").value = "x".repeat(300000);
        form.querySelector("button[value=save]").click();
      }, spec.mutate),
    ]);
    await page.waitForLoadState();
  }
  if (spec.submitEmpty) {
    [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: spec.submitEmpty, exact: true }).click(),
    ]);
    await page.waitForLoadState();
  }
  const out = { name: spec.name, status: response.status(), lang: await page.getAttribute("html", "lang"),
    title: await page.title(), violations: await axe(page) };
  await page.close();
  return out;
}

async function fillRiskAnalysis(context) {
  const page = await context.newPage();
  await page.goto(config.base + config.risk);
  const rows = [
    ["Verksamhetssystem", "driftstopp", "3", "4", "Kontinuitetsplan", "Systemförvaltare"],
    ["Journalarkiv", "informationsforlust", "2", "4", "Säkerhetskopior", "Arkivarie"],
    ["Lagringsyta", "dataintrang", "2", "3", "Behörighetsöversyn", "IT-enheten"],
  ];
  for (const [i, row] of rows.entries()) {
    const label = (col) => page.getByLabel(`Rad ${i + 1}: ${col}`, { exact: true });
    await label("Informationstillgång").fill(row[0]);
    await label("Hot").selectOption(row[1]);
    await label("Sannolikhet (1–4)").selectOption(row[2]);
    await label("Konsekvens (1–4)").selectOption(row[3]);
    await label("Föreslagen åtgärd").fill(row[4]);
    await label("Ansvarig").fill(row[5]);
  }
  await page.screenshot({ path: `${config.artifacts}/portal-riskanalys-filled.png`, fullPage: true });
  // Keyboard only: focus the submit button and press Enter.
  await page.getByRole("button", { name: "Skicka in", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/kvitto$/);
  const heading = await page.getByRole("heading", { level: 1 }).innerText();
  const cells = await page.locator("table.answers-table tbody tr").count();
  await page.screenshot({ path: `${config.artifacts}/portal-riskanalys-receipt.png`, fullPage: true });
  const violations = await axe(page);
  await page.close();
  return { heading, rows: cells, violations };
}

async function errorSummaryFocus(context) {
  const page = await context.newPage();
  await page.goto(config.base + config.risk);
  await page.getByLabel("Rad 1: Informationstillgång", { exact: true }).fill("Bara en rad");
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Skicka in", exact: true }).click(),
  ]);
  await page.waitForLoadState();
  const focused = await page.evaluate(() => document.activeElement.className);
  const link = page.locator(".error-summary a").first();
  const target = (await link.getAttribute("href")).slice(1);
  await link.click();
  const after = await page.evaluate(() => document.activeElement.id);
  const kept = await page.getByLabel("Rad 1: Informationstillgång", { exact: true }).inputValue();
  await page.close();
  return { summaryFocused: focused.includes("error-summary"), target, focusedAfterClick: after, kept };
}

const context = await chromium.launchPersistentContext(config.profile, {
  executablePath: "/usr/bin/chromium", headless: true, args: FLAGS, bypassCSP: true,
  locale: "sv-SE",
});
try {
  const pages = [];
  for (const spec of config.pages) pages.push(await checkPage(context, spec));
  const summary = await errorSummaryFocus(context);
  const risk = await fillRiskAnalysis(context);
  console.log(JSON.stringify({ pages, risk, summary }));
} finally {
  await context.close();
}

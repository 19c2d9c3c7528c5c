// Drives headless Chromium through the coordinator's web view: sign-in by a mailed link (read
// from the SMTP sink's mailbox file), the year, "Påminn nu" twice, replacing a contact, sign-out,
// a chef at another unit, used and expired links, OpenID Connect; axe-core, screenshots at 1280 and 390 px and a
// sideways-scroll check on every page. Usage: node coordinator.mjs CONFIG.json → JSON on stdout.
// CONFIG: {base, artifacts, profile, mailbox, coordinator, chef, expired, pages: [paths], chefPages}
import { existsSync, readFileSync } from "node:fs";
import { chromium } from "playwright-core";

import { axe, FLAGS } from "./common.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = { pages: [], steps: {} };

// Screenshots at both widths, axe at 1280, the sideways-scroll check at 390.
async function check(page, name, status) {
  const found = { name, status, url: page.url(), lang: await page.getAttribute("html", "lang") };
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${config.artifacts}/coordinator-${name}-1280.png`, fullPage: true });
  found.violations = await axe(page);
  await page.setViewportSize({ width: 390, height: 844 });
  found.sideways = await page.evaluate(() =>
    document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({ path: `${config.artifacts}/coordinator-${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  out.pages.push(found);
}

async function visit(page, path, name) {
  const response = await page.goto(config.base + path);
  await check(page, name, response.status());
  return response.status();
}

async function mailFor(address, after) {
  for (let i = 0; i < 200; i++) {
    if (existsSync(config.mailbox)) {
      const mails = JSON.parse(readFileSync(config.mailbox, "utf8")).filter((m) => m.to === address);
      if (mails.length > after) return mails[mails.length - 1].body;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail for ${address}`);
}

function mailCount(address) {
  if (!existsSync(config.mailbox)) return 0;
  return JSON.parse(readFileSync(config.mailbox, "utf8")).filter((m) => m.to === address).length;
}

async function signIn(page, address, name) {
  const before = mailCount(address);
  await visit(page, "/logga-in", `${name}-signin`);
  await page.getByLabel("E-postadress").fill(address);
  await page.getByRole("button", { name: "Skicka länk" }).click();
  await page.waitForLoadState();
  await check(page, `${name}-signin-sent`, 200);
  const link = (await mailFor(address, before)).match(/https?:\/\/\S+\/logga-in\/[A-Za-z0-9_-]+/)[0];
  await visit(page, new URL(link).pathname, `${name}-signin-confirm`);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.waitForURL(/\/oversikt$/);
  return new URL(link).pathname;
}

async function remind(page, scope) {
  await page.getByRole("button", { name: `Påminn nu – ${scope}` }).click();
  await page.waitForLoadState();
  return await page.locator(".notice").innerText();
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
  args: FLAGS });
try {
  const context = await browser.newContext({ locale: "sv-SE", bypassCSP: true });
  const page = await context.newPage();
  const used = await signIn(page, config.coordinator, "coordinator");
  await check(page, "year", 200);
  out.steps.cookies = (await context.cookies()).map((c) => ({ name: c.name, secure: c.secure,
    httpOnly: c.httpOnly, sameSite: c.sameSite }));
  // The late step: whom to chase, then "Påminn nu" twice.
  await page.getByRole("link", { name: config.lateTitle, exact: true }).click();
  await page.waitForLoadState();
  await check(page, "step", 200);
  const row = page.locator("tr", { hasText: "Socialförvaltningen" });
  out.steps.lateRow = await row.innerText();
  out.steps.remindFirst = await remind(page, "Socialförvaltningen");
  out.steps.remindSecond = await remind(page, "Socialförvaltningen");
  await check(page, "step-reminded", 200);
  // Replace the contact of Kommunledningskontoret with a new person, then remind there.
  await visit(page, "/organisation", "organisation");
  await page.getByLabel("Id (a-z, 0-9 och -)").fill("gun-ny");
  await page.getByLabel("Namn", { exact: true }).fill("Gun Ny");
  await page.locator("#new-email").fill("gun.ny@example.se");
  await page.getByRole("button", { name: "Lägg till person" }).click();
  await page.waitForLoadState();
  await page.getByLabel("Roll och enhet").selectOption("kontaktperson@kommunledningskontoret");
  await page.getByLabel("Ny person").selectOption("gun-ny");
  await page.getByRole("button", { name: "Byt", exact: true }).click();
  await page.waitForLoadState();
  out.steps.audit = await page.locator("table.audit").innerText();
  await check(page, "organisation-changed", 200);
  await page.goto(config.base + `/oversikt/steg/${config.lateKey}?ar=2027`);
  out.steps.remindReplaced = await remind(page, "Kommunledningskontoret");
  for (const [path, name, status] of config.pages) {
    out.steps[name] = await visit(page, path, name);
  }
  await page.getByRole("button", { name: "Logga ut" }).click();
  await page.waitForURL(/\/logga-in$/);
  out.steps.afterSignOut = new URL((await page.goto(config.base + "/oversikt")).url()).pathname;
  out.steps.usedLink = await visit(page, used, "used-link");
  out.steps.expiredLink = await visit(page, config.expired, "expired-link");
  // A chef in a fresh browser: their own unit, not another.
  const chef = await (await browser.newContext({ locale: "sv-SE", bypassCSP: true })).newPage();
  await signIn(chef, config.chef, "chef");
  out.steps.chefOwn = await visit(chef, "/oversikt/enhet/socialforvaltningen", "chef-unit");
  out.steps.chefOther = await visit(chef, "/oversikt/enhet/kommunledningskontoret", "chef-denied");
  out.steps.chefOrg = (await chef.goto(config.base + "/organisation")).status();
  // OpenID Connect against the provider on loopback (its self-signed certificate is accepted
  // by this browser only; the portal checks it against SSL_CERT_FILE).
  const oidc = await (await browser.newContext({ locale: "sv-SE", bypassCSP: true,
    ignoreHTTPSErrors: true })).newPage();
  await oidc.goto(config.base + "/logga-in");
  await oidc.getByRole("link", { name: "Logga in med organisationens konto" }).click();
  await oidc.getByLabel("User").fill(config.oidcUser);
  await oidc.getByRole("button", { name: "Sign in" }).click();
  await oidc.waitForURL(/\/oversikt$/);
  out.steps.oidc = await oidc.locator(".signout span").innerText();
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
}

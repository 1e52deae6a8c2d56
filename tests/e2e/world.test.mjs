// The world as it is: servers that fail for a while, and several tabs during it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { useServerAndBrowser, hostPage, signInAndOpen, until } from "./harness.mjs";

const env = useServerAndBrowser();
const PATH = "/intranet/world.html";
const WIDGET = `<div data-presence-widget data-refresh-seconds="2"></div>`;

const getalls = async () => (await env.server.stats()).requests.getall ?? 0;

/** A page of PATH in `context` showing WIDGET, once its first cards are there. */
async function openWidget(context) {
  await hostPage(context, env.server.origin, PATH, { body: WIDGET });
  const page = await context.newPage();
  await signInAndOpen(page, env.server.origin, PATH);
  const widget = page.locator("[data-presence-widget]");
  await widget.locator("li[data-user-id]").first().waitFor();
  return { page, widget };
}

/** GetAll requests that reach the server in `ms` of an outage, with `tabs` tabs open. */
async function duringAnOutage(tabs, ms) {
  const context = await env.browser.newContext();
  await hostPage(context, env.server.origin, PATH, { body: WIDGET });
  try {
    const pages = [];
    for (let i = 0; i < tabs; i++) {
      const page = await context.newPage();
      await signInAndOpen(page, env.server.origin, PATH);
      await page.locator("[data-presence-widget] li[data-user-id]").first().waitFor();
      pages.push(page);
    }
    // The CRM fails from now on: every tab has data that becomes overdue.
    await env.server.admin({ failure_rate: 1 });
    for (const page of pages) await page.locator("[data-presence-widget] .stale").waitFor();
    const start = await getalls();
    // A rate over a span of time: this measures, it does not wait for a condition.
    await sleep(ms);
    return (await getalls()) - start;
  } finally {
    await env.server.admin({ failure_rate: 0 });
    await context.close();
  }
}

test("during an outage five tabs cost the CRM what one tab costs", async () => {
  const one = await duringAnOutage(1, 20_000);
  const five = await duringAnOutage(5, 20_000);
  console.log(`# GetAll in 20 s of an outage at a 2 s interval: 1 tab ${one}, 5 tabs ${five}`);
  // Backing off from 2 s: a handful of attempts, whatever the number of tabs (the
  // tabs' own requests before they joined are counted before the window).
  assert.ok(one <= 6, `one tab backs off: ${one}`);
  assert.ok(five <= one + 2, `five tabs: ${five}, one tab: ${one}`);
});

test("a session renewed while a request is on its way (a sign-in in another tab) is not taken for a session that ended", async () => {
  const context = await env.browser.newContext();
  try {
    await hostPage(context, env.server.origin, PATH, { body: `<div data-presence-widget data-refresh-seconds="0"></div>` });
    const page = await context.newPage();
    await signInAndOpen(page, env.server.origin, PATH);
    const widget = page.locator("[data-presence-widget]");
    await widget.locator("li[data-user-id]").first().waitFor();
    const sent = [];
    await page.route("**/v1/Presence/GetAll", async (route) => {
      sent.push(route.request().headers()["x-xsrf-token"]);
      if (sent.length > 1) return route.continue();
      // The user signs in again elsewhere while this request is out: new cookies,
      // and the CRM refuses the token this request carried.
      await context.request.get(`${env.server.origin}/api/dev/login`, { maxRedirects: 0 });
      await route.fulfill({
        status: 401,
        contentType: "application/json",
        body: JSON.stringify({ Error: true, ErrorType: "SoXsrfException", Message: "The X-XSRF-TOKEN header does not match the session" }),
      });
    });
    await widget.getByRole("button", { name: "Refresh" }).click();
    // Asked once more at once, with the new session's token, and current again.
    await until(() => sent.length === 2, "the request again with the new token");
    await widget.locator(".refresh:not(.spinning)").waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === "XSRF-TOKEN").value;
    assert.notEqual(sent[0], sent[1]);
    assert.equal(sent[1], cookie);
    assert.equal(await widget.locator("[role=alert]").count(), 0, "no session message");
    assert.ok((await widget.locator("li[data-user-id]").count()) > 0, "the cards stay");
  } finally {
    await context.close();
  }
});

test("a server that pushes back with Retry-After is left alone that long, by every tab, and says when", async () => {
  const context = await env.browser.newContext();
  await hostPage(context, env.server.origin, PATH, { body: WIDGET });
  const tabs = [];
  try {
    for (let i = 0; i < 2; i++) {
      const page = await context.newPage();
      await signInAndOpen(page, env.server.origin, PATH);
      await page.locator("[data-presence-widget] li[data-user-id]").first().waitFor();
      tabs.push(page);
    }
    await env.server.admin({ retry_after: "12" });
    // Each tab says so, with the time of the next attempt.
    for (const page of tabs) {
      await page.locator("[data-presence-widget] .updated", { hasText: /trying again at \d\d:\d\d/ }).waitFor();
    }
    // One 429 reached the server; in the next 8 s (of the 12 asked for), none does.
    const start = await getalls();
    // A host that changes an attribute remounts a widget: the pause holds for it too.
    await tabs[0].locator("[data-presence-widget]").evaluate((element) => element.setAttribute("data-lang", "de"));
    await tabs[0].locator("[data-presence-widget] section.panel[lang='de'] li[data-user-id]").first().waitFor();
    await sleep(8_000); // a span in which nothing may happen: there is no event to wait for
    assert.equal((await getalls()) - start, 0, "a GetAll inside the server's pause");
    // The user's own Retry goes through, and the widget is current again.
    await env.server.admin({ retry_after: "" });
    await tabs[1].locator("[data-presence-widget]").getByRole("button", { name: "Refresh" }).click();
    for (const page of tabs) await page.locator("[data-presence-widget] .stale").waitFor({ state: "detached" });
  } finally {
    await env.server.admin({ retry_after: "" });
    await context.close();
  }
});

test("without a network the widget says so, and refreshes as soon as it is back", async () => {
  const context = await env.browser.newContext();
  try {
    const { widget } = await openWidget(context);
    await context.setOffline(true);
    // Not "the CRM could not be reached": the browser knows why.
    await widget.locator(".stale", { hasText: "You are offline." }).waitFor();
    // Failures for want of a network back off: 2, 4, 8 s… the next attempt is well
    // over 5 s away when the network returns.
    await widget.locator(".updated", { hasText: /retrying in (\d\d|[6-9]) s/ }).waitFor();
    await context.setOffline(false);
    // Back: current again at once, not after the backoff.
    await widget.locator(".stale").waitFor({ state: "detached", timeout: 5_000 });
  } finally {
    await context.close();
  }
});

test("a computer clock set back an hour does not stop the refreshes, nor make ages negative", async () => {
  const context = await env.browser.newContext();
  // The computer's clock, as the page sees it, can be set back (time sync, a VM).
  await context.addInitScript(() => {
    const real = Date.now.bind(Date);
    let offset = 0;
    Date.now = () => real() + offset;
    window.__setClockBack = (ms) => { offset -= ms; };
  });
  try {
    const { page, widget } = await openWidget(context);
    await page.evaluate(() => window.__setClockBack(3_600_000));
    const start = await getalls();
    // Waits for the condition: two more refreshes at the 2 s interval.
    await until(async () => (await getalls()) >= start + 2, "refreshes after the clock was set back");
    assert.doesNotMatch((await widget.locator(".updated").innerText()) ?? "", /-/, "no negative age");
  } finally {
    await context.close();
  }
});

test("a body that never ends is read only up to the limit, then given up", async () => {
  const context = await env.browser.newContext();
  await hostPage(context, env.server.origin, PATH, {
    body: `<div data-presence-widget data-refresh-seconds="0" data-timeout-seconds="60"></div>`,
  });
  await env.server.admin({ malformed: "endless" });
  try {
    const page = await context.newPage();
    await signInAndOpen(page, env.server.origin, PATH);
    // Refused as unreadable once the bytes prove it too long: not a time-out after
    // a minute, nor a tab taken to gigabytes.
    await page
      .locator("[data-presence-widget] [role=alert]", { hasText: "could not be read" })
      .waitFor({ timeout: 45_000 });
    await env.server.admin({ malformed: "none" });
    await page.locator("[data-presence-widget] [role=alert]").getByRole("button", { name: "Retry" }).click();
    await page.locator("[data-presence-widget] li[data-user-id]").first().waitFor();
  } finally {
    await env.server.admin({ malformed: "none" });
    await context.close();
  }
});

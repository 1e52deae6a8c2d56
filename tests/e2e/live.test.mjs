// Live presence through a bad network: time-outs, failures, a session that ends
// mid-day, malformed bodies, keyed updates, and one poller for several tabs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { useServerAndBrowser, hostPage, signInAndOpen, cards, apiAgents } from "./harness.mjs";

const env = useServerAndBrowser();

async function open(attributes, { path = "/intranet/live.html", context } = {}) {
  context ??= await env.browser.newContext({ viewport: { width: 900, height: 900 } });
  await hostPage(context, env.server.origin, path, { body: `<div data-presence-widget ${attributes}></div>` });
  const page = await context.newPage();
  await signInAndOpen(page, env.server.origin, path);
  await cards(page).first().waitFor();
  return { context, page };
}

const widget = (page) => page.locator("[data-presence-widget]");

/** What the user sees now: card count, stale banner text, and the data's age in seconds. */
async function seen(page) {
  return page.evaluate(() => {
    const root = document.querySelector("[data-presence-widget]").shadowRoot;
    const updated = root.querySelector(".updated")?.textContent ?? "";
    const m = updated.match(/Updated (\d+) (s|min|h) ago/);
    const age = /just now/.test(updated) ? 0 : m ? Number(m[1]) * { s: 1, min: 60, h: 3600 }[m[2]] : null;
    return {
      cards: root.querySelectorAll("li[data-user-id]").length,
      stale: root.querySelector(".stale")?.textContent ?? null,
      alert: root.querySelector("[role=alert]")?.textContent ?? null,
      updated,
      age,
    };
  });
}

async function until(page, what, check, timeout = 15000) {
  const start = Date.now();
  for (;;) {
    const state = await seen(page);
    if (check(state)) return state;
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state)}`);
    await sleep(100);
  }
}

test("a refresh that changes one agent among 1,000 updates only that card, and Show more adds cards", async () => {
  await env.server.admin({ agents: 1000 });
  try {
    const { context, page } = await open(`data-refresh-seconds="0"`);
    // The first 200 of the 1,000 are rendered ("Show more" adds the rest).
    await page.waitForFunction(() =>
      document.querySelector("[data-presence-widget]").shadowRoot.querySelectorAll("li[data-user-id]").length === 200);
    // Topic names arrive after the first cards; let them land before counting.
    await widget(page).locator("option", { hasText: "Returns & warranty" }).waitFor({ state: "attached" });
    await widget(page).locator("li[data-user-id] .chip", { hasText: "Returns & warranty" }).first().waitFor();
    const target = await page.evaluate(() => {
      const root = document.querySelector("[data-presence-widget]").shadowRoot;
      const all = [...root.querySelectorAll("li[data-user-id]")];
      window.__before = new Map(all.map((el) => [el.dataset.userId, el]));
      window.__mutations = 0;
      new MutationObserver((records) => { window.__mutations += records.length; })
        .observe(root.querySelector("ul.agents"), { subtree: true, childList: true, characterData: true, attributes: true });
      // An available agent with chats, far down the list: one chat fewer moves it up.
      const el = all.reverse().find((e) => e.dataset.present === "true" && /\d/.test(e.querySelector(".chats").textContent));
      return { id: Number(el.dataset.userId), chats: Number(el.querySelector(".chats").textContent.match(/\d+/)[0]) };
    });
    const chats = target.chats - 1;
    await env.server.admin({ set_agent: target.id, chats });
    await widget(page).getByRole("button", { name: "Refresh" }).click();
    await widget(page).locator(`li[data-user-id='${target.id}'] .chats`).filter({ hasText: chats ? `${chats} chat` : "No chats" }).waitFor();
    await sleep(200);
    const result = await page.evaluate((id) => {
      const root = document.querySelector("[data-presence-widget]").shadowRoot;
      const now = [...root.querySelectorAll("li[data-user-id]")];
      const replaced = now.filter((el) => window.__before.get(el.dataset.userId) !== el).map((el) => el.dataset.userId);
      return { mutations: window.__mutations, replaced, same: String(id) };
    }, target.id);
    console.log(`# one-agent change among 1,000: ${result.mutations} mutation records in the list`);
    assert.deepEqual(result.replaced, [], "every card keeps its element, the changed one included");
    assert.ok(result.mutations <= 12, `mutations: ${result.mutations}`);
    const more = widget(page).getByRole("button", { name: /^Show 200 more \(800 not shown\)$/ });
    await more.click();
    await page.waitForFunction(() =>
      document.querySelector("[data-presence-widget]").shadowRoot.querySelectorAll("li[data-user-id]").length === 400);
    assert.equal(await widget(page).getByRole("button", { name: /^Show 200 more \(600 not shown\)$/ }).count(), 1);
    await context.close();
  } finally {
    await env.server.admin({ agents: 25 });
  }
});

test("a server slower than the time-out: aborted, last data kept and marked stale, then recovery", async () => {
  const { context, page } = await open(`data-refresh-seconds="2" data-timeout-seconds="1"`);
  await env.server.admin({ latency_ms: 2500 });
  try {
    const state = await until(page, "a time-out", (s) => s.stale?.includes("did not answer in time"));
    assert.equal(state.cards, 25, "the last good data stays on screen");
    assert.match(state.updated, /retrying in \d+ s/);
  } finally {
    await env.server.admin({ latency_ms: 0 });
  }
  const recovered = await until(page, "recovery", (s) => s.stale === null && s.age !== null && s.age <= 2, 20000);
  assert.equal(recovered.cards, 25);
  await context.close();
});

test("with half the requests failing, nothing stale is shown as current", async () => {
  const { context, page } = await open(`data-refresh-seconds="2" data-timeout-seconds="2"`);
  await env.server.admin({ failure_rate: 0.5 });
  let staleSeen = 0;
  try {
    const end = Date.now() + 12000;
    while (Date.now() < end) {
      const s = await seen(page);
      assert.equal(s.cards, 25, "the list never disappears");
      assert.equal(s.alert, null);
      if (s.stale) staleSeen++;
      // Unmarked data must be fresh: at most one interval (plus a tick and the request) old.
      else assert.ok(s.age !== null && s.age <= 4, `unmarked data is ${s.age} s old: ${s.updated}`);
      await sleep(250);
    }
  } finally {
    await env.server.admin({ failure_rate: 0 });
  }
  console.log(`# 50 % failures: stale marking seen in ${staleSeen} of 48 samples`);
  await until(page, "recovery", (s) => s.stale === null && s.age !== null && s.age <= 2, 20000);
  await context.close();
});

test("a session that ends mid-day stops polling, and resumes on focus or Retry once it is back", async () => {
  const { context, page } = await open(`data-refresh-seconds="2"`);
  await env.server.admin({ logged_out: true });
  try {
    await until(page, "the sign-in message", (s) => s.alert?.includes("Sign in again") && s.cards === 0);
    const before = (await env.server.stats()).requests.getall;
    await sleep(5000);
    assert.equal((await env.server.stats()).requests.getall, before, "no polling while signed out");
  } finally {
    await env.server.admin({ logged_out: false });
  }
  await page.evaluate(() => window.dispatchEvent(new Event("focus")));
  await until(page, "cards after focus", (s) => s.cards === 25 && s.alert === null);

  await env.server.admin({ logged_out: true });
  await until(page, "signed out again", (s) => s.alert?.includes("Sign in again"));
  await env.server.admin({ logged_out: false });
  await widget(page).getByRole("button", { name: "Retry" }).click();
  await until(page, "cards after Retry", (s) => s.cards === 25 && s.alert === null);
  await context.close();
});

test("malformed bodies mid-session keep the last data, marked, until the server is well again", async () => {
  const { context, page } = await open(`data-refresh-seconds="2"`);
  for (const kind of ["not-json", "null", "object"]) {
    await env.server.admin({ malformed: kind });
    try {
      const s = await until(page, `stale after ${kind}`, (s) => s.stale !== null);
      assert.equal(s.cards, 25);
    } finally {
      await env.server.admin({ malformed: "none" });
    }
    await until(page, `recovery after ${kind}`, (s) => s.stale === null, 20000);
  }
  await context.close();
});

test("two tabs poll once between them, and the other takes over when the poller closes", async () => {
  const context = await env.browser.newContext();
  const first = await open(`data-refresh-seconds="2"`, { context, path: "/intranet/tab.html" });
  const second = await open(`data-refresh-seconds="2"`, { context, path: "/intranet/tab.html" });
  await env.server.admin({ reset_stats: true });
  await sleep(6100);
  const shared = (await env.server.stats()).requests.getall ?? 0;
  console.log(`# two tabs, 2 s interval, 6.1 s: ${shared} GetAll requests`);
  assert.ok(shared >= 2 && shared <= 4, `GetAll requests for two tabs in three intervals: ${shared}`);
  assert.ok((await seen(second.page)).age <= 2, "the follower shows the poller's data");

  await first.page.close();
  await env.server.admin({ reset_stats: true });
  const closedAt = Date.now();
  while (!((await env.server.stats()).requests.getall > 0)) {
    assert.ok(Date.now() - closedAt < 3000, "takeover within about one interval");
    await sleep(50);
  }
  console.log(`# takeover after the poller closed: ${Date.now() - closedAt} ms`);
  await sleep(4000);
  const after = (await env.server.stats()).requests.getall;
  assert.ok(after >= 2 && after <= 4, `after takeover: ${after}`);
  await until(second.page, "fresh data in the remaining tab", (s) => s.age !== null && s.age <= 2);
  await context.close();
});

test("a tab reloaded beside another shows the list the polling tab has at once, then its fresh answer", async () => {
  for (const refresh of ["0", "60"]) {
    const context = await env.browser.newContext();
    const path = `/intranet/reload-${refresh}.html`;
    const attributes = `data-refresh-seconds="${refresh}" data-timeout-seconds="60"`;
    const first = await open(attributes, { context, path });
    const second = await open(attributes, { context, path });
    const [agent] = await apiAgents(env.server.origin);
    const shown = (page) => widget(page).locator(`li[data-user-id='${agent.UserId}']`);
    // The tenant changes, and its API answers slowly from now on (pages and files do not).
    await env.server.admin({ set_agent: agent.UserId, present: !agent.Present, latency_ms: 8000, reset_stats: true });
    try {
      // The first tab polled; leaving, it hands that to the second, which has its data.
      await first.page.reload();
      // The list the second tab had, at once: the reloaded tab did not wait out an
      // unanswered Hello (15 s) to fetch for itself, which would show the change.
      await shown(first.page).waitFor();
      assert.equal(await shown(first.page).getAttribute("data-present"), String(agent.Present), `refresh ${refresh}`);
      // What the new poller only heard from another tab, it asks the CRM for itself.
      for (const page of [first.page, second.page]) {
        await widget(page)
          .locator(`li[data-user-id='${agent.UserId}'][data-present='${!agent.Present}']`)
          .waitFor({ timeout: 20000 });
      }
      assert.equal((await env.server.stats()).requests.getall, 1, `refresh ${refresh}: one GetAll`);
    } finally {
      // A failure here must not leave the next tests a slow tenant.
      await env.server.admin({ latency_ms: 0 });
      await context.close();
    }
  }
});

test("a first answer long in coming says how long under the loading rows, where screen readers are not told each second", async () => {
  const context = await env.browser.newContext({ viewport: { width: 320, height: 700 } });
  const path = "/intranet/slow-start.html";
  await hostPage(context, env.server.origin, path, {
    body: `<div data-presence-widget data-refresh-seconds="0" data-timeout-seconds="60"></div>`,
  });
  await env.server.admin({ latency_ms: 20000 });
  try {
    const page = await context.newPage();
    await signInAndOpen(page, env.server.origin, path);
    const note = widget(page).locator(".still-loading");
    // Not at first (a quick answer never shows it), then after a few seconds.
    await widget(page).locator(".skeleton").waitFor();
    assert.equal(await note.isVisible(), false, "not at once");
    await note.waitFor({ state: "visible", timeout: 15000 });
    assert.equal(await note.textContent(), "Still waiting for the CRM: it has not answered yet.");
    assert.equal(await widget(page).locator("[role=status] .still-loading, [aria-live] .still-loading").count(), 0);
    assert.equal(await widget(page).locator(".skeleton[aria-busy=true]").count(), 1, "still busy, and says so");
    // The answer comes: the note goes with the loading rows.
    await cards(page).first().waitFor({ timeout: 30000 });
    assert.equal(await note.count(), 0);
  } finally {
    await env.server.admin({ latency_ms: 0 });
    await context.close();
  }
});

test("no polling while the page is hidden, and a refresh on coming back", async () => {
  const { context, page } = await open(`data-refresh-seconds="2"`);
  const setHidden = (hidden) => page.evaluate((hidden) => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
  await setHidden(true);
  await sleep(2500); // the refresh due now finds the page hidden and waits
  await env.server.admin({ reset_stats: true });
  await sleep(4500);
  assert.equal((await env.server.stats()).requests.getall ?? 0, 0, "no requests while hidden");
  await setHidden(false);
  const back = Date.now();
  while (!((await env.server.stats()).requests.getall > 0)) {
    assert.ok(Date.now() - back < 1000, "an immediate refresh on becoming visible");
    await sleep(50);
  }

  await context.close();
});

test("never two requests in flight, however often Refresh is pressed", async () => {
  const { context, page } = await open(`data-refresh-seconds="0"`);
  await env.server.admin({ latency_ms: 1500, reset_stats: true });
  try {
    const refresh = widget(page).getByRole("button", { name: "Refresh" });
    for (let i = 0; i < 5; i++) await refresh.click();
    await sleep(1000);
    assert.equal((await env.server.stats()).requests.getall, 1);
  } finally {
    await env.server.admin({ latency_ms: 0 });
  }
  await context.close();
});

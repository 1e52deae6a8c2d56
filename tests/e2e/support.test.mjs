// What a support lead needs: uncovered topics, "tell me when someone is available"
// (in the widget, in the live region, and once per browser as a system
// notification), pinned colleagues, and the keyboard.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, hostPage, signInAndOpen, cards, apiAgents, until, stays } from "./harness.mjs";

const env = useServerAndBrowser();
const PATH = "/intranet/support.html";
const BILLING = 11;

/** A context whose pages record every system notification they create. */
async function newContext(viewport = { width: 320, height: 760 }) {
  const context = await env.browser.newContext({ viewport });
  await context.grantPermissions(["notifications"], { origin: env.server.origin });
  await context.addInitScript(() => {
    const Real = window.Notification;
    window.__notifications = [];
    window.Notification = class extends Real {
      constructor(title, options) {
        super(title, options);
        window.__notifications.push({ title, body: options?.body, tag: options?.tag });
      }
    };
  });
  return context;
}

async function open(context, body = `<div data-presence-widget data-refresh-seconds="0"></div>`) {
  await hostPage(context, env.server.origin, PATH, {
    body: `<label>Host field <input id="host-input"></label>${body}`,
  });
  const page = await context.newPage();
  const errors = await signInAndOpen(page, env.server.origin, PATH);
  await cards(page).first().waitFor();
  return { page, errors };
}

const widget = (page, n = 0) => page.locator("[data-presence-widget]").nth(n);
const refresh = (page, n = 0) => widget(page, n).getByRole("button", { name: /^Refresh$|^Aktualisieren$/ }).click();
const live = (page) => widget(page).locator(".sr-only[role='status']");

async function reset() {
  await env.server.admin({ agents: 25 }); // re-seeds every agent
}

test("an open topic with nobody available is pointed out, and its return is announced", async () => {
  await reset();
  await env.server.admin({ uncover_topic: BILLING });
  await env.server.admin({ uncover_topic: 15 }); // closed: never flagged
  const context = await newContext();
  const { page, errors } = await open(
    context,
    `<div data-presence-widget data-refresh-seconds="0"></div><div data-presence-widget data-refresh-seconds="0" data-lang="de"></div>`,
  );
  // Each waits for what it asserts: names and opening states arrive after the cards.
  const notice = widget(page).locator(".uncovered");
  await notice.filter({ hasText: /^Billing is open and nobody is available$/ }).waitFor();
  await widget(page, 1).locator(".uncovered", { hasText: "Billing ist geöffnet und niemand ist verfügbar" }).waitFor();
  const option = (value, text) => widget(page).locator(`option[value='${value}']`, { hasText: text });
  await option(BILLING, /^Billing .*– nobody available$/).waitFor({ state: "attached" });
  await option(15, /– closed$/).waitFor({ state: "attached" });

  // The topic filtered to available agents says why it is empty.
  await widget(page).getByLabel("Topic").selectOption(String(BILLING));
  await widget(page).locator("[data-control='available-only']").check();
  await widget(page).locator(".empty", { hasText: "Billing is open and nobody is available" }).waitFor();

  // Someone in Billing comes back: the notice goes, the live region says so.
  const agent = (await apiAgents(env.server.origin)).find((a) => a.ChatTopics.includes(BILLING));
  await env.server.admin({ set_agent: agent.UserId, present: true });
  await refresh(page);
  await notice.waitFor({ state: "detached" });
  await live(page).filter({ hasText: "Billing: someone is available again" }).waitFor();
  // Gone again: announced again (once, not on every refresh).
  await env.server.admin({ uncover_topic: BILLING });
  await refresh(page);
  await live(page).filter({ hasText: "Billing is open and nobody is available" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a topic covered when the panel opened is announced when it becomes uncovered", async () => {
  await reset();
  const context = await newContext();
  const { page, errors } = await open(context);
  // Every opening state in, nothing uncovered yet.
  await widget(page).locator(`option[value='${BILLING}']`, { hasText: "Billing" }).waitFor({ state: "attached" });
  await stays(async () => (await widget(page).locator(".uncovered").count()) === 0, 300, "nothing uncovered");
  await env.server.admin({ uncover_topic: BILLING });
  await refresh(page);
  await widget(page).locator(".uncovered").waitFor();
  await live(page).filter({ hasText: "Billing is open and nobody is available" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a watch on an agent fires once: in the widget, in the live region and as one notification", async () => {
  await reset();
  const away = (await apiAgents(env.server.origin)).find((a) => !a.Present);
  const context = await newContext();
  const { page, errors } = await open(context);
  const card = widget(page).locator(`li[data-user-id='${away.UserId}']`);
  const bell = card.getByRole("button", { name: `Tell me when ${away.DisplayName} is available` });
  await bell.click();
  assert.equal(await bell.getAttribute("aria-pressed"), "true");
  await widget(page).locator(".watching-chip", { hasText: `Watching ${away.DisplayName}` }).waitFor();

  await env.server.admin({ set_agent: away.UserId, present: true });
  await refresh(page);
  const fired = widget(page).locator(".fired", { hasText: `${away.DisplayName} is available` });
  await fired.waitFor();
  await live(page).filter({ hasText: `${away.DisplayName} is available` }).waitFor();
  assert.equal(await widget(page).locator(".watching-chip").count(), 0, "the watch ended");
  const notifications = await page.evaluate(() => window.__notifications);
  assert.equal(notifications.length, 1);
  assert.equal(notifications[0].body, `${away.DisplayName} is available`);

  // It stays until dismissed, and does not fire again.
  await refresh(page);
  await stays(async () => (await page.evaluate(() => window.__notifications)).length === 1, 500, "one notification");
  await fired.getByRole("button", { name: "Dismiss" }).click();
  await fired.waitFor({ state: "detached" });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a watch on a topic survives a reload, can be cancelled, and notifies one tab of two", async () => {
  await reset();
  await env.server.admin({ uncover_topic: BILLING });
  const context = await newContext();
  const { page } = await open(context);
  await widget(page).getByLabel("Topic").selectOption(String(BILLING));
  const bell = widget(page).locator(".topic-watch");
  await bell.click();
  assert.equal(await bell.getAttribute("aria-pressed"), "true");
  await widget(page).locator(".watching-chip", { hasText: "Watching Billing" }).waitFor();

  // Cancel from the chip, then watch again.
  await widget(page).getByRole("button", { name: "Cancel – Watching Billing" }).click();
  await widget(page).locator(".watching-chip").waitFor({ state: "detached" });
  await bell.click();

  await page.reload();
  await cards(page).first().waitFor();
  await widget(page).locator(".watching-chip", { hasText: "Watching Billing" }).waitFor();

  // A second tab: both show the notice, the browser gets one notification.
  const second = await context.newPage();
  await second.goto(`${env.server.origin}${PATH}`);
  await cards(second).first().waitFor();
  await widget(second).locator(".watching-chip", { hasText: "Watching Billing" }).waitFor();

  const agent = (await apiAgents(env.server.origin)).find((a) => a.ChatTopics.includes(BILLING));
  await env.server.admin({ set_agent: agent.UserId, present: true });
  await refresh(page);
  await refresh(second);
  for (const p of [page, second]) {
    await widget(p).locator(".fired", { hasText: `is available in Billing` }).waitFor();
  }
  const counts = () => Promise.all([page, second].map((p) => p.evaluate(() => window.__notifications.length)));
  await until(async () => (await counts()).reduce((a, b) => a + b) >= 1, "the notification");
  await stays(async () => (await counts()).reduce((a, b) => a + b) === 1, 500, "one notification for two tabs");
  await context.close();
});

test("pinned colleagues come first, survive a reload, and the Pinned switch shows just them", async () => {
  await reset();
  const context = await newContext({ width: 900, height: 800 });
  const { page, errors } = await open(context);
  const ids = () => cards(page).evaluateAll((els) => els.map((e) => Number(e.dataset.userId)));

  await widget(page).locator("[data-control='pinned-only']").check();
  await widget(page).locator(".empty", { hasText: "No pinned colleagues yet" }).waitFor();
  await widget(page).locator("[data-control='pinned-only']").uncheck();
  await cards(page).first().waitFor();

  const before = await ids();
  const last = before[before.length - 1];
  const third = before[2];
  for (const id of [last, third]) {
    const star = widget(page).locator(`li[data-user-id='${id}'] .pin`);
    await star.focus(); // visible on focus, and reachable by keyboard
    await star.press("Enter");
    assert.equal(await star.getAttribute("aria-pressed"), "true");
  }
  await page.waitForFunction(
    ([a, b]) => {
      const shown = [...document.querySelector("[data-presence-widget]").shadowRoot.querySelectorAll("li[data-user-id]")];
      const first = shown.slice(0, 2).map((e) => Number(e.dataset.userId)).sort();
      return JSON.stringify(first) === JSON.stringify([a, b].sort());
    },
    [last, third],
  );
  // The star pressed from the keyboard keeps the focus while its card moves up.
  const focused = await page.evaluate(() => {
    const active = document.querySelector("[data-presence-widget]").shadowRoot.activeElement;
    return active?.classList.contains("pin") ? Number(active.closest("li").dataset.userId) : null;
  });
  assert.equal(focused, third);
  // In their usual order among themselves.
  const order = await ids();
  assert.deepEqual(order.slice(0, 2), before.filter((id) => id === last || id === third));

  await page.reload();
  await cards(page).first().waitFor();
  assert.deepEqual((await ids()).slice(0, 2), order.slice(0, 2));
  await widget(page).locator("[data-control='pinned-only']").check();
  await page.waitForFunction(() => document.querySelector("[data-presence-widget]").shadowRoot.querySelectorAll("li[data-user-id]").length === 2);
  assert.match(await widget(page).locator(".summary").innerText(), /of 2 agents? available/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("'/' goes to the search and Escape clears it, inside the widget only", async () => {
  await reset();
  const context = await newContext();
  const { page } = await open(context);
  const search = widget(page).locator("[data-control='search']");
  await widget(page).getByRole("button", { name: "Refresh" }).focus();
  await page.keyboard.press("/");
  assert.equal(await search.evaluate((el) => el.getRootNode().activeElement === el), true);
  await page.keyboard.type("zz");
  assert.equal(await search.inputValue(), "zz");
  await widget(page).locator(".empty", { hasText: "Nobody matches your search" }).waitFor();
  await page.keyboard.press("Escape");
  assert.equal(await search.inputValue(), "");
  await cards(page).first().waitFor();

  // The host page keeps its keys.
  await page.locator("#host-input").focus();
  await page.keyboard.press("/");
  assert.equal(await page.locator("#host-input").inputValue(), "/");
  await page.locator("body").press("/");
  assert.equal(await search.inputValue(), "");
  await context.close();
});

test("whatever a page script or another tab writes into pins and watches, the widget runs on", async () => {
  await reset();
  const context = await newContext();
  const { page, errors } = await open(context);
  // Make the widget write its keys, then find them.
  const star = widget(page).locator("li[data-user-id] .pin").first();
  await star.focus();
  await star.press("Enter");
  const away = (await apiAgents(env.server.origin)).find((a) => !a.Present);
  await widget(page).locator(`li[data-user-id='${away.UserId}'] .watch`).click();
  const base = await page.evaluate(() =>
    Object.keys(localStorage).find((k) => k.startsWith("superoffice.presence-widget.pins ")).slice("superoffice.presence-widget.pins ".length),
  );
  const deep = "[".repeat(50_000) + "]".repeat(50_000);
  const junk = [
    deep,
    "x".repeat(300_000),
    JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i)),
    JSON.stringify([["agent", 1e20, Date.now()], ["topic", "11", Date.now()], ["nope", 1, Date.now()], ["agent", 5, Date.now() + 1e10]]),
    JSON.stringify([["agent", 5, Date.now(), 5, "y".repeat(100_000)], ["topic", 11, Date.now(), 1.5, "Half"]]),
    JSON.stringify({ not: "a list" }),
    "null",
  ];
  // Another tab of the origin writes junk (this tab hears of it through `storage`).
  const other = await context.newPage();
  await other.goto(`${env.server.origin}${PATH}`);
  for (const value of junk) {
    // This tab hears each value (the last key's event) before the next replaces it.
    await page.evaluate(
      ([key, value]) => {
        window.__heard = false;
        addEventListener("storage", function heard(event) {
          if (event.key === key && event.newValue === value) {
            window.__heard = true;
            removeEventListener("storage", heard);
          }
        });
      },
      [`superoffice.presence-widget.fired ${base}`, value],
    );
    await other.evaluate(
      ([base, value]) => {
        for (const what of ["pins", "watches", "fired"]) {
          localStorage.setItem(`superoffice.presence-widget.${what} ${base}`, value);
        }
      },
      [base, value],
    );
    await page.waitForFunction(() => window.__heard);
  }
  await refresh(page);
  assert.ok((await cards(page).count()) > 0);
  assert.equal(await widget(page).locator(".fired").count(), 0, "no notice from junk");
  // And the same junk at start-up.
  await page.reload();
  await cards(page).first().waitFor();
  await star.focus();
  await star.press("Enter");
  assert.equal(await star.getAttribute("aria-pressed"), "true");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the browser asks about notifications only after a click on a bell", async () => {
  await reset();
  const context = await env.browser.newContext({ viewport: { width: 320, height: 760 } });
  await context.addInitScript(() => {
    window.__asked = 0;
    Object.defineProperty(Notification, "permission", { get: () => "default" });
    Notification.requestPermission = () => {
      window.__asked++;
      return Promise.resolve("denied");
    };
  });
  const { page, errors } = await open(context);
  await stays(async () => (await page.evaluate(() => window.__asked)) === 0, 300, "not asked on load");
  const away = (await apiAgents(env.server.origin)).find((a) => !a.Present);
  await widget(page).locator(`li[data-user-id='${away.UserId}'] .watch`).click();
  assert.equal(await page.evaluate(() => window.__asked), 1, "after the click");
  // Denied: the watch still waits, and fires in the widget.
  await env.server.admin({ set_agent: away.UserId, present: true });
  await refresh(page);
  await widget(page).locator(".fired", { hasText: `${away.DisplayName} is available` }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a Retry or Show more that goes hands the focus on inside the widget", async (t) => {
  await env.server.admin({ agents: 230, failure_rate: 0 });
  t.after(() => env.server.admin({ agents: 25, failure_rate: 0 }));
  const context = await newContext();
  const focused = (page) =>
    page.evaluate(() => {
      const host = document.querySelector("[data-presence-widget]");
      const inside = host.shadowRoot.activeElement;
      return { host: document.activeElement === host, what: inside ? inside.className : null };
    });
  // Waits until the focused element inside the widget has this class.
  const focusMovesTo = (page, name) =>
    page.waitForFunction(
      (name) => document.querySelector("[data-presence-widget]").shadowRoot.activeElement?.classList.contains(name),
      name,
    );
  // No data yet: the failure's Retry, then the list takes its place.
  await hostPage(context, env.server.origin, PATH, {
    body: `<div data-presence-widget data-refresh-seconds="0"></div>`,
  });
  const page = await context.newPage();
  await env.server.admin({ failure_rate: 1 });
  const errors = await signInAndOpen(page, env.server.origin, PATH);
  const failureRetry = widget(page).locator(".failure .button");
  await failureRetry.waitFor();
  await env.server.admin({ failure_rate: 0 });
  await failureRetry.focus();
  await failureRetry.press("Enter");
  await failureRetry.waitFor({ state: "detached" });
  await focusMovesTo(page, "refresh");
  // Data marked stale: its Retry goes once the CRM answers again.
  await env.server.admin({ failure_rate: 1 });
  await refresh(page);
  const staleRetry = widget(page).locator(".stale .button");
  // The failure must have happened before the CRM is well again.
  await staleRetry.waitFor();
  await env.server.admin({ failure_rate: 0 });
  await staleRetry.focus();
  await staleRetry.press("Enter");
  await staleRetry.waitFor({ state: "detached" });
  await focusMovesTo(page, "refresh");
  // The last "Show more": the list holds the focus.
  const more = widget(page).locator(".show-more");
  await more.focus();
  await more.press("Enter");
  await more.waitFor({ state: "detached" });
  await focusMovesTo(page, "agents");
  assert.equal((await focused(page)).host, true, "never the host page's body");
  assert.equal(await widget(page).locator("ul.agents > li[data-user-id]").count(), 230);
  // The browser's own lines for the failed requests are expected; nothing else.
  assert.deepEqual(errors.filter((e) => !e.startsWith("Failed to load resource")), []);
  await context.close();
});

test("focus stays in the widget when the focused card leaves the list", async () => {
  await reset();
  const context = await newContext();
  const { page, errors } = await open(context);
  const list = widget(page).locator("ul.agents");
  // Pin two colleagues, show only them, and unpin the first from the keyboard.
  for (const n of [0, 1]) await list.locator("li[data-user-id] .pin").nth(n).click();
  await widget(page).locator("[data-control='pinned-only']").check();
  await list.locator("li[data-user-id]").nth(1).waitFor();
  await list.locator("li[data-user-id]").nth(2).waitFor({ state: "detached" });
  const star = list.locator("li[data-user-id] .pin").first();
  await star.focus();
  await star.press("Enter");
  await list.locator("li[data-user-id]").nth(1).waitFor({ state: "detached" });
  const focus = () =>
    page.evaluate(() => {
      const host = document.querySelector("[data-presence-widget]");
      const inside = host.shadowRoot.activeElement;
      return { host: document.activeElement === host, pin: inside?.classList.contains("pin") ?? false };
    });
  assert.deepEqual(await focus(), { host: true, pin: true }, "the remaining card's star");
  // The last one goes too: the list holds the focus.
  await list.locator("li[data-user-id] .pin").first().press("Enter");
  await list.locator("li[data-user-id]").first().waitFor({ state: "detached" });
  const after = await focus();
  assert.equal(after.host, true, "not the host page's body");
  assert.deepEqual(errors, []);
  await context.close();
});

test("when storage refuses writes, pins and watches hold in memory and the widget says they will not be kept", async () => {
  await reset();
  const context = await newContext();
  // A full or blocked storage: every write throws, as a quota does.
  await context.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  const { page, errors } = await open(context);
  const list = widget(page).locator("ul.agents");
  const ids = () => list.locator("li[data-user-id]").evaluateAll((els) => els.map((e) => e.dataset.userId));
  const before = await ids();
  // Pin the third, then the fourth: both stay pinned (pinning B must not unpin A).
  await list.locator(`li[data-user-id='${before[2]}'] .pin`).click();
  await list.locator(`li[data-user-id='${before[3]}'] .pin`).click();
  await widget(page).locator("[data-control='pinned-only']").check();
  await list.locator("li[data-user-id]").nth(1).waitFor();
  await list.locator("li[data-user-id]").nth(2).waitFor({ state: "detached" });
  assert.deepEqual((await ids()).sort(), [before[2], before[3]].sort());
  const unkept = widget(page).locator(".unkept");
  assert.equal(await unkept.count(), 1, "said once");
  assert.match(await unkept.innerText(), /will not be kept after a reload/);
  assert.deepEqual(errors, []);
  await context.close();
});

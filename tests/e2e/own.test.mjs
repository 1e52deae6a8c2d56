// For the agent in the sidebar: "You" on their own card and first when asked, their
// own availability switch (the widget's one write), "Least busy first", and rows
// that read at every width.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, hostPage, signInAndOpen, cards, until, stays } from "./harness.mjs";

/** Longer than the switch's settling time (`logic::own::SETTLE_MS`, 600 ms). */
const PAST_SETTLING = 1500;

const env = useServerAndBrowser();
const PATH = "/intranet/own.html";
const ME = 101;

async function reset(settings = {}) {
  await env.server.admin({ agents: 25, principal: ME, save_all: "ok", reset_stats: true, ...settings });
  await env.server.admin({ set_agent: ME, present: true, chats: 2 });
}

async function open(context, body = `<div data-presence-widget data-refresh-seconds="0"></div>`, path = PATH) {
  await hostPage(context, env.server.origin, path, { body });
  const page = await context.newPage();
  const errors = await signInAndOpen(page, env.server.origin, path);
  await cards(page).first().waitFor();
  return { page, errors };
}

const widget = (page, n = 0) => page.locator("[data-presence-widget]").nth(n);
const myCard = (page, n = 0) => widget(page, n).locator(`li[data-user-id='${ME}']`);
const ownSwitch = (page, n = 0) => widget(page, n).getByRole("switch", { name: "I'm available for chat" });
const ids = (page, n = 0) =>
  widget(page, n).locator("li[data-user-id]").evaluateAll((cards) => cards.map((c) => Number(c.dataset.userId)));
const writes = async () => (await env.server.stats()).writes;
const getAlls = async () => (await env.server.stats()).requests.getall ?? 0;

/** Every write so far carried exactly the user's own id and a boolean, nothing else. */
async function onlyOwnWrites() {
  for (const write of await writes()) {
    const body = JSON.parse(write.body);
    assert.equal(body.length, 1, write.body);
    assert.deepEqual(Object.keys(body[0]).sort(), ["Present", "UserId"], write.body);
    assert.equal(body[0].UserId, ME, write.body);
    assert.equal(typeof body[0].Present, "boolean", write.body);
    assert.equal(write.content_type, "application/json");
  }
}

test("your own card says You, and comes first when you ask, remembered per API base", async () => {
  await reset();
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
  const body = `<div data-presence-widget data-refresh-seconds="0"></div>
    <div data-presence-widget data-refresh-seconds="0" data-api-base="/Cust1/api"></div>`;
  const { page, errors } = await open(context, body);
  await myCard(page).locator(".you", { hasText: "You" }).waitFor();
  assert.equal(await widget(page).locator("li.is-you").count(), 1, "one card is you");
  assert.notEqual((await ids(page))[0], ME, "not first by name");
  await widget(page).getByRole("switch", { name: "Show me first" }).check();
  await until(async () => (await ids(page))[0] === ME, "your card first");
  assert.notEqual((await ids(page, 1))[0], ME, "the other API base keeps its own choice");
  await page.reload();
  await cards(page).first().waitFor();
  await until(async () => (await ids(page))[0] === ME, "still first after a reload");
  await widget(page).getByRole("switch", { name: "Show me first" }).uncheck();
  await until(async () => (await ids(page))[0] !== ME, "back in its place");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a user who is not a chat agent, or a failing currentPrincipal, marks nobody and changes nothing else", async () => {
  for (const principal of [9000, 0]) {
    await reset({ principal });
    const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
    const { page, errors } = await open(context);
    await until(async () => (await env.server.stats()).requests.principal >= 1, "currentPrincipal asked");
    await widget(page).locator(".summary", { hasText: /of 25 agents available/ }).waitFor();
    assert.equal(await widget(page).locator("li.is-you").count(), 0, `${principal}`);
    assert.equal(await ownSwitch(page).count(), 0, "no switch without your card");
    // Four more answers: a failing one is asked again with each, three times in all.
    for (let i = 0; i < 4; i++) {
      const polls = await getAlls();
      await widget(page).getByRole("button", { name: "Refresh" }).click();
      await until(async () => (await getAlls()) > polls, "a refresh");
    }
    const asked = async () => (await env.server.stats()).requests.principal;
    if (principal === 0) await until(async () => (await asked()) === 3, async () => `asked ${await asked()} times`);
    await stays(async () => (await asked()) === (principal === 0 ? 3 : 1), PAST_SETTLING, "asked no more");
    // The browser logs a failed request itself; the widget logs nothing.
    assert.deepEqual(errors.filter((e) => !/status of 500/.test(e)), []);
    await context.close();
  }
});

test("your switch sends one well-formed SaveAll; your card and a second tab follow at once", async () => {
  await reset();
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
  const { page } = await open(context);
  const { page: other } = await open(context);
  await myCard(other).waitFor();
  await ownSwitch(page).waitFor();
  assert.equal(await ownSwitch(page).isChecked(), true);
  const polls = await getAlls();
  await ownSwitch(page).click();
  // At once, before the CRM has answered.
  await myCard(page).and(page.locator("[data-present='false']")).waitFor();
  await until(async () => (await writes()).length === 1, "the write");
  assert.equal((await writes())[0].body, `[{"UserId":${ME},"Present":false}]`);
  // The other tab hears of it through the one poller.
  await myCard(other).and(other.locator("[data-present='false']")).waitFor();
  await until(async () => (await getAlls()) > polls, "a refresh after the write");
  assert.equal(await ownSwitch(other).isChecked(), false);
  await onlyOwnWrites();
  await context.close();
});

test("a quick double toggle sends the final state once", async () => {
  await reset();
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
  const { page } = await open(context);
  await ownSwitch(page).waitFor();
  const polls = await getAlls();
  await ownSwitch(page).click();
  await ownSwitch(page).click();
  await ownSwitch(page).click();
  // The write's refresh is its last step; and nothing more comes after it.
  await until(async () => (await getAlls()) > polls, "the refresh after the write");
  await stays(async () => (await writes()).length === 1, PAST_SETTLING, "one write");
  await myCard(page).and(page.locator("[data-present='false']")).waitFor();
  const all = await writes();
  assert.equal(all.length, 1, JSON.stringify(all));
  assert.equal(all[0].body, `[{"UserId":${ME},"Present":false}]`);
  await onlyOwnWrites();
  await context.close();
});

test("a choice still settling when the host removes the widget is written, not dropped", async () => {
  await reset();
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
  const { page } = await open(context);
  await ownSwitch(page).waitFor();
  await ownSwitch(page).click();
  // Within the settling time: the host takes the element away.
  await page.evaluate(() => document.querySelector("[data-presence-widget]").remove());
  await until(async () => (await writes()).length === 1, "the settling choice written");
  assert.equal((await writes())[0].body, `[{"UserId":${ME},"Present":false}]`);
  await stays(async () => (await writes()).length === 1, PAST_SETTLING, "once");
  await context.close();
});

test("refused writes roll back with their reason; 403 and 404 disable the switch, focus kept", async () => {
  for (const [save_all, disabled] of [["forbidden", true], ["not-found", true], ["error", false]]) {
    await reset({ save_all });
    const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
    const { page, errors } = await open(context);
    await ownSwitch(page).waitFor();
    await ownSwitch(page).focus();
    await ownSwitch(page).press("Space");
    const reason = disabled
      ? "Your CRM does not let you change this here."
      : "Your availability could not be changed. Try again.";
    await widget(page).locator(".own-notice", { hasText: reason }).waitFor();
    await myCard(page).and(page.locator("[data-present='true']")).waitFor();
    assert.equal(await ownSwitch(page).isChecked(), true, `${save_all}: rolled back`);
    assert.equal(await ownSwitch(page).getAttribute("aria-disabled"), disabled ? "true" : "false");
    const focused = await page.evaluate(() => {
      const root = document.querySelector("[data-presence-widget]").shadowRoot;
      return root.activeElement?.dataset.control ?? null;
    });
    assert.equal(focused, "own-available", `${save_all}: focus stays`);
    if (disabled) {
      await ownSwitch(page).press("Space");
      assert.equal(await ownSwitch(page).isChecked(), true, "a refused switch does not move");
      await stays(async () => (await writes()).length === 1, PAST_SETTLING, "a refused switch sends nothing");
    }
    await onlyOwnWrites();
    assert.deepEqual(errors.filter((e) => !/40[34]|500/.test(e)), []);
    await context.close();
  }
});

test("a write after the session ended says so", async () => {
  await reset();
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
  const { page } = await open(context);
  await ownSwitch(page).waitFor();
  await env.server.admin({ end_sessions: true });
  await ownSwitch(page).focus();
  await ownSwitch(page).press("Space");
  // The session message takes the list's place (the data is gone, and your bar with
  // it); the focus goes to its Retry, not to the page's body.
  await widget(page).locator("[role=alert]", { hasText: "Your CRM session has ended. Sign in again." }).waitFor();
  await until(
    () => page.evaluate(() => document.querySelector("[data-presence-widget]").shadowRoot.activeElement?.textContent === "Retry"),
    "focus on Retry",
  );
  // Refused at the gate, as every request without a session is.
  assert.deepEqual((await writes()).map((w) => w.status), [401]);
  await context.close();
});

test("after the session ends, the next user is asked for again: their card is You, not the last one's", async () => {
  await reset();
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
  const { page } = await open(context);
  await myCard(page).locator(".you").waitFor();
  await env.server.admin({ end_sessions: true });
  await widget(page).getByRole("button", { name: "Refresh" }).click();
  await widget(page).locator("[role=alert]", { hasText: "Your CRM session has ended" }).waitFor();
  // Someone else signs in to the CRM in this browser.
  await env.server.admin({ principal: 103 });
  const login = await context.request.get(`${env.server.origin}/api/dev/login`, { maxRedirects: 0 });
  assert.equal(login.status(), 303);
  await widget(page).getByRole("button", { name: "Retry" }).click();
  await widget(page).locator("li.is-you[data-user-id='103']").waitFor();
  assert.equal(await widget(page).locator("li.is-you").count(), 1);
  await ownSwitch(page).click();
  await until(async () => (await writes()).length === 1, "the write");
  assert.equal(JSON.parse((await writes())[0].body)[0].UserId, 103, "the new user's own id");
  await context.close();
});

/** Another person signs in to the CRM in this browser (a shared desk PC at a shift change). */
async function signInAs(context, user) {
  const login = await context.request.get(`${env.server.origin}/api/dev/login?user=${user}`, { maxRedirects: 0 });
  assert.equal(login.status(), 303);
}

test("another person signs in to the CRM in this browser: one click never writes the first user's id", async () => {
  await reset();
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
  const { page } = await open(context);
  await myCard(page).locator(".you").waitFor();
  await ownSwitch(page).waitFor();
  const asked = (await env.server.stats()).requests.principal;
  // In another tab, a colleague signs in; this tab still shows the first user's card.
  await signInAs(context, 102);
  await ownSwitch(page).click();
  // The changed session is noticed before anything is written: who "you" are is
  // asked again, under the new session, and the click made for the old user is dropped.
  await widget(page).locator("li.is-you[data-user-id='102']").waitFor();
  assert.ok((await env.server.stats()).requests.principal > asked, "currentPrincipal asked again");
  await stays(async () => (await writes()).length === 0, PAST_SETTLING, "nothing written for the first user");
  // The new user's switch writes their own id.
  await ownSwitch(page).click();
  await until(async () => (await writes()).length === 1, "the new user's write");
  assert.equal(JSON.parse((await writes())[0].body)[0].UserId, 102);
  assert.equal((await writes())[0].status, 204);
  await context.close();
});

test("a write refused with 401 because the session changed under it is never sent again under the new session", async () => {
  await reset();
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
  const { page } = await open(context);
  await ownSwitch(page).waitFor();
  await env.server.admin({ latency_ms: 1500 });
  try {
    await ownSwitch(page).click();
    // The write is on its way (counted at the gate, held by the latency): the first
    // user signs out and a colleague signs in before the CRM looks at it.
    await until(async () => ((await env.server.stats()).requests.saveall ?? 0) === 1, "the write sent");
    const logout = await context.request.get(`${env.server.origin}/api/dev/logout`, { maxRedirects: 0 });
    assert.equal(logout.status(), 303);
    await signInAs(context, 102);
    await until(async () => (await writes()).length === 1, "the write answered");
    assert.equal((await writes())[0].status, 401);
    await env.server.admin({ latency_ms: 0 });
    // The widget moves on to the new user, and the old user's write stays refused.
    await widget(page).locator("li.is-you[data-user-id='102']").waitFor();
    await stays(async () => (await writes()).length === 1, PAST_SETTLING, "the POST is not repeated");
    assert.equal(JSON.parse((await writes())[0].body)[0].UserId, ME);
  } finally {
    await env.server.admin({ latency_ms: 0 });
  }
  await context.close();
});

test("Least busy first: available agents by chats, then away ones, never you first; remembered", async () => {
  await reset();
  await env.server.admin({ set_agent: ME, present: true, chats: 0 });
  const context = await env.browser.newContext({ viewport: { width: 900, height: 900 } });
  const { page } = await open(context);
  await myCard(page).locator(".you").waitFor({ state: "attached" });
  await widget(page).getByLabel("Order").selectOption({ label: "Least busy first" });
  const order = async () =>
    widget(page)
      .locator("li[data-user-id]")
      .evaluateAll((cards) =>
        cards.map((c) => ({
          id: Number(c.dataset.userId),
          present: c.dataset.present === "true",
          chats: Number((c.querySelector(".chats").textContent.match(/\d+/) ?? ["0"])[0]),
        })),
      );
  await until(async () => (await order())[0].id !== ME && (await order())[0].chats === 0, "least busy first");
  const rows = await order();
  const available = rows.filter((r) => r.present);
  const others = available.filter((r) => r.id !== ME);
  assert.deepEqual(
    others.map((r) => r.chats),
    [...others.map((r) => r.chats)].sort((a, b) => a - b),
    "fewest chats first",
  );
  assert.equal(available.at(-1).id, ME, "you come after every other available agent");
  assert.ok(rows.findIndex((r) => !r.present) >= available.length, "then away agents");
  await page.reload();
  await cards(page).first().waitFor();
  assert.equal(await widget(page).getByLabel("Order").inputValue(), "least-busy");
  await context.close();
});

/** Per visible chip: whether its text is cut; per row: the "+N" or "N topics" shown. */
async function rowsAt(page) {
  return page.evaluate(() => {
    const root = document.querySelector("[data-presence-widget]").shadowRoot;
    return [...root.querySelectorAll("li[data-user-id]")].map((card) => {
      const line = card.querySelector(".line2").getBoundingClientRect();
      // Displayed, and not wrapped to the row's hidden second line.
      const shown = [...card.querySelectorAll(".topics > li, .topic-count")].filter(
        (el) => el.offsetWidth > 0 && el.getBoundingClientRect().top < line.bottom,
      );
      const list = card.querySelector(".topics");
      // Whole, and on the row's one visible line.
      const inside = (el) => {
        const r = el.getBoundingClientRect();
        return r.right <= line.right + 0.5 && r.bottom <= line.bottom + 0.5 && el.scrollWidth <= el.clientWidth + 0.5;
      };
      return {
        id: card.dataset.userId,
        topics: list ? list.querySelectorAll(":scope > li:not(.more)").length : 0,
        title: list?.title ?? "",
        spoken: card.querySelector(".sr-only")?.textContent ?? "",
        chips: shown
          .filter((el) => el.matches(".topics > li:not(.more)"))
          .map((li) => {
            const text = li.querySelector(".chip-text");
            return { text: text.textContent, cut: text.scrollWidth > text.clientWidth + 0.5, inside: inside(li) };
          }),
        tail: shown
          .filter((el) => el.matches(".more, .topic-count"))
          .map((el) => ({ text: el.textContent, inside: inside(el) })),
      };
    });
  });
}

test("narrow rows read: a chip shows only whole, otherwise the row says how many topics", async () => {
  await reset();
  for (const width of [240, 300, 320, 900]) {
    const context = await env.browser.newContext({ viewport: { width, height: 900 } });
    const { page } = await open(context, `<div data-presence-widget data-refresh-seconds="0" style="width:${width}px"></div>`);
    // Every topic's name, as the rows' chips and texts depend on them.
    await until(async () => !(await rowsAt(page)).some((r) => /Topic \d/.test(r.title)), `names at ${width}`);
    const rows = await rowsAt(page);
    for (const row of rows.filter((r) => r.topics > 0)) {
      for (const chip of row.chips) {
        assert.ok(!chip.cut && chip.inside, `${width} px, ${row.id}: "${chip.text}" is cut`);
      }
      for (const tail of row.tail) assert.ok(tail.inside, `${width} px, ${row.id}: "${tail.text}" is cut`);
      // No chip: the count, where it fits whole; where not, nothing (it wrapped away).
      if (row.chips.length === 0) {
        const count = row.topics === 1 ? "1 topic" : `${row.topics} topics`;
        assert.ok(row.tail.length <= 1 && row.tail.every((t) => t.text === count), JSON.stringify(row));
        if (width >= 300) assert.equal(row.tail.length, 1, `${width} px, ${row.id}: the count`);
      }
      if (width === 900) assert.equal(row.chips.length, row.topics, "wide: every chip");
      const names = row.title.split(", ");
      assert.equal(names.length, row.topics, row.title);
      for (const name of names) assert.ok(row.spoken.includes(name), `${row.id}: "${name}" is spoken`);
    }
    if (width === 240) assert.ok(rows.some((r) => r.chips.length === 0 && r.topics > 0), "some rows count");
    if (width < 900) {
      // Pinned and watched rows keep room for their marks: what no longer fits goes whole.
      for (const row of rows.filter((r) => r.topics > 0).slice(0, 6)) {
        await widget(page).locator(`li[data-user-id='${row.id}'] .pin`).click();
      }
      await until(async () => (await widget(page).locator(".pin[aria-pressed=true]").count()) === 6, "pinned");
      for (const row of await rowsAt(page)) {
        for (const chip of row.chips) assert.ok(!chip.cut && chip.inside, `${width} px, pinned ${row.id}: "${chip.text}" is cut`);
        for (const tail of row.tail) assert.ok(tail.inside, `${width} px, pinned ${row.id}: "${tail.text}" is cut`);
      }
    }
    if (width === 320) assert.ok(rows.some((r) => r.chips.length > 0), "some rows show chips");
    await context.close();
  }
});

test("a widget in a wider table cell fills the cell", async () => {
  await reset();
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 800 } });
  const body = `<table style="width:100%;border-collapse:collapse"><tr>
      <td style="width:200px">Menu</td>
      <td id="cell" style="padding:0"><div data-presence-widget data-refresh-seconds="0"></div></td>
    </tr></table>
    <table><tr><td id="fixed" style="width:500px;padding:0"><div data-presence-widget data-refresh-seconds="0"></div></td></tr></table>
    <table style="width:100%"><tr><td style="width:30%">Side</td>
      <td id="mount-cell" style="padding:0" data-presence-widget data-refresh-seconds="0"></td></tr></table>`;
  const { page } = await open(context, body);
  await cards(page, 2).first().waitFor();
  const widths = await page.evaluate(() => {
    const [a, b] = document.querySelectorAll("[data-presence-widget]");
    const mountCell = document.getElementById("mount-cell");
    return {
      mountCell: mountCell.clientWidth,
      // A cell cannot carry a shadow root: the widget lives in a span inside it.
      inner: mountCell.querySelector("[data-presence-root]")?.getBoundingClientRect().width ?? 0,
      cell: document.getElementById("cell").clientWidth,
      a: a.getBoundingClientRect().width,
      fixed: document.getElementById("fixed").clientWidth,
      b: b.getBoundingClientRect().width,
    };
  });
  assert.ok(widths.cell > 700, JSON.stringify(widths));
  assert.ok(Math.abs(widths.a - widths.cell) <= 1, `fills the cell: ${JSON.stringify(widths)}`);
  assert.ok(Math.abs(widths.b - widths.fixed) <= 1, `fills the fixed cell: ${JSON.stringify(widths)}`);
  assert.ok(widths.mountCell > 600 && Math.abs(widths.inner - widths.mountCell) <= 1, `a cell as mount: ${JSON.stringify(widths)}`);
  await context.close();
});

// The availability widget against the development tenant: cards, topic names and
// counts, search, the "Available only" switch, and every failure the tenant can stage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, hostPage, signInAndOpen, cards, apiAgents, summary } from "./harness.mjs";

const env = useServerAndBrowser();
let context, page;

async function open(attributes = "") {
  await context?.close();
  context = await env.browser.newContext({ viewport: { width: 900, height: 900 } });
  await hostPage(context, env.server.origin, "/intranet/widget.html", {
    body: `<div data-presence-widget data-refresh-seconds="0" ${attributes}></div>`,
  });
  page = await context.newPage();
  return signInAndOpen(page, env.server.origin, "/intranet/widget.html");
}

const widget = () => page.locator("[data-presence-widget]");

test("cards follow the tenant's data, available first, with the summary", async () => {
  const agents = await apiAgents(env.server.origin);
  const errors = await open();
  await cards(page).first().waitFor();
  assert.equal(await cards(page).count(), agents.length);
  const available = agents.filter((a) => a.Present).length;
  assert.equal(await summary(page), `${available} of ${agents.length} agents available`);
  const shown = await cards(page).evaluateAll((els) => els.map((e) => e.dataset.present));
  const firstAway = shown.indexOf("false");
  assert.ok(shown.slice(firstAway).every((p) => p === "false"), "available agents come first");
  const someone = agents.find((a) => a.Present && a.OngoingChats === 2);
  if (someone) {
    const card = widget().locator(`li[data-user-id='${someone.UserId}']`);
    assert.match(await card.innerText(), /Available · 2 chats/);
  }
  assert.deepEqual(errors, []);
});

test("the Topic select names topics from the API, with counts and closed topics marked", async () => {
  const agents = await apiAgents(env.server.origin);
  await open();
  const select = widget().getByLabel("Topic");
  await widget().locator("option", { hasText: "Billing" }).waitFor({ state: "attached" });
  await widget().locator("option", { hasText: "Enterprise accounts" }).waitFor({ state: "attached" });
  const billing = agents.filter((a) => a.ChatTopics.includes(11));
  const label = `Billing (${billing.filter((a) => a.Present).length} of ${billing.length} available)`;
  assert.ok((await select.locator("option").allInnerTexts()).includes(label), label);
  // Opening states may arrive after the names.
  await select.locator("option[value='15']", { hasText: /– closed$/ }).waitFor({ state: "attached" });

  await select.selectOption("11");
  await page.waitForFunction(
    (n) => document.querySelector("[data-presence-widget]").shadowRoot.querySelectorAll("li[data-user-id]").length === n,
    billing.length,
  );
  const ids = await cards(page).evaluateAll((els) => els.map((e) => Number(e.dataset.userId)));
  assert.deepEqual(ids.sort(), billing.map((a) => a.UserId).sort());
  assert.equal(await summary(page), `Billing: ${billing.filter((a) => a.Present).length} of ${billing.length} agents available`);
});

test("search and the Available only switch work from the keyboard", async () => {
  await open();
  await cards(page).first().waitFor();
  await widget().getByPlaceholder("Search").focus();
  await page.keyboard.type("odegard");
  await page.waitForFunction(() =>
    document.querySelector("[data-presence-widget]").shadowRoot.querySelectorAll("li[data-user-id]").length === 1);
  assert.match(await cards(page).first().innerText(), /Åse Ødegård/);
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Space");
  await page.waitForFunction(() => {
    const root = document.querySelector("[data-presence-widget]").shadowRoot;
    const cards = [...root.querySelectorAll("li[data-user-id]")];
    return cards.length > 0 && cards.every((c) => c.dataset.present === "true");
  });
  assert.equal(await widget().getByRole("switch", { name: "Available only" }).isChecked(), true);
});

test("malformed rows are skipped and counted; hostile names stay text", async () => {
  await env.server.admin({ malformed: "bad-rows" });
  try {
    await open();
    await widget().locator("li[data-user-id='991']").waitFor();
    assert.equal(await widget().locator("li[data-user-id='991'] .name").innerText(), "<img src=x onerror=alert(1)>");
    assert.equal(await widget().locator("img").count(), 0);
    assert.equal(await widget().locator("li[data-user-id='990'] .name").innerText(), "User 990");
    assert.equal(await widget().locator(".skipped").innerText(), "3 entries could not be read");
  } finally {
    await env.server.admin({ malformed: "none" });
  }
});

for (const [kind, message] of [
  ["not-json", "The CRM sent an answer that could not be read."],
  ["truncated", "The CRM sent an answer that could not be read."],
  ["object", "The CRM sent an object instead of a list of agents. An error has occurred."],
  ["null", "The CRM sent null instead of a list of agents."],
  ["error-200", "The CRM sent an object instead of a list of agents. Chat is not licensed for this installation"],
]) {
  test(`a ${kind} body gives a clear message`, async () => {
    await env.server.admin({ malformed: kind });
    try {
      await open();
      const alert = widget().locator("[role=alert]");
      await alert.waitFor();
      assert.equal(await alert.locator(".notice-title").innerText(), message);
      assert.equal(await cards(page).count(), 0);
    } finally {
      await env.server.admin({ malformed: "none" });
    }
  });
}

test("a failing server gives a message with Retry, and Retry recovers", async () => {
  await env.server.admin({ failure_rate: 1 });
  try {
    await open();
    const alert = widget().locator("[role=alert]");
    await alert.waitFor();
    assert.match(await alert.innerText(), /The CRM answered with an error \(500\)\. The service is temporarily unavailable/);
  } finally {
    await env.server.admin({ failure_rate: 0 });
  }
  await widget().getByRole("button", { name: "Retry" }).click();
  await cards(page).first().waitFor();
  assert.equal(await widget().locator("[role=alert]").count(), 0);
});

test("a topic whose name cannot be fetched shows as Topic <id> and the widget carries on", async () => {
  await env.server.admin({ broken_topics: "12" });
  try {
    await open();
    await widget().locator("option", { hasText: "Billing" }).waitFor({ state: "attached" });
    await widget().locator("option", { hasText: "Topic 12" }).waitFor({ state: "attached" });
    assert.ok((await cards(page).count()) > 0);
  } finally {
    await env.server.admin({ broken_topics: "" });
  }
});

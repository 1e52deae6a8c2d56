// Drop-in embedding: hostile host CSS, a strict CSP, several instances, a narrow
// sidebar, a tenant path, foreign API origins, theming and languages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { useServerAndBrowser, hostPage, signInAndOpen, cards, summary, until, stays } from "./harness.mjs";

const env = useServerAndBrowser();

async function openPage(path, options, contextOptions = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 900 }, ...contextOptions });
  await hostPage(context, env.server.origin, path, options);
  const page = await context.newPage();
  const errors = await signInAndOpen(page, env.server.origin, path);
  return { context, page, errors };
}

const shadowQuery = (page, selector, fn) =>
  page.evaluate(
    ([selector, fn]) => {
      const root = document.querySelector("[data-presence-widget]").shadowRoot;
      return new Function("el", `return (${fn})(el)`)(root.querySelector(selector));
    },
    [selector, fn.toString()],
  );

test("host CSS does not reach the widget and the widget's CSS does not reach the host", async () => {
  const hostile = `<style>
    li { color: rgb(255, 0, 0) !important; font-size: 30px !important; list-style: square !important; }
    button { font-size: 30px; background: rgb(255, 0, 0); }
    * { box-sizing: content-box; letter-spacing: 3px; }
    body { color: rgb(0, 128, 0); font-family: serif; line-height: 3; }
  </style>`;
  const { context, page } = await openPage("/intranet/hostile.html", {
    head: hostile,
    body: `<ul><li class="agent"><span class="name">Host item</span></li></ul>
           <div data-presence-widget data-refresh-seconds="0"></div>`,
  });
  await cards(page).first().waitFor();
  const inside = await shadowQuery(page, "li[data-user-id] .name", (el) => {
    const s = getComputedStyle(el);
    return { color: s.color, fontSize: s.fontSize, letterSpacing: s.letterSpacing, font: s.fontFamily };
  });
  assert.notEqual(inside.color, "rgb(255, 0, 0)");
  assert.notEqual(inside.color, "rgb(0, 128, 0)");
  assert.equal(inside.fontSize, "14px");
  assert.equal(inside.letterSpacing, "normal");
  assert.doesNotMatch(inside.font, /^serif$/);
  const button = await shadowQuery(page, "button.refresh", (el) => getComputedStyle(el).fontSize);
  assert.notEqual(button, "30px");

  const outside = await page.evaluate(() => {
    const name = document.querySelector("body > ul .name");
    const item = document.querySelector("body > ul li");
    return {
      color: getComputedStyle(item).color,
      overflow: getComputedStyle(name).textOverflow,
      weight: getComputedStyle(name).fontWeight,
      border: getComputedStyle(item).borderBottomStyle,
      documentSheets: document.adoptedStyleSheets.length,
      styleElements: document.querySelectorAll("style").length,
    };
  });
  assert.equal(outside.color, "rgb(255, 0, 0)", "host rules still apply to the host");
  assert.equal(outside.overflow, "clip", "the widget's .name rule stays inside");
  assert.equal(outside.weight, "400");
  assert.equal(outside.border, "none");
  assert.equal(outside.documentSheets, 0);
  assert.equal(outside.styleElements, 1, "only the host's own <style>");
  await context.close();
});

test("a strict Content-Security-Policy causes no violation", async () => {
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'";
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  // Billing with nobody available: its notice and its bell show too.
  await env.server.admin({ uncover_topic: 11 });
  await hostPage(context, env.server.origin, "/intranet/csp.html", {
    headers: { "Content-Security-Policy": csp },
    body: `<div data-presence-widget data-refresh-seconds="0" data-topic="11"></div>`,
  });
  const page = await context.newPage();
  const errors = await signInAndOpen(page, env.server.origin, "/intranet/csp.html");
  await cards(page).first().waitFor();
  const widget = page.locator("[data-presence-widget]");
  for (const name of ["Available only", "Pinned"]) {
    await widget.getByRole("switch", { name }).check();
    await widget.getByRole("switch", { name }).uncheck();
  }
  // Pins, watches and their chips and notices, under the same policy.
  await widget.locator("li[data-user-id] .pin").first().click();
  await widget.locator(".uncovered").waitFor();
  await widget.locator(".topic-watch").click();
  await widget.locator(".watching-chip").waitFor();
  // A refresh with changes: cards move and glow (a Web Animation, allowed by the policy).
  await env.server.admin({ change_count: 5 });
  const before = (await env.server.stats()).requests.getall;
  await page.locator("[data-presence-widget]").getByRole("button", { name: "Refresh" }).click();
  await until(async () => (await env.server.stats()).requests.getall > before, "the refresh's request");
  // Its answer applied meanwhile (cards moving and glowing): nothing is refused.
  await stays(async () => (await page.evaluate(() => window.__violations.length)) === 0, 500, "no CSP violation");
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  // The page really is under that policy: an inline style is refused.
  await page.evaluate(() => {
    const s = document.createElement("style");
    s.textContent = "body{}";
    document.head.append(s);
  });
  await until(async () => (await page.evaluate(() => window.__violations.length)) > 0, "the policy is enforced");
  await context.close();
});

test("two instances with different topics share one GetAll per refresh", async () => {
  await env.server.admin({ reset_stats: true });
  const { context, page } = await openPage("/intranet/two.html", {
    body: `<div data-presence-widget data-refresh-seconds="0" data-topic="11"></div>
           <div data-presence-widget data-refresh-seconds="0" data-topic="12"></div>`,
  });
  await cards(page, 0).first().waitFor();
  await cards(page, 1).first().waitFor();
  assert.notEqual(await summary(page, 0), "");
  const first = await page.locator("[data-presence-widget]").nth(0).locator("select[name=topic]").inputValue();
  const second = await page.locator("[data-presence-widget]").nth(1).locator("select[name=topic]").inputValue();
  assert.deepEqual([first, second], ["11", "12"]);
  assert.equal((await env.server.stats()).requests.getall, 1);
  await page.locator("[data-presence-widget]").nth(0).getByRole("button", { name: "Refresh" }).click();
  await until(async () => (await env.server.stats()).requests.getall >= 2, "the refresh's request");
  await stays(async () => (await env.server.stats()).requests.getall === 2, 300, "one request for both instances");
  const stats = await env.server.stats();
  assert.equal(stats.requests.getall, 2, "one refresh, one request, for both instances");
  // Topic names are shared too: each id asked once for the page.
  assert.ok(stats.requests.topic <= 6, `topic requests: ${stats.requests.topic}`);
  await context.close();
});

for (const width of [280, 320]) {
  test(`a ${width} px sidebar never scrolls sideways`, async () => {
    const { context, page } = await openPage(
      `/intranet/sidebar-${width}.html`,
      { head: "<style>body{margin:0}</style>", body: `<div data-presence-widget data-refresh-seconds="0"></div>` },
      { viewport: { width, height: 800 } },
    );
    await cards(page).first().waitFor();
    const overflow = await page.evaluate(() => {
      const root = document.querySelector("[data-presence-widget]").shadowRoot;
      const wide = [...root.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5);
      return { page: document.documentElement.scrollWidth - innerWidth, wide: wide.map((el) => el.className) };
    });
    assert.equal(overflow.page, 0);
    assert.deepEqual(overflow.wide, []);
    await context.close();
  });
}

test("a page under a tenant path talks to that tenant's API", async () => {
  await env.server.admin({ reset_stats: true });
  const { context, page } = await openPage("/Cust12345/panel.html", {
    body: `<div data-presence-widget data-refresh-seconds="0"></div>`,
  });
  await cards(page).first().waitFor();
  const stats = await env.server.stats();
  assert.deepEqual(stats.getall_by_base, { "/Cust12345/api": 1 });
  await context.close();
});

test("a data-api-base on another origin is refused unless allowed, and gets no token", async () => {
  const context = await env.browser.newContext();
  const foreign = [];
  await context.route("https://crm.example.com/**", async (route) => {
    foreign.push(route.request());
    await route.fulfill({ status: 200, contentType: "application/json", body: "[]",
      headers: { "Access-Control-Allow-Origin": env.server.origin, "Access-Control-Allow-Credentials": "true",
        "Access-Control-Allow-Headers": "x-xsrf-token, accept, accept-language" } });
  });
  await hostPage(context, env.server.origin, "/intranet/foreign.html", {
    body: `<div data-presence-widget data-api-base="https://crm.example.com/api"></div>
           <div data-presence-widget data-api-base="https://crm.example.com/api" data-allowed-origins="https://crm.example.com"></div>`,
  });
  const page = await context.newPage();
  await signInAndOpen(page, env.server.origin, "/intranet/foreign.html");
  const refused = page.locator("[data-presence-widget]").nth(0).locator(".config");
  await refused.waitFor();
  assert.match(await refused.innerText(), /another origin \(https:\/\/crm\.example\.com\)/);
  await page.locator("[data-presence-widget]").nth(1).locator(".empty, [role=alert]").first().waitFor();
  // The allowed instance's feed: one GetAll, and who the user is, once.
  const urls = () => foreign.filter((r) => r.method() === "GET").map((r) => r.url()).sort();
  await until(() => urls().length >= 2, () => urls().join(", "));
  const gets = urls();
  assert.deepEqual(gets, [
    "https://crm.example.com/api/v1/Presence/GetAll",
    "https://crm.example.com/api/v1/User/currentPrincipal",
  ], "only the allowed instance asks the other origin");
  await context.close();
});

test("a page's own list of allowed origins: markup can only narrow it, never send the session elsewhere", async () => {
  const context = await env.browser.newContext();
  const foreign = [];
  for (const host of ["crm.example.com", "evil.example"]) {
    await context.route(`https://${host}/**`, async (route) => {
      foreign.push(route.request().url());
      await route.fulfill({ status: 200, contentType: "application/json", body: "[]",
        headers: { "Access-Control-Allow-Origin": env.server.origin, "Access-Control-Allow-Credentials": "true",
          "Access-Control-Allow-Headers": "x-xsrf-token, accept, accept-language" } });
    });
  }
  await hostPage(context, env.server.origin, "/intranet/listed.html", {
    head: `<meta name="presence-widget-allowed-origins" content="https://crm.example.com">`,
    // What a sanitizer lets through in user content (it keeps data-*), and a meta
    // in the body, which never counts.
    body: `<meta name="presence-widget-allowed-origins" content="https://evil.example">
           <div data-presence-widget data-api-base="https://evil.example/api" data-allowed-origins="https://evil.example"></div>
           <div data-presence-widget data-api-base="https://crm.example.com/api"></div>`,
  });
  const page = await context.newPage();
  await signInAndOpen(page, env.server.origin, "/intranet/listed.html");
  const refused = page.locator("[data-presence-widget]").nth(0).locator(".config");
  await refused.waitFor();
  assert.match(await refused.innerText(), /not in this page's <meta name="presence-widget-allowed-origins"> list/);
  // The other instance uses the page's list without naming it.
  await until(() => foreign.some((url) => url === "https://crm.example.com/api/v1/Presence/GetAll"), () => foreign.join(", "));
  await page.locator("[data-presence-widget]").nth(1).locator(".empty, [role=alert]").first().waitFor();
  assert.deepEqual(foreign.filter((url) => url.startsWith("https://evil.example")), [], "nothing to the unlisted origin");
  await context.close();
});

test("themes, custom properties and languages", async () => {
  const { context, page } = await openPage(
    "/intranet/theme.html",
    {
      lang: "de",
      head: `<link rel="stylesheet" href="data:text/css,">`,
      body: `<div data-presence-widget data-refresh-seconds="0" data-theme="dark"></div>
             <div data-presence-widget data-refresh-seconds="0" data-lang="sv" class="themed"></div>`,
    },
    { colorScheme: "light" },
  );
  await cards(page, 0).first().waitFor();
  await cards(page, 1).first().waitFor();
  const look = await page.evaluate(() => {
    const [dark, sv] = [...document.querySelectorAll("[data-presence-widget]")].map((h) => h.shadowRoot);
    const bg = (root) => getComputedStyle(root.querySelector(".pw-root")).backgroundColor;
    return { dark: bg(dark), light: bg(sv), de: dark.querySelector(".summary").textContent, sv: sv.querySelector(".summary").textContent };
  });
  assert.equal(look.dark, "rgb(20, 25, 34)");
  assert.equal(look.light, "rgb(255, 255, 255)");
  assert.match(look.de, /von \d+ Agenten verfügbar/);
  assert.match(look.sv, /av \d+ agenter tillgängliga/);
  await page.evaluate(() => document.querySelector(".themed").style.setProperty("--presence-font", "monospace"));
  const font = await page.evaluate(() => getComputedStyle(document.querySelector(".themed").shadowRoot.querySelector(".pw-root")).fontFamily);
  assert.equal(font, "monospace");
  await context.close();
});

test("a language's texts come as a checked file beside embed.js: one changed on the host, or one that never comes, leaves the widget in English with its data", async () => {
  // The wasm carries English only: the other languages' words are not in it.
  const dist = new URL("../../dist/", import.meta.url);
  const wasm = readdirSync(dist).find((f) => f.endsWith("_bg.wasm"));
  const bytes = readFileSync(new URL(wasm, dist));
  assert.ok(bytes.includes(Buffer.from("agents available")), "English is in the wasm");
  for (const word of ["Agenten verfügbar", "agenter tilgjengelige", "agenter tillgängliga"]) {
    assert.ok(!bytes.includes(Buffer.from(word)), `${word} is not in the wasm`);
  }
  const german = { lang: "de", body: `<div data-presence-widget data-refresh-seconds="0"></div>` };
  // Changed on the static host: refused by its hash.
  const changed = await env.browser.newContext({ viewport: { width: 1000, height: 900 } });
  await changed.route("**/lang-de-*.json", async (route) => {
    const response = await route.fetch();
    const texts = await response.json();
    await route.fulfill({ response, body: JSON.stringify(texts.map((t) => t.replace("verfügbar", "ABWESEND"))) });
  });
  const warnings = [];
  await hostPage(changed, env.server.origin, "/intranet/lang.html", german);
  const one = await changed.newPage();
  one.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await signInAndOpen(one, env.server.origin, "/intranet/lang.html");
  await cards(one).first().waitFor();
  assert.match(await summary(one), /of \d+ agents available/);
  assert.ok(!(await summary(one)).includes("ABWESEND"));
  assert.ok(warnings.some((w) => w.includes("did not load")), warnings.join("\n"));
  await changed.close();
  // Never answered: English after a few seconds, not a blank panel for ever.
  const hung = await env.browser.newContext({ viewport: { width: 1000, height: 900 } });
  await hung.route("**/lang-de-*.json", () => {});
  await hostPage(hung, env.server.origin, "/intranet/lang.html", german);
  const two = await hung.newPage();
  await signInAndOpen(two, env.server.origin, "/intranet/lang.html");
  await cards(two).first().waitFor({ timeout: 20000 });
  assert.match(await summary(two), /of \d+ agents available/);
  await hung.close();
});

test("a widget whose data-lang changes to a language not loaded yet keeps running with its data, then speaks it", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 900 } });
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  await context.route("**/lang-sv-*.json", async (route) => {
    await gate;
    await route.continue();
  });
  try {
    await hostPage(context, env.server.origin, "/intranet/relang.html", {
      body: `<div id="w" data-presence-widget data-refresh-seconds="0"></div>`,
    });
    const page = await context.newPage();
    await signInAndOpen(page, env.server.origin, "/intranet/relang.html");
    await cards(page).first().waitFor();
    const getalls = async () => (await env.server.stats()).requests.getall ?? 0;
    const before = await getalls();
    // The language and a topic change together: the topic at once, in English.
    const topic = await page.locator("#w").getByLabel("Topic").locator("option[value]:not([value=''])").first().getAttribute("value");
    await page.evaluate((topic) => {
      const w = document.getElementById("w");
      w.setAttribute("data-lang", "sv");
      w.setAttribute("data-topic", topic);
    }, topic);
    await until(async () => (await page.locator("#w").getByLabel("Topic").inputValue()) === topic, "the new topic at once");
    // While Swedish loads: the widget, its cards and its data, in English.
    await stays(async () => (await cards(page).count()) > 0 && /agents? available/.test(await summary(page)), 500,
      "the widget keeps running while its new language loads");
    release();
    await until(async () => /agenter? tillgängliga?/.test(await summary(page)), "Swedish");
    assert.ok(await cards(page).count() > 0);
    assert.equal(await page.evaluate(() => document.getElementById("w").shadowRoot.querySelectorAll(".pw-root").length), 1,
      "one widget");
    assert.equal(await page.locator("#w").getByLabel("Ämne").inputValue(), topic, "the topic kept");
    assert.equal(await getalls(), before, "the same feed: no request of its own");
  } finally {
    release();
    await context.close();
  }
});

test("mount elements added later are mounted by mountAll() from embed.js, once", async () => {
  const { context, page } = await openPage("/intranet/later.html", {
    body: `<div data-presence-widget data-refresh-seconds="0"></div>`,
  });
  await cards(page, 0).first().waitFor();
  await page.evaluate(async () => {
    const late = document.createElement("div");
    late.setAttribute("data-presence-widget", "");
    late.setAttribute("data-topic", "13");
    document.body.append(late);
    const { mountAll } = await import("/widget/embed.js");
    await mountAll();
    await mountAll();
  });
  await cards(page, 1).first().waitFor();
  const roots = await page.evaluate(() =>
    [...document.querySelectorAll("[data-presence-widget]")].map((h) => h.shadowRoot.querySelectorAll(".pw-root").length));
  assert.deepEqual(roots, [1, 1], "each element holds exactly one widget");
  await context.close();
});

test("a single-page host that changes the element's attributes is followed, its values winning", async () => {
  // As a framework re-renders <div data-presence-widget data-topic={t}>: same element.
  const { context, page, errors } = await openPage("/intranet/spa.html", {
    body: `<div id="w" data-presence-widget data-refresh-seconds="0" data-topic="11"></div>`,
  });
  const widget = page.locator("#w");
  const select = widget.getByLabel("Topic");
  await cards(page).first().waitFor();
  assert.equal(await select.inputValue(), "11");
  // The user picks another topic; the host then sets its own: the host wins.
  await select.selectOption("12");
  await page.evaluate(() => document.getElementById("w").setAttribute("data-topic", "13"));
  await widget.locator("select option:checked[value='13']").waitFor({ state: "attached" });
  // A new API base is a new feed: the next GetAll goes to the tenant path.
  await page.evaluate(() => document.getElementById("w").setAttribute("data-api-base", "/Cust777/api"));
  await until(async () => (await env.server.stats()).getall_by_base["/Cust777/api"] >= 1, "a GetAll to the new base");
  await cards(page).first().waitFor();
  // A value the widget refuses is shown as it would be at start.
  await page.evaluate(() => document.getElementById("w").setAttribute("data-refresh-seconds", "1"));
  await widget.locator(".config").waitFor();
  // Setting an attribute to the value it has changes nothing.
  await page.evaluate(() => document.getElementById("w").setAttribute("data-refresh-seconds", "0"));
  await cards(page).first().waitFor();
  const marked = await page.evaluate(() => {
    const root = document.getElementById("w").shadowRoot;
    root.querySelector(".pw-root").dataset.marked = "yes";
    document.getElementById("w").setAttribute("data-refresh-seconds", "0");
    // Observer callbacks run before the next task: one task later, any rebuild is done.
    return new Promise((resolve) => setTimeout(() => resolve(root.querySelector(".pw-root")?.dataset.marked), 0));
  });
  assert.equal(marked, "yes", "the widget was not rebuilt");
  assert.deepEqual(errors.filter((e) => !e.startsWith("Failed to load resource")), []);
  await context.close();
});

test("<presence-widget> inside a web component's shadow root mounts, follows its attributes, and stops when removed", async () => {
  // A component as Lit or Stencil renders one: the widget lives in its shadow root,
  // where no document observer can see it.
  const component = `<script>
    customElements.define("team-panel", class extends HTMLElement {
      connectedCallback() {
        this.attachShadow({ mode: "open" }).innerHTML = '<h2>Team</h2><presence-widget data-refresh-seconds="2" data-topic="11"></presence-widget>';
      }
    });
  </script>`;
  const { context, page, errors } = await openPage("/intranet/component.html", {
    head: component,
    body: `<team-panel></team-panel>`,
  });
  const widget = page.locator("team-panel presence-widget");
  await widget.locator("li[data-user-id]").first().waitFor();
  assert.equal(await widget.getByLabel("Topic").inputValue(), "11");
  await page.evaluate(() =>
    document.querySelector("team-panel").shadowRoot.querySelector("presence-widget").setAttribute("data-topic", "12"));
  await widget.locator("select option:checked[value='12']").waitFor({ state: "attached" });
  // Moved within its component (removed and put back in one task): it keeps running.
  const kept = await page.evaluate(() => {
    const root = document.querySelector("team-panel").shadowRoot;
    const element = root.querySelector("presence-widget");
    element.shadowRoot.querySelector(".pw-root").dataset.marked = "kept";
    root.append(element);
    // The widget hears of the move after the task: look one task later.
    return new Promise((resolve) =>
      setTimeout(() => setTimeout(() => resolve(element.shadowRoot.querySelector(".pw-root")?.dataset.marked))));
  });
  assert.equal(kept, "kept", "a moved widget is not rebuilt");
  // Removed with its component: the widget lets go of everything, polling included.
  await page.evaluate(() => document.querySelector("team-panel").remove());
  const stopped = async () => {
    const before = (await env.server.stats()).requests.getall ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // a span in which nothing may happen
    return ((await env.server.stats()).requests.getall ?? 0) - before;
  };
  assert.equal(await stopped(), 0, "a GetAll after the component was removed");
  assert.deepEqual(errors.filter((e) => !e.startsWith("Failed to load resource")), []);
  await context.close();
});

test("under Trusted Types (require-trusted-types-for 'script') the widget renders with no innerHTML at all", async () => {
  const csp = "require-trusted-types-for 'script'; trusted-types 'none'";
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.sample}`));
  });
  await env.server.admin({ uncover_topic: 11 });
  await hostPage(context, env.server.origin, "/intranet/trusted-types.html", {
    headers: { "Content-Security-Policy": csp },
    body: `<div data-presence-widget data-refresh-seconds="0"></div>
           <presence-widget data-refresh-seconds="0" data-topic="11" data-theme="dark"></presence-widget>`,
  });
  const page = await context.newPage();
  const errors = await signInAndOpen(page, env.server.origin, "/intranet/trusted-types.html");
  await cards(page).first().waitFor();
  await page.locator("presence-widget li[data-user-id]").first().waitFor();
  const widget = page.locator("[data-presence-widget]");
  // Every part of the view: switches, a pin, a watch and its chip, an empty state,
  // a failure, and back.
  await widget.getByRole("switch", { name: "Available only" }).check();
  await widget.locator("li[data-user-id] .pin").first().click();
  await widget.getByRole("switch", { name: "Pinned" }).check();
  await widget.getByPlaceholder("Search").fill("zzzz-nobody");
  await widget.locator(".empty").waitFor();
  await widget.getByPlaceholder("Search").fill("");
  await env.server.admin({ failure_rate: 1 });
  await widget.getByRole("button", { name: "Refresh" }).click();
  await widget.locator(".stale").waitFor();
  await env.server.admin({ failure_rate: 0 });
  await widget.getByRole("button", { name: "Refresh" }).click();
  await widget.locator(".stale").waitFor({ state: "detached" });
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors.filter((e) => !e.startsWith("Failed to load resource")), []);
  await context.close();
});

test("under forced colours (Windows high contrast) every switch's on and off, Available and Away, pins, watches and chips still look different", async () => {
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 }, forcedColors: "active" });
  await hostPage(context, env.server.origin, "/intranet/forced.html", {
    body: `<div data-presence-widget data-refresh-seconds="0"></div>`,
  });
  const page = await context.newPage();
  await signInAndOpen(page, env.server.origin, "/intranet/forced.html");
  await cards(page).first().waitFor();
  assert.ok(await page.evaluate(() => matchMedia("(forced-colors: active)").matches), "forced colours emulated");
  const widget = page.locator("[data-presence-widget]");
  for (const name of ["Available only", "Pinned", "Show me first", "I'm available for chat"]) {
    const control = widget.getByRole("switch", { name });
    const track = widget.locator(".switch", { has: page.getByRole("switch", { name }) }).locator(".track");
    await track.waitFor();
    const before = await control.isChecked();
    const first = await track.screenshot();
    await control.click();
    await until(async () => (await control.isChecked()) !== before, `${name} switched`);
    await page.mouse.move(0, 0);
    const second = await track.screenshot();
    assert.ok(!first.equals(second), `${name}: on and off look different`);
    await control.click();
    await until(async () => (await control.isChecked()) === before, `${name} back`);
  }
  // The presence badges of an available and an away agent: a filled disc and a
  // ring, in system colours (the drawing, not the avatar under it).
  const badge = (present) =>
    widget.locator(`li[data-present='${present}'] .badge`).first().evaluate((el) => {
      const s = getComputedStyle(el);
      return { fill: s.backgroundColor, ring: s.boxShadow, adjust: s.forcedColorAdjust };
    });
  const [available, away] = [await badge(true), await badge(false)];
  assert.equal(available.adjust, "none", "the badge paints itself");
  assert.notEqual(available.fill, away.fill, "filled, or not");
  assert.notEqual(away.ring, "none", "away is a ring");
  // A pinned star differs from an unpinned one, both under the pointer (the card
  // found by its id: a pinned card moves up).
  const id = await cards(page).nth(1).getAttribute("data-user-id");
  const card = widget.locator(`li[data-user-id='${id}']`);
  await card.hover();
  const star = card.locator(".pin");
  const unpinned = await star.screenshot();
  await star.click();
  await card.hover();
  assert.ok(!unpinned.equals(await star.screenshot()), "a pin shows");
  // A watch's bell on an away agent, on and off.
  const awayId = await widget.locator("li[data-present='false']").first().getAttribute("data-user-id");
  const awayCard = widget.locator(`li[data-user-id='${awayId}']`);
  await awayCard.hover();
  const bell = awayCard.locator(".watch");
  const unwatched = await bell.screenshot();
  await bell.click();
  await until(async () => (await bell.getAttribute("aria-pressed")) === "true", "watching");
  await awayCard.hover();
  assert.ok(!unwatched.equals(await bell.screenshot()), "a watch shows");
  // The topic chips on screen keep an outline in a system colour (the text alone
  // would not show where a chip ends): CanvasText, or GrayText for a closed topic
  // and for "+N".
  const chips = await page.evaluate(() => {
    const root = document.querySelector("[data-presence-widget]").shadowRoot;
    const system = (name) => {
      const probe = document.createElement("span");
      probe.style.color = name;
      document.body.append(probe);
      const color = getComputedStyle(probe).color;
      probe.remove();
      return color;
    };
    const [text, gray] = [system("CanvasText"), system("GrayText")];
    return [...root.querySelectorAll("li[data-user-id] .topics .chip")]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => {
        const s = getComputedStyle(el);
        const expected = el.matches(".closed, .more") ? gray : text;
        return { style: s.borderTopStyle, width: s.borderTopWidth, ok: s.borderTopColor === expected };
      });
  });
  assert.ok(chips.length > 0, "chips on screen");
  for (const chip of chips) {
    assert.notEqual(chip.style, "none", "a chip has an outline");
    assert.notEqual(chip.width, "0px");
    assert.ok(chip.ok, "in a system colour");
  }
  await context.close();
});

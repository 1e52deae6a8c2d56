// Deployment routes: the CRM-like page with its side panel, the CRMScript-like panel
// page on the tenant's origin, the widget's files from a second origin (a static
// host with CORS, once with the wasm as application/octet-stream), the panel page's
// strict CSP, and a panel that reloads often (topic names from session storage, no
// card rebuilt when names arrive).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { useServerAndBrowser, signInAndOpen, hostPage, until, stays, launchBrowser } from "./harness.mjs";

const env = useServerAndBrowser([], { files: true });
const ROOT = new URL("../../", import.meta.url).pathname;
const VERSION = readFileSync(`${ROOT}Cargo.toml`, "utf8").match(/^version = "([^"]+)"$/m)[1];
const TENANT = "/Cust12345";
const PANEL = `${TENANT}/CS/scripts/customer.fcgi?action=safeParse&includeId=presence-panel&key=dev-panel-key&lang=en`;
const FALLBACK = /^Topic \d+$/;

/** A fresh browser context that records every request, CSP violation and warning. */
async function newPage(viewport = { width: 1100, height: 720 }) {
  const context = await env.browser.newContext({ viewport });
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const page = await context.newPage();
  const requests = [];
  page.on("request", (request) => requests.push(request));
  const warnings = [];
  page.on("console", (message) => {
    if (message.type() === "warning") warnings.push(message.text());
  });
  return { context, page, requests, warnings };
}

/** The cards' locator and a function reading chip texts, in a frame or page. */
const cardsIn = (root) => root.locator("[data-presence-widget]").locator("li[data-user-id]");
const chipTexts = (root) =>
  root.locator("[data-presence-widget]").locator("li[data-user-id] .chip-text").allInnerTexts();

/** Waits for the first card and reads the chips in that same frame. */
async function chipsWithFirstCards(target) {
  const handle = await target.waitForFunction(
    () => {
      const root = document.querySelector("[data-presence-widget]")?.shadowRoot;
      const cards = root ? root.querySelectorAll("li[data-user-id]") : [];
      if (cards.length === 0) return null;
      return [...root.querySelectorAll("li[data-user-id] .chip-text")].map((c) => c.textContent);
    },
    null,
    { polling: "raf", timeout: 15_000 },
  );
  return handle.jsonValue();
}

async function namesResolved(root) {
  await assert.doesNotReject(async () => {
    for (let i = 0; i < 150; i++) {
      const texts = await chipTexts(root);
      if (texts.length > 0 && !texts.some((t) => FALLBACK.test(t))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`topic names did not arrive: ${(await chipTexts(root)).join(", ")}`);
  });
}

test("the CRM-like page's side panel runs the widget from the files origin with the tenant's session", async () => {
  const { origin, files } = env.server;
  await env.server.admin({ reset_stats: true, widget_base: `${files}/widget/`, topic_latency_ms: 0 });
  const { context, page, requests, warnings } = await newPage();
  const errors = await signInAndOpen(page, origin, `${TENANT}/default.aspx?lang=en`);
  const panel = page.frameLocator("iframe[name='presence']");
  await cardsIn(panel).first().waitFor();
  assert.equal(await cardsIn(panel).count(), 25);
  await namesResolved(panel);

  // The panel page is the CRMScript-like page, on the tenant's origin.
  const frame = page.frame({ name: "presence" });
  assert.equal(new URL(frame.url()).origin, origin);
  assert.equal(new URL(frame.url()).pathname, `${TENANT}/CS/scripts/customer.fcgi`);

  // Cards came from the tenant API, with the session and the token.
  const stats = await env.server.stats();
  assert.ok(stats.getall_by_base[`${TENANT}/api`] >= 1, JSON.stringify(stats.getall_by_base));
  assert.equal(stats.last.xsrf_matched, true);
  assert.equal(stats.unauthorized, 0);

  // The files origin saw the three files, anonymously, and nothing else.
  const fromFiles = requests.filter((r) => r.url().startsWith(`${files}/`));
  const paths = fromFiles.map((r) => new URL(r.url()).pathname).sort();
  assert.equal(paths.length, 3, paths.join(", "));
  assert.ok(paths.includes("/widget/embed.js"), paths.join(", "));
  assert.ok(paths.some((p) => /^\/widget\/presence-widget-[0-9a-f]+\.js$/.test(p)), paths.join(", "));
  assert.ok(paths.some((p) => /^\/widget\/presence-widget-[0-9a-f]+_bg\.wasm$/.test(p)), paths.join(", "));
  for (const request of fromFiles) {
    assert.equal(request.method(), "GET");
    const headers = await request.allHeaders();
    assert.equal(headers.cookie, undefined, `no cookie to ${request.url()}`);
    assert.equal(headers["x-xsrf-token"], undefined);
  }
  // Nothing went anywhere but the two origins.
  for (const request of requests) {
    assert.ok([origin, files].includes(new URL(request.url()).origin), request.url());
  }

  // Which build runs: on the root element, and exported by embed.js.
  const root = panel.locator("[data-presence-widget] section.panel");
  assert.equal(await root.getAttribute("data-version"), VERSION);
  assert.equal(await frame.evaluate((url) => import(url).then((m) => m.version), `${files}/widget/embed.js`), VERSION);

  assert.deepEqual(await frame.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
  await context.close();
});

test("wasm served as application/octet-stream starts without warnings or errors", async () => {
  const { origin, files } = env.server;
  await env.server.admin({ widget_base: `${files}/store/` });
  const { context, page, warnings } = await newPage({ width: 320, height: 600 });
  const wasm = page.waitForResponse((r) => r.url().endsWith("_bg.wasm"));
  const errors = await signInAndOpen(page, origin, PANEL);
  assert.equal((await wasm).headers()["content-type"], "application/octet-stream");
  assert.match((await wasm).url(), /\/store\//);
  await cardsIn(page).first().waitFor();
  assert.equal(await cardsIn(page).count(), 25);
  assert.deepEqual(errors, []);
  await env.server.admin({ widget_base: `${files}/widget/` });
  assert.deepEqual(warnings, [], "no instantiateStreaming warning");
  await context.close();
});

test("the panel page's CSP names only the files' folder and its own origin, and nothing is refused", async () => {
  const { origin, files } = env.server;
  await env.server.admin({ widget_base: `${files}/widget/` });
  const { context, page } = await newPage({ width: 320, height: 600 });
  const errors = await signInAndOpen(page, origin, PANEL);
  await cardsIn(page).first().waitFor();
  await namesResolved(page);
  const csp = await page.locator("meta[http-equiv='Content-Security-Policy']").getAttribute("content");
  const directives = Object.fromEntries(
    csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]),
  );
  assert.deepEqual(directives["default-src"], ["'none'"]);
  assert.deepEqual(directives["script-src"], [`${files}/widget/`, "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives["connect-src"], ["'self'", `${files}/widget/`]);
  assert.equal(directives["style-src"].length, 1);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a CSP without 'wasm-unsafe-eval' is refused and recorded (the violation check can fail)", async () => {
  const { origin } = env.server;
  const { context, page } = await newPage({ width: 320, height: 600 });
  await hostPage(context, origin, "/intranet/no-wasm.html", {
    body: "<div data-presence-widget></div>",
    headers: { "Content-Security-Policy": "default-src 'self'; script-src 'self'" },
  });
  await signInAndOpen(page, origin, "/intranet/no-wasm.html");
  await page.waitForFunction(() => window.__violations.length > 0, null, { timeout: 10_000 });
  assert.match((await page.evaluate(() => window.__violations)).join(" "), /script-src/);
  assert.equal(await cardsIn(page).count(), 0);
  await context.close();
});

test("a wrong key gets the CRM's error page and loads nothing", async () => {
  const { origin, files } = env.server;
  const { context, page, requests } = await newPage({ width: 320, height: 600 });
  await signInAndOpen(page, origin, PANEL.replace("dev-panel-key", "guess"));
  const response = await page.reload();
  assert.equal(response.status(), 403);
  assert.ok(!requests.some((r) => r.url().startsWith(files)), "no file was loaded");
  await context.close();
});

test("a reloaded panel shows topic names with its first cards, and asks again only when they are due", async () => {
  const { origin } = env.server;
  await env.server.admin({ topic_latency_ms: 0 });
  const { context, page } = await newPage({ width: 320, height: 600 });
  await signInAndOpen(page, origin, PANEL);
  await cardsIn(page).first().waitFor();
  await namesResolved(page);

  // Names now take 3 s to come from the server: a reload shows them at once anyway.
  await env.server.admin({ topic_latency_ms: 3000, reset_stats: true });
  await page.reload();
  const first = await chipsWithFirstCards(page);
  assert.ok(first.length > 0);
  assert.deepEqual(first.filter((t) => FALLBACK.test(t)), [], "every name was there with the first cards");
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual((await env.server.stats()).topic_requests, {}, "fresh entries are not asked again");

  // Entries six minutes old still show at once, and are asked again in the background.
  await page.evaluate(() => {
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      if (!key.startsWith("superoffice.presence-widget.topics ")) continue;
      const saved = JSON.parse(sessionStorage.getItem(key));
      saved.at = Date.now() - 6 * 60_000;
      saved.checked = saved.checked.map(() => saved.at);
      sessionStorage.setItem(key, JSON.stringify(saved));
    }
  });
  await page.reload();
  const again = await chipsWithFirstCards(page);
  assert.deepEqual(again.filter((t) => FALLBACK.test(t)), []);
  for (let i = 0; i < 100 && Object.keys((await env.server.stats()).topic_requests).length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(Object.keys((await env.server.stats()).topic_requests).length > 0, "stale entries are refreshed");
  await env.server.admin({ topic_latency_ms: 0 });
  await context.close();
});

test("whatever a page script leaves in session storage, the panel starts and resolves names", async () => {
  const { origin } = env.server;
  const { context, page } = await newPage({ width: 320, height: 600 });
  const errors = await signInAndOpen(page, origin, PANEL);
  await cardsIn(page).first().waitFor();
  await namesResolved(page);
  const key = await page.evaluate(() => {
    for (let i = 0; i < sessionStorage.length; i++) {
      const k = sessionStorage.key(i);
      if (k.startsWith("superoffice.presence-widget.topics ")) return k;
    }
    return null;
  });
  assert.ok(key, "the panel saved its topics");
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const hostile = [
    deep,
    `{"at":${Date.now()},"topics":[${"[".repeat(50_000)}${"]".repeat(50_000)}]}`,
    JSON.stringify({ at: Date.now(), topics: [[11, "x".repeat(100_000), true], [12, 5, "yes"]] }),
    JSON.stringify({ at: Date.now() + 86_400_000, topics: [[11, "From the future", true]] }),
    JSON.stringify({ at: Date.now(), topics: Array.from({ length: 501 }, (_, i) => [i, "Too many", true]) }),
    JSON.stringify({ at: "now", topics: {} }),
    "x".repeat(1_000_000),
    "not json",
  ];
  for (const value of hostile) {
    await page.evaluate(([k, v]) => sessionStorage.setItem(k, v), [key, value]);
    await page.reload();
    await cardsIn(page).first().waitFor();
    await namesResolved(page);
    const texts = await chipTexts(page);
    assert.ok(!texts.some((t) => /From the future|Too many|xxxx/.test(t)), texts.join(", "));
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("no card element is replaced when topic names arrive", async () => {
  const { origin } = env.server;
  await env.server.admin({ topic_latency_ms: 1500 });
  const { context, page } = await newPage({ width: 320, height: 600 });
  await signInAndOpen(page, origin, PANEL);
  const first = await chipsWithFirstCards(page);
  assert.ok(first.some((t) => FALLBACK.test(t)), "the names were not there yet");
  // Who the user is arrives about when the first cards do, and makes their one card
  // anew (it is part of the card's key): that is not what this test is about.
  await page.locator("[data-presence-widget] li.is-you").waitFor();
  const marked = await cardsIn(page).evaluateAll((els) => {
    els.forEach((el) => (el.__before_names = true));
    return els.length;
  });
  await namesResolved(page);
  const kept = await cardsIn(page).evaluateAll((els) => els.filter((el) => el.__before_names).length);
  assert.equal(kept, marked);
  assert.equal(await cardsIn(page).count(), marked);
  await env.server.admin({ topic_latency_ms: 0 });
  await context.close();
});

test("a failed first load says when it retries, as a sentence of its own", async () => {
  const { origin } = env.server;
  await env.server.admin({ failure_rate: 1 });
  const { context, page } = await newPage({ width: 320, height: 600 });
  await signInAndOpen(page, origin, PANEL);
  const updated = page.locator("[data-presence-widget] .updated");
  await updated.filter({ hasText: /\S/ }).waitFor();
  assert.match(await updated.innerText(), /^Retrying in \d+ s$/);
  await env.server.admin({ failure_rate: 0 });
  await context.close();
});

test("an answer the server lets caches keep is never read from the HTTP cache", async () => {
  // A page the server serves itself: Playwright's routing would turn the cache off.
  await env.server.admin({ cache_control: "private, max-age=300" });
  try {
    const { context, page } = await newPage({ width: 320, height: 600 });
    await signInAndOpen(page, env.server.origin, PANEL);
    await cardsIn(page).first().waitFor();
    const reached = async () => (await env.server.stats()).getall_by_base[`${TENANT}/api`] ?? 0;
    for (let i = 0; i < 2; i++) {
      const before = await reached();
      await page.locator("[data-presence-widget]").getByRole("button", { name: "Refresh" }).click();
      // Waits for the condition (polled): each Refresh reaches the CRM.
      await until(async () => (await reached()) > before, "Refresh was answered from the HTTP cache");
    }
    await context.close();
  } finally {
    await env.server.admin({ cache_control: "" });
  }
});

/** An older browser (Safari before 17, Firefox before 115): a modulepreload link is an unknown kind of link to it. */
async function withoutModulepreload(context) {
  await context.addInitScript(() => {
    const rel = Object.getOwnPropertyDescriptor(HTMLLinkElement.prototype, "rel");
    Object.defineProperty(HTMLLinkElement.prototype, "rel", {
      get: rel.get,
      set(value) { rel.set.call(this, value === "modulepreload" ? "x-unknown" : value); },
    });
    const supports = DOMTokenList.prototype.supports;
    DOMTokenList.prototype.supports = function (token) {
      return token === "modulepreload" ? false : supports.call(this, token);
    };
  });
}

const GLUE = /presence-widget-[0-9a-f]+\.js$/;
for (const [what, pattern, withoutPreload] of [
  ["wasm", /_bg\.wasm$/],
  ["glue", GLUE],
  ["glue, in a browser without modulepreload,", GLUE, true],
  ["embed.js", /\/embed\.js$/],
]) {
  test(`a ${what} changed on the static host is refused, with a clear console message, and nothing runs`, async () => {
    const { context, page } = await newPage({ width: 320, height: 600 });
    if (withoutPreload) await withoutModulepreload(context);
    // The files origin serves a file that is not this release's (one byte more).
    await context.route((url) => pattern.test(url.pathname), async (route) => {
      const response = await route.fetch();
      const body = Buffer.concat([await response.body(), Buffer.from(what === "wasm" ? [0] : "\n//")]);
      await route.fulfill({ response, body });
    });
    const messages = [];
    page.on("console", (message) => messages.push(message.text()));
    const reached = async () => (await env.server.stats()).getall_by_base[`${TENANT}/api`] ?? 0;
    const before = await reached();
    await signInAndOpen(page, env.server.origin, PANEL);
    // Waits for the condition: the loader says why it stopped (for embed.js itself,
    // which the panel page names with its hash, the browser says it).
    const why = what === "embed.js" ? /integrity/ : /could not start.*integrity/s;
    await until(() => messages.some((m) => why.test(m)), () => messages.join("\n"));
    assert.equal(await cardsIn(page).count(), 0, "no widget");
    assert.equal(await reached(), before, "no request with the user's session");
    await context.close();
  });
}

test("in a browser without modulepreload, a static host that answers a second request for the glue with other code runs none of it", async () => {
  // An intranet page that allows blob: scripts runs the checked bytes; the panel
  // page's strict policy does not, and the widget refuses to start there.
  for (const [where, starts] of [["/intranet/old-browser.html", true], [PANEL, false]]) {
    const { context, page } = await newPage({ width: 320, height: 600 });
    await withoutModulepreload(context);
    // The first request for the glue gets the release's; any later one gets code of
    // the host's own, which would mark the page.
    let served = 0;
    await context.route((url) => GLUE.test(url.pathname), async (route) => {
      served += 1;
      if (served === 1) return route.continue();
      await route.fulfill({ status: 200, contentType: "text/javascript",
        body: "globalThis.__hostCode = true; export default async () => ({}); export function mountAll() {}" });
    });
    const messages = [];
    page.on("console", (message) => messages.push(message.text()));
    if (starts) {
      await hostPage(context, env.server.origin, where, { body: `<div data-presence-widget data-refresh-seconds="0"></div>` });
    }
    await signInAndOpen(page, env.server.origin, where);
    if (starts) {
      await cardsIn(page).first().waitFor();
    } else {
      await until(() => messages.some((m) => /could not start.*blob:/s.test(m)), () => messages.join("\n"));
      assert.equal(await cardsIn(page).count(), 0, "nothing unchecked runs: no widget");
    }
    assert.equal(served, 1, `${where}: the glue is fetched once, checked, and only those bytes may run`);
    assert.equal(await page.evaluate(() => globalThis.__hostCode ?? false), false, "no code of the host's ran");
    await context.close();
  }
});

test("the on-site panel page, served with its web.config's headers, is framed by its own origin only", async () => {
  const { origin, files } = env.server;
  const config = readFileSync(`${ROOT}deploy/onsite/web.config`, "utf8");
  const panelLocation = config.match(/<location path="presence-panel\.html">([\s\S]*?)<\/location>/)[1];
  const headers = Object.fromEntries(
    [...panelLocation.matchAll(/<add name="([^"]+)" value="([^"]+)" \/>/g)].map((m) => [m[1], m[2]]),
  );
  assert.match(headers["Content-Security-Policy"] ?? "", /frame-ancestors 'self'/);
  const panel = `${origin}/SuperOffice/presence-widget/presence-panel.html`;
  const { context, page } = await newPage({ width: 800, height: 600 });
  await context.route(panel, (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/html; charset=utf-8",
      headers,
      body: readFileSync(`${ROOT}deploy/onsite/presence-panel.html`, "utf8"),
    }),
  );
  const framer = (at) =>
    context.route(`${at}/framer.html`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: `<iframe src="${panel}"></iframe>` }),
    );
  await framer(origin);
  await framer(files);
  // Its own origin (the CRM's web client): the panel page loads in the frame.
  await page.goto(`${origin}/framer.html`);
  const own = page.frameLocator("iframe");
  await own.locator("[data-presence-widget]").waitFor({ state: "attached" });
  // Another site: the browser refuses to show it there.
  await page.goto(`${files}/framer.html`);
  await until(() => /^chrome-error:/.test(page.frames()[1]?.url() ?? ""), () => page.frames().map((f) => f.url()).join(", "));
  assert.match(page.frames()[1].url(), /^chrome-error:/, "blocked by frame-ancestors");
  await context.close();
});

test("a sandboxed frame without same-origin access is told to the administrator, in the page's language, and nothing is requested", async () => {
  const { origin, files } = env.server;
  // An opaque origin on this machine's loopback address: Chromium's local-network
  // checks would refuse its requests before the widget could speak (a portal on
  // the internet is not on the local network).
  const browser = await launchBrowser(["--disable-features=LocalNetworkAccessChecks"]);
  try {
    for (const [lang, words] of [["en", /sandboxed frame without same-origin access/], ["de", /Sandbox-Frame/]]) {
      const context = await browser.newContext({ viewport: { width: 400, height: 600 } });
      // The files origin sends CORS headers, which a module script from an opaque
      // origin needs.
      await context.route(`${origin}/intranet/sandboxed-${lang}.html`, (route) =>
        route.fulfill({ status: 200, contentType: "text/html; charset=utf-8",
          body: `<!doctype html><html lang="${lang}"><head><script type="module" src="${files}/widget/embed.js"></script></head>
<body><div data-presence-widget data-refresh-seconds="5"></div></body></html>` }),
      );
      await hostPage(context, origin, `/intranet/portal-${lang}.html`, {
        body: `<iframe sandbox="allow-scripts" src="/intranet/sandboxed-${lang}.html" style="width:320px;height:400px"></iframe>`,
      });
      await env.server.admin({ reset_stats: true });
      const page = await context.newPage();
      await signInAndOpen(page, origin, `/intranet/portal-${lang}.html`);
      const frame = page.frameLocator("iframe");
      const alert = frame.locator("[data-presence-widget]").getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.textContent(), words);
      assert.match(await alert.textContent(), /allow-same-origin/);
      assert.equal(await frame.locator(".skeleton").count(), 0, "no endless loading rows");
      assert.equal(await frame.locator("select").count(), 0, "no controls that cannot work");
      // It stops there: no request to the CRM, now or later.
      const requests = async () => Object.values((await env.server.stats()).requests).reduce((a, b) => a + b, 0);
      await stays(async () => (await requests()) === 0, 1500, "no request from the sandboxed frame");
      await context.close();
    }
  } finally {
    await browser.close();
  }
});

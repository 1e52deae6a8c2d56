// The benchmark: the release widget and a hand-written vanilla-JS floor, side by side
// in Debian's headless Chromium, against the development server with generated
// presence data. Prints a table (median, min, max of the runs, and each widget figure
// as a ratio to the floor) and checks the budgets; exits 1 naming any that failed.
//
//   node bench/run.mjs            full run: 1,000 / 5,000 / 10,000 agents, 5 runs each
//   node bench/run.mjs --smoke    1,000 agents, one run, 20 refreshes, no budget verdicts
//   --runs N, --sizes 1000,5000   override
//
// Needs dist/ (trunk build --release) and the devserver binary: scripts/bench.sh builds both.
import { mkdtempSync, writeFileSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { startServer, launchBrowser, apiAgents } from "../tests/e2e/harness.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const smoke = flag("--smoke");
const runs = Number(option("--runs", smoke ? 1 : 5));
const sizes = option("--sizes", smoke ? "1000" : "1000,5000,10000").split(",").map(Number);
const memoryRefreshes = Number(option("--refreshes", smoke ? 20 : 500));
// Warm-up before the first memory reading: long enough for the widget's bounded
// cache of 200 detached cards to fill (with --features alloc-stats its live heap
// levels off by about the 300th refresh), so growth after it means a leak.
const warmup = Number(option("--warmup", smoke ? 20 : 300));
// The slow processor: Chromium's CPU slowed this many times, with this many agents;
// each interaction timed from input to the next paint.
const slowRate = Number(option("--slow-rate", 4));
const slowAgents = Number(option("--slow-agents", smoke ? 0 : 2000));
// A build of the widget with Leptos' <For> in place of KeyedList (scripts/bench.sh
// makes it): measured against the widget to show why the list is not <For>.
const forList = option("--for-list", null);

// ---- pages: the widget and the floor, served by the development server -----------
const PAGE = 200; // cards the widget (and the floor) render before "Show more"
const pages = mkdtempSync(join(tmpdir(), "presence-bench-"));
const css = readFileSync(`${ROOT}style/widget.css`, "utf8");
writeFileSync(join(pages, "vanilla.js"),
  readFileSync(`${ROOT}bench/floor/vanilla.js`, "utf8").replace("const CSS = __CSS__;", () => `const CSS = ${JSON.stringify(css)};`));
const page = (script) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="${script}"></script></head>
<body><div data-presence-widget data-refresh-seconds="0" style="width:900px"></div></body></html>`;
writeFileSync(join(pages, "widget.html"), page("/widget/embed.js"));
writeFileSync(join(pages, "floor.html"), page("/bench/vanilla.js"));
writeFileSync(join(pages, "widget-for.html"), page("/widget-for/embed.js"));

// The release build of the development server serves 10,000 agents faster; the smoke
// run (part of the test command) makes do with the debug build the tests use.
const server = await startServer(["--serve", `/bench=${pages}`, ...(forList ? ["--serve", `/widget-for=${forList}`] : [])], {
  bin: `${ROOT}target/${smoke ? "debug" : "release"}/devserver`,
});
const browser = await launchBrowser();

// ---- in-page probes ------------------------------------------------------------------
// Watch every shadow root the page creates; record when the list first has cards and
// when it first has `expected` cards, each after a forced layout.
const INIT = () => {
  window.__probe = { first: null, all: null, expected: Infinity, mutations: 0 };
  const original = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = original.call(this, init);
    window.__root = root;
    new MutationObserver(() => {
      const p = window.__probe;
      // Known before the page starts (an init script), so a page that renders every
      // card before navigation ends is still measured.
      p.expected = Math.min(p.expected, window.__expectedCards ?? Infinity);
      const count = root.querySelectorAll("li[data-user-id]").length;
      if (count > 0 && p.first === null) {
        root.querySelector("li[data-user-id]").getBoundingClientRect();
        p.first = performance.now();
      }
      if (count >= p.expected && p.all === null) {
        root.lastElementChild.getBoundingClientRect();
        p.all = performance.now();
      }
    }).observe(root, { subtree: true, childList: true });
    return root;
  };
};

/** Runs `act` in the page and resolves when `done` holds, with the elapsed ms and list mutations. */
async function interact(pg, act, done, { paint = false } = {}) {
  return pg.evaluate(async ([act, done, paint]) => {
    const root = window.__root;
    const run = (src) => new Function("root", `return (${src})(root)`)(root);
    let mutations = 0;
    const list = root.querySelector("ul.agents");
    const observer = new MutationObserver((records) => { mutations += records.length; });
    observer.observe(list, { subtree: true, childList: true, characterData: true, attributes: true });
    const channel = new MessageChannel();
    const tick = () => new Promise((r) => { channel.port1.onmessage = r; channel.port2.postMessage(0); });
    const start = performance.now();
    await run(act);
    for (;;) {
      for (let i = 0; i < 3; i++) await null;
      if (run(done)) break;
      if (performance.now() - start > 30000) throw new Error("interaction did not finish");
      await tick();
    }
    root.querySelector(".panel").getBoundingClientRect();
    // Input → next paint: the frame that shows the change, then a task after it.
    if (paint) await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const elapsed = performance.now() - start;
    await tick();
    observer.takeRecords().forEach(() => mutations++);
    observer.disconnect();
    return { elapsed, mutations };
  }, [act.toString(), done.toString(), paint]);
}

const count = (root) => root.querySelectorAll("li[data-user-id]").length;

async function heap(pg, client) {
  // Resource timing entries pile up with every request, in the widget and the floor alike.
  await pg.evaluate(() => performance.clearResourceTimings());
  await client.send("HeapProfiler.collectGarbage");
  await client.send("HeapProfiler.collectGarbage");
  const { usedSize } = await client.send("Runtime.getHeapUsage");
  const wasm = await pg.evaluate(async () => {
    const started = await globalThis[Symbol.for("superoffice.presence-widget")];
    return started?.exports?.memory?.buffer?.byteLength ?? null;
  });
  return { js: usedSize, wasm };
}

async function measure(kind, agents, data, { memory }) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  await context.addInitScript(INIT);
  await context.request.get(`${server.origin}/api/dev/login`, { maxRedirects: 0 });
  const pg = await context.newPage();
  const client = await context.newCDPSession(pg);
  await pg.addInitScript(([n, cards]) => { window.__expected = n; window.__expectedCards = cards; }, [agents, Math.min(agents, PAGE)]);
  await pg.goto(`${server.origin}/bench/${kind}.html`);
  await pg.evaluate((n) => { window.__probe.expected = n; }, Math.min(agents, PAGE));
  await pg.waitForFunction(() => window.__probe.all !== null, null, { timeout: 60000 });
  const nav = await pg.evaluate(() => {
    const entry = performance.getEntriesByType("resource").find((e) => e.name.includes("/Presence/GetAll"));
    return { first: window.__probe.first, all: window.__probe.all, arrival: entry.responseEnd };
  });
  // Topic names arrive after the cards; let them land before timing interactions.
  await pg.waitForFunction(() => window.__root.querySelector("select").textContent.includes("Billing"));
  await pg.waitForTimeout(100);

  const shown = (n) => Math.min(n, PAGE);
  const billing = shown(data.filter((a) => a.ChatTopics.includes(11)).length);
  const query = "lars";
  const matching = shown(data.filter((a) => a.DisplayName.toLowerCase().includes(query)).length);
  const available = shown(data.filter((a) => a.Present).length);
  const all = shown(agents);
  const result = {
    navigation: nav.first,
    arrival: nav.all - nav.arrival,
  };
  result.topic = (await interact(pg, (root) => {
    const s = root.querySelector("select");
    s.value = "11";
    s.dispatchEvent(new Event("change"));
  }, new Function("root", `return root.querySelectorAll("li[data-user-id]").length === ${billing}`))).elapsed;
  await interact(pg, (root) => {
    const s = root.querySelector("select");
    s.value = "";
    s.dispatchEvent(new Event("change"));
  }, new Function("root", `return root.querySelectorAll("li[data-user-id]").length === ${all}`));
  result.search = (await interact(pg, (root) => {
    const i = root.querySelector("input[type=search]");
    i.value = "lars";
    i.dispatchEvent(new Event("input"));
  }, new Function("root", `return root.querySelectorAll("li[data-user-id]").length === ${matching}`))).elapsed;
  await interact(pg, (root) => {
    const i = root.querySelector("input[type=search]");
    i.value = "";
    i.dispatchEvent(new Event("input"));
  }, new Function("root", `return root.querySelectorAll("li[data-user-id]").length === ${all}`));
  // "Available only": the widget names it (its user's own switch comes first); the
  // floor has only the one switch.
  const availableOnly = (root) =>
    (root.querySelector("[data-control=available-only]") ?? root.querySelector("input[role=switch]")).click();
  result.toggle = (await interact(pg, availableOnly,
    new Function("root", `return root.querySelectorAll("li[data-user-id]").length === ${available}`))).elapsed;
  await interact(pg, availableOnly,
    new Function("root", `return root.querySelectorAll("li[data-user-id]").length === ${all}`));

  // A refresh in which 1 % of the agents change: half of them among the cards on
  // screen, the rest anywhere. Done when the summary and every changed card on screen
  // show the new data.
  const state = new Map(data.map((a) => [a.UserId, a.Present]));
  const refreshOnce = async () => {
    const k = Math.max(1, Math.round(agents / 100));
    const onScreen = await pg.evaluate(() =>
      [...window.__root.querySelectorAll("li[data-user-id]")].map((e) => Number(e.dataset.userId)));
    const ids = new Set();
    while (ids.size < Math.ceil(k / 2)) ids.add(onScreen[Math.floor(Math.random() * onScreen.length)]);
    while (ids.size < k) ids.add(data[Math.floor(Math.random() * data.length)].UserId);
    const changed = [];
    for (const id of ids) {
      const present = !state.get(id);
      state.set(id, present);
      await server.admin({ set_agent: id, present, chats: present ? 1 : 0 });
      changed.push([id, String(present)]);
    }
    const availableNow = [...state.values()].filter(Boolean).length;
    return interact(pg, (root) => root.querySelector("button.refresh").click(),
      new Function("root", `const s = root.querySelector(".summary").textContent.replace(/^.*?: /, "");
        return s.startsWith("${availableNow.toLocaleString("en")} of ") && ${JSON.stringify(changed)}.every(([id, p]) => {
          const card = root.querySelector("li[data-user-id='" + id + "']");
          return !card || card.dataset.present === p;
        })`));
  };
  const refresh = await refreshOnce();
  result.refresh = refresh.elapsed;
  result.mutations = refresh.mutations;

  if (memory) {
    for (let i = 0; i < warmup; i++) await refreshOnce();
    const warm = await heap(pg, client);
    for (let i = 0; i < memoryRefreshes; i++) await refreshOnce();
    const after = await heap(pg, client);
    Object.assign(result, { jsWarm: warm.js, jsAfter: after.js, wasmWarm: warm.wasm, wasmAfter: after.wasm });
  }
  await context.close();
  return result;
}

/** Every interaction on a slow processor, input → next paint (the floor has no pins
 * and no order: those are the widget's only). */
async function measureSlow(kind, agents, data) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  await context.addInitScript(INIT);
  await context.request.get(`${server.origin}/api/dev/login`, { maxRedirects: 0 });
  const pg = await context.newPage();
  const client = await context.newCDPSession(pg);
  await pg.addInitScript((cards) => { window.__expectedCards = cards; }, Math.min(agents, PAGE));
  await pg.goto(`${server.origin}/bench/${kind}.html`);
  await pg.waitForFunction(() => window.__probe.all !== null, null, { timeout: 60000 });
  await pg.waitForFunction(() => window.__root.querySelector("select").textContent.includes("Billing"));
  await client.send("Emulation.setCPUThrottlingRate", { rate: slowRate });
  const shown = (n) => Math.min(n, PAGE);
  const all = shown(agents);
  const cardsAre = (n) => new Function("root", `return root.querySelectorAll("li[data-user-id]").length === ${n}`);
  const timed = (act, done) => interact(pg, act, done, { paint: true }).then((r) => r.elapsed);
  const select = (value) => new Function("root", `const s = root.querySelector("select"); s.value = ${JSON.stringify(value)}; s.dispatchEvent(new Event("change"));`);
  const search = (value) => new Function("root", `const i = root.querySelector("input[type=search]"); i.value = ${JSON.stringify(value)}; i.dispatchEvent(new Event("input"));`);
  const availableOnly = (root) =>
    (root.querySelector("[data-control=available-only]") ?? root.querySelector("input[role=switch]")).click();
  const result = {};
  result.topic = await timed(select("11"), cardsAre(shown(data.filter((a) => a.ChatTopics.includes(11)).length)));
  await timed(select(""), cardsAre(all));
  result.search = await timed(search("lars"), cardsAre(shown(data.filter((a) => a.DisplayName.toLowerCase().includes("lars")).length)));
  await timed(search(""), cardsAre(all));
  result.toggle = await timed(availableOnly, cardsAre(shown(data.filter((a) => a.Present).length)));
  await timed(availableOnly, cardsAre(all));
  if (kind === "widget") {
    // Pinning the tenth card moves it to the top (after the user's own, shown first).
    // Before the order changes: in "Least busy first" pins do not lead.
    const tenth = await pg.evaluate(() => window.__root.querySelectorAll("li[data-user-id]:not(.is-you)")[9].dataset.userId);
    result.pin = await timed(
      (root) => root.querySelectorAll("li[data-user-id]:not(.is-you) .pin")[9].click(),
      new Function("root", `return root.querySelector("li[data-user-id]:not(.is-you)").dataset.userId === ${JSON.stringify(tenth)}`));
    // "Least busy first": done when the first cards are others than before.
    const firstCards = () => pg.evaluate(() =>
      [...window.__root.querySelectorAll("li[data-user-id]")].slice(0, 10).map((li) => li.dataset.userId).join());
    const before = await firstCards();
    result.order = await timed(
      new Function("root", `const s = root.querySelector("[data-control=order]"); s.value = "least-busy"; s.dispatchEvent(new Event("change"));`),
      new Function("root", `return [...root.querySelectorAll("li[data-user-id]")].slice(0, 10).map((li) => li.dataset.userId).join() !== ${JSON.stringify(before)}`));
    if ((await firstCards()) === before) result.order = null;
  }
  await context.close();
  return result;
}

// ---- run --------------------------------------------------------------------------------
const stats = (values) => {
  const v = values.filter((x) => typeof x === "number").sort((a, b) => a - b);
  return v.length ? { median: v[Math.floor((v.length - 1) / 2)], min: v[0], max: v[v.length - 1] } : null;
};
const results = {};
let largest = null;
try {
  for (const agents of sizes) {
    await server.admin({ agents, reset_stats: true });
    const data = await apiAgents(server.origin);
    for (const kind of ["widget", "floor"]) {
      const samples = [];
      for (let r = 0; r < runs; r++) {
        samples.push(await measure(kind, agents, data, { memory: agents === 1000 && r === 0 }));
        await server.admin({ agents });
      }
      results[`${kind}:${agents}`] = samples;
      process.stderr.write(`bench: ${kind} with ${agents} agents, ${runs} run(s) done\n`);
    }
  }
  if (forList && sizes.includes(1000)) {
    await server.admin({ agents: 1000, reset_stats: true });
    const data = await apiAgents(server.origin);
    const samples = [];
    for (let r = 0; r < runs; r++) {
      samples.push(await measure("widget-for", 1000, data, { memory: r === 0 }));
      await server.admin({ agents: 1000 });
    }
    results["widget-for:1000"] = samples;
    process.stderr.write(`bench: widget with <For>, 1000 agents, ${runs} run(s) done\n`);
  }
    if (slowAgents > 0) {
      await server.admin({ agents: slowAgents, reset_stats: true });
      const data = await apiAgents(server.origin);
      for (const kind of ["widget", "floor"]) {
        const samples = [];
        for (let r = 0; r < runs; r++) {
          samples.push(await measureSlow(kind, slowAgents, data));
          await server.admin({ agents: slowAgents });
        }
        results[`slow-${kind}`] = samples;
        process.stderr.write(`bench: ${kind} on a ${slowRate}× slower processor, ${runs} run(s) done\n`);
      }
    }
    // The largest body the widget reads (50,000 agents of 100 topics each, every
    // bound of its reader at once): its size, and navigation → first cards.
    if (!smoke) {
      await server.admin({ malformed: "largest" });
      const login = await fetch(`${server.origin}/api/dev/login`, { redirect: "manual" });
      const cookies = login.headers.getSetCookie().map((c) => c.split(";")[0]);
      const token = cookies.find((c) => c.startsWith("XSRF-TOKEN=")).split("=")[1];
      const body = await (await fetch(`${server.origin}/api/v1/Presence/GetAll`, {
        headers: { Cookie: cookies.join("; "), "X-XSRF-TOKEN": token },
      })).arrayBuffer();
      const firstCards = async (kind) => {
        const times = [];
        for (let run = 0; run < Math.min(runs, 3); run++) {
          const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
          await context.addInitScript(INIT);
          await context.request.get(`${server.origin}/api/dev/login`, { maxRedirects: 0 });
          const pg = await context.newPage();
          await pg.goto(`${server.origin}/bench/${kind}.html`);
          await pg.waitForFunction(() => window.__probe.first !== null, null, { timeout: 120_000 });
          times.push(await pg.evaluate(() => window.__probe.first));
          await context.close();
        }
        return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
      };
      largest = { mb: body.byteLength / 1048576, widget: await firstCards("widget"), floor: await firstCards("floor") };
      await server.admin({ malformed: "none" });
      process.stderr.write("bench: the largest body done\n");
    }
} finally {
  await browser.close();
  await server.stop();
}

// ---- report -------------------------------------------------------------------------------
// Everything said from here on is also what a full run writes into docs/performance.md,
// between its bench markers: the figures there are this script's, never typed.
const said = [];
const say = (line = "") => {
  console.log(line);
  said.push(line);
};
const PERFORMANCE = `${ROOT}docs/performance.md`;
const record = () => {
  if (smoke) return;
  const [begin, end] = ["<!-- bench:begin -->", "<!-- bench:end -->"];
  const page = readFileSync(PERFORMANCE, "utf8");
  const from = page.indexOf(begin);
  const to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${PERFORMANCE} has no ${begin} … ${end}`);
  const when = new Date().toISOString().slice(0, 10);
  const run = `${runs} run(s), sizes ${sizes.join(", ")}, ${warmup} + ${memoryRefreshes} refreshes for memory`;
  const block = [begin, `Written by \`scripts/bench.sh\` on ${when} (${run}).`, "", "```", ...said, "```", end].join("\n");
  writeFileSync(PERFORMANCE, page.slice(0, from) + block + page.slice(to + end.length));
};
const fmt = (x, unit) => x === null || x === undefined ? "–" : unit === "ms" ? x.toFixed(1) : String(Math.round(x));
const metrics = [
  ["navigation → first cards", "navigation", "ms"],
  ["data arrival → all cards", "arrival", "ms"],
  ["topic switch → updated", "topic", "ms"],
  ["search keystroke → updated", "search", "ms"],
  ["Available only → updated", "toggle", "ms"],
  ["refresh, 1 % changed", "refresh", "ms"],
  ["refresh, 1 % changed: list mutations", "mutations", ""],
];
const table = [];
const figure = {};
say(`\nPresence widget benchmark: median of ${runs} run(s) (min–max); ratio = widget / vanilla-JS floor\n`);
say(`| measure | agents | widget | floor | ratio |`);
say(`|---|---:|---:|---:|---:|`);
for (const agents of sizes) {
  for (const [label, key, unit] of metrics) {
    const w = stats(results[`widget:${agents}`].map((r) => r[key]));
    const f = stats(results[`floor:${agents}`].map((r) => r[key]));
    const ratio = w && f && f.median > 0 ? w.median / f.median : null;
    figure[`${key}:${agents}`] = { widget: w, floor: f, ratio };
    const cell = (s) => s ? `${fmt(s.median, unit)} (${fmt(s.min, unit)}–${fmt(s.max, unit)})` : "–";
    const line = `| ${label}${unit ? " (ms)" : ""} | ${agents} | ${cell(w)} | ${cell(f)} | ${ratio === null ? "–" : ratio.toFixed(2)} |`;
    table.push(line);
    say(line);
  }
}
const memoryRun = results["widget:1000"]?.[0];
const floorMemory = results["floor:1000"]?.[0];
if (memoryRun?.jsWarm) {
  const kb = (b) => b === null ? "–" : `${(b / 1024).toFixed(0)} KB`;
  const growth = (a, b) => a && b ? `${(((b - a) / a) * 100).toFixed(1)} %` : "–";
  say(`\nMemory, 1,000 agents, after warm-up (${warmup} refreshes) → after ${memoryRefreshes} more refreshes (1 % changed each):`);
  say(`| | warm-up | after | growth |\n|---|---:|---:|---:|`);
  say(`| widget wasm memory | ${kb(memoryRun.wasmWarm)} | ${kb(memoryRun.wasmAfter)} | ${growth(memoryRun.wasmWarm, memoryRun.wasmAfter)} |`);
  say(`| widget JS heap | ${kb(memoryRun.jsWarm)} | ${kb(memoryRun.jsAfter)} | ${growth(memoryRun.jsWarm, memoryRun.jsAfter)} |`);
  say(`| floor JS heap | ${kb(floorMemory.jsWarm)} | ${kb(floorMemory.jsAfter)} | ${growth(floorMemory.jsWarm, floorMemory.jsAfter)} |`);
}

// Why the list is not <For>: the same widget built both ways.
const forRuns = results["widget-for:1000"];
if (forRuns) {
  const keyed = results["widget:1000"];
  say(`\nKeyed list vs Leptos <For>, 1,000 agents (the same widget built both ways; median (min–max)):`);
  say(`| measure | KeyedList | <For> |\n|---|---:|---:|`);
  for (const [label, key, unit] of [["refresh, 1 % changed (ms)", "refresh", "ms"], ["refresh, 1 % changed: list mutations", "mutations", ""], ["topic switch → updated (ms)", "topic", "ms"]]) {
    const cell = (runs) => { const s = stats(runs.map((r) => r[key])); return s ? `${fmt(s.median, unit)} (${fmt(s.min, unit)}–${fmt(s.max, unit)})` : "–"; };
    say(`| ${label} | ${cell(keyed)} | ${cell(forRuns)} |`);
  }
  const growth = (run, a, b) => run?.[a] ? `${(((run[b] - run[a]) / run[a]) * 100).toFixed(1)} %` : "–";
  say(`| wasm memory growth over ${memoryRefreshes} refreshes | ${growth(keyed[0], "wasmWarm", "wasmAfter")} | ${growth(forRuns[0], "wasmWarm", "wasmAfter")} |`);
  say(`| JS heap growth over ${memoryRefreshes} refreshes | ${growth(keyed[0], "jsWarm", "jsAfter")} | ${growth(forRuns[0], "jsWarm", "jsAfter")} |`);
}

if (results["slow-widget"]) {
  say(`\nSlow processor (Chromium's CPU ${slowRate}× slower), ${slowAgents.toLocaleString("en")} agents, input → next paint (ms; median (min–max)):`);
  say(`| interaction | widget | floor |\n|---|---:|---:|`);
  for (const [label, key] of [["topic switch", "topic"], ["search keystroke", "search"], ["Available only", "toggle"], ["order: least busy first", "order"], ["pin a card", "pin"]]) {
    const cell = (samples) => { const s = stats(samples.map((r) => r[key])); return s ? `${fmt(s.median, "ms")} (${fmt(s.min, "ms")}–${fmt(s.max, "ms")})` : "–"; };
    const w = stats(results["slow-widget"].map((r) => r[key]));
    figure[`slow:${key}`] = w;
    say(`| ${label} | ${cell(results["slow-widget"])} | ${cell(results["slow-floor"])} |`);
  }
}

if (largest) {
  say(`\nLargest body (50,000 agents × 100 topics, ${largest.mb.toFixed(1)} MB): navigation → first cards ` +
    `${largest.widget.toFixed(0)} ms, floor ${largest.floor.toFixed(0)} ms (${(largest.widget / largest.floor).toFixed(2)}×; median of ${Math.min(runs, 3)})`);
}

// Transfer sizes of what a host page downloads.
const dist = `${ROOT}dist`;
const transfer = { raw: 0, gzip: 0, brotli: 0 };
say(`\nTransfer size of dist/ (the widget's CSS is compiled into the wasm):`);
say(`| file | raw | gzip | brotli |\n|---|---:|---:|---:|`);
// signed-in.js runs only in the sign-in's pop-up, never on the host page.
const loaded = (f) => /\.(wasm|js|css)$/.test(f) && !f.startsWith("dev-page") && !f.startsWith("signed-in");
for (const file of readdirSync(dist).filter(loaded)) {
  const bytes = readFileSync(join(dist, file));
  const sizes = {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  for (const k in transfer) transfer[k] += sizes[k];
  say(`| ${file} | ${sizes.raw} | ${sizes.gzip} | ${sizes.brotli} |`);
}
// A page in another language than English downloads that language's texts too:
// the total counts the largest of those files.
const languages = readdirSync(dist).filter((f) => /^lang-.*\.json$/.test(f)).map((file) => {
  const bytes = readFileSync(join(dist, file));
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
});
const english = transfer.brotli;
const largestLanguage = languages.sort((a, b) => b.brotli - a.brotli)[0];
if (largestLanguage) {
  for (const k in transfer) transfer[k] += largestLanguage[k];
  say(`| ${largestLanguage.file} (the largest of ${languages.length} languages' texts) | ${largestLanguage.raw} | ${largestLanguage.gzip} | ${largestLanguage.brotli} |`);
}
say(`| total | ${transfer.raw} | ${transfer.gzip} | ${transfer.brotli} |`);
say(`(A page in English downloads ${english} B brotli: no language file.)`);

if (smoke) {
  say("\n(smoke run: no budget verdicts)");
  process.exit(0);
}

// ---- budgets -----------------------------------------------------------------------------
const failed = [];
const check = (name, ok, detail) => {
  say(`${ok ? "PASS" : "FAIL"}  ${name}: ${detail}`);
  if (!ok) failed.push(name);
};
say("\nBudgets:");
check("transfer ≤ 185 KB brotli (everything the widget does)", transfer.brotli <= 185 * 1024, `${(transfer.brotli / 1024).toFixed(1)} KB`);
const ratio = (key) => figure[key]?.ratio;
if (sizes.includes(1000)) {
  check("data arrival → cards, 1,000 agents ≤ 1.3× floor", ratio("arrival:1000") <= 1.3, `${ratio("arrival:1000")?.toFixed(2)}×`);
  check("navigation → first cards, 1,000 agents ≤ 1.3× floor", ratio("navigation:1000") <= 1.3, `${ratio("navigation:1000")?.toFixed(2)}×`);
  const m = figure["mutations:1000"].widget.median;
  check("refresh changing 10 of 1,000 ≤ 40 mutations", m <= 40, `${m}`);
  if (memoryRun?.jsWarm) {
    const g = (a, b) => (b - a) / a;
    check("memory after refreshes within 5 % of warm-up",
      g(memoryRun.wasmWarm, memoryRun.wasmAfter) <= 0.05 && g(memoryRun.jsWarm, memoryRun.jsAfter) <= 0.05,
      `wasm ${(g(memoryRun.wasmWarm, memoryRun.wasmAfter) * 100).toFixed(1)} %, JS ${(g(memoryRun.jsWarm, memoryRun.jsAfter) * 100).toFixed(1)} %`);
  }
}
if (sizes.includes(5000)) {
  check("navigation → first cards, 5,000 agents ≤ 1.3× floor", ratio("navigation:5000") <= 1.3, `${ratio("navigation:5000")?.toFixed(2)}×`);
  check("topic switch, 5,000 agents ≤ 1.3× floor", ratio("topic:5000") <= 1.3, `${ratio("topic:5000")?.toFixed(2)}×`);
  check("search keystroke, 5,000 agents ≤ 1.3× floor", ratio("search:5000") <= 1.3, `${ratio("search:5000")?.toFixed(2)}×`);
}
if (sizes.includes(10000)) {
  // The interactions of the table: topic switch, search keystroke, "Available only".
  const keys = ["topic", "search", "toggle"];
  const slow = keys.filter((k) => !(figure[`${k}:10000`].widget.median < 100));
  check("10,000 agents: every interaction < 100 ms", slow.length === 0,
    keys.map((k) => `${k} ${figure[`${k}:10000`].widget.median.toFixed(0)} ms`).join(", ")
      + ` (a refresh, not an interaction: ${figure["refresh:10000"].widget.median.toFixed(0)} ms, floor ${figure["refresh:10000"].floor.median.toFixed(0)} ms)`);
}
if (figure["slow:topic"]) {
  const keys = ["topic", "search", "toggle", "order", "pin"];
  const medians = keys.map((k) => [k, figure[`slow:${k}`]?.median]).filter(([, m]) => typeof m === "number");
  check(`${slowRate}× slower processor, ${slowAgents.toLocaleString("en")} agents: every interaction painted within 100 ms`,
    medians.every(([, m]) => m <= 100), medians.map(([k, m]) => `${k} ${m.toFixed(0)} ms`).join(", "));
}
if (failed.length) {
  say(`\n${failed.length} budget(s) failed: ${failed.join("; ")}`);
  record();
  process.exit(1);
}
say("\nAll budgets met.");
record();

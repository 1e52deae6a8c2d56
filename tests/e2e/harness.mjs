// Shared set-up for the end-to-end tests: a development server (a SuperOffice-like
// tenant) serving the release build under /widget/, Debian's Chromium driven by
// playwright-core, and host pages that the tests write themselves.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * Starts the development server on a free port; resolves to { origin, files, admin,
 * stats, stop }. With `{ files: true }` it also serves dist/ from a second origin
 * (`files`, e.g. http://127.0.0.1:PORT), as a static host with CORS would.
 */
export async function startServer(args = [], { bin = `${ROOT}target/debug/devserver`, files = false } = {}) {
  const filesArgs = files ? ["--files-port", "0", "--files", `${ROOT}dist`] : [];
  const child = spawn(bin, ["--port", "0", "--drift-seconds", "0", "--serve", `/widget=${ROOT}dist`, ...filesArgs, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8");
  const [origin, filesOrigin] = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const tenant = output.match(/tenant on (http:\/\/[0-9.:]+)/);
      const served = output.match(/files \(CORS\) on (http:\/\/[0-9.:]+)/);
      if (tenant && (!files || served)) resolve([tenant[1], served?.[1]]);
    });
    child.on("exit", (code) => reject(new Error(`devserver exited (${code}): ${output}`)));
  });
  const admin = async (query) => {
    const response = await fetch(`${origin}/api/dev/admin?${new URLSearchParams(query)}`, { method: "POST" });
    if (!response.ok) throw new Error(`admin ${response.status}`);
    return response.json();
  };
  const stats = async () => (await fetch(`${origin}/api/dev/stats`)).json();
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  };
  return { origin, files: filesOrigin, admin, stats, stop };
}

/** Debian's Chromium, headless; `extraArgs` are added to its command line. */
export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      ...extraArgs,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A host page at `${origin}${path}` with the given body, embedding the widget with
 * one external script, as an administrator would. `headers` are added to the page's
 * response (e.g. a Content-Security-Policy).
 */
export async function hostPage(context, origin, path, { body, head = "", headers = {}, lang = "en" }) {
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${head}
<script type="module" src="/widget/embed.js"></script></head><body>${body}</body></html>`;
  await context.route(`${origin}${path}`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", headers, body: html }),
  );
}

/**
 * Signs in (cookies set by the server) and lands on `path`. A context that already
 * holds a session for `origin` is not signed in again: its tabs share one session,
 * as a user's tabs do, and a second sign-in would renew the cookies under the
 * requests of the tabs already open (tests that mean to sign in again do it
 * themselves).
 */
export async function signInAndOpen(page, origin, path) {
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !/favicon/.test(message.location().url)) errors.push(message.text());
  });
  // The login answer's cookies land in the page's browser context.
  const cookies = await page.context().cookies(origin);
  if (!cookies.some((cookie) => cookie.name === "ASP.NET_SessionId")) {
    const login = await page.context().request.get(`${origin}/api/dev/login`, { maxRedirects: 0 });
    if (login.status() !== 303) throw new Error(`login answered ${login.status()}`);
  }
  await page.goto(`${origin}${path}`);
  return errors;
}

/** Locator of the cards of the n-th widget instance on the page (Playwright pierces open shadow roots). */
export function cards(page, instance = 0) {
  return page.locator("[data-presence-widget]").nth(instance).locator("li[data-user-id]");
}

/** The tenant's current agents, as the API returns them (signed in from Node, not the page). */
export async function apiAgents(origin, base = "/api") {
  const login = await fetch(`${origin}/api/dev/login`, { redirect: "manual" });
  const cookies = login.headers.getSetCookie().map((c) => c.split(";")[0]);
  const token = cookies.find((c) => c.startsWith("XSRF-TOKEN=")).split("=")[1];
  const response = await fetch(`${origin}${base}/v1/Presence/GetAll`, {
    headers: { Cookie: cookies.join("; "), "X-XSRF-TOKEN": token, Accept: "application/json" },
  });
  return response.json();
}

/** Text of the summary line of the n-th instance. */
export async function summary(page, instance = 0) {
  return page.locator("[data-presence-widget]").nth(instance).locator(".summary").textContent();
}

/**
 * Registers a development server and a browser for the calling test file (started
 * before its tests, stopped after them); their fields are filled in by `before`.
 */
export function useServerAndBrowser(args = [], options = {}) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer(args, options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

// Waits until `check()` (sync or async) holds, looking every 100 ms, for what no
// locator can wait on (the dev server's counters, console messages); fails with
// `what` after `timeout` ms. Never a fixed sleep.
export async function until(check, what, { timeout = 15_000 } = {}) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${typeof what === "function" ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// The one way to check that something does NOT happen: `check()` must hold every
// 100 ms for `ms`. A timing that is off can only make it pass wrongly, never fail,
// so it cannot be flaky; use it only for absence, after waiting (with `until` or a
// locator) for everything that should happen.
export async function stays(check, ms, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!(await check())) throw new Error(`no longer true: ${typeof what === "function" ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

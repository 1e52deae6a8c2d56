// The thin slice end to end: the release build embedded in a host page under
// /widget/, talking to the development server with the user's session.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, hostPage, signInAndOpen, cards } from "./harness.mjs";

const env = useServerAndBrowser();

const WIDGET = `<div data-presence-widget data-refresh-seconds="0"></div>`;

test("the server refuses requests without a session or with a wrong XSRF token", async () => {
  const getAll = `${env.server.origin}/api/v1/Presence/GetAll`;
  const anonymous = await fetch(getAll, { headers: { Accept: "application/json" } });
  assert.equal(anonymous.status, 401);
  const body = await anonymous.json();
  assert.equal(body.Error, true);
  assert.equal(typeof body.ErrorType, "string");
  assert.equal(typeof body.ErrorMessage, "string");
  assert.equal(typeof body.ErrorSource, "string");

  const login = await fetch(`${env.server.origin}/api/dev/login?return=/x`, { redirect: "manual" });
  assert.equal(login.status, 303);
  const cookies = login.headers.getSetCookie();
  const session = cookies.find((c) => c.startsWith("ASP.NET_SessionId="));
  const xsrf = cookies.find((c) => c.startsWith("XSRF-TOKEN="));
  assert.match(session, /HttpOnly/);
  assert.doesNotMatch(xsrf, /HttpOnly/, "scripts must be able to read the XSRF cookie");
  const cookie = [session, xsrf].map((c) => c.split(";")[0]).join("; ");
  const token = xsrf.split(";")[0].split("=")[1];

  const noHeader = await fetch(getAll, { headers: { Cookie: cookie } });
  assert.equal(noHeader.status, 401);
  assert.match((await noHeader.json()).ErrorMessage, /missing/);
  const wrong = await fetch(getAll, { headers: { Cookie: cookie, "X-XSRF-TOKEN": "wrong" } });
  assert.equal(wrong.status, 401);
  const right = await fetch(getAll, { headers: { Cookie: cookie, "X-XSRF-TOKEN": token } });
  assert.equal(right.status, 200);
  const agents = await right.json();
  assert.equal(agents.length, 25);
  assert.ok(agents.every((a) => Number.isInteger(a.UserId) && typeof a.DisplayName === "string"));

  const topic = await fetch(`${env.server.origin}/api/v1/ChatTopic/11`, { headers: { Cookie: cookie, "X-XSRF-TOKEN": token } });
  assert.equal((await topic.json()).Name, "Billing");
  const missing = await fetch(`${env.server.origin}/api/v1/ChatTopic/999`, { headers: { Cookie: cookie, "X-XSRF-TOKEN": token } });
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).ErrorType, "SoNotFoundException");
  const open = await fetch(`${env.server.origin}/api/v1/ChatTopic/15/IsOpen`, { headers: { Cookie: cookie, "X-XSRF-TOKEN": token } });
  assert.equal(await open.text(), "false");
});

test("a host page under another path shows every agent, with the session and XSRF header", async () => {
  const context = await env.browser.newContext();
  await hostPage(context, env.server.origin, "/intranet/team.html", { body: `<h1>Team</h1>${WIDGET}` });
  const page = await context.newPage();
  const errors = await signInAndOpen(page, env.server.origin, "/intranet/team.html");
  await cards(page).first().waitFor();
  assert.equal(await cards(page).count(), 25);
  assert.ok(await page.locator("[data-presence-widget] li[data-user-id='101']").getByText("Åse Ødegård").isVisible());
  const stats = await env.server.stats();
  assert.equal(stats.last.path.startsWith("/api/"), true);
  assert.equal(stats.last.session_cookie, true, "the session cookie reached the server");
  assert.equal(stats.last.xsrf_matched, true, "the X-XSRF-TOKEN header matched the session");
  assert.match(stats.last.accept, /application\/json/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a logged-out tenant yields the sign-in message", async () => {
  await env.server.admin({ logged_out: true });
  try {
    const context = await env.browser.newContext();
    await hostPage(context, env.server.origin, "/intranet/out.html", { body: WIDGET });
    const page = await context.newPage();
    await signInAndOpen(page, env.server.origin, "/intranet/out.html");
    const alert = page.locator("[data-presence-widget] [role=alert]");
    await alert.waitFor();
    assert.match(await alert.innerText(), /Your CRM session has ended\. Sign in again\./);
    assert.equal(await cards(page).count(), 0);
    await context.close();
  } finally {
    await env.server.admin({ logged_out: false });
  }
});

test("without signing in, the widget asks to sign in", async () => {
  const context = await env.browser.newContext();
  await hostPage(context, env.server.origin, "/intranet/anon.html", { body: WIDGET });
  const page = await context.newPage();
  await page.goto(`${env.server.origin}/intranet/anon.html`);
  await page.locator("[data-presence-widget] [role=alert]").waitFor();
  assert.match(await page.locator("[data-presence-widget] [role=alert]").innerText(), /Sign in again/);
  await context.close();
});

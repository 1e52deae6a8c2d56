// Sign in with SuperOffice: an intranet page on another origin than the CRM signs
// in through the pop-up (the development server plays SuperOffice's sign-in
// service) and calls the Web API with a Bearer token, and only there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, until } from "./harness.mjs";

const env = useServerAndBrowser([], { files: true });

/** The development server's intranet page (on the files origin, beside
 * signed-in.html), with one or more instances. */
async function openIntranet({ instances = 1, switches = {} } = {}) {
  const { origin, files } = env.server;
  await env.server.admin({
    signin_origins: files, signin_flow: "implicit", bad_token: "none", token_seconds: 3600,
    misdirected: false, reset_stats: true, ...switches,
  });
  const context = await env.browser.newContext({ viewport: { width: 360, height: 720 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const requests = [];
  context.on("request", (request) => requests.push(request));
  await page.goto(`${files}/intranet/sign-in.html?tenant=${encodeURIComponent(origin)}&instances=${instances}`);
  return { context, page, errors, requests };
}

/** What the widget says when its pop-up looks closed (or isolated itself). */
const CLOSED = "If the sign-in window is still open, finish signing in there. Otherwise, sign in again.";

/** The requests this page's context made with a token. (Read from the context,
 * not the server's counters: a closed context's last requests may still reach the
 * server after the next test has reset them.) */
async function sentWithToken(requests) {
  const sent = [];
  for (const request of requests) {
    const headers = await request.allHeaders().catch(() => request.headers());
    if (headers.authorization) sent.push(request.url());
  }
  return sent;
}

const widget = (page, n = 0) => page.locator("[data-presence-widget]").nth(n);
const signInButton = (page, n = 0) => widget(page, n).getByRole("button", { name: /^Sign in/ });

/** Clicks "Sign in with SuperOffice" and answers the consent page. */
async function signIn(page, answer = "Allow", n = 0) {
  const [popup] = await Promise.all([page.waitForEvent("popup"), signInButton(page, n).click()]);
  await popup.getByRole("button", { name: answer }).click();
  return popup;
}

for (const flow of ["implicit", "pkce"]) {
  test(`signs in through the pop-up (${flow}) and sends the token only to webapi_url, without cookies or XSRF`, async () => {
    const { context, page, errors, requests } = await openIntranet({ switches: { signin_flow: flow } });
    const { origin } = env.server;
    await signIn(page);
    await widget(page).locator("li[data-user-id]").first().waitFor();
    await signInButton(page).waitFor({ state: "hidden" });
    assert.equal(await widget(page).locator(".sign-in-text").isVisible(), false, "nothing to say once signed in");
    const api = requests.filter((r) => r.url().startsWith(`${origin}/Cust12345/api/`));
    assert.ok(api.some((r) => r.url().endsWith("/v1/Presence/GetAll")), "GetAll on webapi_url");
    for (const request of api) {
      if (request.method() === "OPTIONS") continue;
      const headers = await request.allHeaders();
      assert.match(headers.authorization ?? "", /^Bearer \S+$/, request.url());
      assert.equal(headers.cookie, undefined, `no cookie to ${request.url()}`);
      assert.equal(headers["x-xsrf-token"], undefined);
    }
    // The token went nowhere else (the pop-up's own requests are read from what
    // Playwright saw as they were made: its page is gone).
    for (const request of requests) {
      if (request.url().startsWith(`${origin}/Cust12345/api/`)) continue;
      const headers = await request.allHeaders().catch(() => request.headers());
      assert.equal(headers.authorization, undefined, request.url());
    }
    const exchanged = requests.some((r) => r.method() === "POST" && r.url().endsWith("/login/common/oauth/tokens"));
    assert.equal(exchanged, flow === "pkce", "the code flow exchanges its code; the implicit flow has no code");
    const stats = await env.server.stats();
    assert.equal(stats.last.bearer, true);
    assert.equal(stats.last.session_cookie, false);
    // Nothing of the sign-in stays in storage.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.doesNotMatch(stored, /access_token|id_token|Bearer/);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("tokens longer than 4,096 characters (real access tokens are JWTs) sign in whole, in both flows", async () => {
  for (const flow of ["pkce", "implicit"]) {
    const { context, page } = await openIntranet({ switches: { signin_flow: flow, long_tokens: true } });
    try {
      await signIn(page);
      await widget(page).locator("li[data-user-id]").first().waitFor();
      assert.ok((await env.server.stats()).bearer > 0, `${flow}: the whole token taken by the API`);
    } finally {
      await env.server.admin({ long_tokens: false });
    }
    await context.close();
  }
});

for (const [bad, reason] of [
  ["nonce", "nonce"], ["issuer", "issuer"], ["audience", "audience"], ["signature", "signature"],
  ["expired", "expired"], ["foreign-webapi", "webapi_url"], ["at-hash", "at_hash"],
  ["no-at-hash", "at_hash"], ["audiences", "audience"],
]) {
  test(`an ID token with a bad ${bad} is refused, and nothing is sent`, async () => {
    const { context, page, requests } = await openIntranet({ switches: { bad_token: bad } });
    await signIn(page);
    await widget(page).locator(".sign-in-text", { hasText: `(${reason})` }).waitFor();
    assert.deepEqual(await sentWithToken(requests), [], "no request with the token");
    assert.equal(await widget(page).locator("li[data-user-id]").count(), 0);
    await context.close();
  });
}

test("an answer for another request (state) is passed over, and nothing is sent", async () => {
  const { context, page, requests } = await openIntranet();
  const [popup] = await Promise.all([page.waitForEvent("popup"), signInButton(page).click()]);
  // The redirect page with an answer this widget never asked for.
  // (It closes itself once it has posted, which may end the navigation.)
  await popup
    .goto(`${env.server.files}/widget/signed-in.html#id_token=a.b.c&access_token=x&token_type=Bearer&state=forged`)
    .catch(() => {});
  // Not taken: the pop-up closed itself, and that is all the widget says.
  await widget(page).locator(".sign-in-text", { hasText: CLOSED }).waitFor();
  assert.deepEqual(await sentWithToken(requests), []);
  await context.close();
});

test("a closed pop-up says so and offers the button again; a blocked one too", async () => {
  const { context, page } = await openIntranet();
  const [popup] = await Promise.all([page.waitForEvent("popup"), signInButton(page).click()]);
  await popup.close();
  await widget(page).locator(".sign-in-text", { hasText: CLOSED }).waitFor();
  await signInButton(page).waitFor();
  await context.close();

  const blocked = await openIntranet();
  await blocked.page.evaluate(() => { window.open = () => null; });
  await signInButton(blocked.page).click();
  await widget(blocked.page).locator(".sign-in-text", { hasText: "blocked the sign-in window" }).waitFor();
  await blocked.context.close();
});

test("a sign-in page that isolates itself (Cross-Origin-Opener-Policy) still signs in: the answer comes over the attempt's channel", async () => {
  const { context, page, errors } = await openIntranet({ switches: { signin_isolated: true } });
  try {
    const [popup] = await Promise.all([page.waitForEvent("popup"), signInButton(page).click()]);
    // The consent page isolates itself: the pop-up has no opener from here on, and
    // looks closed to the widget, which offers the button again.
    await popup.getByRole("button", { name: "Allow" }).waitFor();
    assert.equal(await popup.evaluate(() => window.opener), null, "the opener is gone");
    await widget(page).locator(".sign-in-text", { hasText: CLOSED }).waitFor();
    // A script of the same origin that read the attempt's state posts an answer for
    // another state on its channel: passed over.
    const state = new URL(popup.url()).searchParams.get("state");
    await page.evaluate((state) => {
      new BroadcastChannel(`superoffice-sign-in:${state}`)
        .postMessage({ kind: "superoffice-sign-in", params: "id_token=a.b.c&access_token=x&state=forged" });
    }, state);
    // The user clicks again (a second window), then finishes in the first one.
    const [second] = await Promise.all([page.waitForEvent("popup"), signInButton(page).click()]);
    await second.getByRole("button", { name: "Allow" }).waitFor();
    await popup.getByRole("button", { name: "Allow" }).click();
    await widget(page).locator("li[data-user-id]").first().waitFor();
    await signInButton(page).waitFor({ state: "hidden" });
    assert.equal((await env.server.stats()).signed_in, 1, "one sign-in: the first window's");
    assert.ok((await env.server.stats()).bearer > 0, "the API called with the token");
    assert.deepEqual(errors, []);
  } finally {
    await env.server.admin({ signin_isolated: false });
  }
  await context.close();
});

test("two instances sign in once", async () => {
  const { context, page } = await openIntranet({ instances: 2 });
  await signIn(page);
  for (const n of [0, 1]) await widget(page, n).locator("li[data-user-id]").first().waitFor();
  assert.equal((await env.server.stats()).signed_in, 1, "one ID token");
  await context.close();
});

test("when the token ends or the tenant moves, the data stays marked and one click signs in again", async () => {
  const { context, page } = await openIntranet({ switches: { token_seconds: 4 } });
  await signIn(page);
  const cards = widget(page).locator("li[data-user-id]");
  await cards.first().waitFor();
  const shown = await cards.count();
  // The token ends: the bar says so, the cards stay.
  await widget(page).locator(".sign-in-text", { hasText: "sign-in has ended" }).waitFor({ timeout: 15_000 });
  assert.equal(await cards.count(), shown, "the last data stays on screen");
  // A refresh the API refuses (401) keeps the list too.
  await env.server.admin({ logged_out: true });
  await widget(page).getByRole("button", { name: "Refresh" }).click();
  await until(async () => (await env.server.stats()).unauthorized >= 1, "the refused refresh");
  await widget(page).locator(".refresh:not(.spinning)").waitFor();
  assert.equal(await cards.count(), shown, "still the last data after a 401");
  await env.server.admin({ logged_out: false });
  await signIn(page);
  await signInButton(page).waitFor({ state: "hidden" });
  await cards.first().waitFor();
  // The tenant moved (421): sign in again, for the new webapi_url.
  await env.server.admin({ misdirected: true, token_seconds: 3600 });
  await widget(page).getByRole("button", { name: "Refresh" }).click();
  await widget(page).locator(".sign-in-text", { hasText: "sign-in has ended" }).waitFor();
  assert.ok((await cards.count()) > 0, "still the last data");
  await env.server.admin({ misdirected: false });
  const gets = async () => (await env.server.stats()).requests.getall ?? 0;
  const before = await gets();
  await signIn(page);
  await signInButton(page).waitFor({ state: "hidden" });
  // The new sign-in's list is in before the proxy turns up.
  await until(async () => (await gets()) > before, "the new sign-in's first GetAll");
  await cards.first().waitFor();
  await widget(page).locator(".refresh:not(.spinning)").waitFor();
  // A sign-in proxy in front of the API answers with a redirect: the token is not
  // taken there, so the sign-in button comes back (no stale banner without one).
  await env.server.admin({ redirect: true });
  try {
    await widget(page).getByRole("button", { name: "Refresh" }).click();
    await widget(page).locator(".sign-in-text", { hasText: "sign-in has ended" }).waitFor();
    await signInButton(page).waitFor();
    assert.ok((await cards.count()) > 0, "still the last data");
  } finally {
    await env.server.admin({ redirect: false });
  }
  await context.close();
});

test("a signed-in user's own switch writes with the token only: no cookie, no XSRF", async () => {
  const { context, page, requests } = await openIntranet();
  const { origin } = env.server;
  await env.server.admin({ agents: 25, principal: 101 });
  await env.server.admin({ set_agent: 101, present: true });
  await signIn(page);
  const own = widget(page).getByRole("switch", { name: "I'm available for chat" });
  await own.waitFor();
  await own.click();
  await until(async () => (await env.server.stats()).writes.length === 1, "the write");
  const writes = requests.filter((r) => r.method() === "POST" && r.url().endsWith("/v1/Presence/SaveAll"));
  assert.equal(writes.length, 1);
  assert.equal(writes[0].url(), `${origin}/Cust12345/api/v1/Presence/SaveAll`, "on webapi_url");
  assert.equal(writes[0].postData(), '[{"UserId":101,"Present":false}]');
  const headers = await writes[0].allHeaders();
  assert.match(headers.authorization ?? "", /^Bearer \S+$/);
  assert.equal(headers.cookie, undefined);
  assert.equal(headers["x-xsrf-token"], undefined);
  assert.equal(headers["content-type"], "application/json");
  assert.equal((await env.server.stats()).writes[0].status, 204);
  await widget(page).locator("li[data-user-id='101'][data-present='false']").waitFor();
  await context.close();
});

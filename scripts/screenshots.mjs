// Renders the release widget against the development tenant in Debian's Chromium and
// writes docs/widget-{320,900}-{light,dark}.png, and docs/support-{320,900}-{light,dark}.png
// (an uncovered topic, pinned colleagues, a waiting and a fired watch), and
// docs/deploy-side-panel.png (the CRM-like page, its side panel loading the widget
// from the files origin), and docs/own-{240,300,320,900}-{light,dark}.png (the
// user's own card and switch, narrow rows, "Least busy first"), and
// docs/forced-{240,320,900}-{light,dark}.png (forced colours), for looking at and
// for the documentation.
// Needs the release build (trunk build --release) and the devserver binary.
import { startServer, launchBrowser, hostPage, signInAndOpen, cards, apiAgents } from "../tests/e2e/harness.mjs";

const out = new URL("../docs/", import.meta.url).pathname;
const server = await startServer(["--agents", "25"], { files: true });
const browser = await launchBrowser();

/** A signed-in page of the given scheme and size with one widget, its cards in. */
async function open(scheme, width, height) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme, deviceScaleFactor: 1 });
  const bg = scheme === "dark" ? "#0b0f15" : "#eef1f5";
  await hostPage(context, server.origin, "/shot.html", {
    head: `<link rel="icon" href="data:,"><style>body{margin:0;background:${bg}}</style>`,
    body: `<div data-presence-widget data-refresh-seconds="0"></div>`,
  });
  const page = await context.newPage();
  await signInAndOpen(page, server.origin, "/shot.html");
  await cards(page).first().waitFor();
  return { context, page };
}

try {
  for (const scheme of ["light", "dark"]) {
    for (const width of [320, 900]) {
      const { context, page } = await open(scheme, width, 700);
      await page.locator("[data-presence-widget] option", { hasText: "Billing" }).waitFor({ state: "attached" });
      const file = `${out}widget-${width}-${scheme}.png`;
      await page.screenshot({ path: file });
      console.log(file);
      await context.close();
    }
  }
  // The support-lead features: Billing uncovered, two pins, a waiting watch, a fired one.
  for (const scheme of ["light", "dark"]) {
    for (const width of [320, 900]) {
      await server.admin({ agents: 25 });
      await server.admin({ uncover_topic: 11 });
      const { context, page } = await open(scheme, width, 760);
      const widget = page.locator("[data-presence-widget]");
      await widget.locator(".uncovered").waitFor();
      // Away agents outside Billing, so that Billing stays uncovered.
      const away = (await apiAgents(server.origin))
        .filter((a) => !a.Present && !a.ChatTopics.includes(11))
        .map((a) => a.UserId);
      const all = await cards(page).evaluateAll((els) => els.map((e) => Number(e.dataset.userId)));
      for (const id of [all[4], away[away.length - 1]]) {
        await widget.locator(`li[data-user-id='${id}'] .pin`).click();
      }
      await widget.locator(`li[data-user-id='${away[0]}'] .watch`).click();
      await widget.locator(`li[data-user-id='${away[1]}'] .watch`).click();
      await server.admin({ set_agent: away[1], present: true });
      await widget.getByRole("button", { name: "Refresh" }).click();
      await widget.locator(".fired").waitFor();
      await page.mouse.move(0, 0);
      await page.waitForTimeout(1500); // past the changed card's glow
      const file = `${out}support-${width}-${scheme}.png`;
      await page.screenshot({ path: file });
      console.log(file);
      await context.close();
    }
  }
  // The agent's own view: "You", their switch, and narrow rows at every width; on a
  // wide page, "Least busy first".
  for (const scheme of ["light", "dark"]) {
    for (const width of [240, 300, 320, 900]) {
      await server.admin({ agents: 25 });
      await server.admin({ set_agent: 101, present: true, chats: 1 });
      const { context, page } = await open(scheme, width, 760);
      const widget = page.locator("[data-presence-widget]");
      await widget.locator("li.is-you").waitFor();
      await page.locator("[data-presence-widget] option", { hasText: "Billing" }).waitFor({ state: "attached" });
      await widget.getByRole("switch", { name: "Show me first" }).check();
      if (width === 900) await widget.getByLabel("Order").selectOption("least-busy");
      await page.mouse.move(0, 0);
      const file = `${out}own-${width}-${scheme}.png`;
      await page.screenshot({ path: file });
      console.log(file);
      await context.close();
    }
  }
  // Forced colours (a Windows high-contrast theme), light and dark: the switches'
  // states, the presence badges, a pin and a watch, in system colours.
  for (const scheme of ["light", "dark"]) {
    for (const width of [240, 320, 900]) {
      await server.admin({ agents: 25 });
      await server.admin({ set_agent: 101, present: true, chats: 1 });
      const { context, page } = await open(scheme, width, 760);
      await page.emulateMedia({ forcedColors: "active" });
      const widget = page.locator("[data-presence-widget]");
      await widget.locator("li.is-you").waitFor();
      await widget.getByRole("switch", { name: "Show me first" }).check();
      const all = await cards(page).evaluateAll((els) => els.map((e) => Number(e.dataset.userId)));
      await widget.locator(`li[data-user-id='${all[2]}'] .pin`).click();
      await page.mouse.move(0, 0);
      const file = `${out}forced-${width}-${scheme}.png`;
      await page.screenshot({ path: file });
      console.log(file);
      await context.close();
    }
  }
  // The CRM-like development page with the widget in its side panel.
  await server.admin({ agents: 25 });
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await signInAndOpen(page, server.origin, "/Cust12345/default.aspx?lang=en");
  const panel = page.frameLocator("iframe[name='presence']");
  await panel.locator("li[data-user-id]").first().waitFor();
  await panel.locator("[data-presence-widget] option", { hasText: "Billing" }).waitFor({ state: "attached" });
  const file = `${out}deploy-side-panel.png`;
  await page.screenshot({ path: file });
  console.log(file);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}

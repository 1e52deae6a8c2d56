// Renders the release widget against the development tenant in Debian's Chromium and
// writes docs/widget-{320,900}-{light,dark}.png, for looking at and for the README.
// Needs the release build (trunk build --release) and the devserver binary.
import { startServer, launchBrowser, hostPage, signInAndOpen, cards } from "../tests/e2e/harness.mjs";

const out = new URL("../docs/", import.meta.url).pathname;
const server = await startServer(["--agents", "25"]);
const browser = await launchBrowser();
try {
  for (const scheme of ["light", "dark"]) {
    for (const width of [320, 900]) {
      const context = await browser.newContext({ viewport: { width, height: 700 }, colorScheme: scheme, deviceScaleFactor: 1 });
      const bg = scheme === "dark" ? "#0b0f15" : "#eef1f5";
      await hostPage(context, server.origin, "/shot.html", {
        head: `<link rel="icon" href="data:,"><style>body{margin:0;background:${bg}}</style>`,
        body: `<div data-presence-widget data-refresh-seconds="0"></div>`,
      });
      const page = await context.newPage();
      await signInAndOpen(page, server.origin, "/shot.html");
      await cards(page).first().waitFor();
      await page.locator("[data-presence-widget] option", { hasText: "Billing" }).waitFor({ state: "attached" });
      const file = `${out}widget-${width}-${scheme}.png`;
      await page.screenshot({ path: file });
      console.log(file);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.stop();
}

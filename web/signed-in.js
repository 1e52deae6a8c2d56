// The sign-in's redirect page: the answer (the URL's fragment for the implicit
// flow, its query for the code flow) goes to the widget that asked for it, on this
// page's own origin only; then the tokens leave the address bar and the history,
// and the window closes.
//   - To the window that opened this one, when it still can (postMessage, this
//     origin only).
//   - Over a BroadcastChannel named after the attempt's state: a sign-in page that
//     isolates itself (Cross-Origin-Opener-Policy) leaves this window no opener.
//     A channel is this origin's only, and only the widget that made the attempt
//     knows its name; the widget checks the state again and takes one answer.
const params = (location.hash || location.search).slice(1);
history.replaceState(null, "", location.pathname);
if (params) {
  const message = { kind: "superoffice-sign-in", params };
  if (window.opener) window.opener.postMessage(message, location.origin);
  const state = new URLSearchParams(params).get("state");
  if (state && typeof BroadcastChannel === "function") {
    const channel = new BroadcastChannel(`superoffice-sign-in:${state}`);
    channel.postMessage(message);
    channel.close();
  }
}
window.close();

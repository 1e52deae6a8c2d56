// The sign-in's redirect page: the answer (the URL's fragment for the implicit
// flow, its query for the code flow) goes to the window that opened this one, and
// only if that window is on this page's own origin; then the tokens leave the
// address bar and the history, and the window closes.
const params = (location.hash || location.search).slice(1);
history.replaceState(null, "", location.pathname);
if (params && window.opener) {
  window.opener.postMessage({ kind: "superoffice-sign-in", params }, location.origin);
}
window.close();

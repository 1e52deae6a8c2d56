// Chat presence widget for SuperOffice __VERSION__: mounts on every [data-presence-widget] element.
//   <script type="module" src=".../embed.js"></script>
// Mount elements added or removed later are followed by the widget itself;
// mountAll() (import { mountAll } from ".../embed.js") is kept for older host pages.
export const version = "__VERSION__";
// The wasm download starts at once, alongside the glue's. A server that labels it
// application/wasm lets it compile as it streams; one that does not (a file store
// or CRM attachment saying application/octet-stream) gets it compiled once loaded,
// which the glue would otherwise do only after a warning.
// Both are checked against this release's hashes (Subresource Integrity): a file
// changed on the static host is refused, and nothing runs. The glue is preloaded
// with its hash, so that the import below gets exactly the checked module.
const files = {
  glue: { url: new URL("./__GLUE__", import.meta.url).href, integrity: "__GLUE_INTEGRITY__" },
  wasm: { url: new URL("./__WASM__", import.meta.url).href, integrity: "__WASM_INTEGRITY__" },
};
// The wasm carries English; another language's texts are a file beside this one,
// checked against this release's hash like the others, and fetched only by pages
// in that language. The widget asks for them by tag (the loader below); the page's
// language is guessed here to fetch them while the wasm downloads. (A file that does
// not come within a few seconds leaves the widget in English: the widget decides.)
const texts = __TEXTS__;
const loading = {};
const loadTexts = (tag) => {
  const file = Object.prototype.hasOwnProperty.call(texts, tag) ? texts[tag] : undefined;
  if (!file) return Promise.resolve(null);
  return loading[file[0]] || (loading[file[0]] =
    fetch(new URL("./" + file[0], import.meta.url).href, { integrity: file[1] })
      .then((response) => (response.ok ? response.json() : null))
      .catch(() => null));
};
const guessLanguage = () => {
  const element = document.querySelector("[data-presence-widget][data-lang], presence-widget[data-lang]");
  const tags = [element && element.getAttribute("data-lang"), document.documentElement.lang]
    .concat(Array.from(navigator.languages || []));
  for (const tag of tags) {
    const primary = String(tag || "").trim().split(/[-_]/)[0].toLowerCase();
    if (primary === "en") return;
    if (Object.prototype.hasOwnProperty.call(texts, primary)) return loadTexts(primary);
  }
};
const start = () => {
  const preload = document.createElement("link");
  preload.rel = "modulepreload";
  preload.integrity = files.glue.integrity;
  preload.href = files.glue.url;
  (document.head || document.documentElement).append(preload);
  const wasm = fetch(files.wasm.url, { integrity: files.wasm.integrity }).then((response) => {
    if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
    return type === "application/wasm" ? response : response.arrayBuffer();
  });
  // A browser that does not know modulepreload would import the glue by a second,
  // unchecked request, which a host could answer with other code: there the glue is
  // fetched once, with its hash, and those very bytes are imported (from a blob:
  // URL). A page whose policy refuses blob: scripts refuses that import, and the
  // widget does not start rather than run what it could not check.
  const preloads = preload.relList && preload.relList.supports && preload.relList.supports("modulepreload");
  const glue = preloads ? import(files.glue.url) : fetch(files.glue.url, { integrity: files.glue.integrity })
    .then((response) => {
      if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
      return response.text();
    })
    .then((text) => {
      const url = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
      return import(url).finally(() => URL.revokeObjectURL(url));
    });
  return glue.then((glue) =>
    glue.default({ module_or_path: wasm }).then((exports) => ({ glue, exports })));
};
// One start per page, however many times (or from wherever) this module is loaded.
// Kept under a registered Symbol, which no element id or name on the page can
// shadow (named access on window only creates string-named properties).
const key = Symbol.for("superoffice.presence-widget");
let started = Object.prototype.hasOwnProperty.call(globalThis, key) ? globalThis[key] : undefined;
if (!(started instanceof Promise)) {
  // Where this file is: the sign-in's default redirect page is beside it.
  Object.defineProperty(globalThis, Symbol.for("superoffice.presence-widget.embed"), { value: import.meta.url });
  Object.defineProperty(globalThis, Symbol.for("superoffice.presence-widget.texts"), { value: loadTexts });
  started = start().catch((error) => {
    console.error("presence widget: could not start. If a file of the widget was changed on " +
      "its server, it no longer matches this release's integrity hashes and is refused: " +
      "install the release again. (A browser without modulepreload runs the checked code " +
      "from a blob: URL, which a Content-Security-Policy without blob: in script-src refuses.)", error);
    throw error;
  });
  Object.defineProperty(globalThis, key, { value: started });
  try { guessLanguage(); } catch (error) { /* the widget asks for its texts itself */ }
}
export async function mountAll() {
  (await started).glue.mountAll();
}
// <presence-widget>, with the same data-* attributes: a custom element the browser
// upgrades anywhere, inside other components' shadow roots too (Lit, Stencil,
// Lightning), which no document observer sees. Defined once the widget has started
// (its attribute list comes from it); elements already there are upgraded then.
started.then(({ glue }) => {
  if (!globalThis.customElements || customElements.get("presence-widget")) return;
  const observed = Array.from(glue.attributeNames());
  customElements.define("presence-widget", class extends HTMLElement {
    static get observedAttributes() { return observed; }
    connectedCallback() { glue.mountElement(this); }
    // After the task: an element only moved is connected again by then.
    disconnectedCallback() { setTimeout(() => glue.unmountElement(this)); }
    attributeChangedCallback(name, before, now) {
      if (before !== now && this.isConnected) glue.remountElement(this);
    }
  });
}, () => {});

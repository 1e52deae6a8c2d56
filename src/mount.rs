//! Finds the page's mount elements and starts one widget in each, inside a shadow
//! root so that the host's CSS and the widget's CSS never meet, and follows the
//! document: mount elements added later are mounted, removed ones are unmounted
//! (their subscription, owners, listeners and timers released), and one that is only
//! moved (removed and re-inserted in the same task) keeps running untouched.

use crate::browser::urls::BrowserUrls;
use crate::browser::{dom, js, texts};
use crate::components::Widget;
use crate::logic::config::{
    parse_config, suspected_typos, PageLocation, Theme, ATTRIBUTES, MOUNT_ATTRIBUTE, OPAQUE_ORIGIN,
    PAGE_ORIGINS_META,
};
use crate::logic::i18n::{Lang, Language};
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    CssStyleSheet, Element, HtmlElement, MutationObserver, MutationObserverInit, MutationRecord,
    ShadowRoot, ShadowRootInit, ShadowRootMode,
};

/// The custom element `embed.js` defines: a mount element wherever it is (inside
/// other components' shadow roots too), followed by the browser's own callbacks.
pub const ELEMENT_NAME: &str = "presence-widget";

/// `<presence-widget>`, or any element with `data-presence-widget`.
fn is_mount_element(element: &Element) -> bool {
    element.has_attribute(MOUNT_ATTRIBUTE) || element.local_name() == ELEMENT_NAME
}

/// Set on a mount element while it holds a widget (informational: the widget
/// decides from its own records, which a copied attribute cannot fool).
const MOUNTED_ATTRIBUTE: &str = "data-presence-mounted";

/// The widget's stylesheet, compiled in: adopted by every shadow root as one
/// constructable stylesheet, which a strict `style-src 'self'` policy allows.
const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.css"));

thread_local! {
    static SHEET: Option<CssStyleSheet> = CssStyleSheet::new().ok().and_then(|sheet| {
        sheet.replace_sync(STYLES).ok()?;
        Some(sheet)
    });
    static INSTANCES: RefCell<Vec<Instance>> = const { RefCell::new(Vec::new()) };
    /// Shadow roots this widget attached, by mount element, for mounting again in
    /// the same element (a shadow root cannot be attached twice).
    static SHADOWS: js_sys::WeakMap = js_sys::WeakMap::new();
    static OBSERVER: RefCell<Option<Observer>> = const { RefCell::new(None) };
}

/// The document's observer and its callback, kept for the page's lifetime.
type Observer = (MutationObserver, Closure<dyn FnMut(js_sys::Array)>);

/// One mounted widget.
struct Instance {
    host: Element,
    container: Element,
    /// The language it speaks (English while another's texts load).
    lang: Lang,
    _view: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

/// Mounts a widget in every `[data-presence-widget]` element not yet mounted, and
/// from then on follows the document. Safe to call again (kept for hosts that
/// called it after adding mount elements, which is no longer needed).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = mountAll)]
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    watch_document(&document);
    if let Some(elements) = dom::select_all(&document, &format!("[{MOUNT_ATTRIBUTE}]")) {
        mount_each(&elements);
    }
}

/// One observer for the page: added subtrees are searched for mount elements, and
/// after removals every instance whose element left the document is unmounted.
/// Observer callbacks run after the task that changed the DOM, so an element moved
/// within one task is found back in the document and left alone.
fn watch_document(document: &web_sys::Document) {
    if OBSERVER.with(|o| o.borrow().is_some()) {
        return;
    }
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(|records: js_sys::Array| {
        let mut removed = false;
        let mut changed: Vec<Element> = Vec::new();
        for record in records.iter() {
            let Ok(record) = record.dyn_into::<MutationRecord>() else {
                continue;
            };
            removed |= record.removed_nodes().length() > 0;
            if record.type_() == "attributes" {
                let target = record.target().and_then(|t| t.dyn_into::<Element>().ok());
                let name = record.attribute_name().unwrap_or_default();
                match target {
                    // A framework re-rendering the element with other values: the
                    // widget follows, as if the element had just been added.
                    // (`<presence-widget>` hears of its own through its callbacks.)
                    Some(target) if target.local_name() == ELEMENT_NAME => {}
                    Some(target) if name != MOUNT_ATTRIBUTE => {
                        let now = target.get_attribute(&name);
                        if now != record.old_value() && !changed.contains(&target) {
                            changed.push(target);
                        }
                    }
                    Some(target) if is_mount_element(&target) => mount_if_new(&target),
                    Some(_) => removed = true,
                    None => {}
                }
            }
            let added = record.added_nodes();
            for index in 0..added.length() {
                if let Some(element) = added.item(index).and_then(|n| n.dyn_into().ok()) {
                    mount_within(&element);
                }
            }
        }
        if removed {
            unmount_departed();
        }
        for host in changed {
            remount(&host);
        }
    });
    let Ok(observer) = MutationObserver::new(callback.as_ref().unchecked_ref()) else {
        return;
    };
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    // Every attribute of the embedding contract, and what it was before.
    let names: js_sys::Array = ATTRIBUTES
        .iter()
        .map(|a| JsValue::from_str(a.name))
        .collect();
    options.set_attribute_filter(&names);
    options.set_attribute_old_value(true);
    // The document itself, not its root element: a page may replace the root, and
    // `document.documentElement` can be shadowed by markup.
    {
        if observer.observe_with_options(document, &options).is_ok() {
            // Page-lifetime observer: kept for as long as the page runs.
            OBSERVER.with(|o| *o.borrow_mut() = Some((observer, callback)));
        }
    }
}

/// Mounts `element` and every mount element inside it that is not mounted yet.
fn mount_within(element: &Element) {
    if element.has_attribute(MOUNT_ATTRIBUTE) {
        mount_if_new(element);
    }
    if let Ok(inner) = element.query_selector_all(&format!("[{MOUNT_ATTRIBUTE}]")) {
        mount_each(&inner);
    }
}

fn mount_each(elements: &web_sys::NodeList) {
    for index in 0..elements.length() {
        if let Some(element) = elements.item(index).and_then(|n| n.dyn_into().ok()) {
            mount_if_new(&element);
        }
    }
}

fn mount_if_new(host: &Element) {
    mount_new(host, None);
}

/// Mounts `host` unless it holds a widget; `fallback` is the language to speak
/// while the one it asks for loads (none: it waits for it).
fn mount_new(host: &Element, fallback: Option<Lang>) {
    let mounted = INSTANCES.with(|instances| {
        instances
            .borrow()
            .iter()
            .any(|instance| instance.host == *host)
    });
    if !mounted && host.is_connected() && is_mount_element(host) {
        if let Some(instance) = mount_in(host, fallback) {
            INSTANCES.with(|instances| instances.borrow_mut().push(instance));
        }
    }
}

/// Unmounts every instance whose widget is no longer in the document (its mount
/// element was removed, or the host removed the inner element that carried the
/// widget) or whose element is no longer a mount element. A mount element that is
/// still one, and still in the document, gets a fresh widget.
fn unmount_departed() {
    let departed: Vec<Instance> = INSTANCES.with(|instances| {
        let mut instances = instances.borrow_mut();
        let (gone, kept) = instances
            .drain(..)
            .partition(|i| !i.container.is_connected() || !is_mount_element(&i.host));
        *instances = kept;
        gone
    });
    for instance in departed {
        let host = unmount(instance);
        mount_if_new(&host);
    }
}

/// `<presence-widget>` was connected (`connectedCallback`, from `embed.js`).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = mountElement)]
pub fn mount_element(element: &Element) {
    if element.local_name() == ELEMENT_NAME {
        mount_if_new(element);
    }
}

/// `<presence-widget>` left the document (`disconnectedCallback`, after the task
/// that removed it: one only moved is connected again by then and keeps running).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = unmountElement)]
pub fn unmount_element(element: &Element) {
    if element.is_connected() {
        return;
    }
    if let Some(instance) = take_instance(element) {
        unmount(instance);
    }
}

/// `<presence-widget>`'s attribute changed (`attributeChangedCallback`).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = remountElement)]
pub fn remount_element(element: &Element) {
    if element.local_name() == ELEMENT_NAME {
        remount(element);
    }
}

/// The attributes `<presence-widget>` observes: the embedding contract's.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = attributeNames)]
pub fn attribute_names() -> js_sys::Array {
    ATTRIBUTES
        .iter()
        .map(|a| JsValue::from_str(a.name))
        .collect()
}

/// A mounted element whose attributes changed gets a widget made afresh from them
/// (checked as at start; a new API base is a new feed; the host's values win over
/// what the user chose in the old one).
fn remount(host: &Element) {
    match take_instance(host) {
        // Until a new language's texts are here, in the language it spoke.
        Some(instance) => {
            let lang = instance.lang;
            unmount(instance);
            mount_new(host, Some(lang));
        }
        // Still waiting for its texts: perhaps its new language is at hand.
        None => mount_if_new(host),
    }
}

/// `language`'s texts are settled: a widget that still wants that language is
/// made afresh in it if it speaks another, and mounted if it was waiting.
fn language_settled(host: &Element, language: &'static Language) {
    if language_of(host).tag != language.tag {
        return;
    }
    let Some(lang) = texts::lang_for(language, Box::new(|| {})) else {
        return;
    };
    let speaks = INSTANCES.with(|instances| {
        instances
            .borrow()
            .iter()
            .find(|instance| instance.host == *host)
            .map(|instance| instance.lang)
    });
    match speaks {
        None => mount_if_new(host),
        Some(spoken) if spoken != lang => remount(host),
        Some(_) => {}
    }
}

/// The language `host`'s widget speaks: its `data-lang`, the page's `lang`, then
/// the browser's languages; English if none of them is spoken.
fn language_of(host: &Element) -> &'static Language {
    let requested = host.get_attribute("data-lang").unwrap_or_default();
    let page_lang = host
        .owner_document()
        .and_then(|document| dom::root_element(&document))
        .and_then(|root| root.get_attribute("lang"))
        .unwrap_or_default();
    let browser_langs = browser_languages();
    Language::pick(
        [requested.as_str(), page_lang.as_str()]
            .into_iter()
            .chain(browser_langs.iter().map(String::as_str)),
    )
}

/// The browser's first few languages, read so that a page's stand-in for
/// `navigator.languages` (a getter that throws, a huge length) costs nothing.
fn browser_languages() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let languages = js::get(&js::get(&window, "navigator"), "languages");
    if !js_sys::Array::is_array(&languages) {
        return Vec::new();
    }
    (0..8)
        .map_while(|i| js_sys::Reflect::get_u32(&languages, i).ok()?.as_string())
        .collect()
}

/// The instance mounted in `host`, taken out of the list.
fn take_instance(host: &Element) -> Option<Instance> {
    INSTANCES.with(|instances| {
        let mut instances = instances.borrow_mut();
        let index = instances.iter().position(|i| i.host == *host)?;
        Some(instances.remove(index))
    })
}

/// Disposes an instance's owner (its subscription, effects and listeners) and its
/// elements; gives back its mount element.
fn unmount(instance: Instance) -> Element {
    let Instance {
        host,
        container,
        _view: view,
        ..
    } = instance;
    drop(view);
    container.remove();
    let _ = host.remove_attribute(MOUNTED_ATTRIBUTE);
    host
}

/// The shadow root to render into: one this widget attached to `host` before, or a
/// new one on `host`, or, for elements that cannot host one (`td`, `li`, `a`, custom
/// elements with their own), a new one on an inner element, so isolation always holds.
fn shadow_root_for(
    host: &Element,
    document: &web_sys::Document,
    theme: Theme,
) -> Option<ShadowRoot> {
    let known = SHADOWS.with(|shadows| shadows.get(host));
    if let Ok(shadow) = known.dyn_into::<ShadowRoot>() {
        let shadow_host = shadow.host();
        if shadow_host == *host {
            return Some(shadow);
        }
        if shadow_host.parent_element().as_ref() == Some(host) {
            // The inner element carries the theme (it may have changed).
            let _ = match theme.attribute() {
                Some(theme) => shadow_host.set_attribute("data-theme", theme),
                None => shadow_host.remove_attribute("data-theme"),
            };
            return Some(shadow);
        }
    }
    let init = ShadowRootInit::new(ShadowRootMode::Open);
    let shadow = host.attach_shadow(&init).ok().or_else(|| {
        let inner = document.create_element("span").ok()?;
        let _ = inner.set_attribute("data-presence-root", "");
        // The stylesheet reads the theme on the shadow host, which is this one.
        if let Some(theme) = theme.attribute() {
            let _ = inner.set_attribute("data-theme", theme);
        }
        let shadow = inner.attach_shadow(&init).ok()?;
        host.append_child(&inner).ok()?;
        Some(shadow)
    })?;
    SHEET.with(|sheet| {
        if let Some(sheet) = sheet {
            let sheets = js_sys::Array::of1(sheet);
            js::set(&shadow, "adoptedStyleSheets", &sheets);
        }
    });
    SHADOWS.with(|shadows| shadows.set(host, &shadow));
    Some(shadow)
}

/// Mounts one widget in `host`.
fn mount_in(host: &Element, fallback: Option<Lang>) -> Option<Instance> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let location = window.location();
    let href = location.href().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    let attributes = attributes_of(host);
    let widget_base = crate::browser::signin::widget_base();
    let page_origins = dom::head_meta(&document, PAGE_ORIGINS_META);
    let config = parse_config(
        &attributes,
        &PageLocation {
            href: &href,
            path: &path,
            widget_base: widget_base.as_deref(),
            allowed_origins: page_origins.as_deref(),
        },
        &BrowserUrls,
    );

    // A language the wasm does not carry: mounted (or made afresh) once its texts
    // are settled.
    let language = language_of(host);
    let waiting = host.clone();
    let lang = match texts::lang_for(
        language,
        Box::new(move || language_settled(&waiting, language)),
    ) {
        Some(lang) => lang,
        None => fallback?,
    };
    for typo in suspected_typos(&attributes) {
        web_sys::console::warn_1(&JsValue::from_str(&format!("presence widget: {typo}")));
    }

    let theme = config.as_ref().map(|c| c.theme).unwrap_or_default();
    let shadow = shadow_root_for(host, &document, theme)?;
    let container = document.create_element("div").ok()?;
    container.set_class_name("pw-root");
    shadow.append_child(&container).ok()?;
    let _ = host.set_attribute(MOUNTED_ATTRIBUTE, "");
    let mount_point = container.clone().dyn_into::<HtmlElement>().ok()?;
    let opaque = js::get(&window, "origin").as_string().as_deref() == Some(OPAQUE_ORIGIN);
    let view = leptos::mount::mount_to(mount_point, move || {
        view! { class = "pw", <Widget config lang opaque/> }.into_any()
    });
    Some(Instance {
        host: host.clone(),
        container,
        lang,
        _view: view,
    })
}

fn attributes_of(element: &Element) -> Vec<(String, String)> {
    let attributes = element.attributes();
    (0..attributes.length())
        .filter_map(|i| attributes.item(i))
        .map(|attr| (attr.name(), attr.value()))
        .collect()
}

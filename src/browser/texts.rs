//! The texts of a language the wasm does not carry: `embed.js` loads its file
//! (beside itself, checked against this release's hash) and hands the words over.
//! Each language is asked for once per page; widgets in it wait for the answer,
//! and a file that does not come within [`WAIT_MS`] leaves them in English.

use crate::browser::js;
use crate::browser::timer::Timeout;
use crate::logic::i18n::{Lang, Language, Strings};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Where `embed.js` keeps its loader: `(tag) => Promise<string[] | null>`.
const LOADER: &str = "superoffice.presence-widget.texts";

/// How long a widget waits for its language before it speaks English: kept here,
/// not in the page's script, so that a loader that never answers cannot keep it
/// blank. (A page whose `setTimeout` never calls back stops every timer of the
/// widget, this one too.)
const WAIT_MS: u32 = 5_000;

enum Texts {
    /// Asked for; the timer that gives up on it.
    Loading(Option<Timeout>),
    Loaded(&'static Strings),
    Missing,
}

/// What to do once a language's texts are settled (mount a widget waiting).
type Waiter = (&'static str, Box<dyn FnOnce()>);

thread_local! {
    /// Each language asked for, by tag.
    static TEXTS: RefCell<Vec<(&'static str, Texts)>> = const { RefCell::new(Vec::new()) };
    static WAITING: RefCell<Vec<Waiter>> = const { RefCell::new(Vec::new()) };
}

/// `language` with its words if they are at hand (English when its file could not
/// be had); `None` while they load, after which `then` runs once.
pub fn lang_for(language: &'static Language, then: Box<dyn FnOnce()>) -> Option<Lang> {
    if let Some(lang) = language.bundled() {
        return Some(lang);
    }
    let tag = language.tag;
    let asked = TEXTS.with(|texts| {
        let texts = texts.borrow();
        match texts
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, state)| state)
        {
            Some(Texts::Loaded(strings)) => Some(Some(language.with(strings))),
            Some(Texts::Missing) => Some(Some(Lang::default())),
            Some(Texts::Loading(_)) => Some(None),
            None => None,
        }
    });
    if let Some(Some(lang)) = asked {
        return Some(lang);
    }
    WAITING.with(|waiting| waiting.borrow_mut().push((tag, then)));
    if asked.is_none() {
        let timer = Timeout::start(WAIT_MS, move || settle(tag, None));
        TEXTS.with(|texts| texts.borrow_mut().push((tag, Texts::Loading(Some(timer)))));
        wasm_bindgen_futures::spawn_local(async move { settle(tag, load(tag).await) });
    }
    None
}

/// The first outcome for `tag` (its words, or none: English) is kept, and the
/// widgets waiting for it are mounted; a later one changes nothing.
fn settle(tag: &'static str, strings: Option<&'static Strings>) {
    let timer = TEXTS.with(|texts| {
        let mut texts = texts.borrow_mut();
        let (_, state) = texts.iter_mut().find(|(t, _)| *t == tag)?;
        let Texts::Loading(timer) = state else {
            return None;
        };
        let timer = timer.take();
        *state = strings.map_or(Texts::Missing, Texts::Loaded);
        Some(timer)
    });
    let Some(timer) = timer else {
        return;
    };
    // This may be the timer's own callback: it is dropped after it returns.
    wasm_bindgen_futures::spawn_local(async move { drop(timer) });
    if strings.is_none() {
        web_sys::console::warn_1(&JsValue::from_str(&format!(
            "presence widget: the texts of \"{tag}\" did not load (the files beside \
             embed.js are needed too); showing English"
        )));
    }
    let waiting = WAITING.with(|waiting| {
        let mut waiting = waiting.borrow_mut();
        let (now, later) = waiting.drain(..).partition(|(t, _)| *t == tag);
        *waiting = later;
        now
    });
    // Each in a microtask of its own where the page allows: a host page's patched
    // DOM method that throws while one widget mounts leaves the others to mount.
    let window = web_sys::window();
    let queue = window
        .as_ref()
        .and_then(|window| js::method(window, "queueMicrotask"));
    for (_, then) in waiting {
        let then = Rc::new(Cell::new(Some(then)));
        let run = {
            let then = Rc::clone(&then);
            move || {
                if let Some(then) = then.take() {
                    then();
                }
            }
        };
        let queued = queue.as_ref().is_some_and(|queue| {
            queue
                .call1(&JsValue::UNDEFINED, &Closure::once_into_js(run))
                .is_ok()
        });
        if !queued {
            if let Some(then) = then.take() {
                then();
            }
        }
    }
}

/// The words of `tag` from `embed.js`'s loader; `None` without a loader, or for an
/// answer that is not exactly this release's list of texts.
async fn load(tag: &'static str) -> Option<&'static Strings> {
    let key = js_sys::Symbol::for_(LOADER);
    let loader: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &key)
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: js_sys::Promise = loader
        .call1(&JsValue::NULL, &JsValue::from_str(tag))
        .ok()?
        .dyn_into()
        .ok()?;
    let answer = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    // Read through `Reflect`, which catches: a page's stand-in that throws is no answer.
    let length = js_sys::Reflect::get(&answer, &JsValue::from_str("length"))
        .ok()?
        .as_f64()?;
    if !js_sys::Array::is_array(&answer) || length != Strings::COUNT as f64 {
        return None;
    }
    // Kept for the page's life, as the words compiled in are: once per language.
    let texts: Vec<&'static str> = (0..Strings::COUNT as u32)
        .map(|i| {
            Some(
                &*js_sys::Reflect::get_u32(&answer, i)
                    .ok()?
                    .as_string()?
                    .leak(),
            )
        })
        .collect::<Option<_>>()?;
    Strings::from_texts(&texts).map(|strings| &*Box::leak(Box::new(strings)))
}

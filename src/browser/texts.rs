//! The texts of a language the wasm does not carry: `embed.js` loads its file
//! (beside itself, checked against this release's hash) and hands the words over.
//! Each language is asked for once per page; widgets in it wait for the answer,
//! and a file that does not come leaves them in English.

use crate::logic::i18n::{Lang, Language, Strings};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

/// Where `embed.js` keeps its loader: `(tag) => Promise<string[] | null>`.
const LOADER: &str = "superoffice.presence-widget.texts";

enum Texts {
    Loading,
    Loaded(&'static Strings),
    Missing,
}

thread_local! {
    /// Each language asked for, by tag.
    static TEXTS: RefCell<Vec<(&'static str, Texts)>> = const { RefCell::new(Vec::new()) };
    /// What to do once a language's texts are settled (mount the widgets waiting).
    static WAITING: RefCell<Vec<Box<dyn FnOnce()>>> = const { RefCell::new(Vec::new()) };
}

/// `language` with its words if they are at hand (English when its file could not
/// be had); `None` while they load, after which `then` runs once.
pub fn lang_for(language: &'static Language, then: impl FnOnce() + 'static) -> Option<Lang> {
    if let Some(lang) = language.bundled() {
        return Some(lang);
    }
    let asked = TEXTS.with(|texts| {
        let mut texts = texts.borrow_mut();
        match texts.iter().find(|(tag, _)| *tag == language.tag) {
            Some((_, Texts::Loaded(strings))) => Ok(Some(language.with(strings))),
            Some((_, Texts::Missing)) => Ok(Some(Lang::default())),
            Some((_, Texts::Loading)) => Ok(None),
            None => {
                texts.push((language.tag, Texts::Loading));
                Err(())
            }
        }
    });
    if let Ok(lang) = asked {
        if lang.is_none() {
            WAITING.with(|waiting| waiting.borrow_mut().push(Box::new(then)));
        }
        return lang;
    }
    WAITING.with(|waiting| waiting.borrow_mut().push(Box::new(then)));
    wasm_bindgen_futures::spawn_local(async move {
        let state = match load(language.tag).await {
            Some(strings) => Texts::Loaded(strings),
            None => {
                web_sys::console::warn_1(&JsValue::from_str(&format!(
                    "presence widget: the texts of \"{}\" did not load (the files beside \
                     embed.js are needed too); showing English",
                    language.tag
                )));
                Texts::Missing
            }
        };
        TEXTS.with(|texts| {
            if let Some(entry) = texts
                .borrow_mut()
                .iter_mut()
                .find(|(tag, _)| *tag == language.tag)
            {
                entry.1 = state;
            }
        });
        let waiting = WAITING.with(|waiting| std::mem::take(&mut *waiting.borrow_mut()));
        for then in waiting {
            then();
        }
    });
    None
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
    let answer: js_sys::Array = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if answer.length() as usize != Strings::COUNT {
        return None;
    }
    // Kept for the page's life, as the words compiled in are: once per language.
    let texts: Vec<&'static str> = answer
        .iter()
        .map(|text| Some(&*text.as_string()?.leak()))
        .collect::<Option<_>>()?;
    Strings::from_texts(&texts).map(|strings| &*Box::leak(Box::new(strings)))
}

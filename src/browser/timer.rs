//! The widget's one timer idiom: a `setTimeout` that is cleared, and its callback
//! freed, when dropped. (Leptos' own helpers free a callback only when it runs, so
//! every timer cancelled before it fires would stay in memory; feeds re-arm theirs
//! on every event.)

use wasm_bindgen::JsCast;

/// The time, in ms since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A factor from 0.8 to 1.2 that spreads retries of many browsers that failed together.
pub fn jitter() -> f64 {
    0.8 + js_sys::Math::random() * 0.4
}

/// A `setTimeout` that is cleared when dropped.
pub struct Timeout {
    id: Option<i32>,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl Timeout {
    pub fn start(ms: u32, f: impl FnOnce() + 'static) -> Timeout {
        let mut f = Some(f);
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.take() {
                f();
            }
        });
        let id = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                ms.min(i32::MAX as u32) as i32,
            )
            .ok()
        });
        Timeout {
            id,
            _callback: callback,
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let (Some(id), Some(window)) = (self.id, web_sys::window()) {
            window.clear_timeout_with_handle(id);
        }
    }
}

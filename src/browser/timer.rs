//! The widget's one timer idiom: a `setTimeout` that is cleared, and its callback
//! freed, when dropped. (Leptos' own helpers free a callback only when it runs, so
//! every timer cancelled before it fires would stay in memory; feeds re-arm theirs
//! on every event.)
//!
//! Kept instead of gloo-timers' `Timeout`, for its behaviour on a hostile page:
//! gloo-timers (0.3) calls `setTimeout` with
//! `unwrap_throw`, so a host whose `setTimeout` throws unwinds out of the widget in
//! the middle of its work, and passes `millis as i32`, so a delay above 2³¹ ms
//! wraps negative and fires at once.
//! Here a refused timer is no timer, and delays are clamped. [`AfterPaint`] is not
//! gloo-render's `AnimationFrame` because it needs a fallback timeout (hidden
//! iframes paint no frames), which a frame callback alone cannot give.

use crate::logic::clock::Clock;
use wasm_bindgen::JsCast;

/// The time, in ms since the epoch, on the widget's clock, which never goes back
/// ([`crate::logic::clock`]): every time the widget keeps, compares or schedules.
pub fn now_ms() -> f64 {
    thread_local! {
        static PERFORMANCE: Option<web_sys::Performance> =
            web_sys::window().and_then(|window| window.performance());
        static CLOCK: std::cell::Cell<Clock> = std::cell::Cell::new(Clock::default());
    }
    let wall = js_sys::Date::now();
    let Some(monotonic) = PERFORMANCE.with(|p| p.as_ref().map(web_sys::Performance::now)) else {
        return wall;
    };
    CLOCK.with(|clock| {
        let mut state = clock.get();
        let now = state.now(wall, monotonic);
        clock.set(state);
        now
    })
}

/// The page's offset from UTC in ms (positive east of Greenwich), for clock times.
pub fn local_offset_ms() -> f64 {
    -js_sys::Date::new_0().get_timezone_offset() * 60_000.0
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
        // Until `setTimeout` has returned, the callback is not a timer's: a host page's
        // stand-in that calls it at once would have a feed re-arm and fire it again
        // in a loop that never yields, and hang the page. Such a call is ignored.
        let armed = std::rc::Rc::new(std::cell::Cell::new(false));
        let mut f = Some(f);
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new({
            let armed = std::rc::Rc::clone(&armed);
            move || {
                if armed.get() {
                    if let Some(f) = f.take() {
                        f();
                    }
                }
            }
        });
        let id = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                ms.min(i32::MAX as u32) as i32,
            )
            .ok()
        });
        armed.set(true);
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

/// Runs a callback once the browser has painted the next frame (a
/// `requestAnimationFrame`, then a `setTimeout` from it, which runs after the paint),
/// or after `fallback_ms` when no frame comes (a hidden tab or iframe has none);
/// cancelled when dropped.
pub struct AfterPaint {
    frame: Option<i32>,
    _on_frame: wasm_bindgen::closure::Closure<dyn FnMut()>,
    _fallback: Timeout,
    _after_frame: std::rc::Rc<std::cell::Cell<Option<Timeout>>>,
}

impl AfterPaint {
    pub fn start(fallback_ms: u32, f: impl FnOnce() + 'static) -> AfterPaint {
        let f = std::rc::Rc::new(std::cell::Cell::new(Some(f)));
        let run = move || {
            if let Some(f) = f.take() {
                f();
            }
        };
        let after_frame = std::rc::Rc::new(std::cell::Cell::new(None));
        let on_frame = {
            let (after_frame, run) = (after_frame.clone(), run.clone());
            wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                after_frame.set(Some(Timeout::start(0, run.clone())));
            })
        };
        let frame = web_sys::window().and_then(|w| {
            w.request_animation_frame(on_frame.as_ref().unchecked_ref())
                .ok()
        });
        AfterPaint {
            frame,
            _on_frame: on_frame,
            _fallback: Timeout::start(fallback_ms, run),
            _after_frame: after_frame,
        }
    }
}

impl Drop for AfterPaint {
    fn drop(&mut self) {
        if let (Some(frame), Some(window)) = (self.frame, web_sys::window()) {
            let _ = window.cancel_animation_frame(frame);
        }
    }
}

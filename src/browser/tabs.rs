//! Coordination between the tabs of one origin that show the same API base: a Web
//! Lock elects the one tab that polls, and a `BroadcastChannel` carries what it
//! learns to the others (and their wishes to it).
//!
//! Anything on the channel comes from a page of this origin, not necessarily one of
//! ours: every message is checked for shape, sizes and plausible times before it is
//! used, and what is not understood is dropped.

use crate::browser::js::{self, set};
use crate::browser::timer::now_ms;
use crate::logic::wire::tabs::{BodyText, TabMessage};
use js_sys::{Function, JsString, Object, Promise};
use serde::{Deserialize, Deserializer};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, BroadcastChannel, MessageEvent};

/// What tabs tell each other; a body travels as the JS string it arrived as.
pub type Message = TabMessage<JsBody>;

/// A body's text in a message, kept as the JS string it is (serde-wasm-bindgen
/// hands it over untouched); anything but a string is not a body.
pub struct JsBody(pub JsString);

impl<'de> Deserialize<'de> for JsBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value: JsValue = serde_wasm_bindgen::preserve::deserialize(deserializer)?;
        value
            .dyn_into()
            .map(JsBody)
            .map_err(|_| serde::de::Error::custom("not a string"))
    }
}

impl BodyText for JsBody {
    fn utf16_len(&self) -> usize {
        self.0.length() as usize
    }
}

#[wasm_bindgen]
extern "C" {
    type LockManager;
    #[wasm_bindgen(method, catch, js_name = request)]
    fn try_request(
        this: &LockManager,
        name: &str,
        options: &JsValue,
        callback: &Function,
    ) -> Result<LockRequest, JsValue>;
    /// The promise `LockManager.request` returns.
    type LockRequest;
    /// `then(f, f)` with a plain function (one that frees itself when called).
    #[wasm_bindgen(method, js_name = then)]
    fn then_either(this: &LockRequest, on_fulfilled: &Function, on_rejected: &Function);
}

/// What runs once when this tab is elected.
type OnLeader = RefCell<Option<Box<dyn FnOnce()>>>;

/// This tab's membership: the channel and its listener, and the lock (held or
/// waited for). Dropping it leaves: the channel closes and the lock is released or
/// the wait for it abandoned, so another tab takes over.
pub struct TabLink {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    /// Resolves the promise that holds the lock, once granted.
    release: Rc<RefCell<Option<Function>>>,
    left: Rc<Cell<bool>>,
    abort: Option<AbortController>,
}

impl TabLink {
    /// Joins the group `name`: `on_message` gets the other tabs' messages, and
    /// `on_leader` runs when this tab is granted the lock (it then keeps it until the
    /// link is dropped). `None` where the browser lacks Web Locks or BroadcastChannel
    /// (e.g. a page not served over https or from localhost).
    pub fn join(
        name: &str,
        mut on_message: impl FnMut(Message) + 'static,
        on_leader: impl FnOnce() + 'static,
    ) -> Option<TabLink> {
        let navigator = web_sys::window()?.navigator();
        let locks = js::get(&navigator, "locks");
        if locks.is_undefined() || locks.is_null() {
            return None;
        }
        let channel = BroadcastChannel::new(name).ok()?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = serde_wasm_bindgen::Deserializer::from(event.data());
            if let Some(message) = Message::read(data, now_ms()) {
                on_message(message);
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));

        let release = Rc::new(RefCell::new(None::<Function>));
        let left = Rc::new(Cell::new(false));
        // Elected once: when the lock is granted, or when it never can be (a lock
        // manager that refuses, as in a page whose origin is opaque): then this tab
        // polls for itself rather than wait for a leader that never comes.
        let on_leader: Rc<OnLeader> = Rc::new(RefCell::new(Some(Box::new(on_leader))));
        let elect = {
            let left = Rc::clone(&left);
            move |on_leader: &OnLeader| {
                let taken = on_leader.borrow_mut().take();
                if let Some(on_leader) = taken.filter(|_| !left.get()) {
                    on_leader();
                }
            }
        };
        let on_granted = {
            let release = Rc::clone(&release);
            let left = Rc::clone(&left);
            let on_leader = Rc::clone(&on_leader);
            let elect = elect.clone();
            Closure::<dyn FnMut(JsValue) -> Promise>::new(move |_lock| {
                if left.get() {
                    return Promise::resolve(&JsValue::UNDEFINED);
                }
                elect(&on_leader);
                Promise::new(&mut |resolve, _| *release.borrow_mut() = Some(resolve))
            })
        };
        let abort = AbortController::new().ok();
        let options = Object::new();
        if let Some(abort) = &abort {
            set(&options, "signal", &abort.signal());
        }
        let locks: LockManager = locks.unchecked_into();
        let requested = match locks.try_request(name, &options, on_granted.as_ref().unchecked_ref())
        {
            Ok(requested) => Some(requested),
            Err(_) => {
                elect(&on_leader);
                None
            }
        };
        if let Some(requested) = requested {
            // The callback lives until the request settles, either way; one function
            // for both ways (the other of two would never be freed). Refused, the tab
            // polls for itself; granted, it already did (and `elect` does nothing).
            let settled = Closure::once_into_js(move |_: JsValue| {
                drop(on_granted);
                elect(&on_leader);
            });
            let settled: &Function = settled.unchecked_ref();
            requested.then_either(settled, settled);
        }
        Some(TabLink {
            channel,
            _on_message: on_message,
            release,
            left,
            abort,
        })
    }

    pub fn post(&self, message: &Message) {
        let _ = self.channel.post_message(&encode(message));
    }
}

impl Drop for TabLink {
    fn drop(&mut self) {
        self.left.set(true);
        self.channel.set_onmessage(None);
        self.channel.close();
        match self.release.borrow_mut().take() {
            Some(release) => {
                let _ = release.call0(&JsValue::UNDEFINED);
            }
            None => {
                if let Some(abort) = &self.abort {
                    abort.abort();
                }
            }
        }
    }
}

/// A message as posted (see `logic::wire::tabs` for why times go as durations).
fn encode(message: &Message) -> JsValue {
    let object = Object::new();
    let now = now_ms();
    let kind = match message {
        Message::Hello => "hello",
        Message::Refresh => "refresh",
        Message::Ask => "ask",
        Message::Wanted { interval_ms } => {
            set(&object, "interval", &JsValue::from_f64(*interval_ms));
            "wanted"
        }
        Message::Data { body, at } => {
            set(&object, "body", &body.0);
            set(&object, "age", &JsValue::from_f64(now - at));
            set(&object, "at", &JsValue::from_f64(*at));
            "data"
        }
        Message::Failed { error, next } => {
            let (code, status, detail) = error.to_parts();
            set(&object, "code", &JsValue::from_str(code));
            set(&object, "status", &JsValue::from_f64(f64::from(status)));
            if let Some(detail) = detail {
                set(&object, "detail", &JsValue::from_str(&detail));
            }
            if let Some(next) = next {
                set(&object, "wait", &JsValue::from_f64(next - now));
                set(&object, "next", &JsValue::from_f64(*next));
            }
            "failed"
        }
        Message::Topics(entries) => {
            set(&object, "topics", &js::topic_entries(entries));
            "topics"
        }
    };
    set(&object, "kind", &JsValue::from_str(kind));
    object.into()
}

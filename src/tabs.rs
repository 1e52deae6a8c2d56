//! Coordination between the tabs of one origin that show the same API base: a Web
//! Lock elects the one tab that polls, and a `BroadcastChannel` carries what it
//! learns to the others (and their requests to it).

use crate::error::ApiError;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

/// What tabs tell each other.
pub enum Message {
    /// A tab joined: the leader answers with what it has.
    Hello,
    /// A follower's user (or its page coming back) wants fresh data now.
    Refresh,
    /// A visible follower is watching: keep polling even if the leader's tab is hidden.
    Wanted,
    /// A good `GetAll` body (as parsed JSON) and when it arrived.
    Data { body: JsValue, at: f64 },
    /// The last attempt failed; `next` is when the leader tries again.
    Failed { error: ApiError, next: Option<f64> },
}

#[wasm_bindgen]
extern "C" {
    type LockManager;
    #[wasm_bindgen(method)]
    fn request(this: &LockManager, name: &str, callback: &Function) -> Promise;
}

/// This tab's membership: the channel and its listener, and the lock request.
pub struct TabLink {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_granted: Closure<dyn FnMut(JsValue) -> Promise>,
}

impl TabLink {
    /// Joins the group `name`: `on_message` gets the other tabs' messages, and
    /// `on_leader` runs when this tab is granted the lock (it then keeps it for the
    /// rest of its life). `None` where the browser lacks Web Locks or BroadcastChannel
    /// (e.g. a page not served over https or from localhost).
    pub fn join(
        name: &str,
        mut on_message: impl FnMut(Message) + 'static,
        on_leader: impl FnOnce() + 'static,
    ) -> Option<TabLink> {
        let navigator = web_sys::window()?.navigator();
        let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
        if locks.is_undefined() || locks.is_null() {
            return None;
        }
        let channel = BroadcastChannel::new(name).ok()?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(message) = decode(&event.data()) {
                on_message(message);
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let mut on_leader = Some(on_leader);
        let on_granted = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |_lock| {
            if let Some(on_leader) = on_leader.take() {
                on_leader();
            }
            // Never settles: the lock is held until the tab goes away.
            Promise::new(&mut |_, _| {})
        });
        let locks: LockManager = locks.unchecked_into();
        let _ = locks.request(name, on_granted.as_ref().unchecked_ref());
        Some(TabLink {
            channel,
            _on_message: on_message,
            _on_granted: on_granted,
        })
    }

    pub fn post(&self, message: &Message) {
        let _ = self.channel.post_message(&encode(message));
    }
}

fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn encode(message: &Message) -> JsValue {
    let object = Object::new();
    let kind = match message {
        Message::Hello => "hello",
        Message::Refresh => "refresh",
        Message::Wanted => "wanted",
        Message::Data { body, at } => {
            set(&object, "body", body);
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
                set(&object, "next", &JsValue::from_f64(*next));
            }
            "failed"
        }
    };
    set(&object, "kind", &JsValue::from_str(kind));
    object.into()
}

/// Reads a message from another tab; anything unexpected is ignored.
fn decode(data: &JsValue) -> Option<Message> {
    Some(match get(data, "kind").as_string()?.as_str() {
        "hello" => Message::Hello,
        "refresh" => Message::Refresh,
        "wanted" => Message::Wanted,
        "data" => Message::Data {
            body: get(data, "body"),
            at: get(data, "at").as_f64()?,
        },
        "failed" => Message::Failed {
            error: ApiError::from_parts(
                &get(data, "code").as_string()?,
                get(data, "status").as_f64().unwrap_or(0.0) as u16,
                get(data, "detail").as_string(),
            ),
            next: get(data, "next").as_f64(),
        },
        _ => return None,
    })
}

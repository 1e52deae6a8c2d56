//! The user's marks on an API base's agents and topics: pinned colleagues, and
//! "tell me when someone is available" watches, kept in local storage per origin
//! and API base (so they survive a reload of the panel and are the same in every
//! tab), and followed across tabs through the `storage` event.
//!
//! Watches are checked only by the tab that polls, on each answer it gets: it ends
//! the watches that fired, logs them for the other tabs (which show the same
//! in-widget notice), and sends the one system notification of the browser (the
//! Notification API, if the user allowed it when they set a watch).

use crate::browser::js::{self, get, set};
use crate::browser::stored::{self, Area};
use crate::browser::timer::now_ms;
use crate::logic::i18n::Lang;
use crate::logic::model::{Roster, TopicInfo};
use crate::logic::pins::Pins;
use crate::logic::policy::plausible_time;
use crate::logic::view_model::fired_text;
use crate::logic::watch::{Fired, Target, Watch, Watches};
use js_sys::{Array, Object};
use leptos::prelude::*;
use std::cell::Cell;
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};

/// Notices kept on screen at once (the oldest goes first).
const MAX_NOTICES: usize = 3;
/// How long another tab's fired watch is still news.
const FIRED_NEWS_MS: f64 = 2.0 * 60_000.0;

/// A fired watch as the widget shows it, with the name of who is available.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub fired: Fired,
    pub name: String,
    /// When it fired (ms since the epoch): with `fired`, its identity.
    pub at: f64,
}

pub struct Marks {
    base: String,
    pub pins: ArcRwSignal<Pins>,
    pub watches: ArcRwSignal<Watches>,
    pub notices: ArcRwSignal<Vec<Notice>>,
    /// Fired watches logged before this time are old news in this tab.
    seen_until: Cell<f64>,
}

fn target_to_js(target: Target) -> (&'static str, i32) {
    match target {
        Target::Topic(id) => ("topic", id),
        Target::Agent(id) => ("agent", id),
    }
}

fn target_from_js(kind: &JsValue, id: &JsValue) -> Option<Target> {
    let id = id.as_f64().filter(|id| {
        id.fract() == 0.0 && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(id)
    })? as i32;
    match kind.as_string()?.as_str() {
        "topic" => Some(Target::Topic(id)),
        "agent" => Some(Target::Agent(id)),
        _ => None,
    }
}

/// The entries of a stored list (each itself a list, read with [`get`], which
/// cannot throw), at most `max * 4`.
fn entries(value: Option<JsValue>, max: usize) -> Vec<Array> {
    value
        .and_then(|v| v.dyn_into::<Array>().ok())
        .filter(|list| list.length() as usize <= max * 4)
        .map(|list| {
            list.iter()
                .filter_map(|e| e.dyn_into::<Array>().ok())
                .collect()
        })
        .unwrap_or_default()
}

impl Marks {
    pub fn load(base: &str) -> Marks {
        let marks = Marks {
            base: base.to_owned(),
            pins: ArcRwSignal::new(Pins::default()),
            watches: ArcRwSignal::new(Watches::default()),
            notices: ArcRwSignal::new(Vec::new()),
            seen_until: Cell::new(now_ms()),
        };
        marks.reload();
        marks
    }

    fn key(&self, what: &str) -> String {
        stored::key(what, &self.base)
    }

    /// Reads pins and watches again (another tab changed them).
    pub fn reload(&self) {
        let ids = stored::read(Area::Local, &self.key("pins"))
            .and_then(|v| v.dyn_into::<Array>().ok())
            .filter(|list| list.length() as usize <= crate::logic::pins::MAX_PINS * 4)
            .map(|list| {
                list.iter()
                    .filter_map(|id| id.as_f64())
                    .filter(|id| {
                        id.fract() == 0.0
                            && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(id)
                    })
                    .map(|id| id as i32)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        self.pins.maybe_update(|pins| {
            let new = Pins::from_ids(ids);
            std::mem::replace(pins, new.clone()) != new
        });
        let now = now_ms();
        let list = entries(
            stored::read(Area::Local, &self.key("watches")),
            crate::logic::watch::MAX_WATCHES,
        )
        .into_iter()
        .filter_map(|entry| {
            let target = target_from_js(&get(&entry, "0"), &get(&entry, "1"))?;
            let since = get(&entry, "2").as_f64()?;
            Some(Watch { target, since })
        });
        let watches = Watches::new(list, now);
        self.watches
            .maybe_update(|current| std::mem::replace(current, watches.clone()) != watches);
    }

    /// Something under this base's keys changed in another tab.
    pub fn on_storage(&self, key: &str) {
        if key == self.key("pins") || key == self.key("watches") {
            self.reload();
        } else if key == self.key("fired") {
            self.read_fired_news();
        }
    }

    fn save_pins(&self) {
        let list: Array = self
            .pins
            .with_untracked(|pins| pins.ids().map(JsValue::from).collect());
        stored::write(Area::Local, &self.key("pins"), &list);
    }

    fn save_watches(&self) {
        let list: Array = self.watches.with_untracked(|watches| {
            watches
                .list()
                .iter()
                .map(|w| {
                    let (kind, id) = target_to_js(w.target);
                    JsValue::from(Array::of3(&kind.into(), &id.into(), &w.since.into()))
                })
                .collect()
        });
        stored::write(Area::Local, &self.key("watches"), &list);
    }

    pub fn toggle_pin(&self, user_id: i32) {
        // From what is stored now: another tab may have changed it a moment ago.
        self.reload();
        self.pins.update(|pins| {
            pins.toggle(user_id);
        });
        self.save_pins();
    }

    /// Starts or cancels a watch. Starting one is the moment to ask for permission
    /// to notify: it follows the user's click, never a page load.
    pub fn toggle_watch(&self, target: Target) {
        // From what is stored now: the polling tab may have just ended a watch.
        self.reload();
        let mut watching = false;
        self.watches
            .update(|watches| watching = watches.toggle(target, now_ms()));
        self.save_watches();
        if watching {
            ask_permission();
        }
    }

    pub fn dismiss(&self, notice: &Notice) {
        self.notices
            .update(|notices| notices.retain(|n| n != notice));
    }

    fn show(&self, new: Vec<Notice>) {
        if new.is_empty() {
            return;
        }
        self.notices.update(|notices| {
            for notice in new {
                if !notices.contains(&notice) {
                    notices.push(notice);
                }
            }
            let excess = notices.len().saturating_sub(MAX_NOTICES);
            notices.drain(..excess);
        });
    }

    /// The polling tab's check of a new answer: ends the watches it fulfils, shows
    /// and logs them, and sends the browser's one system notification for each.
    pub fn check(&self, roster: &Roster, topics: &HashMap<i32, TopicInfo>, lang: Lang) {
        let now = now_ms();
        let mut fired = Vec::new();
        let mut expired = false;
        self.watches.maybe_update(|watches| {
            expired = watches.expire(now);
            fired = watches.take_fired(&roster.agents);
            expired || !fired.is_empty()
        });
        if !expired && fired.is_empty() {
            return;
        }
        self.save_watches();
        let name_of = |user_id: i32| {
            roster
                .agents
                .iter()
                .find(|a| a.user_id == user_id)
                .map(|a| a.display_name(|id| lang.user_fallback(id)))
                .unwrap_or_else(|| lang.user_fallback(user_id))
        };
        let notices: Vec<Notice> = fired
            .into_iter()
            .map(|fired| Notice {
                name: name_of(fired.user_id),
                fired,
                at: now,
            })
            .collect();
        for notice in &notices {
            let text = fired_text(&notice.fired, &notice.name, topics, lang);
            let (kind, id) = target_to_js(notice.fired.target);
            notify(
                lang.strings().notification_title,
                &text,
                &format!("{}:{kind}:{id}", self.base),
            );
        }
        self.log_fired(&notices, now);
        self.seen_until.set(now);
        self.show(notices);
    }

    /// Adds fired watches to the log the other tabs read (the last few minutes').
    fn log_fired(&self, notices: &[Notice], now: f64) {
        if notices.is_empty() {
            return;
        }
        let log: Array = entries(stored::read(Area::Local, &self.key("fired")), MAX_NOTICES)
            .into_iter()
            .filter(|e| {
                get(e, "2")
                    .as_f64()
                    .is_some_and(|at| now - at < FIRED_NEWS_MS)
            })
            .collect();
        for notice in notices {
            let (kind, id) = target_to_js(notice.fired.target);
            let entry = Array::of3(&kind.into(), &id.into(), &notice.at.into());
            entry.push(&notice.fired.user_id.into());
            entry.push(&JsValue::from_str(&notice.name));
            log.push(&entry);
        }
        while log.length() as usize > MAX_NOTICES {
            log.shift();
        }
        stored::write(Area::Local, &self.key("fired"), &log);
    }

    /// Shows what another (polling) tab logged as fired since this tab last looked.
    fn read_fired_news(&self) {
        let now = now_ms();
        let since = self.seen_until.get();
        let news: Vec<Notice> = entries(stored::read(Area::Local, &self.key("fired")), MAX_NOTICES)
            .into_iter()
            .filter_map(|entry| {
                let target = target_from_js(&get(&entry, "0"), &get(&entry, "1"))?;
                let at = entry
                    .get(2)
                    .as_f64()
                    .filter(|at| plausible_time(*at, now))?;
                let user_id = get(&entry, "3").as_f64().filter(|id| id.fract() == 0.0)? as i32;
                let name = entry
                    .get(4)
                    .as_string()
                    .filter(|n| n.chars().count() <= 200)?;
                (at > since && now - at < FIRED_NEWS_MS).then_some(Notice {
                    fired: Fired { target, user_id },
                    name,
                    at,
                })
            })
            .collect();
        if let Some(latest) = news.iter().map(|n| n.at).reduce(f64::max) {
            self.seen_until.set(latest);
        }
        self.show(news);
    }
}

fn notification_api() -> Option<js_sys::Function> {
    let window = web_sys::window()?;
    get(&window, "Notification")
        .dyn_into::<js_sys::Function>()
        .ok()
}

/// Asks for permission to notify, if the user has not answered yet.
fn ask_permission() {
    let Some(api) = notification_api() else {
        return;
    };
    if get(&api, "permission").as_string().as_deref() == Some("default") {
        if let Some(request) = js::method(&api, "requestPermission") {
            // The answer matters only later, when a watch fires.
            let _ = request.call0(&api);
        }
    }
}

/// A system notification, if the user allowed them. `tag` makes a second one for
/// the same watch replace the first (tabs without Web Locks each poll for themselves).
fn notify(title: &str, body: &str, tag: &str) {
    let Some(api) = notification_api() else {
        return;
    };
    if get(&api, "permission").as_string().as_deref() != Some("granted") {
        return;
    }
    let options = Object::new();
    set(&options, "body", &JsValue::from_str(body));
    set(&options, "tag", &JsValue::from_str(tag));
    let args = Array::of2(&JsValue::from_str(title), &options);
    let _ = js_sys::Reflect::construct(&api, &args);
}

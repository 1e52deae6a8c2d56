//! The user's marks on an API base's agents and topics: pinned colleagues,
//! "tell me when someone is available" watches, and the list's order, kept in local storage per origin
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
use crate::logic::list::Prefs;
use crate::logic::model::{Roster, TopicInfo};
use crate::logic::pins::Pins;
use crate::logic::view_model::fired_text;
use crate::logic::watch::{Notice, Target, Watches, MAX_NOTICES};
use crate::logic::wire::records::{FiredRecord, PinsRecord, PrefsRecord, WatchesRecord};
use js_sys::{Array, Object};
use leptos::prelude::*;
use std::cell::Cell;
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};

pub struct Marks {
    base: String,
    pub pins: ArcRwSignal<Pins>,
    pub watches: ArcRwSignal<Watches>,
    pub notices: ArcRwSignal<Vec<Notice>>,
    /// The list's order and "Show me first".
    pub prefs: ArcRwSignal<Prefs>,
    /// Storage refused pins or watches: what this tab holds is the truth (reading
    /// storage back would undo the user's last changes) until the page reloads.
    pub unkept: ArcRwSignal<bool>,
    /// Fired watches logged before this time are old news in this tab.
    seen_until: Cell<f64>,
}

fn target_to_js(target: Target) -> (&'static str, i32) {
    match target {
        Target::Topic(id) => ("topic", id),
        Target::Agent(id) => ("agent", id),
    }
}

impl Marks {
    pub fn load(base: &str) -> Marks {
        let marks = Marks {
            base: base.to_owned(),
            pins: ArcRwSignal::new(Pins::default()),
            watches: ArcRwSignal::new(Watches::default()),
            notices: ArcRwSignal::new(Vec::new()),
            prefs: ArcRwSignal::new(Prefs::default()),
            unkept: ArcRwSignal::new(false),
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
        let ids = stored::read::<PinsRecord>(Area::Local, &self.key("pins"))
            .map(|record| record.ids())
            .unwrap_or_default();
        self.pins.maybe_update(|pins| {
            let new = Pins::from_ids(ids);
            std::mem::replace(pins, new.clone()) != new
        });
        let now = now_ms();
        let watches = stored::read::<WatchesRecord>(Area::Local, &self.key("watches"))
            .map(|record| Watches::new(record.watches(), now))
            .unwrap_or_default();
        self.watches
            .maybe_update(|current| std::mem::replace(current, watches.clone()) != watches);
        let prefs = stored::read::<PrefsRecord>(Area::Local, &self.key("prefs"))
            .map(|record| Prefs {
                order: record.order().unwrap_or_default(),
                me_first: record.me_first(),
            })
            .unwrap_or_default();
        self.prefs
            .maybe_update(|current| std::mem::replace(current, prefs) != prefs);
    }

    /// The user chose an order or flipped "Show me first".
    pub fn set_prefs(&self, prefs: Prefs) {
        self.prefs.set(prefs);
        let record = Array::of2(&prefs.order.key().into(), &prefs.me_first.into());
        self.kept(stored::write(Area::Local, &self.key("prefs"), &record));
    }

    /// The fired watches logged by the polling tab that are still news.
    fn fired_log(&self, now: f64) -> Vec<Notice> {
        stored::read::<FiredRecord>(Area::Local, &self.key("fired"))
            .map(|record| record.news(now))
            .unwrap_or_default()
    }

    /// Something under this base's keys changed in another tab.
    pub fn on_storage(&self, key: &str) {
        if [self.key("pins"), self.key("watches"), self.key("prefs")].contains(&key.to_owned()) {
            if !self.unkept.get_untracked() {
                self.reload();
            }
        } else if key == self.key("fired") {
            self.read_fired_news();
        }
    }

    fn save_pins(&self) {
        let list: Array = self
            .pins
            .with_untracked(|pins| pins.ids().map(JsValue::from).collect());
        self.kept(stored::write(Area::Local, &self.key("pins"), &list));
    }

    /// Notes a write storage refused (said once; see `unkept`).
    fn kept(&self, stored: bool) {
        if !stored && !self.unkept.get_untracked() {
            self.unkept.set(true);
        }
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
        self.kept(stored::write(Area::Local, &self.key("watches"), &list));
    }

    pub fn toggle_pin(&self, user_id: i32) {
        // From what is stored now: another tab may have changed it a moment ago
        // (unless storage refuses writes: then this tab's pins are the truth).
        if !self.unkept.get_untracked() {
            self.reload();
        }
        self.pins.update(|pins| {
            pins.toggle(user_id);
        });
        self.save_pins();
    }

    /// Starts or cancels a watch. Starting one is the moment to ask for permission
    /// to notify: it follows the user's click, never a page load.
    pub fn toggle_watch(&self, target: Target) {
        // From what is stored now: the polling tab may have just ended a watch.
        if !self.unkept.get_untracked() {
            self.reload();
        }
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
                .agent(user_id)
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
        let log: Array = self
            .fired_log(now)
            .iter()
            .chain(notices)
            .map(|notice| {
                let (kind, id) = target_to_js(notice.fired.target);
                let entry = Array::of3(&kind.into(), &id.into(), &notice.at.into());
                entry.push(&notice.fired.user_id.into());
                entry.push(&JsValue::from_str(&notice.name));
                JsValue::from(entry)
            })
            .collect();
        while log.length() as usize > MAX_NOTICES {
            log.shift();
        }
        let _ = stored::write(Area::Local, &self.key("fired"), &log);
    }

    /// Shows what another (polling) tab logged as fired since this tab last looked.
    fn read_fired_news(&self) {
        let now = now_ms();
        let since = self.seen_until.get();
        let mut news = self.fired_log(now);
        news.retain(|notice| notice.at > since);
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

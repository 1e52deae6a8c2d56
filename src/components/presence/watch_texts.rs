//! `use_watch_texts`: what the user's watches say, as chips while they wait and as
//! notices once they fired.

use super::feed::UseFeedReturn;
use crate::logic::i18n::Lang;
use crate::logic::view_model::{fired_text, watching_chips};
use crate::logic::watch::{Notice, Target};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct UseWatchTextsReturn {
    /// The waiting watches: each target and "Watching Billing".
    pub watching: Memo<Vec<(Target, String)>>,
    /// Fired watches still on screen, with their text.
    pub notices: Memo<Vec<(Notice, String)>>,
}

pub fn use_watch_texts(feed: UseFeedReturn, lang: Lang) -> UseWatchTextsReturn {
    let UseFeedReturn {
        roster,
        topics,
        watches,
        fired,
        ..
    } = feed;
    let watching = Memo::new(move |_| {
        let (watches, topics, roster) = (watches.read(), topics.read(), roster.read());
        let agents = roster.as_ref().map_or(&[][..], |r| &r.agents[..]);
        watching_chips(&watches, &topics, agents, lang)
    });
    let notices = Memo::new(move |_| {
        let (fired, topics) = (fired.read(), topics.read());
        let text = |n: &Notice| fired_text(&n.fired, &n.name, &topics, lang);
        fired.iter().map(|n| (n.clone(), text(n))).collect()
    });
    UseWatchTextsReturn { watching, notices }
}

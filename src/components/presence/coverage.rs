//! `use_coverage`: per-topic counts and what is known of coverage (topics open with
//! nobody available), and what the Topic select, its bell and the notice above the
//! list make of them.

use super::feed::UseFeedReturn;
use super::filters::UseFiltersReturn;
use super::list::Ordered;
use crate::browser::intl;
use crate::logic::coverage::Coverage;
use crate::logic::i18n::Lang;
use crate::logic::list::{topic_counts, Count};
use crate::logic::view_model::{
    topic_name, topic_options, topic_prefix, uncovered_notice, TopicOption,
};
use crate::logic::watch::Target;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[derive(Clone, Copy)]
pub struct UseCoverageReturn {
    /// Agents and available agents per topic, counted once per roster.
    pub counts: Memo<BTreeMap<i32, Count>>,
    /// Uncovered topics, and topics whose opening state is known.
    pub coverage: Memo<Coverage>,
    pub topic_options: Memo<Vec<TopicOption>>,
    feed: UseFeedReturn,
    topic: RwSignal<Option<i32>>,
    lang: Lang,
}

pub fn use_coverage(
    feed: UseFeedReturn,
    ordered: Memo<Ordered>,
    filters: UseFiltersReturn,
    lang: Lang,
) -> UseCoverageReturn {
    let topics = feed.topics;
    let topic = filters.topic;
    // Choosing a topic does not count again.
    let counts =
        Memo::new(move |_| ordered.with(|o| topic_counts(o.rows.iter().map(|r| &r.agent))));
    let coverage = Memo::new(move |_| Coverage::of(&counts.read(), &topics.read()));
    let topic_options = Memo::new(move |_| {
        let (counts, names, coverage) = (counts.read(), topics.read(), coverage.read());
        topic_options(
            &counts,
            topic.get(),
            &names,
            &coverage.uncovered,
            lang,
            |names| intl::name_order(lang.tag(), names),
        )
    });
    UseCoverageReturn {
        counts,
        coverage,
        topic_options,
        feed,
        topic,
        lang,
    }
}

impl UseCoverageReturn {
    /// "Billing is open and nobody is available", when a topic is uncovered.
    pub fn uncovered(self) -> Option<String> {
        let (coverage, topics) = (self.coverage.read(), self.feed.topics.read());
        uncovered_notice(&coverage.uncovered, &topics, self.lang)
    }

    /// The name of topic `id` if it is uncovered.
    pub fn uncovered_name(self, id: i32) -> Option<String> {
        let uncovered = self
            .coverage
            .with(|c| c.uncovered.binary_search(&id).is_ok());
        uncovered.then(|| {
            self.feed
                .topics
                .with(|t| topic_name(id, t.get(&id), self.lang))
        })
    }

    /// The chosen topic's bell, while nobody in it is available (or its watch
    /// waits): the topic and whether it is watched.
    pub fn topic_watch(self) -> Option<(i32, bool)> {
        let id = self.topic.get()?;
        let watching = self.feed.watches.with(|w| w.contains(Target::Topic(id)));
        let nobody = self
            .counts
            .with(|c| c.get(&id).is_none_or(|count| count.available == 0));
        (watching || nobody).then_some((id, watching))
    }

    /// "Billing: " for the live region, when a topic is chosen.
    pub fn topic_prefix(self) -> Option<String> {
        let names = self.feed.topics.read();
        topic_prefix(self.topic.get(), &names, self.lang)
    }
}

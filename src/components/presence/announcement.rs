//! `use_announcement`: what the panel's polite live region says besides the
//! summary: a topic that becomes uncovered or covered again, and each watch that
//! fires, once. Not every refresh, nor the first data, nor an opening state arriving.

use super::coverage::UseCoverageReturn;
use super::feed::UseFeedReturn;
use super::watch_texts::UseWatchTextsReturn;
use crate::components::reactive::effect;
use crate::logic::coverage::{Change, Coverage};
use crate::logic::i18n::Lang;
use crate::logic::view_model::{coverage_announcement, newest_notice, notices_since};
use leptos::prelude::*;

/// The live region's text; this hook's one effect is its only writer.
pub fn use_announcement(
    feed: UseFeedReturn,
    coverage: UseCoverageReturn,
    texts: UseWatchTextsReturn,
    lang: Lang,
) -> ReadSignal<String> {
    let (said, say) = signal(String::new());
    let UseCoverageReturn {
        coverage, counts, ..
    } = coverage;
    // Remembers the coverage last seen and the newest notice already said.
    effect(move |before: Option<(Coverage, f64)>| {
        let now = coverage.get();
        let newest = feed.fired.with(|fired| newest_notice(fired));
        let mut parts = Vec::new();
        if let Some((before, seen)) = &before {
            if *before != now {
                let change =
                    counts.with_untracked(|counts| Change::between(before, &now.uncovered, counts));
                let topics = feed.topics.read_untracked();
                parts.extend(coverage_announcement(&change, &topics, lang));
            }
            parts.extend(texts.notices.with_untracked(|n| notices_since(n, *seen)));
        }
        if !parts.is_empty() {
            say.set(parts.join(". "));
        }
        let seen = before.map_or(newest, |(_, seen)| seen.max(newest));
        (now, seen)
    });
    said
}

//! Uncovered topics: open now, with nobody available to take a chat. The one
//! question a support lead has that no presence list answers at a glance.

use crate::logic::list::Count;
use crate::logic::model::TopicInfo;
use std::collections::{BTreeMap, HashMap};

/// The topics that are open now (`IsOpen` true) and have nobody available, by id
/// ascending. A closed topic is never uncovered, and neither is one whose opening
/// state is not known (yet): the widget says only what it knows.
pub fn uncovered(counts: &BTreeMap<i32, Count>, topics: &HashMap<i32, TopicInfo>) -> Vec<i32> {
    counts
        .iter()
        .filter(|(id, count)| {
            count.available == 0 && topics.get(id).and_then(|info| info.open) == Some(true)
        })
        .map(|(id, _)| *id)
        .collect()
}

/// The topics in the data whose opening state is known, ascending.
pub fn known(counts: &BTreeMap<i32, Count>, topics: &HashMap<i32, TopicInfo>) -> Vec<i32> {
    counts
        .keys()
        .filter(|id| topics.get(id).is_some_and(|info| info.open.is_some()))
        .copied()
        .collect()
}

/// What the widget knew of coverage at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub uncovered: Vec<i32>,
    /// Topics in the data with a known opening state.
    pub known: Vec<i32>,
}

impl Coverage {
    pub fn of(counts: &BTreeMap<i32, Count>, topics: &HashMap<i32, TopicInfo>) -> Coverage {
        Coverage {
            uncovered: uncovered(counts, topics),
            known: known(counts, topics),
        }
    }
}

/// What changed between two moments: topics that became uncovered, and topics that
/// are covered again (someone in them is available now). Only real changes count:
/// a topic that was not known before (the first data, an opening state that just
/// arrived) did not "become" uncovered, and one that closed or left the data is not
/// "covered again".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Change {
    pub uncovered: Vec<i32>,
    pub covered: Vec<i32>,
}

impl Change {
    pub fn between(before: &Coverage, after: &[i32], counts: &BTreeMap<i32, Count>) -> Change {
        Change {
            uncovered: after
                .iter()
                .filter(|id| before.uncovered.binary_search(id).is_err())
                .filter(|id| before.known.binary_search(id).is_ok())
                .copied()
                .collect(),
            covered: before
                .uncovered
                .iter()
                .filter(|id| after.binary_search(id).is_err())
                .filter(|id| counts.get(id).is_some_and(|c| c.available > 0))
                .copied()
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.uncovered.is_empty() && self.covered.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(entries: &[(i32, usize, usize)]) -> BTreeMap<i32, Count> {
        entries
            .iter()
            .map(|&(id, available, total)| (id, Count { available, total }))
            .collect()
    }

    fn info(entries: &[(i32, Option<bool>)]) -> HashMap<i32, TopicInfo> {
        entries
            .iter()
            .map(|&(id, open)| (id, TopicInfo { name: None, open }))
            .collect()
    }

    #[test]
    fn only_open_topics_with_nobody_available_are_uncovered() {
        let counts = counts(&[(11, 0, 3), (12, 1, 3), (13, 0, 2), (14, 0, 1), (15, 0, 4)]);
        let topics = info(&[
            (11, Some(true)),
            (12, Some(true)),
            (13, Some(false)),
            (14, None),
        ]);
        // 13 is closed, 14's state is unknown, 15 is not resolved at all.
        assert_eq!(uncovered(&counts, &topics), [11]);
    }

    #[test]
    fn changes_name_new_gaps_and_topics_covered_again() {
        let now = counts(&[(11, 0, 3), (12, 2, 3), (13, 0, 2)]);
        let before = Coverage {
            uncovered: vec![12, 13, 14],
            known: vec![11, 12, 13, 14],
        };
        let change = Change::between(&before, &[11, 13], &now);
        assert_eq!(change.uncovered, [11]);
        // 14 left the data (or closed): not "covered again".
        assert_eq!(change.covered, [12]);
        let same = Coverage {
            uncovered: vec![11],
            known: vec![11],
        };
        assert!(Change::between(&same, &[11], &now).is_empty());
    }

    #[test]
    fn what_was_not_known_before_did_not_become_uncovered() {
        let now = counts(&[(11, 0, 3)]);
        // The first data, or 11's opening state arriving after the cards.
        assert!(Change::between(&Coverage::default(), &[11], &now).is_empty());
        let topics = info(&[(11, Some(true)), (12, None)]);
        let seen = Coverage::of(&counts(&[(11, 1, 3), (12, 0, 1)]), &topics);
        assert_eq!(
            seen,
            Coverage {
                uncovered: vec![],
                known: vec![11]
            }
        );
        assert_eq!(Change::between(&seen, &[11], &now).uncovered, [11]);
    }
}

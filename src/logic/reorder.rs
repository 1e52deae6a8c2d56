//! The fewest DOM moves that turn one keyed order into another.
//!
//! A refresh that moves one agent should move one card, not every card between its
//! old and new place. Keys that keep their relative order form an increasing run of
//! old positions; the longest such run stays where it is and only the rest move.

use std::collections::HashMap;
use std::hash::Hash;

/// For each position of `new`, whether that key can stay where it is: it was in
/// `old` and lies on a longest run of keys whose old order is preserved. Every
/// other key of `new` must be inserted (if new) or moved (if old).
pub fn stays<K: Eq + Hash>(old: &[K], new: &[K]) -> Vec<bool> {
    let old_index: HashMap<&K, usize> = old.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let positions: Vec<Option<usize>> = new.iter().map(|k| old_index.get(k).copied()).collect();
    let mut keep = vec![false; new.len()];
    for i in longest_increasing(&positions) {
        keep[i] = true;
    }
    keep
}

/// Indices (into `seq`) of a longest strictly increasing subsequence of the `Some` values.
fn longest_increasing(seq: &[Option<usize>]) -> Vec<usize> {
    // tails[k]: index in seq of the smallest tail of an increasing run of length k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, value) in seq.iter().enumerate() {
        let Some(value) = *value else { continue };
        let at = tails.partition_point(|&t| seq[t].is_some_and(|v| v < value));
        previous[i] = at.checked_sub(1).map(|p| tails[p]);
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut cursor = tails.last().copied();
    while let Some(i) = cursor {
        run.push(i);
        cursor = previous[i];
    }
    run.reverse();
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moves(old: &[i32], new: &[i32]) -> usize {
        stays(old, new).iter().filter(|s| !**s).count()
    }

    #[test]
    fn one_item_moving_far_moves_once() {
        let old: Vec<i32> = (0..1000).collect();
        let mut new = old.clone();
        let moved = new.remove(100);
        new.insert(700, moved);
        assert_eq!(moves(&old, &new), 1);
        assert!(!stays(&old, &new)[700]);
    }

    #[test]
    fn unchanged_orders_move_nothing_and_new_keys_are_inserted() {
        assert_eq!(moves(&[1, 2, 3], &[1, 2, 3]), 0);
        assert_eq!(stays(&[1, 3], &[1, 2, 3]), [true, false, true]);
        assert_eq!(moves(&[], &[1, 2]), 2);
        assert!(stays::<i32>(&[1, 2], &[]).is_empty());
    }

    #[test]
    fn reversal_keeps_one() {
        assert_eq!(moves(&[1, 2, 3, 4], &[4, 3, 2, 1]), 3);
    }

    #[test]
    fn swaps_move_one_of_the_pair() {
        assert_eq!(moves(&[1, 2, 3, 4, 5], &[1, 4, 3, 2, 5]), 2);
        assert_eq!(moves(&[1, 2, 3, 4, 5], &[2, 1, 3, 4, 5]), 1);
    }
}

//! Property test of the list's reordering plan. Host only.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;

proptest! {
    /// Applying the plan the way the list does (walk the new order from the end,
    /// insert every key that does not stay before the one after it) always yields
    /// the new order, and moves no more than needed.
    #[test]
    fn reordering_plans_produce_the_new_order(
        old in prop::collection::hash_set(0u16..60, 0..40),
        new in prop::collection::hash_set(0u16..60, 0..40),
        shuffle in any::<u64>(),
    ) {
        use presence_widget::logic::reorder::stays;
        let old: Vec<u16> = old.into_iter().collect();
        let mut new: Vec<u16> = new.into_iter().collect();
        new.sort_by_key(|k| (u64::from(*k).wrapping_mul(shuffle | 1)) % 1009);
        let kept: Vec<u16> = old.iter().copied().filter(|k| new.contains(k)).collect();
        let plan = stays(&kept, &new);
        let mut dom = kept.clone();
        let mut next: Option<u16> = None;
        for (i, key) in new.iter().enumerate().rev() {
            if !plan[i] {
                dom.retain(|k| k != key);
                let at = next.and_then(|n| dom.iter().position(|k| *k == n)).unwrap_or(dom.len());
                dom.insert(at, *key);
            }
            next = Some(*key);
        }
        prop_assert_eq!(&dom, &new);
        // Kept keys that stay form an increasing run of their old positions.
        let stayed: Vec<usize> = new.iter().zip(&plan).filter(|(_, s)| **s)
            .map(|(k, _)| kept.iter().position(|o| o == k).unwrap_or(usize::MAX)).collect();
        prop_assert!(stayed.windows(2).all(|w| w[0] < w[1]));
    }
}

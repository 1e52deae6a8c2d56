//! Pinned colleagues: the people a user usually hands chats over to, first in the
//! list, kept per origin and API base.

/// Most pins kept (ids come from storage any page script can write).
pub const MAX_PINS: usize = 200;

/// Sorted user ids, each once (a sorted `Vec` rather than a `BTreeSet`: at most 200
/// small ids, and one collection type less in the wasm).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pins(Vec<i32>);

impl Pins {
    /// The pins among `ids`, at most [`MAX_PINS`].
    pub fn from_ids(ids: impl IntoIterator<Item = i32>) -> Pins {
        // Each put in its place (a few hundred at most): no sort of its own.
        let mut pins = Vec::new();
        for id in ids.into_iter().take(MAX_PINS) {
            if let Err(at) = pins.binary_search(&id) {
                pins.insert(at, id);
            }
        }
        Pins(pins)
    }

    pub fn contains(&self, user_id: i32) -> bool {
        self.0.binary_search(&user_id).is_ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = i32> + '_ {
        self.0.iter().copied()
    }

    /// Pins or unpins `user_id`; answers whether it is pinned now (a pin beyond
    /// [`MAX_PINS`] is not taken).
    pub fn toggle(&mut self, user_id: i32) -> bool {
        match self.0.binary_search(&user_id) {
            Ok(at) => {
                self.0.remove(at);
                false
            }
            Err(at) if self.0.len() < MAX_PINS => {
                self.0.insert(at, user_id);
                true
            }
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_pins_and_unpins_within_the_bound() {
        let mut pins = Pins::default();
        assert!(pins.toggle(5));
        assert!(pins.contains(5));
        assert!(!pins.toggle(5));
        assert!(pins.is_empty());
        let mut full = Pins::from_ids(0..(MAX_PINS as i32 + 50));
        assert_eq!(full.ids().count(), MAX_PINS);
        assert!(!full.toggle(-1), "no pin beyond the bound");
        assert!(!full.contains(-1));
    }
}

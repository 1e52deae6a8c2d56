//! One event at a time: the shape of every stateful part that callbacks reach.
//!
//! A callback that fires while an event is being handled (a host page's script
//! dispatching `focus` from inside a `postMessage` the widget called, a signal's
//! subscriber, a timer dropped and re-armed) would otherwise borrow the state a
//! second time, which aborts the wasm and every widget on the page. Here it is
//! queued instead, and handled after the current event, in order.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

/// A queue of events with one drain loop.
pub struct Inbox<T> {
    queue: RefCell<VecDeque<T>>,
    draining: Cell<bool>,
}

impl<T> Default for Inbox<T> {
    fn default() -> Self {
        Inbox {
            queue: RefCell::new(VecDeque::new()),
            draining: Cell::new(false),
        }
    }
}

impl<T> Inbox<T> {
    /// Handles `event` with `handle`, then whatever was pushed meanwhile; called
    /// while an event is being handled, only queues it (`handle` then goes unused:
    /// the loop already running handles it).
    pub fn push(&self, event: T, mut handle: impl FnMut(T)) {
        self.queue.borrow_mut().push_back(event);
        if self.draining.replace(true) {
            return;
        }
        loop {
            // Its own statement: the queue is not borrowed while the event is handled.
            let next = self.queue.borrow_mut().pop_front();
            let Some(event) = next else { break };
            handle(event);
        }
        self.draining.set(false);
    }

    /// Drops what is still queued (the owner is going away).
    pub fn clear(&self) {
        // Dropped after the borrow ends: an event's own drop may push.
        let dropped = std::mem::take(&mut *self.queue.borrow_mut());
        drop(dropped);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    /// A handler that pushes while it handles: each event is handled after the one
    /// that pushed it, in order, and never inside it.
    #[test]
    fn an_event_pushed_while_handling_is_queued_not_nested() {
        let inbox = Rc::new(Inbox::default());
        let log = Rc::new(RefCell::new(Vec::new()));
        let depth = Rc::new(Cell::new(0));
        fn handler(
            inbox: Rc<Inbox<u32>>,
            log: Rc<RefCell<Vec<(u32, u32)>>>,
            depth: Rc<Cell<u32>>,
        ) -> impl FnMut(u32) {
            move |event| {
                depth.set(depth.get() + 1);
                log.borrow_mut().push((event, depth.get()));
                if event < 3 {
                    // Two re-entrant pushes from inside the handler.
                    let (i, l, d) = (Rc::clone(&inbox), Rc::clone(&log), Rc::clone(&depth));
                    inbox.push(event * 10 + 1, handler(i, l, d));
                    let (i, l, d) = (Rc::clone(&inbox), Rc::clone(&log), Rc::clone(&depth));
                    inbox.push(event + 1, handler(i, l, d));
                }
                depth.set(depth.get() - 1);
            }
        }
        let h = handler(Rc::clone(&inbox), Rc::clone(&log), Rc::clone(&depth));
        inbox.push(1, h);
        assert_eq!(
            *log.borrow(),
            vec![(1, 1), (11, 1), (2, 1), (21, 1), (3, 1)],
            "every event at depth 1, in the order pushed"
        );
        // The loop has ended: the next push is handled at once again.
        let h = handler(Rc::clone(&inbox), Rc::clone(&log), Rc::clone(&depth));
        inbox.push(3, h);
        assert_eq!(log.borrow().last(), Some(&(3, 1)));
    }

    #[test]
    fn clear_drops_what_waits() {
        let inbox = Inbox::default();
        let mut seen = Vec::new();
        inbox.push(1, |event| {
            seen.push(event);
        });
        inbox.queue.borrow_mut().push_back(2);
        inbox.clear();
        assert!(inbox.queue.borrow().is_empty());
        assert_eq!(seen, vec![1]);
    }
}

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
    pub fn push(&self, event: T, handle: impl FnMut(T)) {
        self.queue.borrow_mut().push_back(event);
        if self.draining.replace(true) {
            return;
        }
        self.drain(handle);
    }

    fn drain(&self, mut handle: impl FnMut(T)) {
        loop {
            // Its own statement: the queue is not borrowed while the event is handled.
            let next = self.queue.borrow_mut().pop_front();
            let Some(event) = next else { break };
            handle(event);
        }
        self.draining.set(false);
    }

    /// Whether a drain is running (or was cut short: see [`Inbox::resume`]).
    pub fn busy(&self) -> bool {
        self.draining.get()
    }

    /// To be called where no handler can be running (in the browser, a microtask: the
    /// stack is empty). A drain still marked as running was cut short by an exception
    /// that unwound past it (a host page's patched global that throws): without this,
    /// every later event would only be queued, for good. It carries on with what
    /// waits.
    /// Answers whether the drain had been cut short.
    pub fn resume(&self, handle: impl FnMut(T)) -> bool {
        let cut_short = self.draining.get();
        if cut_short {
            self.drain(handle);
        }
        cut_short
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

    /// A handler that throws mid-drain (in the browser, an exception unwinds past the
    /// loop): later events wait, and `resume` hands them on.
    #[test]
    fn a_drain_cut_short_is_resumed() {
        let inbox = Inbox::default();
        let seen = RefCell::new(Vec::new());
        let handle = |event: u32| {
            assert_ne!(event, 1, "the handler throws");
            seen.borrow_mut().push(event);
        };
        let thrown =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inbox.push(1, handle)));
        assert!(thrown.is_err());
        assert!(inbox.busy(), "still marked as draining");
        inbox.push(2, handle);
        assert!(seen.borrow().is_empty(), "only queued");
        assert!(inbox.resume(handle));
        assert_eq!(*seen.borrow(), vec![2]);
        assert!(!inbox.busy());
        // Nothing cut short: resume does nothing.
        assert!(!inbox.resume(|_| panic!("nothing waits")));
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

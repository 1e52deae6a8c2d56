//! The SuperOffice chat-availability widget, in four layers; each imports only the
//! ones below it:
//!
//! - [`mount`]: the embedding contract: finds mount elements (and
//!   `<presence-widget>`), reads their attributes and mounts a widget on each.
//! - [`components`]: the Leptos views, which hold no data rules, and the hooks that
//!   wire the feed to them.
//! - [`browser`]: the thin layer that carries out the core's decisions with the
//!   browser's APIs (requests, the shared feed, tabs, topic look-ups).
//! - [`logic`]: the pure core (decoding, configuration, sorting and filtering,
//!   languages, the polling policy, what the view shows). Plain Rust, tested on the
//!   host with `cargo test`.

pub mod logic;

#[cfg(target_arch = "wasm32")]
pub mod browser;

#[cfg(target_arch = "wasm32")]
pub mod components;

#[cfg(target_arch = "wasm32")]
pub mod mount;

/// Live heap bytes, for finding leaks (`--features alloc-stats`; never in releases).
#[cfg(all(target_arch = "wasm32", feature = "alloc-stats"))]
mod alloc_stats {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering};

    static LIVE: AtomicUsize = AtomicUsize::new(0);

    struct Counting;

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;

    #[wasm_bindgen::prelude::wasm_bindgen(js_name = liveHeapBytes)]
    pub fn live_heap_bytes() -> usize {
        LIVE.load(Ordering::Relaxed)
    }
}

//! The SuperOffice chat-availability widget.
//!
//! Pure logic (decoding, configuration, sorting and filtering) lives in modules that
//! compile and test on the host; the browser side (`api`, `feed`, `components`,
//! `mount`) only exists on `wasm32`.

pub mod backoff;
pub mod config;
pub mod error;
pub mod i18n;
pub mod json;
pub mod model;
pub mod policy;
pub mod reorder;
pub mod roster;
pub mod xsrf;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod dom;
#[cfg(target_arch = "wasm32")]
pub mod feed;
#[cfg(target_arch = "wasm32")]
pub mod intl;
#[cfg(target_arch = "wasm32")]
pub mod mount;
#[cfg(target_arch = "wasm32")]
pub mod tabs;
#[cfg(target_arch = "wasm32")]
pub mod topics;

#[cfg(target_arch = "wasm32")]
pub use mount::mount_all;

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

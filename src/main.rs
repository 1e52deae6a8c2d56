//! Entry point: mounts every `[data-presence-widget]` element on the page.

fn main() {
    #[cfg(target_arch = "wasm32")]
    presence_widget::mount::mount_all();
}

//! Every view of the widget is written with the scope class `pw` (`view! { class =
//! "pw", … }`). Leptos renders a static subtree of a view without it through
//! `innerHTML`, which a page under Trusted Types (`require-trusted-types-for
//! 'script'`) refuses: the widget would never render there. Host only.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_view_has_the_scope_class() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut views = 0;
    for file in files {
        let text = fs::read_to_string(&file).expect("readable");
        for (at, _) in text.match_indices("view! {") {
            views += 1;
            let after = text[at + "view! {".len()..].trim_start();
            assert!(
                after.starts_with("class = \"pw\","),
                "{}: a view without `class = \"pw\",` renders static parts with innerHTML",
                file.display()
            );
        }
        for sink in ["inner_html=", "set_inner_html", "inner_html("] {
            assert!(!text.contains(sink), "{}: {sink}", file.display());
        }
    }
    assert!(views > 30, "the views were found ({views})");
}

//! Writes the widget's stylesheet without comments and needless white space to
//! `OUT_DIR/widget.css`, which the wasm carries (`mount::STYLES`): about
//! a fifth fewer bytes, kept readable in `style/widget.css`.

#[path = "build/css.rs"]
mod css;

fn main() {
    println!("cargo::rerun-if-changed=style/widget.css");
    println!("cargo::rerun-if-changed=build/css.rs");
    let css = std::fs::read_to_string("style/widget.css").expect("style/widget.css is readable");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(
        std::path::Path::new(&out).join("widget.css"),
        css::minify(&css),
    )
    .expect("OUT_DIR is writable");
}

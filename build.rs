//! Writes the widget's stylesheet without comments and needless white space to
//! `OUT_DIR/widget.css`, which the wasm carries (`browser::mount::STYLES`): about
//! a fifth fewer bytes, kept readable in `style/widget.css`.

fn main() {
    println!("cargo::rerun-if-changed=style/widget.css");
    let css = std::fs::read_to_string("style/widget.css").expect("style/widget.css is readable");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(std::path::Path::new(&out).join("widget.css"), minify(&css))
        .expect("OUT_DIR is writable");
}

/// Drops comments, turns every run of white space into one space, and drops that
/// space next to `{ } ; , >` and after `:` (never inside a selector, where `a :b`
/// and `a:b` differ: the widget's selectors have no space before a colon). Quoted
/// strings are copied as they are.
fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                space = true;
            }
            '"' | '\'' => {
                push_space(&mut out, &mut space, c);
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => space = true,
            c => {
                push_space(&mut out, &mut space, c);
                out.push(c);
                if matches!(c, '{' | '}' | ';' | ',' | '>' | ':') {
                    // A space after these is never needed (`:` ends a property name
                    // or starts a pseudo-class, which no space follows).
                    space = false;
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                }
            }
        }
    }
    out.trim().to_owned()
}

/// Writes the pending space before `next`, unless `next` or what came before makes
/// it needless.
fn push_space(out: &mut String, space: &mut bool, next: char) {
    let needless = |c: char| matches!(c, '{' | '}' | ';' | ',' | '>');
    if std::mem::take(space) && !out.is_empty() && !needless(next) && !out.ends_with(needless) {
        out.push(' ');
    }
}

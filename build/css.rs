//! The stylesheet's minifier, run by `build.rs` (which includes this file) on
//! `style/widget.css`. Build support, not the widget: its tests run from
//! `tests/css_minify.rs`.

/// Drops comments, turns every run of white space into one space, and drops that
/// space next to `{ } ; , >` and after `:` (never inside a selector, where `a :b`
/// and `a:b` differ: the widget's selectors have no space before a colon). Quoted
/// strings are copied as they are.
pub fn minify(css: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn drops_comments_and_needless_space() {
        let css = "/* a */\n.a > .b ,\n.c {\n  color: red ;\n  margin: 0 auto;\n}\n";
        assert_eq!(minify(css), ".a>.b,.c{color:red;margin:0 auto;}");
    }

    #[test]
    fn keeps_what_changes_meaning() {
        // A descendant's pseudo-class, calc()'s spaces, and strings as they are.
        assert_eq!(minify(".a :hover { }"), ".a :hover{}");
        assert_eq!(
            minify("a { width: calc(1px + 2%); }"),
            "a{width:calc(1px + 2%);}"
        );
        assert_eq!(
            minify(r#"a::after { content: "x ; { y } /* z */"; font: 12px "Segoe UI"; }"#),
            r#"a::after{content:"x ; { y } /* z */";font:12px "Segoe UI";}"#
        );
        assert_eq!(minify(".a .b\t.c{}"), ".a .b .c{}");
    }

    #[test]
    fn the_widget_stylesheet_keeps_every_rule() {
        let css = include_str!("../style/widget.css");
        let min = minify(css);
        assert!(
            min.len() < css.len() * 9 / 10,
            "{} of {}",
            min.len(),
            css.len()
        );
        // The text outside comments keeps every bracket and quote.
        let mut code = String::new();
        let mut rest = css;
        while let Some(start) = rest.find("/*") {
            code.push_str(&rest[..start]);
            rest = rest[start..]
                .split_once("*/")
                .map_or("", |(_, after)| after);
        }
        code.push_str(rest);
        let count = |text: &str, c: char| text.chars().filter(|x| *x == c).count();
        for c in ['{', '}', '"', '(', ')', ';'] {
            assert_eq!(count(&min, c), count(&code, c), "{c}");
        }
        assert!(!min.contains("/*"));
    }
}

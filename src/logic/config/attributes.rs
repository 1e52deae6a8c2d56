//! The widget's attributes, written down once: this table drives parsing, the
//! typo warning and the attribute table of `docs/embedding.md` (a test keeps it true).

use super::{ConfigError, Draft, Problem, Theme, UrlParser};
use crate::logic::i18n::Language;

/// The attribute that marks a mount element.
pub const MOUNT_ATTRIBUTE: &str = "data-presence-widget";
/// Default seconds between refreshes.
pub const DEFAULT_REFRESH_SECONDS: u32 = 30;
/// Shortest allowed refresh interval; anything faster only loads the CRM.
pub const MIN_REFRESH_SECONDS: u32 = 2;
/// Longest allowed refresh interval (a day).
pub const MAX_REFRESH_SECONDS: u32 = 86_400;
/// Default seconds before a request is given up.
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 10;
/// Longest allowed time-out.
pub const MAX_TIMEOUT_SECONDS: u32 = 120;

/// One attribute of a mount element.
pub struct Attribute {
    pub name: &'static str,
    pub help: Help,
    pub(super) read: Reader,
}

/// An attribute's documentation: the "default" and "meaning" columns of
/// `docs/embedding.md`'s table. Kept on the host only (the table is checked there); the widget never shows
/// it, so its text is not in the wasm.
#[derive(Clone, Copy)]
pub struct Help {
    /// What applies without it.
    #[cfg(not(target_arch = "wasm32"))]
    pub default: &'static str,
    /// What it does.
    #[cfg(not(target_arch = "wasm32"))]
    pub meaning: &'static str,
}

impl Help {
    #[cfg(not(target_arch = "wasm32"))]
    pub const fn new(default: &'static str, meaning: &'static str) -> Help {
        Help { default, meaning }
    }

    #[cfg(target_arch = "wasm32")]
    pub const fn new(_default: &'static str, _meaning: &'static str) -> Help {
        Help {}
    }
}

/// Reads a trimmed, non-empty value into the draft; the last argument gets each
/// problem with the (part of the) value it concerns.
pub(super) type Reader = fn(&str, &mut Draft, &dyn UrlParser, &mut Report<'_>);

/// Where a reader reports a problem.
pub(super) type Report<'a> = dyn FnMut(&str, Problem) + 'a;

/// Every attribute the widget reads, in the documented table's order; any other attribute on
/// a mount element is the host's own.
pub const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: MOUNT_ATTRIBUTE,
        help: Help::new(
            "–",
            "marks a mount element (value ignored; not needed on `<presence-widget>`)",
        ),
        read: |_, _, _, _| {},
    },
    Attribute {
        name: "data-api-base",
        help: Help::new(
            "`/CustNNNNN/api` on a tenant path, else `/api`",
            "prefix that `/v1/...` is appended to: a path (resolved against the page's own address, never a `<base href>`) or an `https://` URL on an allowed origin; no user name, query or fragment",
        ),
        // Resolved once every allowed origin is known.
        read: |value, draft, _, _| draft.api_base = Some(value.to_owned()),
    },
    Attribute {
        name: "data-allowed-origins",
        help: Help::new(
            "the page's origin",
            "space- or comma-separated `https://` origins that may receive the session and XSRF token (`http://` only for `localhost`, `*.localhost`, `127.x.x.x` and `[::1]`)",
        ),
        read: |value, draft, urls, report| {
            for entry in value.split([' ', ',']).filter(|e| !e.is_empty()) {
                match super::urls::allowed_origin(entry, urls) {
                    Some(origin) => draft.allowed_origins.push(origin),
                    None => report(entry, Problem::NotAnOrigin),
                }
            }
        },
    },
    Attribute {
        name: "data-client-id",
        help: Help::new(
            "–",
            "the app's client id from SuperOffice's Developer Portal: the instance signs in with SuperOffice (a pop-up, on a click) and calls the Web API with a Bearer token, never the CRM session; for intranet pages on other origins (CRM Online only)",
        ),
        read: |value, draft, _, report| {
            let printable = value.len() <= 200 && value.bytes().all(|b| b.is_ascii_graphic());
            match printable {
                true => draft.client_id = Some(value.to_owned()),
                false => report(value, Problem::NotAClientId),
            }
        },
    },
    Attribute {
        name: "data-authority",
        help: Help::new(
            "`https://online.superoffice.com/login`",
            "the sign-in service (`https://sod.superoffice.com/login` for development tenants, `https://qaonline.superoffice.com/login` for stage); `http://` only for this machine",
        ),
        read: |value, draft, urls, report| {
            match crate::logic::signin::authority::authority(value, urls) {
                Some(authority) => draft.authority = Some(authority),
                None => report(value, Problem::NotAUrl),
            }
        },
    },
    Attribute {
        name: "data-redirect-uri",
        help: Help::new(
            "`signed-in.html` beside `embed.js`",
            "the page the sign-in returns to (the package's `signed-in.html`), on the host page's own origin",
        ),
        read: |value, draft, _, _| draft.redirect_uri = Some(value.to_owned()),
    },
    Attribute {
        name: "data-refresh-seconds",
        help: Help::new(
            "`30`",
            "seconds between refreshes; `0` = no automatic refresh; 2–86400",
        ),
        read: |value, draft, _, report| match value.parse::<u32>() {
            Ok(0) => draft.config.refresh_seconds = 0,
            Ok(n) if (MIN_REFRESH_SECONDS..=MAX_REFRESH_SECONDS).contains(&n) => {
                draft.config.refresh_seconds = n
            }
            _ => report(
                value,
                Problem::Range {
                    min: MIN_REFRESH_SECONDS,
                    max: MAX_REFRESH_SECONDS,
                    zero_allowed: true,
                },
            ),
        },
    },
    Attribute {
        name: "data-timeout-seconds",
        help: Help::new(
            "`10`",
            "a request not answered within this is aborted and counts as failed; 1–120",
        ),
        read: |value, draft, _, report| match value.parse::<u32>() {
            Ok(n) if (1..=MAX_TIMEOUT_SECONDS).contains(&n) => draft.config.timeout_seconds = n,
            _ => report(
                value,
                Problem::Range {
                    min: 1,
                    max: MAX_TIMEOUT_SECONDS,
                    zero_allowed: false,
                },
            ),
        },
    },
    Attribute {
        name: "data-topic",
        help: Help::new(
            "all topics",
            "chat topic id selected initially",
        ),
        read: |value, draft, _, report| match value.parse::<i32>() {
            Ok(id) if id > 0 => draft.config.topic = Some(id),
            _ => report(
                value,
                Problem::Range {
                    min: 1,
                    max: i32::MAX as u32,
                    zero_allowed: false,
                },
            ),
        },
    },
    Attribute {
        name: "data-lang",
        help: Help::new(
            "page `lang`, then the browser",
            "`en`, `nb` (also `no`, `nn`), `sv`, `da`, `de` or `nl`",
        ),
        // Only checked here: the widget reads the attribute itself when it picks its
        // language (`mount::language_of`), before its texts and this check.
        read: |value, _, _, report| {
            if Language::from_tag(value).is_none() {
                report(value, Problem::OneOf { choices: Language::tags() });
            }
        },
    },
    Attribute {
        name: "data-theme",
        help: Help::new(
            "`auto` (follows `prefers-color-scheme`)",
            "`light`, `dark` or `auto`",
        ),
        read: |value, draft, _, report| {
            draft.config.theme = match value.to_ascii_lowercase().as_str() {
                "auto" => Theme::Auto,
                "light" => Theme::Light,
                "dark" => Theme::Dark,
                _ => {
                    report(
                        value,
                        Problem::OneOf {
                            choices: vec!["light", "dark", "auto"],
                        },
                    );
                    Theme::Auto
                }
            }
        },
    },
];

/// The documented attribute table (`docs/embedding.md`), as this module defines it.
#[cfg(not(target_arch = "wasm32"))]
pub fn readme_table() -> String {
    let mut table = String::from("| attribute | default | meaning |\n|---|---|---|\n");
    for attribute in ATTRIBUTES {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            attribute.name, attribute.help.default, attribute.help.meaning
        ));
    }
    table
}

fn is_known(name: &str) -> bool {
    ATTRIBUTES.iter().any(|attribute| attribute.name == name)
}

/// Attributes on a mount element that look like misspellings of the widget's own
/// (e.g. `data-refesh-seconds`): worth a console warning, never a refusal, because
/// the host's own attributes (`data-tag`, `data-time`) may look alike.
pub fn suspected_typos(attributes: &[(String, String)]) -> Vec<ConfigError> {
    attributes
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .filter(|name| name.starts_with("data-") && !is_known(name))
        .filter_map(|name| {
            near_known_attribute(&name).map(|suggestion| ConfigError {
                attribute: name,
                value: String::new(),
                problem: Problem::Misspelt { suggestion },
            })
        })
        .collect()
}

/// A known attribute close to `name`, for "did you mean" warnings: one edit (a
/// swap of neighbours counts as one) for short names, two for long ones, so that
/// `data-lnag` is caught and `data-tag` or `data-time` is not.
fn near_known_attribute(name: &str) -> Option<&'static str> {
    ATTRIBUTES.iter().map(|a| a.name).find(|known| {
        let allowed = if known.len() <= "data-topic".len() {
            1
        } else {
            2
        };
        edit_distance(name, known) <= allowed
    })
}

/// Edit distance with adjacent transpositions (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j]: distance between a[..i] and b[..j]; a few dozen characters at most.
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::logic::i18n::LANGUAGES;

    #[test]
    fn the_readme_table_is_this_table() {
        let readme = include_str!("../../../docs/embedding.md");
        let start = readme
            .find("| attribute | default | meaning |")
            .expect("docs/embedding.md has the attribute table");
        let table: String = readme[start..]
            .lines()
            .take_while(|line| line.starts_with('|'))
            .map(|line| format!("{line}\n"))
            .collect();
        assert_eq!(
            table,
            readme_table(),
            "docs/embedding.md and attributes.rs disagree"
        );
    }

    #[test]
    fn the_table_says_what_the_code_does() {
        let row = |name: &str| ATTRIBUTES.iter().find(|a| a.name == name).expect("listed");
        let refresh = row("data-refresh-seconds");
        assert_eq!(refresh.help.default, format!("`{DEFAULT_REFRESH_SECONDS}`"));
        assert!(refresh
            .help
            .meaning
            .contains(&format!("{MIN_REFRESH_SECONDS}–{MAX_REFRESH_SECONDS}")));
        let timeout = row("data-timeout-seconds");
        assert_eq!(timeout.help.default, format!("`{DEFAULT_TIMEOUT_SECONDS}`"));
        assert!(timeout
            .help
            .meaning
            .contains(&format!("1–{MAX_TIMEOUT_SECONDS}")));
        let lang = row("data-lang");
        for tag in LANGUAGES
            .iter()
            .flat_map(|l| std::iter::once(l.tag).chain(l.aliases.iter().copied()))
        {
            assert!(
                lang.help.meaning.contains(&format!("`{tag}`")),
                "data-lang does not name {tag}"
            );
        }
    }

    #[test]
    fn names_are_unique_and_data_attributes() {
        for (i, attribute) in ATTRIBUTES.iter().enumerate() {
            assert!(attribute.name.starts_with("data-"), "{}", attribute.name);
            assert!(!ATTRIBUTES[..i].iter().any(|a| a.name == attribute.name));
        }
    }

    #[test]
    fn one_letter_off_any_attribute_is_suspected() {
        for attribute in ATTRIBUTES {
            let typo = format!("{}x", &attribute.name[..attribute.name.len() - 1]);
            let suspected = suspected_typos(&[(typo.clone(), String::new())]);
            assert_eq!(suspected.len(), 1, "{typo}");
        }
    }
}

//! Every word the widget shows, one file per language (English, Norwegian bokmål,
//! Swedish, Danish, German, Dutch), with their plurals and number formats. Adding
//! a language is adding its file and a line to [`LANGUAGES`].
//!
//! All six languages pluralise "one" versus "other", so each counted phrase has
//! exactly two forms. Templates use `{n}`, `{a}`, `{t}`, … placeholders filled by
//! [`fill`]; the tables are plain `&'static str` to keep the wasm small.
//!
//! The wasm carries English only: a page in another language loads that
//! language's texts (a file beside `embed.js`, written from these tables, in the
//! order of [`Strings::texts`]) before its widget is drawn. Host builds and tests
//! carry every language.

mod en;
mod errors;
#[cfg(any(test, not(target_arch = "wasm32")))]
mod others {
    pub use super::da::STRINGS as DA;
    pub use super::de::STRINGS as DE;
    pub use super::nb::STRINGS as NB;
    pub use super::nl::STRINGS as NL;
    pub use super::sv::STRINGS as SV;
}
#[cfg(any(test, not(target_arch = "wasm32")))]
mod da;
#[cfg(any(test, not(target_arch = "wasm32")))]
mod de;
#[cfg(any(test, not(target_arch = "wasm32")))]
mod nb;
#[cfg(any(test, not(target_arch = "wasm32")))]
mod nl;
#[cfg(any(test, not(target_arch = "wasm32")))]
mod sv;
#[cfg(test)]
mod tests;

/// What a topic's option says after its counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopicMark {
    None,
    Closed,
    /// Open, with nobody available.
    Uncovered,
}

/// One language: its tag, the other tags it answers to, its digit grouping, and its
/// words where this build carries them.
pub struct Language {
    pub tag: &'static str,
    pub aliases: &'static [&'static str],
    pub group_separator: &'static str,
    bundled: Option<&'static Strings>,
}

/// Texts a build carries, by language (English always; the others on the host).
macro_rules! bundled {
    ($strings:path) => {{
        #[cfg(any(test, not(target_arch = "wasm32")))]
        let strings = Some(&$strings);
        #[cfg(not(any(test, not(target_arch = "wasm32"))))]
        let strings = None;
        strings
    }};
}

/// Every language the widget speaks, the fallback (English) first.
pub const LANGUAGES: &[Language] = &[
    Language {
        tag: "en",
        aliases: &[],
        group_separator: ",",
        bundled: Some(&en::STRINGS),
    },
    Language {
        tag: "nb",
        aliases: &["no", "nn"],
        group_separator: "\u{a0}",
        bundled: bundled!(others::NB),
    },
    Language {
        tag: "sv",
        aliases: &[],
        group_separator: "\u{a0}",
        bundled: bundled!(others::SV),
    },
    Language {
        tag: "da",
        aliases: &[],
        group_separator: ".",
        bundled: bundled!(others::DA),
    },
    Language {
        tag: "de",
        aliases: &[],
        group_separator: ".",
        bundled: bundled!(others::DE),
    },
    Language {
        tag: "nl",
        aliases: &[],
        group_separator: ".",
        bundled: bundled!(others::NL),
    },
];

impl Language {
    /// The language for a BCP 47 tag ("nb-NO", "de", "en-GB"), if the widget speaks it.
    pub fn from_tag(tag: &str) -> Option<&'static Language> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        LANGUAGES
            .iter()
            .find(|lang| lang.tag == primary || lang.aliases.contains(&primary.as_str()))
    }

    /// The first supported language among `candidates` (data-lang, the page's lang,
    /// then the browser's languages, in that order), else English.
    pub fn pick<'a>(candidates: impl IntoIterator<Item = &'a str>) -> &'static Language {
        candidates
            .into_iter()
            .find_map(Language::from_tag)
            .unwrap_or(&LANGUAGES[0])
    }

    /// Every tag, for configuration messages ("en, nb, sv, da, de, nl").
    pub fn tags() -> Vec<&'static str> {
        LANGUAGES.iter().map(|lang| lang.tag).collect()
    }

    /// This language, if the build carries its texts.
    pub fn bundled(&'static self) -> Option<Lang> {
        Some(self.with(self.bundled?))
    }

    /// This language with texts loaded for it.
    pub fn with(&'static self, strings: &'static Strings) -> Lang {
        Lang {
            language: self,
            strings,
        }
    }
}

/// A language the widget speaks, with its texts.
#[derive(Clone, Copy)]
pub struct Lang {
    language: &'static Language,
    strings: &'static Strings,
}

impl PartialEq for Lang {
    fn eq(&self, other: &Self) -> bool {
        self.language.tag == other.language.tag
    }
}

impl Eq for Lang {}

impl std::fmt::Debug for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.language.tag)
    }
}

impl Default for Lang {
    fn default() -> Self {
        LANGUAGES[0].with(&en::STRINGS)
    }
}

impl Lang {
    /// Every language whose texts this build carries (all of them in tests).
    #[cfg(test)]
    pub fn all() -> Vec<Lang> {
        LANGUAGES.iter().filter_map(Language::bundled).collect()
    }

    /// The language for a tag, with its texts (tests: every language is carried).
    #[cfg(test)]
    pub fn from_tag(tag: &str) -> Option<Lang> {
        Language::from_tag(tag)?.bundled()
    }

    /// The tag sent as `Accept-Language` and used for collation.
    pub fn tag(self) -> &'static str {
        self.language.tag
    }

    /// An `Accept-Language` value for these languages, in order of preference
    /// ("nb, de;q=0.9"), each once, at most nine.
    pub fn accept_language(langs: impl IntoIterator<Item = Lang>) -> String {
        let mut tags: Vec<&str> = Vec::new();
        for lang in langs {
            if !tags.contains(&lang.tag()) && tags.len() < 9 {
                tags.push(lang.tag());
            }
        }
        tags.iter()
            .enumerate()
            .map(|(i, tag)| match i {
                0 => (*tag).to_owned(),
                _ => format!("{tag};q=0.{}", 10 - i),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn strings(self) -> &'static Strings {
        self.strings
    }

    /// A whole number with this language's digit grouping ("10,000", "10 000", "10.000").
    pub fn number(self, n: usize) -> String {
        let separator = self.language.group_separator;
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + 4);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(separator);
            }
            out.push(digit);
        }
        out
    }

    /// `one` when `n` is 1, else `other`, filled with `{n}` and then `extra`.
    pub fn plural(self, n: usize, forms: (&str, &str), extra: &[(&str, &str)]) -> String {
        let template = if n == 1 { forms.0 } else { forms.1 };
        let n = self.number(n);
        let mut args = vec![("n", n.as_str())];
        args.extend_from_slice(extra);
        fill(template, &args)
    }

    /// "4 of 6 agents available".
    pub fn summary(self, available: usize, total: usize) -> String {
        let a = self.number(available);
        self.plural(total, self.strings().summary, &[("a", &a)])
    }

    /// "Billing (2 of 3 available)", with " – closed" when the topic is closed now.
    pub fn topic_option(
        self,
        name: &str,
        available: usize,
        total: usize,
        mark: TopicMark,
    ) -> String {
        let s = self.strings();
        let (a, t) = (self.number(available), self.number(total));
        let mut label = fill(s.topic_option, &[("name", name), ("a", &a), ("t", &t)]);
        match mark {
            TopicMark::Closed => label.push_str(s.closed_suffix),
            TopicMark::Uncovered => label.push_str(s.uncovered_suffix),
            TopicMark::None => {}
        }
        label
    }

    /// "A", "A and B", "A, B and C".
    pub fn list(self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [only] => only.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), self.strings().list_and),
        }
    }

    /// "Billing is open and nobody is available" for the topics named.
    pub fn uncovered(self, names: &[String]) -> Option<String> {
        let s = self.strings();
        match names {
            [] => None,
            [one] => Some(fill(s.uncovered_one, &[("topic", one)])),
            many => Some(fill(s.uncovered_many, &[("topics", &self.list(many))])),
        }
    }

    /// "2 topics", "1 topic": a row's topics when their chips would not read.
    pub fn topic_count(self, n: usize) -> String {
        self.plural(n, self.strings().topic_count, &[])
    }

    /// "2 chats", "1 chat", "No chats".
    pub fn chats(self, n: u32) -> String {
        if n == 0 {
            self.strings().no_chats.to_owned()
        } else {
            self.plural(n as usize, self.strings().chats, &[])
        }
    }

    /// "Updated 12 s ago" for an age in whole seconds.
    pub fn updated_ago(self, seconds: u64) -> String {
        let s = self.strings();
        let (template, n) = match seconds {
            0..=4 => return s.updated_now.to_owned(),
            5..=59 => (s.updated_seconds, seconds),
            60..=3599 => (s.updated_minutes, seconds / 60),
            _ => (s.updated_hours, seconds / 3600),
        };
        fill(template, &[("n", &self.number(n as usize))])
    }

    /// "retrying in 4 s" after the age of the data, or "Retrying in 4 s" `alone`.
    pub fn retrying_in(self, seconds: u64, alone: bool) -> String {
        let s = self.strings();
        let template = if alone {
            s.retrying_in_alone
        } else {
            s.retrying_in
        };
        fill(template, &[("n", &self.number(seconds as usize))])
    }

    /// "trying again at 10:42" after the age of the data, or capitalised `alone`;
    /// `time` is the local clock time.
    pub fn retrying_at(self, time: &str, alone: bool) -> String {
        let s = self.strings();
        let template = if alone {
            s.retrying_at_alone
        } else {
            s.retrying_at
        };
        fill(template, &[("time", time)])
    }

    pub fn user_fallback(self, user_id: i32) -> String {
        fill(
            self.strings().user_fallback,
            &[("id", &user_id.to_string())],
        )
    }

    pub fn topic_fallback(self, topic_id: i32) -> String {
        fill(
            self.strings().topic_fallback,
            &[("id", &topic_id.to_string())],
        )
    }

    /// "Show 200 more (9,800 not shown)".
    pub fn show_more(self, n: usize, hidden: usize) -> String {
        let (n, t) = (self.number(n), self.number(hidden));
        fill(self.strings().show_more, &[("n", &n), ("t", &t)])
    }

    pub fn skipped_rows(self, n: usize) -> String {
        self.plural(n, self.strings().skipped_rows, &[])
    }
}

/// Replaces each `{key}` in `template` with its value; unknown keys stay as written.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}').and_then(|end| {
            let key = &after[..end];
            args.iter().find(|(k, _)| *k == key).map(|(_, v)| (end, *v))
        }) {
            Some((end, value)) => {
                out.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Declares [`Strings`] from one list of its fields, with the order of a language
/// file's texts ([`Strings::texts`]) and the way back ([`Strings::from_texts`]).
macro_rules! strings {
    ($($(#[$doc:meta])* $field:ident: $kind:ident,)*) => {
        /// One language's words. Pairs are (one, other) plural forms.
        pub struct Strings {
            $($(#[$doc])* pub $field: strings!(@type $kind),)*
        }

        impl Strings {
            /// How many texts a language file holds.
            pub const COUNT: usize = 0 $(+ strings!(@count $kind))*;

            /// Every text with its field's name, a plural's two forms as `field.0`
            /// and `field.1`: the order of a language file.
            #[cfg(test)]
            pub fn texts(&self) -> Vec<(String, &'static str)> {
                let mut texts = Vec::new();
                $(strings!(@push texts, self.$field, stringify!($field), $kind);)*
                texts
            }

            /// The words from a language file's texts, in [`Strings::texts`]' order;
            /// `None` unless there are exactly as many.
            #[cfg(any(test, target_arch = "wasm32"))]
            pub fn from_texts(texts: &[&'static str]) -> Option<Strings> {
                if texts.len() != Self::COUNT {
                    return None;
                }
                let mut texts = texts.iter().copied();
                Some(Strings {
                    $($field: strings!(@take texts, $kind),)*
                })
            }
        }
    };
    (@count text) => { 1 };
    (@count plural) => { 2 };
    (@type text) => { &'static str };
    (@type plural) => { (&'static str, &'static str) };
    (@take $texts:ident, text) => { $texts.next()? };
    (@take $texts:ident, plural) => { ($texts.next()?, $texts.next()?) };
    (@push $out:ident, $value:expr, $name:expr, text) => { $out.push(($name.to_owned(), $value)) };
    (@push $out:ident, $value:expr, $name:expr, plural) => {{
        $out.push((format!("{}.0", $name), $value.0));
        $out.push((format!("{}.1", $name), $value.1));
    }};
}

strings! {
    summary: plural,
    topic_option: text,
    closed_suffix: text,
    all_topics: text,
    topic_label: text,
    search_label: text,
    search_placeholder: text,
    available_only: text,
    available: text,
    away: text,
    chats: plural,
    no_chats: text,
    user_fallback: text,
    topic_fallback: text,
    refresh: text,
    updated_now: text,
    updated_seconds: text,
    updated_minutes: text,
    updated_hours: text,
    /// After "Updated … ago – ".
    retrying_in: text,
    /// On its own, before any data has arrived.
    retrying_in_alone: text,
    /// After a server asked for a pause: "trying again at 10:42" (local time).
    retrying_at: text,
    retrying_at_alone: text,
    loading: text,
    agents_list: text,
    no_agents: text,
    nobody_in_topic: text,
    nobody_matches: text,
    nobody_available: text,
    signed_out: text,
    redirected: text,
    forbidden: text,
    not_found: text,
    server_error: text,
    network_error: text,
    timeout: text,
    /// 429, or 503 with `Retry-After`: the server asked for a pause.
    busy: text,
    /// The browser says it has no network.
    offline: text,
    not_json: text,
    unexpected: text,
    retry: text,
    config_heading: text,
    /// The page's origin is opaque (a sandboxed frame without `allow-same-origin`, a
    /// file): no session, storage or tabs, so the widget says why and stops.
    sandboxed: text,
    /// Under the loading rows when the first answer is long in coming (shown by
    /// the stylesheet after a few seconds).
    still_loading: text,
    more_topics: text,
    skipped_rows: plural,
    stale: text,
    show_more: text,
    /// Label of a card's pin toggle (its pressed state says whether it is pinned).
    pin: text,
    /// The switch that shows pinned colleagues only.
    pinned_only: text,
    /// Storage refused the user's pins or watches: they hold until the page reloads.
    unkept: text,
    /// Sign in with SuperOffice: the button, and what the bar above the list says.
    sign_in: text,
    sign_in_again: text,
    sign_in_preparing: text,
    sign_in_waiting: text,
    sign_in_ended: text,
    sign_in_blocked: text,
    /// The pop-up looks closed: it was, or it isolated itself from this page
    /// (an identity provider's opener policy), which a page cannot tell apart.
    sign_in_closed: text,
    sign_in_unavailable: text,
    /// `{reason}`: a short technical word (state, nonce, issuer…), for the admin.
    sign_in_refused: text,
    /// Empty list under "Pinned" with nobody pinned.
    no_pinned: text,
    /// Empty list under "Pinned" when none of the pinned agents is in the data.
    no_pinned_here: text,
    /// Label of a card's watch toggle.
    watch_agent: text,
    /// The watch button under a chosen topic with nobody available.
    watch_topic: text,
    /// The chip of a waiting watch, on a topic or an agent.
    watching: text,
    /// Cancels a watch.
    cancel: text,
    /// A watch on an agent fired.
    fired_agent: text,
    /// A watch on a topic fired.
    fired_topic: text,
    /// Closes a notice.
    dismiss: text,
    /// One open topic with nobody available.
    uncovered_one: text,
    /// Several (`{topics}` joined with `list_and`).
    uncovered_many: text,
    /// The last joint of a list ("A, B and C").
    list_and: text,
    /// After an uncovered topic's option.
    uncovered_suffix: text,
    /// Announced when an uncovered topic is covered again.
    covered_again: text,
    /// Title of a system notification.
    notification_title: text,
    /// Beside the name on the signed-in user's own card.
    you: text,
    /// The switch that sets the user's own chat presence.
    own_available: text,
    /// The switch that puts the user's own card first.
    me_first: text,
    /// The list order's select and its two orders.
    order_label: text,
    order_available: text,
    order_least_busy: text,
    /// The CRM refused the user's own presence change (403, 404).
    own_refused: text,
    /// Any other failure of that change (it was rolled back).
    own_failed: text,
    /// A row whose topic chips would not read at this width: "2 topics".
    topic_count: plural,
    /// For screen readers and the tooltip: "Topics: Billing, Sales".
    topics_named: text,
}

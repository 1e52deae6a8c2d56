//! Every word the widget shows, one file per language (English, Norwegian bokmål,
//! Swedish, Danish, German, Dutch), with their plurals and number formats. Adding
//! a language is adding its file and a line to [`Lang::ALL`].
//!
//! All six languages pluralise "one" versus "other", so each counted phrase has
//! exactly two forms. Templates use `{n}`, `{a}`, `{t}`, … placeholders filled by
//! [`fill`]; the tables are plain `&'static str` to keep the wasm small.

mod da;
mod de;
mod en;
mod errors;
mod nb;
mod nl;
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

/// One language: its tag, the other tags it answers to, its digit grouping and its
/// words.
pub struct Language {
    pub tag: &'static str,
    pub aliases: &'static [&'static str],
    pub group_separator: &'static str,
    pub strings: Strings,
}

/// A language the widget speaks.
#[derive(Clone, Copy)]
pub struct Lang(&'static Language);

impl PartialEq for Lang {
    fn eq(&self, other: &Self) -> bool {
        self.0.tag == other.0.tag
    }
}

impl Eq for Lang {}

impl std::fmt::Debug for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.tag)
    }
}

impl Default for Lang {
    fn default() -> Self {
        Lang::ALL[0]
    }
}

impl Lang {
    /// Every language, the fallback (English) first.
    pub const ALL: &'static [Lang] = &[
        Lang(&en::LANGUAGE),
        Lang(&nb::LANGUAGE),
        Lang(&sv::LANGUAGE),
        Lang(&da::LANGUAGE),
        Lang(&de::LANGUAGE),
        Lang(&nl::LANGUAGE),
    ];

    /// The language for a BCP 47 tag ("nb-NO", "de", "en-GB"), if the widget speaks it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL
            .iter()
            .copied()
            .find(|lang| lang.0.tag == primary || lang.0.aliases.contains(&primary.as_str()))
    }

    /// The first supported language among `candidates` (data-lang, the page's lang,
    /// then the browser's languages, in that order), else English.
    pub fn pick<'a>(candidates: impl IntoIterator<Item = &'a str>) -> Lang {
        candidates
            .into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or_default()
    }

    /// The tag sent as `Accept-Language` and used for collation.
    pub fn tag(self) -> &'static str {
        self.0.tag
    }

    /// Every tag, for configuration messages ("en, nb, sv, da, de, nl").
    pub fn tags() -> Vec<&'static str> {
        Lang::ALL.iter().map(|lang| lang.tag()).collect()
    }

    /// The other tags this language answers to ("no", "nn" for Norwegian).
    pub fn aliases(self) -> &'static [&'static str] {
        self.0.aliases
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
        &self.0.strings
    }

    /// A whole number with this language's digit grouping ("10,000", "10 000", "10.000").
    pub fn number(self, n: usize) -> String {
        let separator = self.0.group_separator;
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

/// One language's words. Pairs are (one, other) plural forms.
pub struct Strings {
    pub summary: (&'static str, &'static str),
    pub topic_option: &'static str,
    pub closed_suffix: &'static str,
    pub all_topics: &'static str,
    pub topic_label: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub available_only: &'static str,
    pub available: &'static str,
    pub away: &'static str,
    pub chats: (&'static str, &'static str),
    pub no_chats: &'static str,
    pub user_fallback: &'static str,
    pub topic_fallback: &'static str,
    pub refresh: &'static str,
    pub updated_now: &'static str,
    pub updated_seconds: &'static str,
    pub updated_minutes: &'static str,
    pub updated_hours: &'static str,
    /// After "Updated … ago – ".
    pub retrying_in: &'static str,
    /// On its own, before any data has arrived.
    pub retrying_in_alone: &'static str,
    /// After a server asked for a pause: "trying again at 10:42" (local time).
    pub retrying_at: &'static str,
    pub retrying_at_alone: &'static str,
    pub loading: &'static str,
    pub agents_list: &'static str,
    pub no_agents: &'static str,
    pub nobody_in_topic: &'static str,
    pub nobody_matches: &'static str,
    pub nobody_available: &'static str,
    pub signed_out: &'static str,
    pub redirected: &'static str,
    pub forbidden: &'static str,
    pub not_found: &'static str,
    pub server_error: &'static str,
    pub network_error: &'static str,
    pub timeout: &'static str,
    /// 429, or 503 with `Retry-After`: the server asked for a pause.
    pub busy: &'static str,
    /// The browser says it has no network.
    pub offline: &'static str,
    pub not_json: &'static str,
    pub unexpected: &'static str,
    pub retry: &'static str,
    pub config_heading: &'static str,
    /// The page's origin is opaque (a sandboxed frame without `allow-same-origin`, a
    /// file): no session, storage or tabs, so the widget says why and stops.
    pub sandboxed: &'static str,
    /// Under the loading rows when the first answer is long in coming (shown by
    /// the stylesheet after a few seconds).
    pub still_loading: &'static str,
    pub more_topics: &'static str,
    pub skipped_rows: (&'static str, &'static str),
    pub stale: &'static str,
    pub show_more: &'static str,
    /// Label of a card's pin toggle (its pressed state says whether it is pinned).
    pub pin: &'static str,
    /// The switch that shows pinned colleagues only.
    pub pinned_only: &'static str,
    /// Storage refused the user's pins or watches: they hold until the page reloads.
    pub unkept: &'static str,
    /// Sign in with SuperOffice: the button, and what the bar above the list says.
    pub sign_in: &'static str,
    pub sign_in_again: &'static str,
    pub sign_in_preparing: &'static str,
    pub sign_in_waiting: &'static str,
    pub sign_in_ended: &'static str,
    pub sign_in_blocked: &'static str,
    /// The pop-up looks closed: it was, or it isolated itself from this page
    /// (an identity provider's opener policy), which a page cannot tell apart.
    pub sign_in_closed: &'static str,
    pub sign_in_unavailable: &'static str,
    /// `{reason}`: a short technical word (state, nonce, issuer…), for the admin.
    pub sign_in_refused: &'static str,
    /// Empty list under "Pinned" with nobody pinned.
    pub no_pinned: &'static str,
    /// Empty list under "Pinned" when none of the pinned agents is in the data.
    pub no_pinned_here: &'static str,
    /// Label of a card's watch toggle.
    pub watch_agent: &'static str,
    /// The watch button under a chosen topic with nobody available.
    pub watch_topic: &'static str,
    /// The chip of a waiting watch, on a topic or an agent.
    pub watching: &'static str,
    /// Cancels a watch.
    pub cancel: &'static str,
    /// A watch on an agent fired.
    pub fired_agent: &'static str,
    /// A watch on a topic fired.
    pub fired_topic: &'static str,
    /// Closes a notice.
    pub dismiss: &'static str,
    /// One open topic with nobody available.
    pub uncovered_one: &'static str,
    /// Several (`{topics}` joined with `list_and`).
    pub uncovered_many: &'static str,
    /// The last joint of a list ("A, B and C").
    pub list_and: &'static str,
    /// After an uncovered topic's option.
    pub uncovered_suffix: &'static str,
    /// Announced when an uncovered topic is covered again.
    pub covered_again: &'static str,
    /// Title of a system notification.
    pub notification_title: &'static str,
    /// Beside the name on the signed-in user's own card.
    pub you: &'static str,
    /// The switch that sets the user's own chat presence.
    pub own_available: &'static str,
    /// The switch that puts the user's own card first.
    pub me_first: &'static str,
    /// The list order's select and its two orders.
    pub order_label: &'static str,
    pub order_available: &'static str,
    pub order_least_busy: &'static str,
    /// The CRM refused the user's own presence change (403, 404).
    pub own_refused: &'static str,
    /// Any other failure of that change (it was rolled back).
    pub own_failed: &'static str,
    /// A row whose topic chips would not read at this width: "2 topics".
    pub topic_count: (&'static str, &'static str),
    /// For screen readers and the tooltip: "Topics: Billing, Sales".
    pub topics_named: &'static str,
}

//! Every word the widget shows, in English, Norwegian (bokmål), Swedish, Danish,
//! German and Dutch, with their plurals and number formats.
//!
//! All six languages pluralise "one" versus "other", so each counted phrase has
//! exactly two forms. Templates use `{n}`, `{a}`, `{t}`, … placeholders filled by
//! [`fill`]; the tables are plain `&'static str` to keep the wasm small.

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Nb,
    Sv,
    Da,
    De,
    Nl,
}

impl Lang {
    /// The language for a BCP 47 tag ("nb-NO", "de", "en-GB"), if the widget speaks it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Some(match primary.as_str() {
            "en" => Lang::En,
            // Norwegian in all its tags is served in bokmål.
            "nb" | "no" | "nn" => Lang::Nb,
            "sv" => Lang::Sv,
            "da" => Lang::Da,
            "de" => Lang::De,
            "nl" => Lang::Nl,
            _ => return None,
        })
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
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
            Lang::Sv => "sv",
            Lang::Da => "da",
            Lang::De => "de",
            Lang::Nl => "nl",
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &EN,
            Lang::Nb => &NB,
            Lang::Sv => &SV,
            Lang::Da => &DA,
            Lang::De => &DE,
            Lang::Nl => &NL,
        }
    }

    /// A whole number with this language's digit grouping ("10,000", "10 000", "10.000").
    pub fn number(self, n: usize) -> String {
        let separator = match self {
            Lang::En => ",",
            Lang::Nb | Lang::Sv => "\u{a0}",
            Lang::Da | Lang::De | Lang::Nl => ".",
        };
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
    pub fn topic_option(self, name: &str, available: usize, total: usize, closed: bool) -> String {
        let s = self.strings();
        let (a, t) = (self.number(available), self.number(total));
        let mut label = fill(s.topic_option, &[("name", name), ("a", &a), ("t", &t)]);
        if closed {
            label.push_str(s.closed_suffix);
        }
        label
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

    pub fn retrying_in(self, seconds: u64) -> String {
        fill(
            self.strings().retrying_in,
            &[("n", &self.number(seconds as usize))],
        )
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
    pub closed: &'static str,
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
    pub retrying_in: &'static str,
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
    pub not_json: &'static str,
    pub unexpected: &'static str,
    pub retry: &'static str,
    pub config_heading: &'static str,
    pub more_topics: &'static str,
    pub skipped_rows: (&'static str, &'static str),
    pub stale: &'static str,
    pub show_more: &'static str,
}

pub static EN: Strings = Strings {
    summary: ("{a} of {n} agent available", "{a} of {n} agents available"),
    topic_option: "{name} ({a} of {t} available)",
    closed_suffix: " – closed",
    closed: "Closed",
    all_topics: "All topics",
    topic_label: "Topic",
    search_label: "Search by name",
    search_placeholder: "Search",
    available_only: "Available only",
    available: "Available",
    away: "Away",
    chats: ("{n} chat", "{n} chats"),
    no_chats: "No chats",
    user_fallback: "User {id}",
    topic_fallback: "Topic {id}",
    refresh: "Refresh",
    updated_now: "Updated just now",
    updated_seconds: "Updated {n} s ago",
    updated_minutes: "Updated {n} min ago",
    updated_hours: "Updated {n} h ago",
    retrying_in: "retrying in {n} s",
    loading: "Loading chat agents…",
    agents_list: "Chat agents",
    no_agents: "No chat agents",
    nobody_in_topic: "Nobody in this topic",
    nobody_matches: "Nobody matches your search",
    nobody_available: "Nobody is available right now",
    signed_out: "Your CRM session has ended. Sign in again.",
    redirected:
        "The CRM sent you to a sign-in page: your session has probably ended. Sign in again.",
    forbidden: "You do not have access to chat presence in the CRM.",
    not_found: "The CRM's chat presence service was not found at {base}.",
    server_error: "The CRM answered with an error ({status}).",
    network_error: "Could not reach the CRM. Check your connection.",
    timeout: "The CRM did not answer in time.",
    not_json: "The CRM sent an answer that could not be read.",
    unexpected: "The CRM sent {kind} instead of a list of agents.",
    retry: "Retry",
    config_heading: "The chat presence widget is not set up correctly:",
    more_topics: "+{n}",
    skipped_rows: (
        "{n} entry could not be read",
        "{n} entries could not be read",
    ),
    stale: "Not current",
    show_more: "Show {n} more ({t} not shown)",
};

pub static NB: Strings = Strings {
    summary: (
        "{a} av {n} agent tilgjengelig",
        "{a} av {n} agenter tilgjengelige",
    ),
    topic_option: "{name} ({a} av {t} tilgjengelige)",
    closed_suffix: " – stengt",
    closed: "Stengt",
    all_topics: "Alle emner",
    topic_label: "Emne",
    search_label: "Søk etter navn",
    search_placeholder: "Søk",
    available_only: "Bare tilgjengelige",
    available: "Tilgjengelig",
    away: "Borte",
    chats: ("{n} chat", "{n} chatter"),
    no_chats: "Ingen chatter",
    user_fallback: "Bruker {id}",
    topic_fallback: "Emne {id}",
    refresh: "Oppdater",
    updated_now: "Oppdatert nå",
    updated_seconds: "Oppdatert for {n} s siden",
    updated_minutes: "Oppdatert for {n} min siden",
    updated_hours: "Oppdatert for {n} t siden",
    retrying_in: "prøver igjen om {n} s",
    loading: "Laster chatagenter …",
    agents_list: "Chatagenter",
    no_agents: "Ingen chatagenter",
    nobody_in_topic: "Ingen i dette emnet",
    nobody_matches: "Ingen treff på søket",
    nobody_available: "Ingen er tilgjengelige nå",
    signed_out: "CRM-økten din er avsluttet. Logg inn på nytt.",
    redirected:
        "CRM sendte deg til en påloggingsside: økten din er trolig avsluttet. Logg inn på nytt.",
    forbidden: "Du har ikke tilgang til chatstatus i CRM.",
    not_found: "Fant ikke chatstatustjenesten til CRM på {base}.",
    server_error: "CRM svarte med en feil ({status}).",
    network_error: "Får ikke kontakt med CRM. Sjekk tilkoblingen.",
    timeout: "CRM svarte ikke i tide.",
    not_json: "CRM sendte et svar som ikke kunne leses.",
    unexpected: "CRM sendte {kind} i stedet for en liste over agenter.",
    retry: "Prøv igjen",
    config_heading: "Chatstatus-widgeten er ikke riktig satt opp:",
    more_topics: "+{n}",
    skipped_rows: (
        "{n} oppføring kunne ikke leses",
        "{n} oppføringer kunne ikke leses",
    ),
    stale: "Ikke oppdatert",
    show_more: "Vis {n} til ({t} ikke vist)",
};

pub static SV: Strings = Strings {
    summary: (
        "{a} av {n} agent tillgänglig",
        "{a} av {n} agenter tillgängliga",
    ),
    topic_option: "{name} ({a} av {t} tillgängliga)",
    closed_suffix: " – stängt",
    closed: "Stängt",
    all_topics: "Alla ämnen",
    topic_label: "Ämne",
    search_label: "Sök efter namn",
    search_placeholder: "Sök",
    available_only: "Endast tillgängliga",
    available: "Tillgänglig",
    away: "Borta",
    chats: ("{n} chatt", "{n} chattar"),
    no_chats: "Inga chattar",
    user_fallback: "Användare {id}",
    topic_fallback: "Ämne {id}",
    refresh: "Uppdatera",
    updated_now: "Uppdaterad nyss",
    updated_seconds: "Uppdaterad för {n} s sedan",
    updated_minutes: "Uppdaterad för {n} min sedan",
    updated_hours: "Uppdaterad för {n} h sedan",
    retrying_in: "försöker igen om {n} s",
    loading: "Läser in chattagenter…",
    agents_list: "Chattagenter",
    no_agents: "Inga chattagenter",
    nobody_in_topic: "Ingen i det här ämnet",
    nobody_matches: "Ingen matchar sökningen",
    nobody_available: "Ingen är tillgänglig just nu",
    signed_out: "Din CRM-session har avslutats. Logga in igen.",
    redirected: "CRM skickade dig till en inloggningssida: din session har troligen avslutats. Logga in igen.",
    forbidden: "Du har inte behörighet att se chattstatus i CRM.",
    not_found: "CRM:s chattstatustjänst hittades inte på {base}.",
    server_error: "CRM svarade med ett fel ({status}).",
    network_error: "Det gick inte att nå CRM. Kontrollera anslutningen.",
    timeout: "CRM svarade inte i tid.",
    not_json: "CRM skickade ett svar som inte kunde läsas.",
    unexpected: "CRM skickade {kind} i stället för en lista med agenter.",
    retry: "Försök igen",
    config_heading: "Chattstatus-widgeten är inte rätt konfigurerad:",
    more_topics: "+{n}",
    skipped_rows: ("{n} post kunde inte läsas", "{n} poster kunde inte läsas"),
    stale: "Inte aktuellt",
    show_more: "Visa {n} till ({t} visas inte)",
};

pub static DA: Strings = Strings {
    summary: (
        "{a} af {n} agent tilgængelig",
        "{a} af {n} agenter tilgængelige",
    ),
    topic_option: "{name} ({a} af {t} tilgængelige)",
    closed_suffix: " – lukket",
    closed: "Lukket",
    all_topics: "Alle emner",
    topic_label: "Emne",
    search_label: "Søg efter navn",
    search_placeholder: "Søg",
    available_only: "Kun tilgængelige",
    available: "Tilgængelig",
    away: "Væk",
    chats: ("{n} chat", "{n} chats"),
    no_chats: "Ingen chats",
    user_fallback: "Bruger {id}",
    topic_fallback: "Emne {id}",
    refresh: "Opdater",
    updated_now: "Opdateret lige nu",
    updated_seconds: "Opdateret for {n} s siden",
    updated_minutes: "Opdateret for {n} min. siden",
    updated_hours: "Opdateret for {n} t siden",
    retrying_in: "prøver igen om {n} s",
    loading: "Indlæser chatagenter …",
    agents_list: "Chatagenter",
    no_agents: "Ingen chatagenter",
    nobody_in_topic: "Ingen i dette emne",
    nobody_matches: "Ingen matcher søgningen",
    nobody_available: "Ingen er tilgængelige lige nu",
    signed_out: "Din CRM-session er udløbet. Log ind igen.",
    redirected:
        "CRM sendte dig til en logind-side: din session er sandsynligvis udløbet. Log ind igen.",
    forbidden: "Du har ikke adgang til chatstatus i CRM.",
    not_found: "CRM's chatstatustjeneste blev ikke fundet på {base}.",
    server_error: "CRM svarede med en fejl ({status}).",
    network_error: "Kunne ikke få forbindelse til CRM. Tjek forbindelsen.",
    timeout: "CRM svarede ikke i tide.",
    not_json: "CRM sendte et svar, der ikke kunne læses.",
    unexpected: "CRM sendte {kind} i stedet for en liste over agenter.",
    retry: "Prøv igen",
    config_heading: "Chatstatus-widgetten er ikke sat korrekt op:",
    more_topics: "+{n}",
    skipped_rows: ("{n} post kunne ikke læses", "{n} poster kunne ikke læses"),
    stale: "Ikke aktuelt",
    show_more: "Vis {n} mere ({t} ikke vist)",
};

pub static DE: Strings = Strings {
    summary: (
        "{a} von {n} Agent verfügbar",
        "{a} von {n} Agenten verfügbar",
    ),
    topic_option: "{name} ({a} von {t} verfügbar)",
    closed_suffix: " – geschlossen",
    closed: "Geschlossen",
    all_topics: "Alle Themen",
    topic_label: "Thema",
    search_label: "Nach Namen suchen",
    search_placeholder: "Suchen",
    available_only: "Nur verfügbare",
    available: "Verfügbar",
    away: "Abwesend",
    chats: ("{n} Chat", "{n} Chats"),
    no_chats: "Keine Chats",
    user_fallback: "Benutzer {id}",
    topic_fallback: "Thema {id}",
    refresh: "Aktualisieren",
    updated_now: "Gerade aktualisiert",
    updated_seconds: "Vor {n} s aktualisiert",
    updated_minutes: "Vor {n} Min. aktualisiert",
    updated_hours: "Vor {n} Std. aktualisiert",
    retrying_in: "neuer Versuch in {n} s",
    loading: "Chat-Agenten werden geladen …",
    agents_list: "Chat-Agenten",
    no_agents: "Keine Chat-Agenten",
    nobody_in_topic: "Niemand in diesem Thema",
    nobody_matches: "Niemand passt zur Suche",
    nobody_available: "Gerade ist niemand verfügbar",
    signed_out: "Ihre CRM-Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
    redirected: "Das CRM hat Sie zu einer Anmeldeseite umgeleitet: Ihre Sitzung ist vermutlich abgelaufen. Bitte melden Sie sich erneut an.",
    forbidden: "Sie haben keinen Zugriff auf den Chat-Status im CRM.",
    not_found: "Der Chat-Status-Dienst des CRM wurde unter {base} nicht gefunden.",
    server_error: "Das CRM hat mit einem Fehler geantwortet ({status}).",
    network_error: "Das CRM ist nicht erreichbar. Prüfen Sie die Verbindung.",
    timeout: "Das CRM hat nicht rechtzeitig geantwortet.",
    not_json: "Das CRM hat eine unlesbare Antwort gesendet.",
    unexpected: "Das CRM hat {kind} statt einer Agentenliste gesendet.",
    retry: "Erneut versuchen",
    config_heading: "Das Chat-Status-Widget ist nicht richtig eingerichtet:",
    more_topics: "+{n}",
    skipped_rows: (
        "{n} Eintrag war nicht lesbar",
        "{n} Einträge waren nicht lesbar",
    ),
    stale: "Nicht aktuell",
    show_more: "{n} weitere anzeigen ({t} ausgeblendet)",
};

pub static NL: Strings = Strings {
    summary: (
        "{a} van {n} agent beschikbaar",
        "{a} van {n} agenten beschikbaar",
    ),
    topic_option: "{name} ({a} van {t} beschikbaar)",
    closed_suffix: " – gesloten",
    closed: "Gesloten",
    all_topics: "Alle onderwerpen",
    topic_label: "Onderwerp",
    search_label: "Zoeken op naam",
    search_placeholder: "Zoeken",
    available_only: "Alleen beschikbaar",
    available: "Beschikbaar",
    away: "Afwezig",
    chats: ("{n} chat", "{n} chats"),
    no_chats: "Geen chats",
    user_fallback: "Gebruiker {id}",
    topic_fallback: "Onderwerp {id}",
    refresh: "Vernieuwen",
    updated_now: "Zojuist bijgewerkt",
    updated_seconds: "{n} s geleden bijgewerkt",
    updated_minutes: "{n} min geleden bijgewerkt",
    updated_hours: "{n} uur geleden bijgewerkt",
    retrying_in: "nieuwe poging over {n} s",
    loading: "Chatagenten laden…",
    agents_list: "Chatagenten",
    no_agents: "Geen chatagenten",
    nobody_in_topic: "Niemand in dit onderwerp",
    nobody_matches: "Niemand komt overeen met je zoekopdracht",
    nobody_available: "Er is nu niemand beschikbaar",
    signed_out: "Je CRM-sessie is beëindigd. Meld je opnieuw aan.",
    redirected: "Het CRM stuurde je naar een aanmeldpagina: je sessie is waarschijnlijk beëindigd. Meld je opnieuw aan.",
    forbidden: "Je hebt geen toegang tot de chatstatus in het CRM.",
    not_found: "De chatstatusdienst van het CRM is niet gevonden op {base}.",
    server_error: "Het CRM antwoordde met een fout ({status}).",
    network_error: "Het CRM is niet bereikbaar. Controleer je verbinding.",
    timeout: "Het CRM antwoordde niet op tijd.",
    not_json: "Het CRM stuurde een antwoord dat niet gelezen kon worden.",
    unexpected: "Het CRM stuurde {kind} in plaats van een lijst met agenten.",
    retry: "Opnieuw proberen",
    config_heading: "De chatstatuswidget is niet goed ingesteld:",
    more_topics: "+{n}",
    skipped_rows: (
        "{n} item kon niet worden gelezen",
        "{n} items konden niet worden gelezen",
    ),
    stale: "Niet actueel",
    show_more: "Toon {n} meer ({t} niet getoond)",
};

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Lang; 6] = [Lang::En, Lang::Nb, Lang::Sv, Lang::Da, Lang::De, Lang::Nl];

    #[test]
    fn picks_the_first_supported_language() {
        assert_eq!(Lang::pick(["", "fr-FR", "nb-NO", "de"]), Lang::Nb);
        assert_eq!(Lang::pick(["no"]), Lang::Nb);
        assert_eq!(Lang::pick(["NL_be"]), Lang::Nl);
        assert_eq!(Lang::pick(["fr", "ja"]), Lang::En);
        assert_eq!(Lang::pick([]), Lang::En);
    }

    #[test]
    fn summaries_and_plurals() {
        assert_eq!(Lang::En.summary(4, 6), "4 of 6 agents available");
        assert_eq!(Lang::En.summary(1, 1), "1 of 1 agent available");
        assert_eq!(Lang::En.summary(0, 0), "0 of 0 agents available");
        assert_eq!(Lang::Nb.summary(2, 3), "2 av 3 agenter tilgjengelige");
        assert_eq!(Lang::De.summary(1, 1), "1 von 1 Agent verfügbar");
        assert_eq!(Lang::En.chats(2), "2 chats");
        assert_eq!(Lang::En.chats(1), "1 chat");
        assert_eq!(Lang::En.chats(0), "No chats");
        assert_eq!(Lang::Sv.chats(3), "3 chattar");
        assert_eq!(
            Lang::Nl.skipped_rows(2),
            "2 items konden niet worden gelezen"
        );
    }

    #[test]
    fn numbers_group_digits_per_language() {
        assert_eq!(
            Lang::En.summary(1234, 10000),
            "1,234 of 10,000 agents available"
        );
        assert_eq!(Lang::Nb.number(10000), "10\u{a0}000");
        assert_eq!(Lang::De.number(1234567), "1.234.567");
        assert_eq!(Lang::Nl.number(999), "999");
        assert_eq!(Lang::Da.number(0), "0");
    }

    #[test]
    fn topic_options_name_counts_and_closed() {
        assert_eq!(
            Lang::En.topic_option("Billing", 2, 3, false),
            "Billing (2 of 3 available)"
        );
        assert_eq!(
            Lang::Nb.topic_option("Salg", 0, 1, true),
            "Salg (0 av 1 tilgjengelige) – stengt"
        );
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(Lang::En.updated_ago(2), "Updated just now");
        assert_eq!(Lang::En.updated_ago(12), "Updated 12 s ago");
        assert_eq!(Lang::En.updated_ago(185), "Updated 3 min ago");
        assert_eq!(Lang::En.updated_ago(7300), "Updated 2 h ago");
        assert_eq!(Lang::De.updated_ago(30), "Vor 30 s aktualisiert");
        assert_eq!(Lang::En.retrying_in(40), "retrying in 40 s");
    }

    #[test]
    fn fill_leaves_unknown_placeholders_alone() {
        assert_eq!(fill("{a} {b} {", &[("a", "1")]), "1 {b} {");
        assert_eq!(fill("{a}{a}", &[("a", "{a}")]), "{a}{a}");
    }

    #[test]
    fn every_language_fills_every_placeholder() {
        for lang in ALL {
            let s = lang.strings();
            for text in [
                lang.summary(3, 5),
                lang.topic_option("X", 1, 2, true),
                lang.chats(2),
                lang.updated_ago(30),
                lang.updated_ago(300),
                lang.updated_ago(30000),
                lang.retrying_in(9),
                lang.user_fallback(5),
                lang.topic_fallback(5),
                lang.skipped_rows(1),
                lang.show_more(200, 9800),
                fill(s.not_found, &[("base", "/api")]),
                fill(s.server_error, &[("status", "500")]),
                fill(s.unexpected, &[("kind", "null")]),
            ] {
                assert!(!text.contains('{'), "{lang:?}: {text}");
            }
        }
    }
}

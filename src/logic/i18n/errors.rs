//! What each failure says to the user, in the instance's language.

use super::{fill, Lang};
use crate::logic::error::ApiError;
use crate::logic::model::DecodeError;

impl Lang {
    /// The sentence for a failure; `base` is the API base, named when it was not
    /// found. The server's own message, when it sent one, follows in its words.
    pub fn error_text(self, error: &ApiError, base: &str) -> String {
        let s = self.strings();
        let with_message = |text: String, message: &Option<String>| match message {
            Some(message) => format!("{text} {message}"),
            None => text,
        };
        match error {
            ApiError::SignedOut => s.signed_out.into(),
            ApiError::Redirected => s.redirected.into(),
            ApiError::Forbidden => s.forbidden.into(),
            ApiError::NotFound => fill(s.not_found, &[("base", base)]),
            ApiError::Server { status, message } => with_message(
                fill(s.server_error, &[("status", &status.to_string())]),
                message,
            ),
            ApiError::Network => s.network_error.into(),
            ApiError::Timeout => s.timeout.into(),
            ApiError::Busy { .. } => s.busy.into(),
            ApiError::Offline => s.offline.into(),
            ApiError::NotJson => s.not_json.into(),
            ApiError::Unexpected(DecodeError::NotAList { kind, message }) => {
                with_message(fill(s.unexpected, &[("kind", kind)]), message)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every failure has its own filled sentence in `lang`, and keeps the server's
    /// words and the API base where they belong.
    fn check(lang: Lang) {
        let tag = lang.tag();
        let texts: Vec<String> = ApiError::examples()
            .iter()
            .map(|error| lang.error_text(error, "/Cust1/api"))
            .collect();
        for text in &texts {
            assert!(!text.is_empty() && !text.contains('{'), "{tag}: {text}");
        }
        let distinct: std::collections::HashSet<&String> = texts.iter().collect();
        assert_eq!(
            distinct.len(),
            texts.len(),
            "{tag}: two failures read the same"
        );
        assert!(texts[3].contains("/Cust1/api"), "{tag}: {}", texts[3]);
        assert!(texts[4].contains("503") && texts[4].ends_with("Down for maintenance"));
        assert!(texts[9].ends_with("Use the Agents endpoint\nnow"));
        assert_eq!(texts[0], lang.strings().signed_out);
    }

    #[test]
    fn every_failure_reads_well_in_every_language() {
        for lang in Lang::all() {
            check(lang);
        }
        assert_eq!(
            Lang::default().error_text(&ApiError::Timeout, ""),
            "The CRM did not answer in time."
        );
    }

    #[test]
    fn the_list_of_failures_is_complete() {
        // A new kind of failure must join `ApiError::examples` (and get its words).
        for error in ApiError::examples() {
            match error {
                ApiError::SignedOut
                | ApiError::Redirected
                | ApiError::Forbidden
                | ApiError::NotFound
                | ApiError::Server { .. }
                | ApiError::Network
                | ApiError::Timeout
                | ApiError::Busy { .. }
                | ApiError::Offline
                | ApiError::NotJson
                | ApiError::Unexpected(_) => {}
            }
        }
    }
}

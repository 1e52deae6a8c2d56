//! Which topic chips a row shows at each widget width, so that a chip is shown only
//! where its whole name reads: where none would, the row says "2 topics" instead (a
//! blank pill before "+1" helps nobody), and the names are in the card's text for
//! screen readers and in its tooltip.
//!
//! "N topics" needs no plan: it stands beside the status, and where it does not
//! fit it wraps to the row's hidden second line (`.line2` in the stylesheet).
//!
//! Widths are estimated from the text (a conservative width per character at the
//! stylesheet's font sizes), once per card and topic-name change: measuring
//! thousands of rows in the page would cost a layout each. The stylesheet's
//! container queries switch between the [`BANDS`] (`style/widget.css`, "Topic chips
//! by width"); from [`WIDE_FROM`] px up, cards are in a grid and chips wrap.

use crate::logic::i18n::Lang;

/// Each band of widget widths (from this many px) and the most chips it shows.
pub const BANDS: [(f64, usize); 6] = [
    (240.0, 1),
    (270.0, 1),
    (300.0, 1),
    (330.0, 2),
    (400.0, 2),
    (480.0, 3),
];
/// From here on, the wide layout shows every chip.
pub const WIDE_FROM: f64 = 560.0;

/// What a row's second line leaves its chips at widget width `width`: the panel's
/// padding (24), the row's (8), the avatar (28) and its gap (10), the gap after
/// the status and chats (6), and a few px for rounding.
fn room(width: f64, meta_px: f64) -> f64 {
    width - 24.0 - 8.0 - 28.0 - 10.0 - 6.0 - 4.0 - meta_px
}

/// A slightly generous width of `text` at `font_px`, from classes of characters:
/// within 3 % of DejaVu Sans (one of the widest system fonts, Linux's `system-ui`)
/// for the development tenant's names, and wider than Segoe UI or San Francisco.
pub fn text_px(text: &str, font_px: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | 'I' | '.' | ',' | ':' | ';' | '\'' | '!' | '|'
            | ' ' | '(' | ')' => 0.34,
            'm' | 'w' | 'M' | 'W' | '@' | '%' | '&' => 0.9,
            'A'..='Z' => 0.7,
            '0'..='9' | '+' => 0.64,
            'a'..='z' | '-' | '·' => 0.58,
            '\u{2e80}'.. => 1.0,
            _ => 0.66,
        })
        .sum();
    ems * font_px * 1.03
}

/// The widest a row's status and chats get in `lang` ("Available · 9 chats"), at
/// 12 px with the status in bold.
pub fn meta_px(lang: Lang) -> f64 {
    let s = lang.strings();
    let status = text_px(s.available, 12.0).max(text_px(s.away, 12.0)) * 1.06;
    let chats = [lang.chats(0), lang.chats(1), lang.chats(9)]
        .iter()
        .map(|text| text_px(text, 12.0))
        .fold(0.0, f64::max);
    status + text_px(" · ", 12.0) + chats
}

/// A chip's width: its text at 11 px, padding and border (14), and a closed
/// topic's icon and gap (13).
fn chip_px(label: &str, closed: bool) -> f64 {
    text_px(label, 11.0) + 14.0 + if closed { 13.0 } else { 0.0 }
}

/// How many chips each of the [`BANDS`] shows (0: the row says "N topics").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChipPlan {
    pub shown: [usize; BANDS.len()],
}

impl ChipPlan {
    /// Plans `chips` (label, closed) beside a status line as wide as `meta_px`;
    /// `more(n)` is the "+N" chip's text.
    pub fn new(chips: &[(&str, bool)], meta_px: f64, more: impl Fn(usize) -> String) -> ChipPlan {
        let mut plan = ChipPlan::default();
        for (band, (width, most)) in BANDS.iter().enumerate() {
            let room = room(*width, meta_px);
            let mut used = 0.0;
            let mut shown = 0;
            for (index, (label, closed)) in chips.iter().take(*most).enumerate() {
                let gap = if index > 0 { 4.0 } else { 0.0 };
                let rest = chips.len() - index - 1;
                let more_px = match rest {
                    0 => 0.0,
                    n => 4.0 + 14.0 + text_px(&more(n), 11.0),
                };
                let width = gap + chip_px(label, *closed);
                if used + width + more_px > room {
                    break;
                }
                used += width;
                shown += 1;
            }
            plan.shown[band] = shown;
        }
        plan
    }

    /// The first band in which chip `index` shows, if any (more width never shows
    /// fewer chips, so it shows in every band from there on).
    pub fn first_band(&self, index: usize) -> Option<usize> {
        self.shown.iter().position(|shown| index < *shown)
    }

    /// The bands that show `shown` chips, for the "+N" (or "N topics") that goes
    /// with them.
    pub fn bands_showing(&self, shown: usize) -> impl Iterator<Item = usize> + '_ {
        (0..BANDS.len()).filter(move |band| self.shown[*band] == shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_is_measured_at_its_widest() {
        let en = meta_px(Lang::default());
        assert!(en >= text_px("Available · 9 chats", 12.0), "{en}");
        assert!(en < 160.0, "{en}");
    }

    fn plan(chips: &[&str], meta: &str) -> ChipPlan {
        let chips: Vec<(&str, bool)> = chips.iter().map(|c| (*c, false)).collect();
        ChipPlan::new(&chips, text_px(meta, 12.0), |n| format!("+{n}"))
    }

    #[test]
    fn a_chip_shows_only_where_its_name_fits() {
        let meta = "Available · 2 chats";
        let short = plan(&["Sales", "Billing"], meta);
        assert_eq!(short.shown[0], 0, "at 240 px not even Sales with +1");
        assert!(short.shown[2] >= 1, "at 300 px one chip and +1");
        assert_eq!(short.shown[5], 2, "wide enough for both");
        let long = plan(&["Technical support (level 2)"], meta);
        assert!(long.shown[..4].iter().all(|s| *s == 0), "{long:?}");
        assert_eq!(plan(&[], meta).shown, [0; BANDS.len()]);
    }

    #[test]
    fn more_width_never_shows_fewer_chips() {
        let names = ["Sales", "Returns & warranty", "Billing", "Topic 15", "VIP"];
        for meta in [
            "Away · No chats",
            "Verfügbar · 3 Chats",
            "Available · 12 chats",
        ] {
            for n in 0..=names.len() {
                let plan = plan(&names[..n], meta);
                assert!(plan.shown.windows(2).all(|w| w[0] <= w[1]), "{plan:?}");
                for (band, (_, most)) in BANDS.iter().enumerate() {
                    assert!(plan.shown[band] <= *most);
                }
            }
        }
    }

    #[test]
    fn bands_name_chips_and_counts() {
        let plan = ChipPlan {
            shown: [0, 0, 1, 1, 2, 2],
        };
        assert_eq!(plan.first_band(0), Some(2));
        assert_eq!(plan.first_band(1), Some(4));
        assert_eq!(plan.first_band(2), None);
        assert_eq!(plan.bands_showing(0).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(plan.bands_showing(2).collect::<Vec<_>>(), [4, 5]);
    }

    #[test]
    fn the_stylesheet_switches_at_the_same_widths() {
        let css = include_str!("../../style/widget.css");
        for (width, _) in BANDS {
            let query = format!("@container pw (min-width: {width}px)");
            assert!(css.contains(&query), "widget.css lacks {query}");
        }
        assert!(css.contains(&format!("@container pw (min-width: {WIDE_FROM}px)")));
    }
}

//! A minimal JSON value and the parser that reads it from a body's text.
//!
//! The widget reads network bodies with this parser rather than serde: it is a few
//! kilobytes of wasm where the serde path (serde, serde-wasm-bindgen, a visitor per
//! record type, float formatting for their error messages) was about 13 KB brotli.
//! The decoders in [`crate::logic::model`] read what they need from a [`Value`], or
//! walk the text with a [`Parser`] and keep only the members they use.
//!
//! "Never panic on hostile input" holds by construction: every accessor returns an
//! `Option`, the parser returns an error for anything that is not JSON, and it limits
//! nesting ([`MAX_DEPTH`], since it recurses once per level and a body nested tens of
//! thousands of levels deep would overflow the wasm stack) and the number of values
//! ([`MAX_NODES`], so that no body, however wide, exhausts the wasm heap). Nothing
//! in it is quadratic in the input: repeated keys are found through an index.

use std::collections::HashMap;

/// Deepest nesting of arrays and objects read; SuperOffice's bodies are about four
/// levels deep.
pub const MAX_DEPTH: usize = 64;
/// Deepest nesting passed over by [`Parser::skip`], which does not recurse: far
/// beyond any real body, and its stack of brackets stays small.
pub const MAX_SKIP_DEPTH: usize = 100_000;
/// Most array items and object members read from one body: 10,000 agents with every
/// member SuperOffice sends are about 200,000.
pub const MAX_NODES: usize = 2_000_000;

/// Why a text is not a JSON value the widget reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON (RFC 8259), or something after the value.
    Syntax,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// More than [`MAX_NODES`] values, or more items than the reader allows.
    TooMany,
}

/// Parses a whole text as one JSON value.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    let mut parser = Parser::new(text);
    let value = parser.value()?;
    parser.end()?;
    Ok(value)
}

/// A JSON reader over a text, for decoders that walk the structure themselves and
/// skip what they do not use without building it.
pub struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
    nodes: usize,
}

impl<'a> Parser<'a> {
    pub fn new(text: &'a str) -> Self {
        Parser {
            bytes: text.as_bytes(),
            at: 0,
            depth: 0,
            nodes: 0,
        }
    }

    /// The next byte that is not white space, without consuming it.
    pub fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
        self.bytes.get(self.at).copied()
    }

    /// Succeeds when only white space is left.
    pub fn end(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(JsonError::Syntax),
        }
    }

    fn eat(&mut self, byte: u8) -> Result<(), JsonError> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(JsonError::Syntax)
        }
    }

    /// Enters an array or object (`open`), calls `each` for every item until `close`
    /// (after each item, either a comma or `close` must follow), and leaves it.
    fn container(
        &mut self,
        open: u8,
        close: u8,
        mut each: impl FnMut(&mut Self) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.eat(open)?;
        if self.depth >= MAX_DEPTH {
            return Err(JsonError::TooDeep);
        }
        self.depth += 1;
        if self.peek() == Some(close) {
            self.at += 1;
        } else {
            loop {
                self.spend()?;
                each(self)?;
                match self.peek() {
                    Some(b',') => self.at += 1,
                    Some(byte) if byte == close => {
                        self.at += 1;
                        break;
                    }
                    _ => return Err(JsonError::Syntax),
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads the array that starts here, calling `item` with the parser at each item
    /// (which `item` must read or skip).
    pub fn array(
        &mut self,
        item: impl FnMut(&mut Self) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.container(b'[', b']', item)
    }

    /// Reads the object that starts here, calling `member` with each key and the
    /// parser at its value (which `member` must read or skip).
    pub fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, String) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.container(b'{', b'}', |parser| {
            if parser.peek() != Some(b'"') {
                return Err(JsonError::Syntax);
            }
            let key = parser.string(true)?;
            parser.eat(b':')?;
            member(parser, key)
        })
    }

    /// Reads the value that starts here.
    pub fn value(&mut self) -> Result<Value, JsonError> {
        match self.peek() {
            Some(b'[') => {
                let mut items = Vec::new();
                self.array(|parser| {
                    items.push(parser.value()?);
                    Ok(())
                })?;
                Ok(Value::Array(items))
            }
            Some(b'{') => {
                let mut members: Vec<(String, Value)> = Vec::new();
                // Where each key is, so that an object of a million keys costs a million
                // look-ups, not a million squared.
                let mut places: HashMap<String, usize> = HashMap::new();
                self.object(|parser, key| {
                    let value = parser.value()?;
                    match places.get(&key).and_then(|at| members.get_mut(*at)) {
                        Some(member) => member.1 = value,
                        None => {
                            places.insert(key.clone(), members.len());
                            members.push((key, value));
                        }
                    }
                    Ok(())
                })?;
                Ok(Value::Object(members))
            }
            _ => self.scalar(true),
        }
    }

    /// Reads past the value that starts here, checking it but building nothing.
    /// It does not recurse, so a value nested deeper than [`MAX_DEPTH`] that the
    /// reader does not use (one unreadable row) is passed over, not refused.
    pub fn skip(&mut self) -> Result<(), JsonError> {
        // The closing brackets of the containers the value is inside (bounded: one
        // byte per level, at most MAX_SKIP_DEPTH).
        let mut open: Vec<u8> = Vec::new();
        loop {
            match self.peek() {
                Some(open_with @ (b'[' | b'{')) => {
                    self.at += 1;
                    let close = if open_with == b'[' { b']' } else { b'}' };
                    if self.peek() == Some(close) {
                        self.at += 1;
                    } else {
                        if open.len() >= MAX_SKIP_DEPTH {
                            return Err(JsonError::TooDeep);
                        }
                        open.push(close);
                        if close == b'}' {
                            self.key()?;
                        }
                        continue;
                    }
                }
                _ => {
                    self.scalar(false)?;
                }
            }
            // After a value: close what ends here, then on to the next item, if any.
            loop {
                let Some(&close) = open.last() else {
                    return Ok(());
                };
                match self.peek() {
                    Some(b',') => {
                        self.at += 1;
                        if close == b'}' {
                            self.key()?;
                        }
                        break;
                    }
                    Some(byte) if byte == close => {
                        self.at += 1;
                        open.pop();
                    }
                    _ => return Err(JsonError::Syntax),
                }
            }
        }
    }

    /// An object's key and its colon, read past.
    fn key(&mut self) -> Result<(), JsonError> {
        if self.peek() != Some(b'"') {
            return Err(JsonError::Syntax);
        }
        self.string(false)?;
        self.eat(b':')
    }

    /// Counts one more array item or object member against [`MAX_NODES`].
    fn spend(&mut self) -> Result<(), JsonError> {
        if self.nodes >= MAX_NODES {
            return Err(JsonError::TooMany);
        }
        self.nodes += 1;
        Ok(())
    }

    /// A string, number, `true`, `false` or `null`; strings are built only when `keep`.
    fn scalar(&mut self, keep: bool) -> Result<Value, JsonError> {
        let word = |parser: &mut Self, word: &[u8], value: Value| {
            if parser.bytes[parser.at..].starts_with(word) {
                parser.at += word.len();
                Ok(value)
            } else {
                Err(JsonError::Syntax)
            }
        };
        match self.peek() {
            Some(b'"') => self.string(keep).map(Value::String),
            Some(b't') => word(self, b"true", Value::Bool(true)),
            Some(b'f') => word(self, b"false", Value::Bool(false)),
            Some(b'n') => word(self, b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            _ => Err(JsonError::Syntax),
        }
    }

    /// The string that starts here (at its `"`), unescaped; an unpaired surrogate
    /// escape becomes U+FFFD, as the browser's `TextEncoder` would make it.
    fn string(&mut self, keep: bool) -> Result<String, JsonError> {
        self.at += 1;
        let mut text = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character whole;
            // those are ASCII, so the run ends on a character boundary.
            let run = self.bytes[self.at..]
                .iter()
                .position(|b| matches!(b, b'"' | b'\\' | 0..=0x1f))
                .ok_or(JsonError::Syntax)?;
            if keep {
                let chunk = &self.bytes[self.at..self.at + run];
                text.push_str(std::str::from_utf8(chunk).map_err(|_| JsonError::Syntax)?);
            }
            self.at += run;
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(text);
                }
                Some(b'\\') => {
                    let escaped = self.escape()?;
                    if keep {
                        text.push(escaped);
                    }
                }
                _ => return Err(JsonError::Syntax),
            }
        }
    }

    /// The character of the escape sequence that starts here (at its backslash).
    fn escape(&mut self) -> Result<char, JsonError> {
        let letter = self.bytes.get(self.at + 1).copied();
        self.at += 2;
        Ok(match letter {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let unit = self.hex4()?;
                if (0xD800..0xDC00).contains(&unit) && self.bytes[self.at..].starts_with(b"\\u") {
                    let at = self.at;
                    self.at += 2;
                    let low = self.hex4()?;
                    if (0xDC00..0xE000).contains(&low) {
                        let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
                    }
                    // Not a pair: the second escape is read on its own.
                    self.at = at;
                }
                char::from_u32(unit).unwrap_or('\u{FFFD}')
            }
            _ => return Err(JsonError::Syntax),
        })
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .ok_or(JsonError::Syntax)?;
        let mut unit = 0;
        for digit in digits {
            unit = unit * 16 + char::from(*digit).to_digit(16).ok_or(JsonError::Syntax)?;
        }
        self.at += 4;
        Ok(unit)
    }

    /// The number that starts here. Exact for integers written without a fraction or
    /// an exponent up to 2^53, and for decimals of at most 15 digits and a small
    /// exponent; otherwise within a few units in the last place (the widget reads ids
    /// and counts, and this keeps the float parser of `core` out of the wasm).
    fn number(&mut self) -> Result<f64, JsonError> {
        let negative = self.bytes.get(self.at) == Some(&b'-');
        if negative {
            self.at += 1;
        }
        let mut mantissa: u64 = 0;
        let mut exponent: i64 = 0;
        let mut digits = |parser: &mut Self, fraction: bool| {
            let start = parser.at;
            while let Some(digit @ b'0'..=b'9') = parser.bytes.get(parser.at).copied() {
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa * 10 + u64::from(digit - b'0');
                    exponent -= i64::from(fraction);
                } else {
                    exponent += i64::from(!fraction);
                }
                parser.at += 1;
            }
            parser.at - start
        };
        let whole = digits(self, false);
        let leading_zero = self.bytes.get(self.at - whole) == Some(&b'0');
        if whole == 0 || (whole > 1 && leading_zero) {
            return Err(JsonError::Syntax);
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if digits(self, true) == 0 {
                return Err(JsonError::Syntax);
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            let sign = match self.bytes.get(self.at) {
                Some(b'-') => {
                    self.at += 1;
                    -1
                }
                Some(b'+') => {
                    self.at += 1;
                    1
                }
                _ => 1,
            };
            let start = self.at;
            let mut written: i64 = 0;
            while let Some(digit @ b'0'..=b'9') = self.bytes.get(self.at).copied() {
                written = written
                    .saturating_mul(10)
                    .saturating_add(i64::from(digit - b'0'));
                self.at += 1;
            }
            if self.at == start {
                return Err(JsonError::Syntax);
            }
            exponent = exponent.saturating_add(sign * written);
        }
        let magnitude = if mantissa == 0 {
            0.0
        } else {
            // One rounding for |exponent| <= 22 (exact powers of ten); two divisions
            // below 1e-300, so that subnormal numbers do not become 0.
            let power = |exponent: i64| 10f64.powi(exponent.unsigned_abs().min(400) as i32);
            match exponent {
                ..-300 => mantissa as f64 / 1e300 / power(exponent + 300),
                -300..0 => mantissa as f64 / power(exponent),
                _ => mantissa as f64 * power(exponent),
            }
        };
        Ok(if negative { -magnitude } else { magnitude })
    }
}

/// A parsed JSON value. Objects keep their key order; a repeated key keeps its first
/// place and its last value, as the browser's `JSON.parse` does.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object, matched case-insensitively because SuperOffice
    /// serialises PascalCase but some proxies and older endpoints use camelCase.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members
                .iter()
                .find(|(k, _)| k == key)
                .or_else(|| members.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// An integer that fits `i32`, from a number with no fractional part or from a
    /// decimal string ("42"), which some serialisers emit for ids.
    pub fn as_i32(&self) -> Option<i32> {
        let n = match self {
            Value::Number(n) => *n,
            Value::String(s) => return s.trim().parse::<i32>().ok(),
            _ => return None,
        };
        if n.is_finite() && n.fract() == 0.0 && n >= i32::MIN as f64 && n <= i32::MAX as f64 {
            Some(n as i32)
        } else {
            None
        }
    }

    /// A short description of the value's kind, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Value {
        parse(text).expect("test JSON is valid")
    }

    #[test]
    fn reads_every_kind() {
        let v = parse_ok(r#" {"a":[1,2.5,"x",true,null,{"b":{}}, -0, 1e3, 25E-1, []]} "#);
        let items = v.get("a").and_then(Value::as_array).expect("array");
        assert_eq!(items.len(), 10);
        assert_eq!(items[0].as_i32(), Some(1));
        assert_eq!(items[1].as_i32(), None, "fractional numbers are not ids");
        assert_eq!(items[1].as_f64(), Some(2.5));
        assert_eq!(items[2].as_str(), Some("x"));
        assert_eq!(items[3].as_bool(), Some(true));
        assert_eq!(items[4], Value::Null);
        assert_eq!(items[5].get("b").map(Value::kind), Some("an object"));
        assert_eq!(items[6].as_i32(), Some(0));
        assert_eq!(items[7].as_i32(), Some(1000));
        assert_eq!(items[8].as_f64(), Some(2.5));
        assert_eq!(items[9], Value::Array(vec![]));
    }

    #[test]
    fn strings_are_unescaped() {
        let v = parse_ok(r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00 é <b>""#);
        assert_eq!(v.as_str(), Some("a\"\\/\u{8}\u{c}\n\r\té😀 é <b>"));
        // An unpaired surrogate becomes U+FFFD; the escape after it is read on its own.
        let v = parse_ok(r#"["\ud83d", "\ud83dx", "\udc00", "\ud83d\u0041"]"#);
        let texts: Vec<_> = v
            .as_array()
            .expect("array")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(texts, ["\u{FFFD}", "\u{FFFD}x", "\u{FFFD}", "\u{FFFD}A"]);
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "",
            " ",
            "[",
            "]",
            "{",
            "[1,]",
            "[,1]",
            "{\"a\"}",
            "{\"a\":}",
            "{a:1}",
            "{\"a\":1,}",
            "01",
            "1.",
            ".5",
            "-",
            "+1",
            "1e",
            "1e+",
            "0x10",
            "NaN",
            "Infinity",
            "tru",
            "nul",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\u12G4\"",
            "\"tab\there\"",
            "\"\n\"",
            "[1] [2]",
            "1 2",
            "{\"a\":1}}",
            "[\"\\",
            "\u{feff}1",
            "'a'",
        ] {
            assert_eq!(parse(text).map(drop), Err(JsonError::Syntax), "{text:?}");
        }
    }

    #[test]
    fn numbers_are_read_exactly_where_the_widget_needs_it() {
        let balanced_whole = format!("1{}e-150000", "0".repeat(150_000));
        let balanced_fraction = format!("0.{}1e150001", "0".repeat(150_000));
        for (text, expected) in [
            ("0", 0.0),
            ("-7", -7.0),
            ("2147483647", 2147483647.0),
            ("-2147483648", -2147483648.0),
            ("9007199254740993", 9007199254740992.0),
            ("12.5e1", 125.0),
            ("0.1", 0.1),
            ("1E+2", 100.0),
            ("1e400", f64::INFINITY),
            ("1e-400", 0.0),
            ("0e999999999999", 0.0),
            ("123456789012345678901234567890", 1.2345678901234568e29),
            // Exponents that only balance the digits before them.
            (balanced_whole.as_str(), 1.0),
            (balanced_fraction.as_str(), 1.0),
        ] {
            let n = parse(text).ok().and_then(|v| v.as_f64()).expect(text);
            assert!(
                n == expected || (n - expected).abs() <= expected.abs() * 1e-15,
                "{text}: {n}"
            );
        }
    }

    #[test]
    fn keys_match_exactly_first_then_ignoring_case() {
        let v = parse_ok(r#"{"userId":1,"UserId":2}"#);
        assert_eq!(v.get("UserId").and_then(Value::as_i32), Some(2));
        assert_eq!(v.get("userid").and_then(Value::as_i32), Some(1));
        assert_eq!(v.get("missing"), None);
    }

    #[test]
    fn repeated_keys_keep_their_first_place_and_last_value() {
        let v = parse_ok(r#"{"a":1,"b":0,"a":2}"#);
        assert_eq!(v.get("a").and_then(Value::as_i32), Some(2));
        let keys: Vec<&str> = match &v {
            Value::Object(members) => members.iter().map(|(k, _)| k.as_str()).collect(),
            _ => vec![],
        };
        assert_eq!(keys, ["a", "b"]);
    }

    #[test]
    fn a_million_keys_cost_linear_time() {
        let mut text = String::from("{");
        for i in 0..1_000_000 {
            text.push_str(&format!("\"k{i:07}\":0,"));
        }
        text.push_str("\"k0000000\":1}");
        let v = parse_ok(&text);
        assert_eq!(v.get("k0000000").and_then(Value::as_i32), Some(1));
    }

    fn nested(depth: usize, open: &str, close: &str) -> String {
        format!("{}1{}", open.repeat(depth), close.repeat(depth))
    }

    #[test]
    fn nesting_is_limited_and_skipping_does_not_recurse() {
        let ok = nested(MAX_DEPTH, "[", "]");
        assert!(parse(&ok).is_ok());
        let deep = nested(MAX_DEPTH + 1, "[", "]");
        assert_eq!(parse(&deep), Err(JsonError::TooDeep));
        assert_eq!(
            parse(&nested(MAX_DEPTH + 1, "{\"a\":", "}")),
            Err(JsonError::TooDeep)
        );
        // 100,000 levels: refused, not a stack overflow.
        assert_eq!(parse(&"[".repeat(100_000)), Err(JsonError::TooDeep));
        // Skipping does not recurse: deep values are checked and passed over, up to
        // MAX_SKIP_DEPTH levels (two per repetition here).
        let deepest = nested(MAX_SKIP_DEPTH / 2, "{\"a\":[", "]}");
        assert_eq!(Parser::new(&deepest).skip(), Ok(()));
        let deeper = nested(MAX_SKIP_DEPTH + 1, "[", "]");
        assert_eq!(Parser::new(&deeper).skip(), Err(JsonError::TooDeep));
        assert_eq!(
            Parser::new(&deepest[..deepest.len() - 1]).skip(),
            Err(JsonError::Syntax)
        );
        assert_eq!(
            Parser::new(&"[".repeat(100_000)).skip(),
            Err(JsonError::Syntax)
        );
        let no_colon = nested(3, "{\"a\":[", "]}").replace(':', ",");
        assert_eq!(Parser::new(&no_colon).skip(), Err(JsonError::Syntax));
    }

    #[test]
    fn wide_bodies_run_out_of_budget_unless_skipped() {
        let wide = format!("[{}0]", "0,".repeat(MAX_NODES));
        assert_eq!(parse(&wide), Err(JsonError::TooMany));
        // Skipping builds nothing, so it has no budget to run out of.
        assert_eq!(Parser::new(&wide).skip(), Ok(()));
        assert!(parse("[1,2,3]").is_ok());
    }

    #[test]
    fn integers_out_of_range_or_non_finite_are_refused() {
        assert_eq!(Value::Number(1e12).as_i32(), None);
        assert_eq!(Value::Number(f64::NAN).as_i32(), None);
        assert_eq!(Value::Number(-2147483648.0).as_i32(), Some(i32::MIN));
        assert_eq!(Value::String(" 17 ".into()).as_i32(), Some(17));
        assert_eq!(Value::String("x".into()).as_i32(), None);
        assert_eq!(Value::String("17 x".into()).as_i32(), None);
        assert_eq!(Value::String("+007".into()).as_i32(), Some(7));
        assert_eq!(Value::String("2147483648".into()).as_i32(), None);
        assert_eq!(Value::String("".into()).as_i32(), None);
    }
}

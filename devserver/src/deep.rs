//! Very deeply nested JSON, for testing that the widget's decoder does not recurse
//! without bound. Built as text: serde_json's own `Value` recursion (drop, serialize)
//! would overflow the stack at these depths.

/// How deep the `deep-*` malformations nest.
pub const DEPTH: usize = 50_000;

/// `[[[...]]]`, `depth` arrays deep (`2 * depth` bytes).
pub fn array(depth: usize) -> String {
    let mut text = String::with_capacity(2 * depth);
    text.extend(std::iter::repeat_n('[', depth));
    text.extend(std::iter::repeat_n(']', depth));
    text
}

/// `{"Mask":{"Mask":...{"Mask":"Select"}...}}`, `depth` objects deep.
pub fn object(depth: usize) -> String {
    const OPEN: &str = r#"{"Mask":"#;
    let depth = depth.max(1);
    let mut text = String::with_capacity(depth * (OPEN.len() + 1) + 8);
    for _ in 0..depth {
        text.push_str(OPEN);
    }
    text.push_str(r#""Select""#);
    text.extend(std::iter::repeat_n('}', depth));
    text
}

/// Adds `"key": raw_value` to the serialized JSON object `object`, where `raw_value`
/// is already JSON text.
pub fn splice_field(object: &str, key: &str, raw_value: &str) -> String {
    let inner = object
        .trim_end()
        .strip_suffix('}')
        .unwrap_or(object)
        .trim_end();
    let separator = if inner.ends_with('{') { "" } else { "," };
    let key = serde_json::Value::from(key).to_string();
    format!("{inner}{separator}{key}:{raw_value}}}")
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// The maximum nesting depth of JSON text, or `None` when its brackets do not
    /// balance (strings are skipped). Iterative, so it works at any depth.
    pub fn nesting(text: &str) -> Option<usize> {
        let (mut stack, mut max) = (Vec::new(), 0);
        let (mut in_string, mut escaped) = (false, false);
        for c in text.chars() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '[' | '{' => {
                    stack.push(c);
                    max = max.max(stack.len());
                }
                ']' => (stack.pop() == Some('[')).then_some(())?,
                '}' => (stack.pop() == Some('{')).then_some(())?,
                _ => {}
            }
        }
        (stack.is_empty() && !in_string).then_some(max)
    }

    #[test]
    fn small_builds_are_valid_json() {
        let a: serde_json::Value = serde_json::from_str(&array(3)).expect("array");
        assert_eq!(a, serde_json::json!([[[]]]));
        let o: serde_json::Value = serde_json::from_str(&object(2)).expect("object");
        assert_eq!(o, serde_json::json!({"Mask": {"Mask": "Select"}}));
        let s = splice_field(r#"{"a":1}"#, "Extra", &array(2));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&s).expect("spliced"),
            serde_json::json!({"a": 1, "Extra": [[]]})
        );
        assert_eq!(splice_field("{}", "k", "1"), r#"{"k":1}"#);
    }

    #[test]
    fn full_depth_builds_nest_fully() {
        let a = array(DEPTH);
        assert_eq!(a.len(), 2 * DEPTH);
        assert_eq!(nesting(&a), Some(DEPTH));
        let o = object(DEPTH);
        assert!(o.starts_with(r#"{"Mask":{"Mask":{"#));
        assert_eq!(nesting(&o), Some(DEPTH));
        assert_eq!(nesting("[{]}"), None);
        assert_eq!(nesting(r#"["]"]"#), Some(1));
    }
}

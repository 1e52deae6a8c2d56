use super::*;

fn decode(text: &str) -> Result<Roster, DecodeError> {
    decode_presence(&crate::logic::json::parse(text).expect("test JSON is valid"))
}

/// The sample of `shared/api/presence-getall.md`, verbatim.
const DOC_SAMPLE: &str = r#"[
  {
"UserId": 248,
"DisplayName": "Connelly Inc and Sons",
"OngoingChats": 995,
"Present": true,
"ChatTopics": [
  648,
  179
],
"TableRight": {
  "Mask": "Delete",
  "Reason": ""
},
"FieldProperties": {
  "fieldName": {
    "FieldRight": {
      "Mask": "FULL",
      "Reason": ""
    },
    "FieldType": "System.String",
    "FieldLength": 582
  }
}
  }
]"#;

#[test]
fn decodes_the_reference_sample() {
    assert_eq!(
        read_presence(DOC_SAMPLE).map_err(|_| ()),
        decode(DOC_SAMPLE).map_err(|_| ()),
        "both decoders agree"
    );
    let roster = decode(DOC_SAMPLE).expect("sample decodes");
    assert_eq!(roster.skipped, 0);
    assert_eq!(
        roster.agents,
        vec![Agent {
            user_id: 248,
            name: Some("Connelly Inc and Sons".into()),
            present: true,
            ongoing_chats: 995,
            topics: vec![648, 179],
        }]
    );
}

#[test]
fn nulls_and_missing_members_get_defaults() {
    let roster = decode(
        r#"[{"UserId":1,"DisplayName":null,"OngoingChats":null,"Present":null,
             "ChatTopics":null,"TableRight":null,"FieldProperties":null},
            {"UserId":2}]"#,
    )
    .expect("decodes");
    for agent in &roster.agents {
        assert_eq!(agent.name, None);
        assert!(!agent.present, "missing Present counts as Away");
        assert_eq!(agent.ongoing_chats, 0);
        assert!(agent.topics.is_empty());
    }
    assert_eq!(
        roster.agents[0].display_name(|id| format!("User {id}")),
        "User 1"
    );
}

#[test]
fn odd_values_are_normalised() {
    let roster = decode(
        r#"[{"UserId":"7","DisplayName":"  Åse Ødegård ","OngoingChats":-3,"Present":true,
             "ChatTopics":[1,1,"2",2.5,null,3,1],"Extra":{"deep":[1]}}]"#,
    )
    .expect("decodes");
    let agent = &roster.agents[0];
    assert_eq!(agent.user_id, 7);
    assert_eq!(agent.name.as_deref(), Some("Åse Ødegård"));
    assert_eq!(agent.ongoing_chats, 0, "negative chat counts count as 0");
    assert_eq!(
        agent.topics,
        vec![1, 2, 3],
        "duplicates once, junk ids dropped"
    );
}

#[test]
fn rows_without_a_usable_user_id_are_skipped_and_counted() {
    let roster = decode(
        r#"[{"UserId":1},{"DisplayName":"no id"},{"UserId":null},{"UserId":1.5},
            {"UserId":"abc"},42,"row",null,{"UserId":1},{"UserId":3000000000}]"#,
    )
    .expect("decodes");
    assert_eq!(roster.agents.len(), 1);
    assert_eq!(roster.skipped, 9, "including the repeated UserId 1");
}

#[test]
fn bodies_that_are_not_lists_say_what_they_were() {
    assert_eq!(
        decode(r#"{"Message":"An error has occurred.","MessageDetail":"x"}"#),
        Err(DecodeError::NotAList {
            kind: "an object",
            message: Some("An error has occurred.".into())
        })
    );
    assert_eq!(
        decode("null"),
        Err(DecodeError::NotAList {
            kind: "null",
            message: None
        })
    );
    assert_eq!(
        decode(r#"{"Error":true,"ErrorType":"X","ErrorMessage":"Boom","ErrorSource":"Y"}"#),
        Err(DecodeError::NotAList {
            kind: "an object",
            message: Some("Boom".into())
        })
    );
}

#[test]
fn server_messages_are_shortened() {
    let long = format!(r#"{{"Message":"{}"}}"#, "é".repeat(1000));
    let value = crate::logic::json::parse(&long).expect("valid");
    let message = server_message(&value).expect("message");
    assert_eq!(message.chars().count(), 301);
    assert!(message.ends_with('…'));
}

#[test]
fn lean_rows_refuse_members_nested_too_deep_or_bodies_too_long() {
    let deep = format!(
        r#"[{{"UserId":1,"ChatTopics":{}1{}}}]"#,
        "[".repeat(100),
        "]".repeat(100)
    );
    assert_eq!(
        read_presence(&deep),
        Err(ReadError::NotJson(JsonError::TooDeep))
    );
    let long = format!("[{}{{}}]", "{},".repeat(MAX_ROWS));
    assert_eq!(
        read_presence(&long),
        Err(ReadError::NotJson(JsonError::TooMany)),
        "more than MAX_ROWS rows"
    );
    let fine = format!("[{}{{}}]", "{},".repeat(10));
    assert_eq!(read_presence(&fine).map(|roster| roster.skipped), Ok(11));
}

#[test]
fn a_row_nested_too_deep_to_read_is_skipped_not_fatal() {
    let deep_row = format!("{}1{}", "[".repeat(50_000), "]".repeat(50_000));
    let text = format!(r#"[{deep_row},{{"UserId":7}}]"#);
    let roster = read_presence(&text).expect("still a list");
    assert_eq!(roster.skipped, 1);
    assert_eq!(roster.agents.len(), 1);
}

#[test]
fn repeated_members_read_as_the_browser_reads_them() {
    // JSON.parse keeps a repeated key's last value; so do both decoders.
    let text = r#"[{"UserId":5,"DisplayName":"Old","DisplayName":"New"}]"#;
    let lean = read_presence(text).expect("a list");
    assert_eq!(lean.agents[0].name.as_deref(), Some("New"));
    assert_eq!(Ok(lean), decode(text));
}

#[test]
fn a_million_topics_are_read_in_linear_time() {
    let ids: Vec<String> = (0..1_000_000).map(|i| i.to_string()).collect();
    let text = format!(r#"[{{"UserId":1,"ChatTopics":[{}]}}]"#, ids.join(","));
    let roster = read_presence(&text).expect("a list");
    assert_eq!(roster.agents[0].topics.len(), MAX_TOPICS);
}

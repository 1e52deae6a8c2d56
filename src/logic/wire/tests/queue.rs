//! The chat queue's answers: both column spellings, both status forms, entities,
//! hostile rows and a list too long.

use super::*;
use crate::logic::queue::Stamp;
use crate::logic::wire::queue::{ArchivePage, QueueRead, UserSessions, MAX_SESSIONS};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// A page as the widget reads one: through `Object`, never from an array (serde's
/// derive would read an array by position, as serde-wasm-bindgen hands it over).
fn page(value: Value) -> QueueRead {
    let Object(page) = read::<Object<ArchivePage>>(&value).expect("a page");
    page.sessions().expect("rows")
}

/// Not read as a page, whichever way the reader refuses it (on the host an array is
/// an error; in the browser it reads as an object without `value`).
fn no_page(value: Value) -> bool {
    read::<Object<ArchivePage>>(&value).map_or(true, |Object(page)| page.sessions().is_none())
}

#[test]
fn archive_rows_are_read_with_either_column_spelling_and_either_status() {
    let read = page(json!({
        "odata.metadata": "https://x/api/v1/$metadata#ChatSession",
        "value": [
            {"PrimaryKey": 1, "EntityName": "chatsession", "chatSessionId": 1,
             "chatTopic/chatTopicId": 11, "whenRequested": "2026-12-07T10:15:30", "status": 4},
            {"chatSessionId": 2, "chatTopic_chatTopicId": 12,
             "whenRequested": "2026-12-07T09:15:30+0000", "status": "Waiting"},
            {"chatSessionId": "3", "chatTopic/chatTopicId": "13",
             "whenRequested": "2026-12-07T09:15:30Z", "status": "InQueue", "extra": [1, 2]},
            // Not waiting: left out, not counted as unreadable.
            {"chatSessionId": 4, "chatTopic/chatTopicId": 11, "whenRequested": "2026-12-07T10:15:30", "status": 5},
            {"chatSessionId": 5, "chatTopic/chatTopicId": 11, "whenRequested": "2026-12-07T10:15:30", "status": "Waiting for agent"},
        ]
    }));
    assert_eq!(read.skipped, 0);
    assert!(!read.more);
    let ids: Vec<(i32, i32)> = read.waiting.iter().map(|w| (w.id, w.topic)).collect();
    assert_eq!(ids, vec![(1, 11), (2, 12), (3, 13)]);
    assert!(matches!(read.waiting[0].requested, Stamp::Naive(_)));
    assert!(matches!(read.waiting[1].requested, Stamp::Exact(_)));
}

#[test]
fn hostile_rows_are_skipped_and_counted() {
    let good = json!({"chatSessionId": 9, "chatTopic/chatTopicId": 11,
        "whenRequested": "2026-12-07T10:15:30", "status": 4});
    let read = page(json!({
        "value": [
            good,
            good,
            [9, 11, "2026-12-07T10:15:30", 4],
            {"chatSessionId": 10, "chatTopic/chatTopicId": 11, "whenRequested": "yesterday", "status": 4},
            {"chatSessionId": 11, "chatTopic/chatTopicId": [11], "whenRequested": "2026-12-07T10:15:30", "status": 4},
            {"chatSessionId": 12, "chatTopic/chatTopicId": 11, "whenRequested": "2026-12-07T10:15:30", "status": {"id": 4}},
            {"chatSessionId": 13, "chatTopic/chatTopicId": 11, "whenRequested": "0001-01-01T00:00:00", "status": 4},
            // Two spellings of one column: ambiguous.
            {"chatSessionId": 14, "chatTopic/chatTopicId": 11, "chatTopic_chatTopicId": 12,
             "whenRequested": "2026-12-07T10:15:30", "status": 4},
            null,
            "a row",
        ],
        "odata.nextLink": "https://x/api/v1/ChatSession?$skip=10"
    }));
    assert_eq!(read.waiting.len(), 1, "the good row, once");
    assert_eq!(read.skipped, 9);
    assert!(read.more, "a next link: more wait than this answer holds");
}

#[test]
fn a_list_beyond_the_bound_is_refused_whole_and_other_shapes_are_no_page() {
    let row = json!({"chatSessionId": 1, "chatTopic/chatTopicId": 11,
        "whenRequested": "2026-12-07T10:15:30", "status": 4});
    let rows = |n: usize| json!({ "value": Value::Array(vec![row.clone(); n]) });
    assert_eq!(
        page(rows(MAX_SESSIONS)).waiting.len(),
        1,
        "one id, many rows"
    );
    assert!(no_page(rows(MAX_SESSIONS + 1)), "too long: refused whole");
    assert!(no_page(json!([row])), "an array is not a page");
    assert!(no_page(json!({"value": {"0": 1}})));
    assert!(no_page(json!({})), "no value: no page (not an empty queue)");
    assert_eq!(
        page(json!({"value": []})),
        QueueRead::default(),
        "nobody waits"
    );
}

#[test]
fn the_users_own_sessions_are_entities() {
    let read = read::<UserSessions>(&json!([
        {"ChatSessionId": 7, "TopicId": 11, "Status": "InQueue", "WhenRequested": "2026-12-07T10:15:30",
         "User": null, "CustomerAlias": "Visitor 7", "InitialQueuePos": 1},
        {"ChatSessionId": 8, "TopicId": 11, "Status": "CustomerLast", "WhenRequested": "2026-12-07T10:15:30"},
    ]))
    .expect("a list")
    .sessions();
    assert_eq!(read.waiting.len(), 1);
    assert_eq!(read.waiting[0].id, 7);
    assert_eq!(read.skipped, 0);
}

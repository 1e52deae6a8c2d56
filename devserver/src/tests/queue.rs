//! The chat queue: `ChatSession` with its OData subset, `ForCurrentUser`, topic
//! members, datetimes under `SO-TimeZone`, and the switches.

use super::*;
use crate::queue::{can_respond, Dates, BASE_OFFSET_SECONDS};

const WAITING: &str =
    "/api/v1/ChatSession?$select=chatSessionId,chatTopic/chatTopicId,whenRequested,status&$filter=status%20=%204&$top=100&$mode=Full";

async fn api_with(
    app: &Router,
    path: &str,
    auth: &(String, String),
    extra: &[(&str, &str)],
) -> Response {
    let mut headers = vec![
        ("cookie", auth.0.as_str()),
        ("x-xsrf-token", auth.1.as_str()),
    ];
    headers.extend_from_slice(extra);
    send(app, path, Some("localhost:8081"), &headers).await
}

fn rows(answer: &Value) -> &Vec<Value> {
    answer["value"].as_array().expect("value")
}

#[tokio::test]
async fn waiting_sessions_come_as_the_archive_gives_them() {
    let app = test_app(&["--queue", "5"]);
    let auth = sign_in(&app).await;
    let answer = json_of(api(&app, WAITING, &auth).await).await;
    let first = rows(&answer);
    assert_eq!(first.len(), 5);
    for row in first {
        assert_eq!(row["status"], json!(4), "a number with $mode=Full");
        assert!(row["chatTopic/chatTopicId"].as_i64().is_some(), "{row}");
        assert!(row["chatSessionId"].as_i64().is_some());
        let when = row["whenRequested"].as_str().expect("a datetime");
        assert_eq!(when.len(), 19, "naive, without an offset: {when}");
        assert!(
            row.get("chatTopic/name").is_none(),
            "only what $select asks"
        );
    }
    assert!(answer.get("odata.nextLink").is_none());
    // Without $mode=Full the status is its display text; with $jsonSafe the column
    // names lose their slash.
    let answer = json_of(
        api(
            &app,
            "/api/v1/ChatSession?$select=status,chatTopic/chatTopicId&$jsonSafe=true",
            &auth,
        )
        .await,
    )
    .await;
    let row = &rows(&answer)[0];
    assert_eq!(row["status"], json!("Waiting"));
    assert!(row["chatTopic_chatTopicId"].as_i64().is_some(), "{row}");
    // Statuses the filter leaves out leave every row out.
    let answer = json_of(
        api(
            &app,
            "/api/v1/ChatSession?$filter=status%20in%20(5,6)",
            &auth,
        )
        .await,
    )
    .await;
    assert!(rows(&answer).is_empty());
    let stats = stats(&app).await;
    assert_eq!(stats["requests"]["chatsession"], json!(3));
    assert!(stats["topic_requests"]
        .as_object()
        .is_some_and(|t| t.is_empty()));
}

#[tokio::test]
async fn more_rows_than_top_come_with_a_next_link() {
    let app = test_app(&["--queue", "5"]);
    let auth = sign_in(&app).await;
    let first = json_of(
        api(
            &app,
            "/api/v1/ChatSession?$select=chatSessionId&$top=2",
            &auth,
        )
        .await,
    )
    .await;
    let mut ids: Vec<Value> = rows(&first)
        .iter()
        .map(|r| r["chatSessionId"].clone())
        .collect();
    let mut next = first["odata.nextLink"]
        .as_str()
        .expect("a next link")
        .to_owned();
    assert!(next.contains("$skip=2"), "{next}");
    loop {
        let page = json_of(api(&app, &next, &auth).await).await;
        ids.extend(rows(&page).iter().map(|r| r["chatSessionId"].clone()));
        match page["odata.nextLink"].as_str() {
            Some(link) => next = link.to_owned(),
            None => break,
        }
    }
    assert_eq!(ids.len(), 5);
    ids.dedup();
    assert_eq!(ids.len(), 5, "every session once");
}

#[tokio::test]
async fn what_the_tenant_cannot_answer_is_refused() {
    let app = test_app(&[]);
    let auth = sign_in(&app).await;
    for path in [
        "/api/v1/ChatSession?$filter=whenRequested%20gt%200",
        "/api/v1/ChatSession?$select=secret",
        "/api/v1/ChatSession?$top=many",
    ] {
        assert_eq!(
            api(&app, path, &auth).await.status(),
            StatusCode::BAD_REQUEST,
            "{path}"
        );
    }
    // Behind the same gate as every route.
    assert_eq!(get(&app, WAITING).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn datetimes_follow_so_timezone_unless_the_tenant_has_no_time_zones() {
    let app = test_app(&["--queue", "1"]);
    let auth = sign_in(&app).await;
    let when = |answer: Value| {
        rows(&answer)[0]["whenRequested"]
            .as_str()
            .expect("when")
            .to_owned()
    };
    let naive = when(json_of(api(&app, WAITING, &auth).await).await);
    let asked = |zone: &'static str| {
        let (app, auth) = (app.clone(), auth.clone());
        async move {
            let answer = api_with(&app, WAITING, &auth, &[("SO-TimeZone", zone)]).await;
            when(json_of(answer).await)
        }
    };
    let utc = asked("UTC, includeTZOffset").await;
    assert!(utc.ends_with("+0000"), "{utc}");
    let utc_naive = asked("UTC").await;
    assert_eq!(utc_naive.len(), 19);
    assert_eq!(
        &utc[..19],
        utc_naive,
        "the same instant, with and without the offset written"
    );
    assert_ne!(naive, utc_naive, "the base zone is not UTC");
    // A tenant without time zones: naive in its base zone, whatever is asked.
    admin(&app, "no_time_zones=true").await;
    let ignored = asked("UTC, includeTZOffset").await;
    assert_eq!(ignored, naive);
}

#[test]
fn datetimes_are_written_as_superoffice_writes_them() {
    let instant = 1_796_636_130; // 2026-12-07T09:35:30Z
    assert_eq!(Dates::of(None, true).format(instant), "2026-12-07T10:35:30");
    assert_eq!(
        Dates::of(Some("UTC, includeTZOffset"), true).format(instant),
        "2026-12-07T09:35:30+0000"
    );
    assert_eq!(
        Dates::of(Some("1"), true).format(instant),
        "2026-12-07T09:35:30"
    );
    assert_eq!(
        Dates::of(Some("UTC, includeTZOffset"), false).format(instant),
        "2026-12-07T10:35:30"
    );
    // Across a year's end and a leap day.
    assert_eq!(
        Dates::of(Some("UTC"), true).format(1_704_067_199),
        "2023-12-31T23:59:59"
    );
    assert_eq!(
        Dates::of(Some("UTC"), true).format(1_709_164_800),
        "2024-02-29T00:00:00"
    );
    assert_eq!(BASE_OFFSET_SECONDS, 3600);
}

#[tokio::test]
async fn a_user_who_may_not_read_sessions_gets_403_and_their_own_topics_still() {
    let app = test_app(&["--queue", "40", "--sessions-forbidden"]);
    let auth = sign_in(&app).await;
    let refused = api(&app, WAITING, &auth).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        json_of(refused).await["ErrorType"],
        json!("SoAccessDeniedException")
    );
    let own = api(&app, "/api/v1/ChatSession/ForCurrentUser", &auth).await;
    assert_eq!(own.status(), StatusCode::OK);
    let own = json_of(own).await;
    let sessions = own.as_array().expect("a list");
    assert!(!sessions.is_empty(), "40 waiting reach the user's topics");
    for session in sessions {
        assert_eq!(session["Status"], json!("InQueue"));
        assert!(session["TopicId"].as_i64().is_some());
        assert!(session["WhenRequested"].as_str().is_some());
    }
    // The same sessions the archive has, in the user's topics only.
    admin(&app, "sessions_forbidden=false").await;
    let all = json_of(api(&app, WAITING, &auth).await).await;
    assert!(
        rows(&all).len() > sessions.len(),
        "someone else's topics too"
    );
}

#[tokio::test]
async fn topic_members_say_who_may_respond() {
    let app = test_app(&[]);
    let auth = sign_in(&app).await;
    let members = json_of(api(&app, "/api/v1/ChatTopic/11/UserAgent", &auth).await).await;
    let members = members.as_array().expect("a list");
    assert!(!members.is_empty());
    for member in members {
        let user = member["User"]["EjUserId"].as_i64().expect("EjUserId") as i32;
        assert_eq!(member["TopicId"], json!(11));
        assert_eq!(member["CanRespond"], json!(can_respond(user, 11)));
    }
    assert_eq!(
        api(&app, "/api/v1/ChatTopic/999/UserAgent", &auth)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let topic = json_of(api(&app, "/api/v1/ChatTopic/11", &auth).await).await;
    assert!(topic["WarnNewChatMinutes"].as_i64().is_some_and(|m| m > 0));
    assert!(topic["WarnManagerNewChatMinutes"].as_i64() > topic["WarnNewChatMinutes"].as_i64());
    let stats = stats(&app).await;
    assert_eq!(stats["requests"]["useragent"], json!(2));
    assert_eq!(
        stats["topic_requests"]["11"],
        json!(1),
        "the topic itself, not its members"
    );
}

#[tokio::test]
async fn the_queue_restarts_with_the_count_named_at_run_time() {
    let app = test_app(&[]);
    let auth = sign_in(&app).await;
    admin(&app, "queue=7").await;
    assert_eq!(
        rows(&json_of(api(&app, WAITING, &auth).await).await).len(),
        7
    );
    admin(&app, "queue=0").await;
    assert!(rows(&json_of(api(&app, WAITING, &auth).await).await).is_empty());
}

#[test]
fn customers_arrive_and_wait_until_someone_in_their_topic_is_available() {
    use crate::data::{Agent, Rng};
    use crate::queue::Queue;
    let mut rng = Rng::new(7);
    let now = 1_796_636_130;
    let mut queue = Queue::new(3, now, &mut rng);
    assert_eq!(queue.waiting.len(), 3);
    assert!(queue
        .waiting
        .iter()
        .all(|w| w.requested <= now && now - w.requested < 15 * 60));
    // Nobody available: nobody is picked up, and customers keep coming.
    let away = |present| {
        crate::data::TOPICS
            .iter()
            .map(|t| Agent {
                user_id: t.id,
                name: String::new(),
                present,
                ongoing_chats: 0,
                topics: vec![t.id],
            })
            .collect::<Vec<_>>()
    };
    for step in 0..50 {
        let before = queue.waiting.clone();
        queue.step(&away(false), now + step, &mut rng);
        assert!(
            before.iter().all(|w| queue.waiting.contains(w)),
            "nobody left the queue"
        );
    }
    assert!(queue.waiting.len() > 3, "customers arrived");
    // Everyone available: the oldest is picked up first.
    let oldest = queue.waiting[0].clone();
    while queue.waiting.first() == Some(&oldest) {
        let second = queue.waiting[1].clone();
        queue.step(&away(true), now + 100, &mut rng);
        assert!(queue.waiting.contains(&second), "not before the oldest");
    }
}

//! Component tests in headless Chromium (wasm-bindgen-test). Each test mounts real
//! widget instances in the page, with `fetch` replaced by a scripted fake API, and
//! reads what a user would see inside the instance's shadow root.
//!
//! Feeds and topic names are shared per API base for the whole page, so every test
//! uses its own base ("/t-cards/api", …).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
const routes = new Map();
const calls = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const request = input instanceof Request ? input : new Request(input, init);
  const url = new URL(request.url);
  // Only the tests' fake tenants ("/t-…/api"); the runner loads its own files.
  if (!url.pathname.startsWith("/t-")) return realFetch(input, init);
  const headers = {};
  request.headers.forEach((v, k) => { headers[k] = v; });
  const sent = request.method === "POST" ? await request.clone().text() : null;
  calls.push({ path: url.pathname, method: request.method, body: sent, headers, credentials: request.credentials, redirect: request.redirect });
  const route = routes.get(url.pathname);
  if (!route) return new Response('{"Error":true,"ErrorMessage":"no fake route"}', { status: 404 });
  if (route.delay) await new Promise((r) => setTimeout(r, route.delay));
  const body = route.chunks
    ? new ReadableStream({ start(c) { for (const chunk of route.chunks) c.enqueue(chunk); c.close(); } })
    : route.body;
  return new Response(body, { status: route.status, headers: { "Content-Type": "application/json" } });
};
export function route(path, status, body, delay) { routes.set(path, { status, body, delay }); }
// The body in one-byte chunks: every character of more than one byte is cut.
export function route_bytewise(path, body) {
  const bytes = new TextEncoder().encode(body);
  routes.set(path, { status: 200, chunks: Array.from(bytes, (b) => Uint8Array.of(b)) });
}
export function call_count(path) { return calls.filter((c) => c.path === path).length; }
export function last_call_json(path) {
  const found = calls.filter((c) => c.path === path);
  return JSON.stringify(found[found.length - 1] || null);
}
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
"#)]
extern "C" {
    fn route(path: &str, status: u16, body: &str, delay: u32);
    fn route_bytewise(path: &str, body: &str);
    fn call_count(path: &str) -> u32;
    fn last_call_json(path: &str) -> String;
    async fn sleep(ms: u32);
}

const AGENTS: &str = r#"[
  {"UserId": 1, "DisplayName": "Zoë Zimmer", "Present": true, "OngoingChats": 2, "ChatTopics": [11]},
  {"UserId": 2, "DisplayName": "Åse Berg", "Present": false, "OngoingChats": 0, "ChatTopics": [11, 12]},
  {"UserId": 3, "DisplayName": "Anna Ek", "Present": true, "OngoingChats": 0, "ChatTopics": [12, 13, 11]},
  {"UserId": 4, "DisplayName": "<b>Bold</b> Bo", "Present": true, "OngoingChats": 1, "ChatTopics": []},
  {"UserId": 5, "DisplayName": null, "Present": null, "OngoingChats": -4, "ChatTopics": null},
  {"DisplayName": "no id"}
]"#;

/// Scripts a tenant at `base`: the agents, topic 11 "Billing", 12 "Sales" (closed),
/// 13 unknown (404).
fn tenant(base: &str, agents: &str) {
    route(&format!("{base}/v1/Presence/GetAll"), 200, agents, 0);
    route(
        &format!("{base}/v1/ChatTopic/11"),
        200,
        r#"{"ChatTopicId":11,"Name":"Billing"}"#,
        0,
    );
    route(&format!("{base}/v1/ChatTopic/11/IsOpen"), 200, "true", 0);
    route(
        &format!("{base}/v1/ChatTopic/12"),
        200,
        r#"{"ChatTopicId":12,"Name":"Sales"}"#,
        0,
    );
    route(&format!("{base}/v1/ChatTopic/12/IsOpen"), 200, "false", 0);
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("document")
}

/// Adds a mount element with these attributes and mounts the widget in it.
fn mount(attributes: &[(&str, &str)]) -> Element {
    let host = document().create_element("div").expect("div");
    host.set_attribute("data-presence-widget", "")
        .expect("attr");
    for (name, value) in attributes {
        host.set_attribute(name, value).expect("attr");
    }
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    presence_widget::mount::mount_all();
    host
}

/// A table whose one cell is a mount element on `base` (a `td` cannot carry a shadow
/// root), added to the page.
fn table_cell_widget(base: &str) -> Element {
    let table = document().create_element("table").expect("table");
    table.set_inner_html(&format!(
        r#"<tbody><tr><td data-presence-widget data-api-base="{base}" data-refresh-seconds="0"></td></tr></tbody>"#
    ));
    document()
        .body()
        .expect("body")
        .append_child(&table)
        .expect("append");
    table
}

fn shadow(host: &Element) -> web_sys::ShadowRoot {
    host.shadow_root()
        .expect("the widget renders in an open shadow root")
}

fn all(host: &Element, selector: &str) -> Vec<Element> {
    let list = shadow(host).query_selector_all(selector).expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

fn one(host: &Element, selector: &str) -> Option<Element> {
    shadow(host).query_selector(selector).ok().flatten()
}

/// The text a user sees (CSS-hidden parts left out).
fn text(host: &Element, selector: &str) -> String {
    one(host, selector)
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .map(|e| {
            e.inner_text()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

fn user_ids(host: &Element) -> Vec<String> {
    all(host, "li[data-user-id]")
        .iter()
        .filter_map(|e| e.get_attribute("data-user-id"))
        .collect()
}

/// Waits (up to 3 s) until `check` holds, yielding to the browser between looks.
async fn until(what: &str, check: impl Fn() -> bool) {
    for _ in 0..300 {
        if check() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for: {what}");
}

fn select_topic(host: &Element, value: &str) {
    let select: HtmlSelectElement = one(host, "select")
        .expect("select")
        .dyn_into()
        .expect("select");
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
}

fn type_search(host: &Element, value: &str) {
    let input: HtmlInputElement = one(host, "input[type=search]")
        .expect("search")
        .dyn_into()
        .expect("input");
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").expect("event"))
        .expect("dispatch");
}

fn click(host: &Element, selector: &str) {
    one(host, selector)
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into::<HtmlElement>()
        .expect("html element")
        .click();
}

#[wasm_bindgen_test]
async fn a_body_read_in_chunks_that_cut_characters_reads_whole() {
    tenant("/t-chunks/api", AGENTS);
    route_bytewise(
        "/t-chunks/api/v1/Presence/GetAll",
        r#"[{"UserId":1,"DisplayName":"Åse Ødegård 😀","Present":true}]"#,
    );
    let host = mount(&[
        ("data-api-base", "/t-chunks/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("the card", || user_ids(&host).len() == 1).await;
    assert_eq!(text(&host, "li[data-user-id='1'] .name"), "Åse Ødegård 😀");
}

#[wasm_bindgen_test]
async fn cards_show_each_agent_sorted_with_status_in_words() {
    tenant("/t-cards/api", AGENTS);
    let host = mount(&[
        ("data-api-base", "/t-cards/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("cards", || user_ids(&host).len() == 5).await;
    // Available first, then name (the collator puts "<" before letters); the row
    // without UserId is skipped.
    assert_eq!(user_ids(&host), ["4", "3", "1", "2", "5"]);
    let first = one(&host, "li[data-user-id='3']").expect("card");
    let first_text = first.dyn_into::<HtmlElement>().expect("html").inner_text();
    assert!(first_text.contains("Anna Ek"), "{first_text}");
    assert!(first_text.contains("Available"), "{first_text}");
    assert!(first_text.contains("No chats"), "{first_text}");
    assert_eq!(text(&host, "li[data-user-id='1'] .chats"), "2 chats");
    assert_eq!(text(&host, "li[data-user-id='2'] .status"), "Away");
    // Defaults for a row full of nulls.
    assert_eq!(text(&host, "li[data-user-id='5'] .name"), "User 5");
    assert_eq!(text(&host, "li[data-user-id='5'] .status"), "Away");
    // API text is text, never markup.
    assert_eq!(text(&host, "li[data-user-id='4'] .name"), "<b>Bold</b> Bo");
    assert!(one(&host, "li[data-user-id='4'] .name b").is_none());
    // Full name available when ellipsised; list semantics.
    assert_eq!(
        one(&host, "li[data-user-id='1'] .name")
            .and_then(|e| e.get_attribute("title"))
            .as_deref(),
        Some("Zoë Zimmer")
    );
    assert!(one(&host, "ul.agents > li.agent").is_some());
    assert_eq!(text(&host, ".summary"), "3 of 5 agents available");
    assert_eq!(text(&host, ".skipped"), "1 entry could not be read");
}

#[wasm_bindgen_test]
async fn topics_are_named_counted_marked_closed_and_filter_the_list() {
    tenant("/t-topics/api", AGENTS);
    let host = mount(&[
        ("data-api-base", "/t-topics/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("topic names", || {
        text(&host, "select[name=topic]").contains("Sales")
    })
    .await;
    until("unknown topic fallback", || {
        text(&host, "select[name=topic]").contains("Topic 13")
    })
    .await;
    let labels: Vec<String> = all(&host, "select[name=topic] option")
        .iter()
        .filter_map(|o| o.text_content())
        .collect();
    assert_eq!(
        labels,
        [
            "All topics",
            "Billing (2 of 3 available)",
            "Sales (1 of 2 available) – closed",
            "Topic 13 (1 of 1 available)"
        ]
    );
    // The label names the select through an id of this instance's own.
    let select_id = one(&host, "select").map(|s| s.id()).unwrap_or_default();
    assert!(
        select_id.starts_with("pw-") && select_id.ends_with("-topic"),
        "{select_id}"
    );
    let label = one(&host, &format!("label[for='{select_id}']")).and_then(|l| l.text_content());
    assert_eq!(label.as_deref(), Some("Topic"));
    // Chips carry names; the closed one says so.
    // (In the tooltip of every row's chips, and in its text for screen readers.)
    until("chip names", || {
        one(&host, "li[data-user-id='2'] .topics")
            .and_then(|t| t.get_attribute("title"))
            .is_some_and(|t| t == "Billing, Sales – closed")
    })
    .await;
    assert!(
        text(&host, "li[data-user-id='2'] .sr-only").contains("Topics: Billing, Sales – closed")
    );
    assert!(one(&host, "li[data-user-id='2'] .chip.closed").is_some());

    select_topic(&host, "12");
    until("filtered to Sales", || user_ids(&host) == ["3", "2"]).await;
    // The live region names the topic for screen readers.
    assert_eq!(text(&host, ".summary"), "Sales: 1 of 2 agents available");
    select_topic(&host, "");
    until("all again", || user_ids(&host).len() == 5).await;
    // Names are fetched once per id, however often they are shown.
    assert_eq!(call_count("/t-topics/api/v1/ChatTopic/11"), 1);
}

#[wasm_bindgen_test]
async fn data_topic_sets_the_initial_filter() {
    tenant("/t-initial/api", AGENTS);
    let host = mount(&[
        ("data-api-base", "/t-initial/api"),
        ("data-topic", "11"),
        ("data-refresh-seconds", "0"),
    ]);
    until("Billing only", || user_ids(&host) == ["3", "1", "2"]).await;
    let select: HtmlSelectElement = one(&host, "select")
        .expect("select")
        .dyn_into()
        .expect("select");
    until("select shows Billing", || select.value() == "11").await;

    let nobody = mount(&[
        ("data-api-base", "/t-initial/api"),
        ("data-topic", "99"),
        ("data-refresh-seconds", "0"),
    ]);
    until("empty topic", || {
        text(&nobody, ".empty") == "Nobody in this topic"
    })
    .await;
}

#[wasm_bindgen_test]
async fn search_and_available_only_narrow_the_list() {
    tenant("/t-search/api", AGENTS);
    let host = mount(&[
        ("data-api-base", "/t-search/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("cards", || user_ids(&host).len() == 5).await;
    type_search(&host, "ase");
    until("accent-insensitive match", || user_ids(&host) == ["2"]).await;
    assert_eq!(text(&host, ".summary"), "0 of 1 agent available");
    type_search(&host, "nobody-by-this-name");
    until("no match", || {
        text(&host, ".empty") == "Nobody matches your search"
    })
    .await;
    type_search(&host, "");
    click(&host, "[data-control=available-only]");
    until("available only", || user_ids(&host) == ["4", "3", "1"]).await;
    // The summary still counts the away agents the toggle hides.
    assert_eq!(text(&host, ".summary"), "3 of 5 agents available");
    assert!(one(&host, "label.switch")
        .and_then(|l| l.text_content())
        .is_some_and(|t| t.contains("Available only")));
}

#[wasm_bindgen_test]
async fn requests_carry_cookies_accept_and_the_xsrf_token() {
    tenant("/t-xsrf/api", AGENTS);
    let input = document().create_element("input").expect("input");
    input.set_attribute("type", "hidden").expect("attr");
    input.set_id("XSRF_TOKEN");
    input
        .set_attribute("value", "from-hidden-input")
        .expect("attr");
    document()
        .body()
        .expect("body")
        .append_child(&input)
        .expect("append");
    let host = mount(&[
        ("data-api-base", "/t-xsrf/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("cards", || user_ids(&host).len() == 5).await;
    let call = last_call_json("/t-xsrf/api/v1/Presence/GetAll");
    assert!(
        call.contains(r#""x-xsrf-token":"from-hidden-input""#),
        "{call}"
    );
    assert!(call.contains(r#""accept":"application/json""#), "{call}");
    assert!(call.contains(r#""credentials":"include""#), "{call}");
    assert!(call.contains(r#""redirect":"manual""#), "{call}");

    // The cookie wins over the hidden input.
    document()
        .dyn_into::<web_sys::HtmlDocument>()
        .expect("html document")
        .set_cookie("XSRF-TOKEN=from%2Bcookie; path=/")
        .expect("cookie");
    click(&host, "button.refresh");
    until("second request", || {
        call_count("/t-xsrf/api/v1/Presence/GetAll") == 2
    })
    .await;
    let call = last_call_json("/t-xsrf/api/v1/Presence/GetAll");
    assert!(call.contains(r#""x-xsrf-token":"from+cookie""#), "{call}");
    input.remove();
}

#[wasm_bindgen_test]
async fn loading_shows_a_skeleton_then_the_list() {
    route("/t-loading/api/v1/Presence/GetAll", 200, AGENTS, 400);
    let host = mount(&[
        ("data-api-base", "/t-loading/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("skeleton", || one(&host, ".skeleton").is_some()).await;
    assert!(user_ids(&host).is_empty());
    until("cards", || user_ids(&host).len() == 5).await;
    assert!(one(&host, ".skeleton").is_none());
}

#[wasm_bindgen_test]
async fn an_empty_roster_says_so() {
    tenant("/t-empty/api", "[]");
    let host = mount(&[
        ("data-api-base", "/t-empty/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("empty state", || text(&host, ".empty") == "No chat agents").await;
    assert_eq!(text(&host, ".summary"), "0 of 0 agents available");
}

#[wasm_bindgen_test]
async fn a_401_asks_to_sign_in_and_shows_no_stale_cards() {
    tenant("/t-401/api", AGENTS);
    let host = mount(&[
        ("data-api-base", "/t-401/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("cards", || user_ids(&host).len() == 5).await;
    route(
        "/t-401/api/v1/Presence/GetAll",
        401,
        r#"{"Error":true,"ErrorType":"SoAuthenticationException","ErrorMessage":"Not authenticated","ErrorSource":"x"}"#,
        0,
    );
    click(&host, "button.refresh");
    until("sign-in message", || {
        text(&host, "[role=alert]").contains("Your CRM session has ended. Sign in again.")
    })
    .await;
    assert!(
        user_ids(&host).is_empty(),
        "no cards shown as current after a 401"
    );
    assert_eq!(text(&host, ".summary"), "");
    // Signing in again and pressing Retry brings the list back without a reload.
    route("/t-401/api/v1/Presence/GetAll", 200, AGENTS, 0);
    click(&host, "[role=alert] button");
    until("cards again", || user_ids(&host).len() == 5).await;
}

#[wasm_bindgen_test]
async fn failures_say_what_happened_and_retry_works() {
    route(
        "/t-500/api/v1/Presence/GetAll",
        503,
        r#"{"Error":true,"ErrorType":"SoServerException","ErrorMessage":"Down for maintenance","ErrorSource":"x"}"#,
        0,
    );
    let host = mount(&[
        ("data-api-base", "/t-500/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("error", || one(&host, "[role=alert]").is_some()).await;
    assert_eq!(
        text(&host, "[role=alert] .notice-title"),
        "The CRM answered with an error (503). Down for maintenance"
    );
    route(
        "/t-500/api/v1/Presence/GetAll",
        200,
        "<html>proxy error</html>",
        0,
    );
    click(&host, "[role=alert] button");
    until("not-json message", || {
        text(&host, "[role=alert] .notice-title")
            == "The CRM sent an answer that could not be read."
    })
    .await;
    route(
        "/t-500/api/v1/Presence/GetAll",
        200,
        r#"{"Message":"An error has occurred."}"#,
        0,
    );
    click(&host, "[role=alert] button");
    until("not-a-list message", || {
        text(&host, "[role=alert] .notice-title")
            == "The CRM sent an object instead of a list of agents. An error has occurred."
    })
    .await;
    route("/t-500/api/v1/Presence/GetAll", 200, AGENTS, 0);
    click(&host, "[role=alert] button");
    until("recovered", || user_ids(&host).len() == 5).await;
}

#[wasm_bindgen_test]
async fn failures_after_data_keep_it_marked_stale() {
    tenant("/t-stale/api", AGENTS);
    let host = mount(&[
        ("data-api-base", "/t-stale/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("cards", || user_ids(&host).len() == 5).await;
    route("/t-stale/api/v1/Presence/GetAll", 500, "{}", 0);
    click(&host, "button.refresh");
    until("stale banner", || one(&host, ".stale").is_some()).await;
    assert_eq!(user_ids(&host).len(), 5, "last good data stays on screen");
    assert!(text(&host, ".stale").contains("Not current"));
}

#[wasm_bindgen_test]
async fn bad_configuration_is_shown_in_the_instance() {
    let host = mount(&[
        ("data-refresh-seconds", "soon"),
        ("data-api-base", "https://elsewhere.example/api"),
    ]);
    until("config message", || one(&host, ".config").is_some()).await;
    let message = text(&host, ".config");
    assert!(
        message.contains("data-refresh-seconds=\"soon\""),
        "{message}"
    );
    assert!(message.contains("another origin"), "{message}");
}

#[wasm_bindgen_test]
async fn instances_on_one_base_share_one_request() {
    tenant("/t-shared/api", AGENTS);
    let a = mount(&[
        ("data-api-base", "/t-shared/api"),
        ("data-refresh-seconds", "0"),
    ]);
    let b = mount(&[
        ("data-api-base", "/t-shared/api"),
        ("data-topic", "12"),
        ("data-refresh-seconds", "0"),
    ]);
    until("both", || {
        user_ids(&a).len() == 5 && user_ids(&b).len() == 2
    })
    .await;
    assert_eq!(call_count("/t-shared/api/v1/Presence/GetAll"), 1);
}

#[wasm_bindgen_test]
async fn languages_follow_data_lang() {
    // The texts of languages other than English come through embed.js's loader.
    let loader = js_sys::Function::new_with_args(
        "tag",
        &format!(
            "return Promise.resolve(tag === 'nb' ? {} : null)",
            include_str!("../../web/lang/nb.json")
        ),
    );
    let key = js_sys::Symbol::for_("superoffice.presence-widget.texts");
    js_sys::Reflect::set(&js_sys::global(), &key, &loader).expect("the loader is set");
    tenant("/t-lang/api", AGENTS);
    let host = mount(&[
        ("data-api-base", "/t-lang/api"),
        ("data-lang", "nb"),
        ("data-refresh-seconds", "0"),
    ]);
    // Drawn once its texts are there.
    until("its texts", || host.shadow_root().is_some()).await;
    until("cards", || user_ids(&host).len() == 5).await;
    assert_eq!(text(&host, ".summary"), "3 av 5 agenter tilgjengelige");
    assert_eq!(text(&host, "li[data-user-id='2'] .status"), "Borte");
    let call = last_call_json("/t-lang/api/v1/Presence/GetAll");
    assert!(call.contains(r#""accept-language":"nb""#), "{call}");
}

fn set_cookie(cookie: &str) {
    document()
        .dyn_into::<web_sys::HtmlDocument>()
        .expect("html document")
        .set_cookie(cookie)
        .expect("cookie");
}

#[wasm_bindgen_test]
async fn an_unusable_token_is_left_out_and_a_good_one_is_used_again() {
    tenant("/t-badtoken/api", AGENTS);
    // Decoded, this is "é": not a header value, so `Headers.set` would throw.
    set_cookie("XSRF-TOKEN=%C3%A9; path=/");
    let host = mount(&[
        ("data-api-base", "/t-badtoken/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("cards", || user_ids(&host).len() == 5).await;
    let call = last_call_json("/t-badtoken/api/v1/Presence/GetAll");
    assert!(!call.contains("x-xsrf-token"), "{call}");
    set_cookie("XSRF-TOKEN=good-token; path=/");
    click(&host, "button.refresh");
    until("second request", || {
        call_count("/t-badtoken/api/v1/Presence/GetAll") == 2
    })
    .await;
    let call = last_call_json("/t-badtoken/api/v1/Presence/GetAll");
    assert!(call.contains(r#""x-xsrf-token":"good-token""#), "{call}");
    set_cookie("XSRF-TOKEN=from%2Bcookie; path=/");
}

#[wasm_bindgen_test]
async fn values_nested_60000_deep_cost_only_themselves() {
    // JSON.parse builds them without recursion; serde-wasm-bindgen never walks a
    // value the wire types pass over, so only the deep row is lost.
    let deep = format!("{}1{}", "[".repeat(60_000), "]".repeat(60_000));
    let object = format!("{}1{}", r#"{"a":"#.repeat(60_000), "}".repeat(60_000));
    let body = format!(
        r#"[{deep},
            {{"UserId":1,"DisplayName":{deep},"ChatTopics":[{deep},11],"FieldProperties":{object}}},
            {{"UserId":2,"DisplayName":"Ann","ChatTopics":{object},"Present":{deep}}}]"#
    );
    route("/t-deep/api/v1/Presence/GetAll", 200, &body, 0);
    let host = mount(&[
        ("data-api-base", "/t-deep/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("two cards", || user_ids(&host).len() == 2).await;
    assert!(
        text(&host, ".skipped").contains('1'),
        "the deep row is counted"
    );
    assert!(one(&host, ".stale").is_none(), "the data is current");
    // A failure body nested as deep still gives its status.
    route(
        "/t-deep/api/v1/Presence/GetAll",
        500,
        &format!(r#"{{"ErrorMessage":"deep error","Details":{deep}}}"#),
        0,
    );
    click(&host, "button.refresh");
    until("the server's words", || {
        text(&host, ".stale").contains("deep error")
    })
    .await;
}

#[wasm_bindgen_test]
async fn removing_the_element_stops_its_polling_and_moving_it_does_not() {
    tenant("/t-removed/api", AGENTS);
    let host = mount(&[
        ("data-api-base", "/t-removed/api"),
        ("data-refresh-seconds", "2"),
    ]);
    until("cards", || user_ids(&host).len() == 5).await;
    // Topic names re-key the cards when they arrive: take a card after that.
    until("topic names", || text(&host, "select").contains("Billing")).await;
    let card = one(&host, "li[data-user-id='1']").expect("card");

    // Moved within one task: the same widget keeps running.
    let parent = document().create_element("section").expect("section");
    document()
        .body()
        .expect("body")
        .append_child(&parent)
        .expect("append");
    parent.append_child(&host).expect("move");
    sleep(50).await;
    assert!(card.is_connected(), "the card survived the move");
    assert_eq!(
        host.get_attribute("data-presence-mounted").as_deref(),
        Some("")
    );

    parent.remove();
    sleep(50).await;
    assert_eq!(host.get_attribute("data-presence-mounted"), None);
    assert!(!card.is_connected(), "unmounted");
    let before = call_count("/t-removed/api/v1/Presence/GetAll");
    sleep(4_500).await;
    assert_eq!(
        call_count("/t-removed/api/v1/Presence/GetAll"),
        before,
        "no polling for a removed widget"
    );

    // Put back later: mounted afresh, by the widget itself.
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    until("mounted again", || user_ids(&host).len() == 5).await;
    host.remove();
}

#[wasm_bindgen_test]
async fn elements_without_a_shadow_root_of_their_own_get_an_inner_one() {
    // The widget follows the document from its first start on.
    presence_widget::mount::mount_all();
    tenant("/t-cell/api", AGENTS);
    let table = table_cell_widget("/t-cell/api");
    // Mounted by the document observer, without mountAll().
    let cell = table.query_selector("td").ok().flatten().expect("td");
    until("inner host", || {
        cell.query_selector("[data-presence-root]")
            .ok()
            .flatten()
            .and_then(|inner| inner.shadow_root())
            .and_then(|root| root.query_selector("li[data-user-id]").ok().flatten())
            .is_some()
    })
    .await;
    assert!(cell.shadow_root().is_none());
    table.remove();
}

#[wasm_bindgen_test]
async fn the_keyed_list_takes_any_key_and_an_ordered_list_and_moves_only_what_moved() {
    use leptos::prelude::*;
    use presence_widget::components::KeyedList;

    let host = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    let order = RwSignal::new(vec![3_i32, 1, 2]);
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), move || {
        let keys = Memo::new(move |_| order.get());
        let list = NodeRef::<leptos::html::Ol>::new();
        view! {
            <ol aria-label="numbers" node_ref=list>
                <KeyedList
                    keys
                    container=list
                    render=|key: i32| view! { <li data-key=key.to_string()>{key}</li> }.into_any()
                    alive=|_| true
                />
            </ol>
        }
    });
    let items = || -> Vec<String> {
        let list = host.query_selector_all("ol > li").expect("query");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.text_content())
            .collect()
    };
    until("first order", || items() == ["3", "1", "2"]).await;
    let two = host
        .query_selector("li[data-key='2']")
        .ok()
        .flatten()
        .expect("li");
    order.set(vec![2, 3, 1]);
    until("new order", || items() == ["2", "3", "1"]).await;
    let same = host
        .query_selector("li[data-key='2']")
        .ok()
        .flatten()
        .expect("li");
    assert!(two.is_same_node(Some(&same)), "the item kept its element");
    assert_eq!(
        host.query_selector("ol")
            .ok()
            .flatten()
            .and_then(|ol| ol.get_attribute("aria-label"))
            .as_deref(),
        Some("numbers")
    );
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_host_that_clears_the_element_carrying_the_widget_gets_a_fresh_one() {
    // The widget follows the document from its first start on.
    presence_widget::mount::mount_all();
    tenant("/t-cleared/api", AGENTS);
    let table = table_cell_widget("/t-cleared/api");
    let cell = table.query_selector("td").ok().flatten().expect("td");
    let inner = || cell.query_selector("[data-presence-root]").ok().flatten();
    let has_cards = |inner: &Element| {
        inner
            .shadow_root()
            .and_then(|root| root.query_selector("li[data-user-id]").ok().flatten())
            .is_some()
    };
    until("first widget", || inner().is_some_and(|i| has_cards(&i))).await;
    let first = inner().expect("inner host");
    let card = first
        .shadow_root()
        .and_then(|root| root.query_selector("li[data-user-id]").ok().flatten())
        .expect("card");
    // A framework re-rendering the cell drops what it did not put there.
    cell.set_inner_html("");
    until("a fresh widget", || {
        inner().is_some_and(|i| !i.is_same_node(Some(&first)) && has_cards(&i))
    })
    .await;
    assert!(
        !card.is_connected(),
        "the old widget was unmounted, not left running"
    );
    table.remove();
}

#[wasm_bindgen_test]
async fn topic_names_arrive_into_the_same_cards_and_pins_move_them_first() {
    tenant("/t-live-marks/api", AGENTS);
    // Billing's name comes late: the first cards show "Topic 11".
    route(
        "/t-live-marks/api/v1/ChatTopic/11",
        200,
        r#"{"ChatTopicId":11,"Name":"Billing"}"#,
        400,
    );
    let host = mount(&[("data-api-base", "/t-live-marks/api"), ("data-lang", "en")]);
    until("cards", || !user_ids(&host).is_empty()).await;
    let card = one(&host, "li[data-user-id='1']").expect("Zoë's card");
    assert_eq!(text(&host, "li[data-user-id='1'] .chip-text"), "Topic 11");
    until("Billing's name", || {
        text(&host, "li[data-user-id='1'] .chip-text") == "Billing"
    })
    .await;
    let same = one(&host, "li[data-user-id='1']").expect("Zoë's card");
    assert!(
        card.is_same_node(Some(&same)),
        "the name changed the card, not replaced it"
    );

    // Pinning Åse (away, last) puts her first; her star says so.
    assert_ne!(user_ids(&host).first().map(String::as_str), Some("2"));
    click(&host, "li[data-user-id='2'] .pin");
    until("Åse first", || {
        user_ids(&host).first().map(String::as_str) == Some("2")
    })
    .await;
    let star = one(&host, "li[data-user-id='2'] .pin").expect("star");
    assert_eq!(star.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(
        star.get_attribute("aria-label").as_deref(),
        Some("Pin Åse Berg")
    );
    // Only an away agent's bell is shown; the available agents' bells are hidden.
    let bell = |id: &str| {
        one(&host, &format!("li[data-user-id='{id}'] .watch"))
            .and_then(|b| b.dyn_into::<HtmlElement>().ok())
            .map(|b| b.offset_width() > 0)
    };
    assert_eq!(bell("2"), Some(true));
    assert_eq!(bell("1"), Some(false));
    click(&host, "li[data-user-id='2'] .pin");
    until("Åse back in place", || {
        user_ids(&host).first().map(String::as_str) != Some("2")
    })
    .await;
    host.remove();
}

mod keyed_list;
mod own;

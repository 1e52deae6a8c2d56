use super::*;
use crate::logic::i18n::Language;

const PAGE: PageLocation<'static> = PageLocation {
    href: "https://intranet.example.com/team/chat.html?x=1#top",
    path: "/team/chat.html",
    widget_base: Some("https://intranet.example.com/widget/embed.js"),
    allowed_origins: None,
};

fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn parse(pairs: &[(&str, &str)]) -> Result<Config, Vec<ConfigError>> {
    parse_config(&attrs(pairs), &PAGE, &WhatwgUrls)
}

fn base(value: &str) -> Result<String, Vec<ConfigError>> {
    parse(&[("data-api-base", value)]).map(|c| c.api_base)
}

#[test]
fn defaults() {
    assert_eq!(
        parse(&[("data-presence-widget", "")]),
        Ok(Config {
            api_base: "https://intranet.example.com/api".into(),
            refresh_seconds: 30,
            topic: None,
            timeout_seconds: 10,
            theme: Theme::Auto,
            allowed_origins: Vec::new(),
            sign_in: None,
        })
    );
}

#[test]
fn a_client_id_signs_in_with_superoffice() {
    let config = parse(&[("data-client-id", "my-app")]).expect("valid");
    assert_eq!(
        config.sign_in,
        Some(SignInConfig {
            client_id: "my-app".into(),
            authority: "https://online.superoffice.com/login".into(),
            // Beside embed.js, by default.
            redirect_uri: "https://intranet.example.com/widget/signed-in.html".into(),
        })
    );
    let chosen = parse(&[
        ("data-client-id", "my-app"),
        ("data-authority", "https://sod.superoffice.com/login/"),
        ("data-redirect-uri", "/sso/back.html"),
    ])
    .expect("valid")
    .sign_in
    .expect("signs in");
    assert_eq!(chosen.authority, "https://sod.superoffice.com/login");
    assert_eq!(
        chosen.redirect_uri,
        "https://intranet.example.com/sso/back.html"
    );
    let problems = |attrs: &[(&str, &str)]| -> Vec<Problem> {
        parse(attrs)
            .unwrap_err()
            .into_iter()
            .map(|e| e.problem)
            .collect()
    };
    assert_eq!(
        problems(&[
            ("data-client-id", "my-app"),
            ("data-redirect-uri", "https://evil.example/back.html")
        ]),
        [Problem::RedirectElsewhere]
    );
    assert_eq!(
        problems(&[("data-client-id", "my app")]),
        [Problem::NotAClientId]
    );
    assert_eq!(
        problems(&[
            ("data-client-id", "a"),
            ("data-authority", "http://sod.superoffice.com/login")
        ]),
        [Problem::NotAUrl]
    );
    assert_eq!(
        problems(&[("data-authority", "https://sod.superoffice.com/login")]),
        [Problem::NeedsClientId]
    );
}

#[test]
fn reads_every_attribute() {
    let config = parse(&[
        ("data-api-base", "/Cust12345/api/"),
        ("data-refresh-seconds", " 5 "),
        ("data-topic", "3"),
        ("data-timeout-seconds", "4"),
        ("data-lang", "nb-NO"),
        ("data-theme", "Dark"),
    ])
    .expect("valid");
    assert_eq!(config.timeout_seconds, 4);
    // Accepted; the widget reads it when it picks its language (`mount::language_of`).
    assert_eq!(Language::from_tag("nb-NO").map(|l| l.tag), Some("nb"));
    assert_eq!(config.theme, Theme::Dark);
    assert_eq!(
        config.api_base,
        "https://intranet.example.com/Cust12345/api"
    );
    assert_eq!(config.refresh_seconds, 5);
    assert_eq!(config.topic, Some(3));
    assert_eq!(
        parse(&[("data-refresh-seconds", "0")]).map(|c| c.refresh_seconds),
        Ok(0)
    );
}

#[test]
fn invalid_values_are_reported_with_the_attribute() {
    let errors = parse(&[
        ("data-refresh-seconds", "fast"),
        ("data-topic", "-1"),
        ("data-api-base", "javascript:alert(1)"),
    ])
    .expect_err("invalid");
    let names: Vec<&str> = errors.iter().map(|e| e.attribute.as_str()).collect();
    assert_eq!(
        names,
        ["data-refresh-seconds", "data-topic", "data-api-base"]
    );
    assert_eq!(
        errors[0].to_string(),
        "data-refresh-seconds=\"fast\" must be 0 or a whole number from 2 to 86400."
    );
    for value in ["1", "86401", "2.5", "-3"] {
        assert!(
            parse(&[("data-refresh-seconds", value)]).is_err(),
            "{value}"
        );
    }
    for value in ["0", "abc", "1e3"] {
        assert!(parse(&[("data-topic", value)]).is_err(), "{value}");
    }
    for (name, value) in [
        ("data-timeout-seconds", "0"),
        ("data-timeout-seconds", "121"),
        ("data-lang", "fr"),
        ("data-theme", "blue"),
    ] {
        assert!(parse(&[(name, value)]).is_err(), "{name}={value}");
    }
}

#[test]
fn tenant_paths_pick_the_tenant_api() {
    assert_eq!(
        default_api_base("/Cust12345/default.aspx"),
        "/Cust12345/api"
    );
    assert_eq!(default_api_base("/cust7/"), "/cust7/api");
    assert_eq!(default_api_base("/Customer/x"), "/api");
    assert_eq!(default_api_base("/Cust/x"), "/api");
    assert_eq!(default_api_base("/"), "/api");
    assert_eq!(default_api_base(""), "/api");
    let page = PageLocation {
        href: "https://online.superoffice.com/Cust999/panel.html",
        path: "/Cust999/panel.html",
        widget_base: None,
        allowed_origins: None,
    };
    assert_eq!(
        parse_config(&[], &page, &WhatwgUrls).map(|c| c.api_base),
        Ok("https://online.superoffice.com/Cust999/api".into())
    );
}

#[test]
fn foreign_origins_need_permission() {
    let foreign = ("data-api-base", "https://crm.example.com/Cust1/api");
    let errors = parse(&[foreign]).expect_err("refused");
    assert_eq!(
        errors[0].problem,
        Problem::ForeignOrigin {
            origin: "https://crm.example.com".into()
        }
    );
    let allowed = parse(&[
        foreign,
        (
            "data-allowed-origins",
            "https://other.example.com, HTTPS://CRM.example.com/",
        ),
    ])
    .expect("allowed");
    assert_eq!(allowed.api_base, "https://crm.example.com/Cust1/api");
    // The page's own origin is always allowed, spelled absolutely.
    assert!(parse(&[("data-api-base", "https://intranet.example.com/api")]).is_ok());
    // Scheme-relative and look-alike URLs are not the page's origin.
    assert!(parse(&[("data-api-base", "//evil.example/api")]).is_err());
    assert!(parse(&[(
        "data-api-base",
        "https://intranet.example.com@evil.example/api"
    )])
    .is_err());
    assert!(parse(&[(
        "data-api-base",
        "https://intranet.example.com.evil.example/api"
    )])
    .is_err());
    assert!(parse(&[("data-allowed-origins", "ftp://x")]).is_err());
}

#[test]
fn bases_are_judged_as_the_browser_resolves_them() {
    // Path-shaped strings that the URL parser sends to another host.
    for sneaky in [
        "/\\evil.example/api",
        "\\\\evil.example/api",
        "/\t\\evil.example/api",
        "/\t/evil.example/api",
        "/\n/evil.example/api",
        "/\r/evil.example/api",
        "//evil.example/api",
        "https:evil.example/api",
        "https:/evil.example/api",
    ] {
        match base(sneaky) {
            Err(errors) => assert_eq!(
                errors[0].problem,
                Problem::ForeignOrigin {
                    origin: "https://evil.example".into()
                },
                "{sneaky:?}"
            ),
            Ok(resolved) => assert!(
                resolved.starts_with("https://intranet.example.com/"),
                "{sneaky:?} -> {resolved}"
            ),
        }
    }
    // Relative bases resolve against the page's address.
    assert_eq!(
        base("api").as_deref(),
        Ok("https://intranet.example.com/team/api")
    );
    assert_eq!(
        base("../x/api/").as_deref(),
        Ok("https://intranet.example.com/x/api")
    );
    assert_eq!(base("/").as_deref(), Ok("https://intranet.example.com"));
    assert_eq!(
        base("/a b/é").as_deref(),
        Ok("https://intranet.example.com/a%20b/%C3%A9"),
        "requested exactly as the browser would"
    );
    // Not an http(s) base, or one with parts that would change the request.
    for refused in [
        "javascript:alert(1)",
        "data:text/plain,x",
        "https://user:pw@intranet.example.com/api",
        "/api?x=1",
        "/api#frag",
        "http://[",
    ] {
        assert_eq!(
            base(refused).map_err(|e| e[0].problem.clone()),
            Err(Problem::NotAUrl),
            "{refused}"
        );
    }
}

#[test]
fn allowed_origins_must_be_https_except_on_this_machine() {
    let with = |origins: &str, api: &str| {
        parse(&[("data-allowed-origins", origins), ("data-api-base", api)])
            .map(|c| c.api_base)
            .map_err(|e| e.into_iter().map(|e| e.problem).collect::<Vec<_>>())
    };
    assert_eq!(
        with("http://crm.example.com", "http://crm.example.com/api"),
        Err(vec![
            Problem::NotAnOrigin,
            Problem::ForeignOrigin {
                origin: "http://crm.example.com".into()
            }
        ])
    );
    for loopback in [
        "http://localhost:8081",
        "http://127.0.0.1:8081",
        "http://[::1]:8081",
        "http://app.localhost:8081",
    ] {
        assert!(
            with(loopback, &format!("{loopback}/api")).is_ok(),
            "{loopback}"
        );
    }
    for not_an_origin in [
        "https://crm.example.com/api",
        "https://u@crm.example.com",
        "https://crm.example.com?x",
        "crm.example.com",
        "http://127.0.0.1.evil.example",
        "http://localhost.evil.example",
    ] {
        assert_eq!(
            with(not_an_origin, "/api"),
            Err(vec![Problem::NotAnOrigin]),
            "{not_an_origin}"
        );
    }
    assert_eq!(
        with(
            "HTTPS://CRM.Example.com:443/",
            "https://crm.example.com/x/api/"
        )
        .as_deref(),
        Ok("https://crm.example.com/x/api")
    );
}

#[test]
fn unknown_attributes_never_refuse_and_near_misses_are_only_suspected() {
    let host_attributes = [
        ("data-tag", "x"),
        ("data-time", "10:00"),
        ("data-range", "1-3"),
        ("data-line", "2"),
        ("data-flag", "on"),
        ("data-testid", "x"),
        ("data-v-1a2b", ""),
        ("data-refesh-seconds", "10"),
        ("class", "y"),
    ];
    assert!(parse(&host_attributes).is_ok(), "never refused");
    let suspected: Vec<String> = suspected_typos(&attrs(&host_attributes))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        suspected,
        ["Unknown attribute data-refesh-seconds; did you mean data-refresh-seconds?"]
    );
    for typo in [
        "data-lnag",
        "data-tehme",
        "data-topics",
        "data-api-bse",
        "data-alowed-origins",
    ] {
        assert_eq!(suspected_typos(&attrs(&[(typo, "")])).len(), 1, "{typo}");
    }
}

#[test]
fn themes_name_the_attribute_the_stylesheet_reads() {
    for (value, theme, attribute) in [
        ("dark", Theme::Dark, Some("dark")),
        ("LIGHT", Theme::Light, Some("light")),
        ("auto", Theme::Auto, None),
    ] {
        let config = parse(&[("data-theme", value)]).expect("valid");
        assert_eq!(config.theme, theme);
        assert_eq!(config.theme.attribute(), attribute);
    }
}

#[test]
fn tenant_detection_never_slices_inside_a_character() {
    for path in ["/Cusé1/x", "/Cust€/x", "/Cust", "/Cu", "/é"] {
        assert_eq!(default_api_base(path), "/api", "{path}");
    }
    assert_eq!(default_api_base("/CUST42/a"), "/CUST42/api");
}

#[test]
fn a_pages_own_list_of_origins_may_only_be_narrowed_by_an_element() {
    let page = PageLocation {
        allowed_origins: Some("https://crm.example.com, https://other.example.com"),
        ..PAGE
    };
    let read = |pairs: &[(&str, &str)]| parse_config(&attrs(pairs), &page, &WhatwgUrls);
    // No list on the element: the page's.
    let config = read(&[("data-api-base", "https://crm.example.com/api")]).expect("listed");
    assert_eq!(
        config.allowed_origins,
        ["https://crm.example.com", "https://other.example.com"]
    );
    // The element narrows it.
    let config = read(&[
        ("data-allowed-origins", "https://crm.example.com"),
        ("data-api-base", "https://crm.example.com/api"),
    ])
    .expect("narrowed");
    assert_eq!(config.allowed_origins, ["https://crm.example.com"]);
    // Markup that names another origin (a sanitizer keeps data-*): refused, and the
    // session goes nowhere.
    let problems = read(&[
        ("data-allowed-origins", "https://evil.example"),
        ("data-api-base", "https://evil.example/api"),
    ])
    .unwrap_err();
    assert!(
        problems.iter().any(|p| p.problem == Problem::NotInPageList),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| matches!(p.problem, Problem::ForeignOrigin { .. })),
        "{problems:?}"
    );
    // An empty list on the element narrows the page's to none.
    let problems = read(&[
        ("data-allowed-origins", " "),
        ("data-api-base", "https://crm.example.com/api"),
    ])
    .unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| matches!(p.problem, Problem::ForeignOrigin { .. })),
        "{problems:?}"
    );
    // Without the page's list, the element's own list holds, as before.
    let config = parse_config(
        &attrs(&[
            ("data-allowed-origins", "https://evil.example"),
            ("data-api-base", "https://evil.example/api"),
        ]),
        &PAGE,
        &WhatwgUrls,
    )
    .expect("the element decides");
    assert_eq!(config.api_base, "https://evil.example/api");
}

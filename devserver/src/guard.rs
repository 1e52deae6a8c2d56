//! Request guards: where the sign-in routes may send the browser back to, and which
//! `Host` headers the server answers (a DNS-rebinding guard).

use std::net::{Ipv4Addr, Ipv6Addr};
use url::{Position, Url};

/// The origin that `return=` values are resolved against. Any origin would do; only
/// "is it still this origin?" matters.
const BASE: &str = "http://devserver.invalid/";

/// The redirect target for a `return=` value: its path, query and fragment when the
/// value stays on this origin as a browser would parse it, otherwise `/`.
///
/// Control characters (tab, CR, LF, ...) are refused outright: the URL parser drops
/// them silently, so `/\t/evil.example` would otherwise turn into `//evil.example`
/// in one parser and not in another.
pub fn safe_return(value: Option<&str>) -> String {
    value
        .and_then(same_origin_target)
        .unwrap_or_else(|| "/".to_owned())
}

fn same_origin_target(value: &str) -> Option<String> {
    if value.is_empty() || value.chars().any(char::is_control) {
        return None;
    }
    let base = Url::parse(BASE).ok()?;
    let joined = base.join(value).ok()?;
    // A Location of `//evil` is scheme-relative: another host.
    if joined.origin() != base.origin() || joined.path().starts_with("//") {
        return None;
    }
    Some(joined[Position::BeforePath..].to_owned())
}

/// Whether a `Host` header names this machine's loopback interface: `localhost`,
/// `*.localhost`, an IPv4 address in 127.0.0.0/8 or `[::1]`, each with or without a
/// port. Anything else (including an empty header) may be a DNS-rebinding attack: a
/// hostile name that resolves to 127.0.0.1.
pub fn loopback_host(host: &str) -> bool {
    if let Some(rest) = host.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(valid_port);
        return port_ok && inside.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
    }
    let name = match host.split_once(':') {
        Some((name, port)) if valid_port(port) => name,
        Some(_) => return false,
        None => host,
    };
    let name = name.to_ascii_lowercase();
    if name == "localhost" {
        return true;
    }
    if let Some(sub) = name.strip_suffix(".localhost") {
        return sub.split('.').all(valid_label);
    }
    name.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

fn valid_port(port: &str) -> bool {
    !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok()
}

fn valid_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ret(value: &str) -> String {
        safe_return(Some(value))
    }

    #[test]
    fn ordinary_paths_are_kept() {
        assert_eq!(
            ret("/intranet/page.html?x=1#y"),
            "/intranet/page.html?x=1#y"
        );
        assert_eq!(ret("/Cust12345/default.aspx"), "/Cust12345/default.aspx");
        assert_eq!(ret("/"), "/");
        assert_eq!(ret("/a/b/../c?q=a%20b"), "/a/c?q=a%20b");
        // Already percent-encoded bytes stay encoded: a path, not a host.
        assert_eq!(ret("/%09/evil.example"), "/%09/evil.example");
        // Relative values resolve against the root, and stay here.
        assert_eq!(ret("page.html"), "/page.html");
        assert_eq!(ret("?x=1"), "/?x=1");
    }

    #[test]
    fn values_leaving_the_origin_become_the_root() {
        for hostile in [
            "/\t/evil.example",
            "/\\evil.example",
            "\\\\evil",
            "\\/evil",
            "https://evil",
            "http://evil.example/",
            "//evil",
            "///evil",
            "/.//evil",
            "/./..//evil",
            " //evil",
            "/\r\n/evil",
            "/in\tside",
            "/in\rside",
            "/in\nside",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "http:\\\\evil",
            "",
        ] {
            assert_eq!(ret(hostile), "/", "{hostile:?}");
        }
        assert_eq!(safe_return(None), "/");
    }

    #[test]
    fn loopback_hosts_are_allowed() {
        for host in [
            "127.0.0.1:8081",
            "127.0.0.1",
            "127.1.2.3:80",
            "localhost",
            "localhost:8081",
            "LOCALHOST",
            "app.localhost:3000",
            "a.b-c.localhost",
            "[::1]",
            "[::1]:80",
            "[0:0:0:0:0:0:0:1]:8081",
        ] {
            assert!(loopback_host(host), "{host}");
        }
    }

    #[test]
    fn other_hosts_are_refused() {
        for host in [
            "evil.example",
            "evil.example:8081",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "evillocalhost",
            ".localhost",
            "a..localhost",
            "[::2]",
            "[::2]:80",
            "[::1]x",
            "[::1]:",
            "[::1",
            "::1",
            "0.0.0.0",
            "0.0.0.0:8081",
            "10.0.0.1",
            "128.0.0.1",
            "127.1",
            "localhost:",
            "localhost:99999",
            "localhost:80:80",
            "localhost:8o",
            "",
        ] {
            assert!(!loopback_host(host), "{host}");
        }
    }
}

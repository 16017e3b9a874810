//! HTTP proxies, set on the builder or read from the environment the way
//! curl and reqwest read it (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
//! `NO_PROXY`). HTTPS goes through a `CONNECT` tunnel, so the proxy never
//! sees the token; plain HTTP is sent to the proxy in absolute form.

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::http1;
use super::transport::{Origin, TransportError};

/// Which proxy a client uses.
#[derive(Clone, Default)]
pub(crate) enum ProxyChoice {
    /// From the environment (the default).
    #[default]
    FromEnv,
    /// This proxy URL, whatever the environment says.
    Url(String),
    /// None.
    Off,
}

impl std::fmt::Debug for ProxyChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProxyChoice::FromEnv => f.write_str("FromEnv"),
            ProxyChoice::Url(url) => write!(f, "Url({:?})", redacted(url)),
            ProxyChoice::Off => f.write_str("Off"),
        }
    }
}

/// `url` with any credentials replaced by `***`, for messages.
fn redacted(url: &str) -> String {
    match (url.split_once("://"), url.rsplit_once('@')) {
        (Some((scheme, _)), Some((_, address))) => format!("{scheme}://***@{address}"),
        _ => url.to_owned(),
    }
}

/// A proxy to connect through.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Proxy {
    pub host: String,
    pub port: u16,
    /// `Basic …`, from the URL's user information.
    pub authorization: Option<String>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the proxy's credentials.
        f.debug_struct("Proxy")
            .field("host", &self.host)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Proxy {
    /// Parses `http://[user[:password]@]host[:port][/]`.
    pub fn parse(url: &str) -> Result<Self, String> {
        let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
        if !scheme.eq_ignore_ascii_case("http") {
            return Err(if scheme.eq_ignore_ascii_case("https") {
                "a proxy is reached over http://; https:// proxies are not supported".into()
            } else {
                "a proxy URL must start with http://".into()
            });
        }
        let (userinfo, address) = match rest.rsplit_once('@') {
            Some((userinfo, address)) => (Some(userinfo), address),
            None => (None, rest),
        };
        let origin = Origin::parse(&format!("http://{address}"))?;
        if !origin.prefix.is_empty() {
            return Err("a proxy URL has no path".into());
        }
        let authorization = userinfo.map(|userinfo| {
            let decoded = |s: &str| percent_encoding::percent_decode_str(s).collect::<Vec<u8>>();
            let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
            let mut credentials = decoded(user);
            credentials.push(b':');
            credentials.extend(decoded(password));
            format!("Basic {}", base64(&credentials))
        });
        if authorization
            .as_deref()
            .is_some_and(|a| !http1::valid_header_value(a))
        {
            return Err("bad proxy credentials".into());
        }
        Ok(Proxy {
            host: origin.host,
            port: origin.port,
            authorization,
        })
    }

    /// The proxy for `origin` under `choice`; `var` reads an environment
    /// variable. Loopback hosts are never proxied.
    pub fn choose(
        choice: &ProxyChoice,
        origin: &Origin,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, String> {
        match choice {
            ProxyChoice::Off => Ok(None),
            ProxyChoice::Url(url) => Proxy::parse(url.trim())
                .map(Some)
                .map_err(|e| format!("proxy {:?}: {e}", redacted(url))),
            ProxyChoice::FromEnv => {
                let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
                if is_loopback(&origin.host) {
                    return Ok(None);
                }
                let no_proxy = var("no_proxy").or_else(|| var("NO_PROXY"));
                if no_proxy.is_some_and(|list| bypassed(&list, &origin.host)) {
                    return Ok(None);
                }
                // Lowercase first; uppercase `HTTP_PROXY` is not trusted under
                // CGI, where a request header can set it ("httpoxy").
                let names: &[&str] = if origin.tls {
                    &["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
                } else if var("REQUEST_METHOD").is_some() {
                    &["http_proxy", "all_proxy", "ALL_PROXY"]
                } else {
                    &["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
                };
                // `host:port` without a scheme means an http:// proxy; one
                // of another scheme (`socks5://`, set for other programs)
                // is passed over rather than failing every client.
                let found = names.iter().find_map(|name| {
                    let url = var(name)?.trim().to_owned();
                    let url = match url.split_once("://") {
                        None => format!("http://{url}"),
                        Some((scheme, _)) if scheme.eq_ignore_ascii_case("http") => url,
                        Some(_) => return None,
                    };
                    Some((name, url))
                });
                let Some((name, url)) = found else {
                    return Ok(None);
                };
                Proxy::parse(&url)
                    .map(Some)
                    .map_err(|e| format!("proxy from {name}: {e}"))
            }
        }
    }

    /// Opens a `CONNECT` tunnel to `target` (`host:port`) on `tcp` (used
    /// for HTTPS, so only with the `rustls` feature).
    #[cfg_attr(not(feature = "rustls"), allow(dead_code))]
    pub async fn tunnel(&self, tcp: &mut TcpStream, target: &str) -> Result<(), TransportError> {
        let mut request = format!("CONNECT {target} HTTP/1.1\r\nhost: {target}\r\n");
        if let Some(authorization) = &self.authorization {
            request.push_str("proxy-authorization: ");
            request.push_str(authorization);
            request.push_str("\r\n");
        }
        request.push_str("\r\n");
        tcp.write_all(request.as_bytes()).await?;
        let mut reader = BufReader::new(tcp);
        let head = http1::read_head(&mut reader)
            .await?
            .ok_or(TransportError::Closed)?;
        if !(200..300).contains(&head.status) {
            return Err(TransportError::Proxy(format!(
                "the proxy answered HTTP {} to CONNECT {target}",
                head.status
            )));
        }
        if !reader.buffer().is_empty() {
            return Err(TransportError::Proxy(
                "the proxy sent data before the tunnel was used".into(),
            ));
        }
        Ok(())
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether a `NO_PROXY` list names `host`: `*`, the host itself, or a
/// domain it is under (`example.com` and `.example.com` both cover
/// `api.example.com`). Ports in entries are ignored.
fn bypassed(list: &str, host: &str) -> bool {
    // An IP host matches IP entries and CIDR ranges, never domain suffixes.
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return list.split(',').map(str::trim).any(|entry| {
            let entry = entry.trim_start_matches('[');
            let (address, bits) = match entry.split_once('/') {
                Some((address, bits)) => (address, bits.parse::<u32>().ok()),
                None => (entry.split(']').next().unwrap_or_default(), None),
            };
            let address = address.trim_end_matches(']');
            let address = if address.matches(':').count() == 1 {
                address.split(':').next().unwrap_or_default()
            } else {
                address
            };
            entry == "*"
                || address
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|net| in_range(ip, net, bits))
        });
    }
    list.split(',').map(str::trim).any(|entry| {
        let entry = entry.trim_start_matches("*.").trim_start_matches('.');
        let entry = match entry.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None if entry.matches(':').count() == 1 => entry.split(':').next().unwrap_or_default(),
            None => entry,
        };
        let entry = entry.to_ascii_lowercase();
        entry == "*"
            || (!entry.is_empty() && (host == entry || host.ends_with(&format!(".{entry}"))))
    })
}

/// Whether `ip` is `net`, or within `net/bits`.
fn in_range(ip: std::net::IpAddr, net: std::net::IpAddr, bits: Option<u32>) -> bool {
    use std::net::IpAddr::{V4, V6};
    let (ip, net, width) = match (ip, net) {
        (V4(ip), V4(net)) => (u128::from(ip.to_bits()), u128::from(net.to_bits()), 32),
        (V6(ip), V6(net)) => (ip.to_bits(), net.to_bits(), 128),
        _ => return false,
    };
    let bits = bits.unwrap_or(width);
    if bits > width {
        return false;
    }
    let shift = width - bits;
    shift >= 128 || (ip >> shift) == (net >> shift)
}

/// Standard base64 with padding (for `Basic` credentials).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(url: &str) -> Origin {
        Origin::parse(url).unwrap()
    }

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn proxy_urls_and_credentials() {
        let proxy = Proxy::parse("http://us%40er:p%3Ass@proxy.corp:3128/").unwrap();
        assert_eq!((proxy.host.as_str(), proxy.port), ("proxy.corp", 3128));
        assert_eq!(
            proxy.authorization.as_deref(),
            Some("Basic dXNAZXI6cDpzcw==")
        );
        assert!(!format!("{proxy:?}").contains("dXN"));
        assert_eq!(Proxy::parse("http://[::1]").unwrap().port, 80);
        for bad in [
            "https://proxy:443",
            "socks5://proxy:1080",
            "http://proxy/path",
            "http://",
        ] {
            assert!(Proxy::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn environment_choice() {
        let hubspot = origin("https://api.hubapi.com");
        let plain = origin("http://internal.example.com:8080");
        let vars = [
            ("HTTPS_PROXY", "http://secure:1"),
            ("HTTP_PROXY", "plain:2"),
            ("NO_PROXY", "localhost, .example.com"),
        ];
        let chosen = Proxy::choose(&ProxyChoice::FromEnv, &hubspot, env(&vars)).unwrap();
        assert_eq!(chosen.map(|p| (p.host, p.port)), Some(("secure".into(), 1)));
        // Under NO_PROXY, and loopback, go direct.
        assert_eq!(
            Proxy::choose(&ProxyChoice::FromEnv, &plain, env(&vars)),
            Ok(None)
        );
        let local = origin("http://127.0.0.1:9");
        assert_eq!(
            Proxy::choose(&ProxyChoice::FromEnv, &local, env(&vars)),
            Ok(None)
        );
        // Lowercase wins; `HTTP_PROXY` is ignored under CGI.
        let plain = origin("http://other.test");
        let both = [("http_proxy", "lower:3"), ("HTTP_PROXY", "upper:4")];
        let chosen = Proxy::choose(&ProxyChoice::FromEnv, &plain, env(&both)).unwrap();
        assert_eq!(chosen.map(|p| p.port), Some(3));
        let cgi = [("HTTP_PROXY", "upper:4"), ("REQUEST_METHOD", "GET")];
        assert_eq!(
            Proxy::choose(&ProxyChoice::FromEnv, &plain, env(&cgi)),
            Ok(None)
        );
        // Explicit choices ignore the environment; a bad variable is named.
        assert_eq!(
            Proxy::choose(&ProxyChoice::Off, &hubspot, env(&vars)),
            Ok(None)
        );
        let explicit = ProxyChoice::Url("http://mine:5".into());
        let chosen = Proxy::choose(&explicit, &hubspot, env(&vars)).unwrap();
        assert_eq!(chosen.map(|p| p.port), Some(5));
        let broken = [("https_proxy", "http://bad host:1")];
        let err = Proxy::choose(&ProxyChoice::FromEnv, &hubspot, env(&broken)).unwrap_err();
        assert!(err.starts_with("proxy from https_proxy"), "{err}");
        // Other schemes (meant for other programs) are passed over; the
        // scheme is case-insensitive and spaces around the value ignored.
        let socks = [
            ("ALL_PROXY", "socks5h://127.0.0.1:1080"),
            ("HTTPS_PROXY", " HTTP://p:3128 "),
        ];
        let chosen = Proxy::choose(&ProxyChoice::FromEnv, &hubspot, env(&socks)).unwrap();
        assert_eq!(chosen.map(|p| p.port), Some(3128));
        let only_socks = [("all_proxy", "socks5://127.0.0.1:1080")];
        assert_eq!(
            Proxy::choose(&ProxyChoice::FromEnv, &hubspot, env(&only_socks)),
            Ok(None)
        );
        // Credentials never reach a message.
        let secret = ProxyChoice::Url("http://alice:s3cret@proxy:99999".into());
        let err = Proxy::choose(&secret, &hubspot, env(&[])).unwrap_err();
        assert!(
            !err.contains("s3cret") && err.contains("***@proxy:99999"),
            "{err}"
        );
        assert!(!format!("{secret:?}").contains("s3cret"));
    }

    #[test]
    fn no_proxy_lists() {
        assert!(bypassed("*", "api.hubapi.com"));
        assert!(bypassed("hubapi.com", "api.hubapi.com"));
        assert!(bypassed(" .hubapi.com ", "api.hubapi.com"));
        assert!(bypassed("*.hubapi.com", "api.hubapi.com"));
        assert!(bypassed("api.hubapi.com:443", "api.hubapi.com"));
        assert!(bypassed("[::2]:8080", "::2"));
        assert!(!bypassed("pi.hubapi.com", "api.hubapi.com"));
        assert!(!bypassed("hubapi.co", "api.hubapi.com"));
        assert!(!bypassed("", "api.hubapi.com"));
        // IP hosts: exact addresses and CIDR ranges, compared as addresses.
        assert!(bypassed("10.0.0.0/8", "10.1.2.3"));
        assert!(!bypassed("10.0.0.0/8", "11.1.2.3"));
        assert!(bypassed("192.168.1.7:8080", "192.168.1.7"));
        assert!(bypassed("2001:db8:0::1", "2001:db8::1"));
        assert!(bypassed("[2001:db8::]/32", "2001:db8:ffff::1"));
        assert!(bypassed("0.0.0.0/0", "8.8.8.8"));
        assert!(!bypassed("1.2.3", "1.2.3.4"));
        assert!(!bypassed("10.0.0.0/33", "10.0.0.1"));
    }
}

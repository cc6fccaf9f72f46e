//! The world outside the cluster, as far as podplay has one: a few public
//! web sites that kubernetes.io's examples fetch from inside a Pod (the
//! init container of "Configure Pod Initialization" downloads
//! http://info.cern.ch). Real clusters usually reach the internet; podplay
//! has no network, so these sites answer with stand-in pages and every other
//! outside name does not resolve (`wget: bad address`).
//!
//! Their addresses are from TEST-NET-3 (203.0.113.0/24, RFC 5737), so
//! nothing here claims to be a real address.

use std::net::Ipv4Addr;

struct Site {
    hosts: &'static [&'static str],
    ip: Ipv4Addr,
    /// What `GET /` returns (a short stand-in for the real page).
    index: &'static str,
}

const SITES: &[Site] = &[
    Site {
        hosts: &["info.cern.ch"],
        ip: Ipv4Addr::new(203, 0, 113, 10),
        index: "<html><head></head><body><header>\n<title>http://info.cern.ch</title>\n</header>\n\n<h1>http://info.cern.ch - home of the first website</h1>\n<p>(podplay's stand-in for the page: podplay has no internet.)</p>\n</body></html>\n",
    },
    Site {
        hosts: &["example.com", "www.example.com"],
        ip: Ipv4Addr::new(203, 0, 113, 20),
        index: "<!doctype html><html><head><title>Example Domain</title></head><body><h1>Example Domain</h1><p>(podplay's stand-in for the page: podplay has no internet.)</p></body></html>\n",
    },
];

/// The address of an outside name, if it is one of the sites.
pub fn resolve(name: &str) -> Option<Ipv4Addr> {
    let name = name.trim_end_matches('.');
    SITES.iter().find(|s| s.hosts.iter().any(|h| h.eq_ignore_ascii_case(name))).map(|s| s.ip)
}

/// `GET path` on port `port` of an outside address: None when no site has
/// that address; else the status and body (the index page at `/`, 404 elsewhere).
pub fn get(ip: Ipv4Addr, port: i32, path: &str) -> Option<(u16, String)> {
    let site = SITES.iter().find(|s| s.ip == ip)?;
    if port != 80 {
        return None;
    }
    Some(match path {
        "/" | "/index.html" => (200, site.index.to_string()),
        _ => (404, "<html><body><h1>Not Found</h1></body></html>\n".to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_listed_sites_exist() {
        assert_eq!(resolve("info.cern.ch"), Some(Ipv4Addr::new(203, 0, 113, 10)));
        assert_eq!(resolve("EXAMPLE.com."), Some(Ipv4Addr::new(203, 0, 113, 20)));
        assert_eq!(resolve("kubernetes.io"), None);
        let (code, body) = get(Ipv4Addr::new(203, 0, 113, 10), 80, "/").unwrap();
        assert_eq!(code, 200);
        assert!(body.contains("<h1>http://info.cern.ch - home of the first website</h1>"));
        assert_eq!(get(Ipv4Addr::new(203, 0, 113, 10), 80, "/nope").unwrap().0, 404);
        assert_eq!(get(Ipv4Addr::new(203, 0, 113, 10), 8080, "/"), None);
        assert_eq!(get(Ipv4Addr::new(10, 0, 0, 1), 80, "/"), None);
    }
}

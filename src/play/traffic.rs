//! What the page says about a Service's simulated client traffic: which
//! endpoints get requests (as kube-proxy chooses them), how many each
//! served, the failure rate and the last failure in words.

use crate::core::engine::{FailedRequest, TrafficSnapshot};
use crate::core::status::{Endpoint, EndpointSliceSnapshot};
use crate::core::time::go_duration;

/// The rates the page offers.
pub const RATES: [&str; 3] = ["1/s", "10/s", "100/s"];
/// Pods no longer endpoints listed with their counts; the rest are counted.
pub const MAX_EARLIER: usize = 6;

/// Whether kube-proxy sends an endpoint new requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// Ready: it is among the endpoints requests are spread over.
    Ready,
    /// Terminating but still serving, and no endpoint is ready: kube-proxy
    /// falls back to it (`CategorizeEndpoints`, KEP-1669).
    Fallback,
    /// Terminating: no new requests.
    Terminating,
    /// Not ready: no requests.
    NotReady,
}

impl Route {
    pub fn gets_traffic(self) -> bool {
        matches!(self, Route::Ready | Route::Fallback)
    }

    /// The CSS class suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Ready => "ready",
            Route::Fallback => "fallback",
            Route::Terminating => "terminating",
            Route::NotReady => "notready",
        }
    }

    /// In words, for the endpoint's row.
    pub fn words(self) -> &'static str {
        match self {
            Route::Ready => "ready: gets traffic",
            Route::Fallback => "terminating, still serving: gets traffic (no endpoint is ready)",
            Route::Terminating => "terminating: no new traffic",
            Route::NotReady => "not ready: no traffic",
        }
    }
}

/// One endpoint of the Service with the requests its Pod got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointRow {
    pub pod: String,
    /// `IP:PORT`.
    pub address: String,
    pub route: Route,
    pub ok: u64,
    pub failed: u64,
}

/// A Service's endpoints as the page lists them, and the Pods that got
/// requests earlier but are endpoints no more (the busiest first, at most
/// [`MAX_EARLIER`]; the count of the rest).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Routes {
    pub endpoints: Vec<EndpointRow>,
    pub earlier: Vec<(String, u64, u64)>,
    pub earlier_more: usize,
}

/// How kube-proxy treats one endpoint of a slice; `any_ready`: some
/// endpoint of the slice is ready (then terminating ones get nothing new).
pub fn route_of(e: &Endpoint, any_ready: bool) -> Route {
    match (e.ready, e.terminating) {
        (true, _) => Route::Ready,
        (false, true) if e.serving && !any_ready => Route::Fallback,
        (false, true) => Route::Terminating,
        (false, false) => Route::NotReady,
    }
}

pub fn routes(slice: &EndpointSliceSnapshot, traffic: Option<&TrafficSnapshot>) -> Routes {
    let any_ready = slice.endpoints.iter().any(|e| e.ready);
    let counts = |pod: &str| {
        traffic
            .and_then(|t| t.by_pod.binary_search_by(|p| p.pod.as_str().cmp(pod)).ok().map(|i| &t.by_pod[i]))
            .map_or((0, 0), |p| (p.ok, p.failed))
    };
    let port = slice.ports.first().map_or(0, |p| p.port);
    let endpoints: Vec<EndpointRow> = slice
        .endpoints
        .iter()
        .map(|e| {
            let route = route_of(e, any_ready);
            let (ok, failed) = counts(&e.pod_name);
            EndpointRow { pod: e.pod_name.clone(), address: format!("{}:{port}", e.ip), route, ok, failed }
        })
        .collect();
    let mut earlier: Vec<(String, u64, u64)> = traffic
        .map(|t| {
            t.by_pod
                .iter()
                .filter(|p| !slice.endpoints.iter().any(|e| e.pod_name == p.pod))
                .map(|p| (p.pod.clone(), p.ok, p.failed))
                .collect()
        })
        .unwrap_or_default();
    earlier.sort_by(|a, b| (b.1 + b.2).cmp(&(a.1 + a.2)).then_with(|| a.0.cmp(&b.0)));
    let earlier_more = earlier.len().saturating_sub(MAX_EARLIER);
    earlier.truncate(MAX_EARLIER);
    Routes { endpoints, earlier, earlier_more }
}

/// `failed` of `sent` as a percentage: `0%`, `0.4%`, `12.5%`, `100%`; `–`
/// before any request.
pub fn failure_rate(sent: u64, failed: u64) -> String {
    if sent == 0 {
        return "–".to_string();
    }
    // In u128 against overflow; printed as a u64 (failed never exceeds sent),
    // which spares the page the u128 formatter.
    let per_mille = ((failed as u128 * 1000 + sent as u128 / 2) / sent as u128).min(u64::MAX as u128) as u64;
    match per_mille {
        0 if failed > 0 => "<0.1%".to_string(),
        p if p % 10 == 0 => format!("{}%", p / 10),
        p => format!("{}.{}%", p / 10, p % 10),
    }
}

/// The last failure in words: `at 1m2s, Pod web-5d9f-x2kqz: connection refused`.
pub fn failure_words(f: &FailedRequest) -> String {
    match &f.pod {
        Some(pod) => format!("at {}, Pod {pod}: {}", go_duration(f.time_ms), f.reason),
        None => format!("at {}: {}", go_duration(f.time_ms), f.reason),
    }
}

/// The action that sets a Service's traffic (`None`: off).
pub fn traffic_action(namespace: &str, service: &str, rate: Option<&str>) -> String {
    let ns = if namespace == "default" { String::new() } else { format!(" -n {namespace}") };
    format!("traffic svc/{service} {}{ns}", rate.unwrap_or("off"))
}

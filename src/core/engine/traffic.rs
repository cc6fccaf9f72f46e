//! Simulated client traffic to Services.
//!
//! A traffic source is a client outside the nodes sending HTTP GETs for `/`
//! to a Service's cluster IP and first port at a fixed rate. Each request is
//! routed as kube-proxy in iptables mode would route it at that instant, and
//! succeeds or fails by what the chosen Pod's container does at that instant
//! (the same request handling as a container's `wget`, `env::serve_http`).
//!
//! - kube-proxy picks among the endpoints it knows to be `ready`; when none
//!   is, it falls back to endpoints that are `serving` and `terminating`
//!   (`CategorizeEndpoints`, pkg/proxy/topology.go; KEP-1669
//!   ProxyTerminatingEndpoints, on by default since 1.26, GA in 1.28). With
//!   neither, it rejects the connection ("connection refused").
//! - iptables mode "chooses a backend at random" and, if that Pod does not
//!   respond, "the connection fails" (kubernetes.io, "Virtual IPs and Service
//!   Proxies"): podplay picks uniformly with the source's own seeded stream
//!   and never retries.
//! - kube-proxy learns of an EndpointSlice change [`PROXY_SYNC_DELAY_MS`]
//!   after it happens. That lag is why a rollout without a preStop hook drops
//!   requests: the old Pod stops listening on SIGTERM while kube-proxy still
//!   sends it traffic.

use super::{ActionError, Sim, Target};
use crate::core::engine::env;
use crate::core::rng::Rng;
use crate::core::shell::HttpOutcome;
use crate::core::status::Endpoint;
use crate::core::time::{go_duration, Millis, HOUR_MS, MINUTE_MS, SECOND_MS};
use std::collections::VecDeque;

/// How long after an EndpointSlice change kube-proxy routes by it. A
/// simplification: kube-proxy's iptables `minSyncPeriod` defaults to 1 s
/// (kubernetes.io, "Virtual IPs and Service Proxies": "each individual change
/// may end up waiting up to the full minSyncPeriod"), and the informer and
/// `iptables-restore` add their own time; podplay uses this fixed lag for
/// every change and every node.
pub const PROXY_SYNC_DELAY_MS: Millis = SECOND_MS;
/// The highest rate a source may send at.
pub const MAX_REQUESTS_PER_SECOND: u64 = 1000;
/// A failing Service counts as recovered at its first successful request
/// this long after its last failed one (so one bad endpoint among good ones
/// does not flap the summary on every request).
pub const RECOVERY_QUIET_MS: Millis = 2 * SECOND_MS;
/// The annotation on a Service that starts traffic to it (`"10/s"`).
pub const TRAFFIC_ANNOTATION: &str = "podplay.dev/traffic";
/// Pods counted per source; requests to further Pods count in the totals only.
const MAX_PODS_TRACKED: usize = 10_000;
/// Unread changes kept; older ones are dropped.
const MAX_CHANGES: usize = 10_000;
/// Endpoint changes kube-proxy has not applied yet, per source.
const MAX_PENDING: usize = 1_000;

/// Requests per period: `10/s` is `{ count: 10, per_ms: 1000 }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub count: u64,
    pub per_ms: Millis,
}

impl Rate {
    /// `N/s`, `N/m` or `N/h` (N a whole number of requests, at most 1000 a
    /// second); `off` or a count of 0 is `None`.
    pub fn parse(text: &str) -> Result<Option<Rate>, String> {
        let text = text.trim();
        if text == "off" {
            return Ok(None);
        }
        let bad = || format!("expected a rate like 10/s, 30/m or 100/h (or off), got {text:?}");
        let (n, unit) = text.split_once('/').ok_or_else(bad)?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        let per_ms = match unit.trim() {
            "s" | "sec" | "second" => SECOND_MS,
            "m" | "min" | "minute" => MINUTE_MS,
            "h" | "hour" => HOUR_MS,
            _ => return Err(bad()),
        };
        if count == 0 {
            return Ok(None);
        }
        if count.saturating_mul(SECOND_MS) > MAX_REQUESTS_PER_SECOND * per_ms {
            return Err(format!("at most {MAX_REQUESTS_PER_SECOND} requests a second, got {text}"));
        }
        Ok(Some(Rate { count, per_ms }))
    }

    /// When request `n` (from 0) of a source started at `start` is sent.
    fn at(self, start: Millis, n: u64) -> Millis {
        let offset = (n as u128 + 1) * self.per_ms as u128 / self.count.max(1) as u128;
        start.saturating_add(offset.min(u64::MAX as u128) as u64)
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.per_ms {
            SECOND_MS => "s",
            MINUTE_MS => "m",
            _ => "h",
        };
        write!(f, "{}/{unit}", self.count)
    }
}

/// Why a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// kube-proxy knows no endpoint to send to: its REJECT rule refuses.
    NoEndpoints,
    /// The Pod exists but nothing listens on the port (not started yet, or
    /// stopped after SIGTERM).
    Refused,
    /// No answer: the app hangs (`break`), its node is stopped, or no Pod
    /// holds the endpoint's IP any more.
    Timeout,
    /// The app answered with a 5xx status.
    Status(u16),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::NoEndpoints => f.write_str("connection refused (no endpoints)"),
            Failure::Refused => f.write_str("connection refused"),
            Failure::Timeout => f.write_str("timed out"),
            Failure::Status(code) => write!(f, "HTTP {code}"),
        }
    }
}

/// One failed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedRequest {
    pub time_ms: Millis,
    /// The Pod kube-proxy chose, if it chose one.
    pub pod: Option<String>,
    pub reason: Failure,
}

impl std::fmt::Display for FailedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.pod {
            Some(pod) => write!(f, "{pod}: {}", self.reason),
            None => write!(f, "{}", self.reason),
        }
    }
}

/// Requests one Pod received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodTraffic {
    pub pod: String,
    pub ok: u64,
    pub failed: u64,
}

/// A source's counters, for the CLI's table and the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrafficSnapshot {
    pub namespace: String,
    pub service: String,
    /// The current rate; `None` once turned off.
    pub rate: Option<Rate>,
    pub sent: u64,
    pub ok: u64,
    pub failed: u64,
    /// Per Pod, by name.
    pub by_pod: Vec<PodTraffic>,
    pub last_failure: Option<FailedRequest>,
    /// Requests are failing now (since the first failure, until recovery).
    pub failing: bool,
}

/// A change of a source's state: what the CLI prints instead of one line
/// per request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrafficChange {
    pub time_ms: Millis,
    pub namespace: String,
    pub service: String,
    pub kind: TrafficChangeKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrafficChangeKind {
    /// Sending starts (or the rate changes).
    Started { rate: Rate, target: String },
    /// Sending stops; `failing` when it stops during a failing spell:
    /// (since, failed, sent) as in `Recovered`.
    Stopped { failing: Option<(Millis, u64, u64)> },
    /// The first failed request after a good spell.
    Failing { first: FailedRequest },
    /// [`RECOVERY_QUIET_MS`] without failures: `failed` of the `sent`
    /// requests from `since` to `until` (the last failure) failed.
    Recovered { since_ms: Millis, until_ms: Millis, failed: u64, sent: u64 },
}

impl TrafficChange {
    /// One line, e.g. `failing: web-5d9f7c8b4-x2kqz: connection refused`.
    pub fn describe(&self) -> String {
        match &self.kind {
            TrafficChangeKind::Started { rate, target } => format!("sending {rate} to {target}"),
            TrafficChangeKind::Stopped { failing: None } => "stopped".to_string(),
            TrafficChangeKind::Stopped { failing: Some((since, failed, sent)) } => {
                format!("stopped while failing: {failed} of {sent} requests failed since {}", go_duration(*since))
            }
            TrafficChangeKind::Failing { first } => format!("failing: {first}"),
            TrafficChangeKind::Recovered { since_ms, until_ms, failed, sent } => format!(
                "recovered: {failed} of {sent} requests failed from {} to {}",
                go_duration(*since_ms),
                go_duration(*until_ms)
            ),
        }
    }
}

/// A failing spell: when it began and the counters just before it.
#[derive(Clone, Copy, Debug)]
struct Spell {
    since_ms: Millis,
    sent_before: u64,
    failed_before: u64,
    /// `sent` at the spell's latest failure.
    sent_at_last: u64,
}

/// One source, with kube-proxy's view of its Service's endpoints.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    id: u32,
    rate: Option<Rate>,
    /// From the annotation: waits for kube-proxy to know a ready endpoint.
    waiting: bool,
    started_ms: Millis,
    /// Requests scheduled since `started_ms`.
    n: u64,
    rng: Rng,
    sent: u64,
    ok: u64,
    failed: u64,
    by_pod: crate::core::store::Store<(u64, u64), String>,
    last_failure: Option<FailedRequest>,
    spell: Option<Spell>,
    /// The endpoints kube-proxy routes by, and changes it has yet to apply.
    view: Vec<Endpoint>,
    pending: VecDeque<(Millis, Vec<Endpoint>)>,
}

impl Source {
    /// Applies the endpoint changes kube-proxy has seen by `now`.
    fn sync_view(&mut self, now: Millis) {
        while self.pending.front().is_some_and(|(at, _)| *at <= now) {
            if let Some((_, eps)) = self.pending.pop_front() {
                self.view = eps;
            }
        }
    }

    fn snapshot(&self, key: &(String, String)) -> TrafficSnapshot {
        TrafficSnapshot {
            namespace: key.0.clone(),
            service: key.1.clone(),
            rate: self.rate,
            sent: self.sent,
            ok: self.ok,
            failed: self.failed,
            by_pod: self
                .by_pod
                .iter()
                .map(|(pod, &(ok, failed))| PodTraffic { pod: pod.clone(), ok, failed })
                .collect(),
            last_failure: self.last_failure.clone(),
            failing: self.spell.is_some(),
        }
    }
}

/// Every traffic source of a Sim.
#[derive(Clone, Debug, Default)]
pub(crate) struct TrafficState {
    sources: crate::core::store::Store<Source>,
    /// Source ids with a live timer chain, to their Service (one per
    /// running source: a few, searched linearly).
    ids: Vec<(u32, (String, String))>,
    next_id: u32,
    changes: VecDeque<TrafficChange>,
}

impl TrafficState {
    fn push_change(&mut self, change: TrafficChange) {
        if self.changes.len() >= MAX_CHANGES {
            self.changes.pop_front();
        }
        self.changes.push_back(change);
    }
}

impl Sim {
    /// Every traffic source's counters, by namespace and Service name.
    pub fn traffic(&self) -> Vec<TrafficSnapshot> {
        self.traffic.sources.iter().map(|(k, s)| s.snapshot(k)).collect()
    }

    /// The oldest traffic change not yet read.
    pub fn poll_traffic(&mut self) -> Option<TrafficChange> {
        self.traffic.changes.pop_front()
    }

    /// The `traffic svc/NAME RATE|off` action: starts, re-rates or stops the
    /// source. Counters are kept across rate changes.
    pub(crate) fn set_traffic(&mut self, namespace: &str, name: &str, rate: Option<Rate>) -> Result<(), ActionError> {
        let key = (namespace.to_string(), name.to_string());
        let Some(svc) = self.services.get(&key) else {
            return Err(ActionError(format!("services \"{name}\" not found")));
        };
        let Some(target) = traffic_target(svc) else {
            return Err(ActionError(format!(
                "podplay sends traffic to a Service's cluster IP and port; service/{name} has none (headless or without ports)"
            )));
        };
        let endpoints = svc.endpoints.clone();
        match rate {
            Some(rate) => {
                // A source started by an action begins in sync with the
                // EndpointSlice (as if kube-proxy had long seen it).
                self.ensure_source(&key, endpoints);
                self.start_source(&key, rate, self.now(), target);
            }
            None => self.stop_source(&key),
        }
        Ok(())
    }

    /// A Service created with the traffic annotation gets a source that
    /// waits until kube-proxy knows one of its endpoints as ready.
    pub(crate) fn traffic_from_annotation(&mut self, key: &(String, String)) {
        let Some(svc) = self.services.get(key) else { return };
        let Some(value) = svc.svc.metadata.annotations.get(TRAFFIC_ANNOTATION) else { return };
        let name = &key.1;
        match Rate::parse(value) {
            Err(e) => self.note(format!("{TRAFFIC_ANNOTATION} on service/{name}: {e}; no traffic is sent")),
            Ok(None) => {}
            Ok(Some(rate)) => {
                if traffic_target(svc).is_none() {
                    self.note(format!("{TRAFFIC_ANNOTATION} on service/{name}: the Service has no cluster IP and port; no traffic is sent"));
                    return;
                }
                let endpoints = svc.endpoints.clone();
                let ready = endpoints.iter().any(|e| e.ready);
                self.ensure_source(key, endpoints);
                if let Some(s) = self.traffic.sources.get_mut(key) {
                    s.rate = Some(rate);
                    s.waiting = true;
                }
                if ready {
                    self.wake_source(key);
                }
            }
        }
    }

    /// The EndpointSlice controller changed a Service's endpoints: kube-proxy
    /// applies the change [`PROXY_SYNC_DELAY_MS`] later.
    pub(crate) fn traffic_endpoints_changed(&mut self, key: &(String, String), endpoints: &[Endpoint]) {
        let now = self.now();
        let Some(s) = self.traffic.sources.get_mut(key) else { return };
        s.sync_view(now);
        if s.pending.len() >= MAX_PENDING {
            if let Some((_, eps)) = s.pending.pop_front() {
                s.view = eps;
            }
        }
        s.pending.push_back((now.saturating_add(PROXY_SYNC_DELAY_MS), endpoints.to_vec()));
        if s.waiting && endpoints.iter().any(|e| e.ready) {
            self.wake_source(key);
        }
    }

    /// Starts an annotation's waiting source when kube-proxy knows the ready
    /// endpoint (the latest change is applied `PROXY_SYNC_DELAY_MS` from now).
    fn wake_source(&mut self, key: &(String, String)) {
        let Some(s) = self.traffic.sources.get_mut(key) else { return };
        let Some(rate) = s.rate else { return };
        s.waiting = false;
        let start = match s.pending.back() {
            Some((at, _)) => *at,
            None => self.now(),
        };
        let target = self.services.get(key).and_then(traffic_target).unwrap_or_default();
        self.start_source(key, rate, start, target);
    }

    fn ensure_source(&mut self, key: &(String, String), endpoints: Vec<Endpoint>) {
        if self.traffic.sources.contains_key(key) {
            return;
        }
        let rng = Rng::derive(self.seed, &format!("traffic/{}/{}", key.0, key.1));
        self.traffic.sources.insert(
            key.clone(),
            Source {
                id: 0,
                rate: None,
                waiting: false,
                started_ms: self.now(),
                n: 0,
                rng,
                sent: 0,
                ok: 0,
                failed: 0,
                by_pod: crate::core::store::Store::new(),
                last_failure: None,
                spell: None,
                view: endpoints,
                pending: VecDeque::new(),
            },
        );
    }

    /// (Re)starts a source's timer chain at `rate` from `start`.
    fn start_source(&mut self, key: &(String, String), rate: Rate, start: Millis, target: String) {
        self.traffic.next_id = self.traffic.next_id.wrapping_add(1);
        let id = self.traffic.next_id;
        let Some(s) = self.traffic.sources.get_mut(key) else { return };
        let old = s.id;
        self.traffic.ids.retain(|(i, _)| *i != old);
        s.id = id;
        s.rate = Some(rate);
        s.waiting = false;
        s.started_ms = start;
        s.n = 0;
        let first = rate.at(start, 0);
        self.traffic.ids.push((id, key.clone()));
        self.traffic.push_change(TrafficChange {
            time_ms: start,
            namespace: key.0.clone(),
            service: key.1.clone(),
            kind: TrafficChangeKind::Started { rate, target },
        });
        self.schedule_traffic(first, id);
    }

    fn stop_source(&mut self, key: &(String, String)) {
        let now = self.now();
        let Some(s) = self.traffic.sources.get_mut(key) else { return };
        if s.rate.is_none() {
            return;
        }
        s.rate = None;
        if std::mem::take(&mut s.waiting) {
            // An annotation's client that never started: nothing to report.
            return;
        }
        let id = s.id;
        // Still failing when stopped: the spell so far.
        let failing = s.spell.take().map(|sp| (sp.since_ms, s.failed - sp.failed_before, s.sent - sp.sent_before));
        self.traffic.ids.retain(|(i, _)| *i != id);
        let (namespace, service) = key.clone();
        self.traffic.push_change(TrafficChange {
            time_ms: now,
            namespace,
            service,
            kind: TrafficChangeKind::Stopped { failing },
        });
    }

    fn schedule_traffic(&mut self, at: Millis, id: u32) {
        self.clock.schedule(at, Target::Traffic(id));
    }

    /// One request of source `id`, then the timer for the next.
    pub(crate) fn traffic_request(&mut self, id: u32) {
        let Some(key) = self.traffic.ids.iter().find(|(i, _)| *i == id).map(|(_, k)| k.clone()) else { return };
        let now = self.now();
        let port = self.services.get(&key).and_then(|s| s.svc.spec.ports.first()).map(|p| p.port);
        let Some(s) = self.traffic.sources.get_mut(&key) else { return };
        s.sync_view(now);
        // `CategorizeEndpoints`: the ready endpoints, else the serving
        // terminating ones; then one at random (iptables mode).
        let view = std::mem::take(&mut s.view);
        let ready = |e: &Endpoint| e.ready;
        let fallback = |e: &Endpoint| e.serving && e.terminating;
        let usable: &dyn Fn(&Endpoint) -> bool = if view.iter().any(ready) { &ready } else { &fallback };
        let n = view.iter().filter(|e| usable(e)).count();
        let pick = match n {
            0 => None,
            n => view.iter().filter(|e| usable(e)).nth(s.rng.below(n as u64) as usize),
        };
        let outcome = match (pick, port) {
            (Some(e), Some(port)) => self.request_outcome(&key, port, &e.pod_name, e.ip),
            _ => Err(Failure::NoEndpoints),
        };
        self.count(&key, pick.map(|e| e.pod_name.as_str()), outcome);
        let Some(s) = self.traffic.sources.get_mut(&key) else { return };
        s.view = view;
        let Some(rate) = s.rate else { return };
        s.n += 1;
        let next = rate.at(s.started_ms, s.n);
        self.schedule_traffic(next, id);
    }

    /// What the Pod `pod` (at `ip`, as kube-proxy knows it) does with a GET
    /// for `/` sent to the Service's `port`.
    fn request_outcome(
        &self,
        key: &(String, String),
        port: i32,
        pod: &str,
        ip: std::net::Ipv4Addr,
    ) -> Result<(), Failure> {
        let Some(slot) = self.pods.slot(&key.0, pod) else {
            // The Pod is gone: nothing holds the IP any more.
            return Err(Failure::Timeout);
        };
        let Some(p) = self.pod_rt(slot) else { return Err(Failure::Timeout) };
        if p.status.pod_ip != Some(ip) || self.node_stopped(p.node) {
            return Err(Failure::Timeout);
        }
        let Some((slot, target_port)) = env::service_backend(self, key, port, pod) else {
            return Err(Failure::Refused);
        };
        match env::serve_http(self, slot, target_port, "/", self.now(), false) {
            HttpOutcome::Status(code, _) if code < 500 => Ok(()),
            HttpOutcome::Status(code, _) => Err(Failure::Status(code)),
            HttpOutcome::Refused | HttpOutcome::NoHost => Err(Failure::Refused),
            HttpOutcome::Timeout => Err(Failure::Timeout),
        }
    }

    fn count(&mut self, key: &(String, String), pod: Option<&str>, outcome: Result<(), Failure>) {
        let now = self.now();
        let Some(s) = self.traffic.sources.get_mut(key) else { return };
        s.sent += 1;
        if let Some(pod) = pod {
            if !s.by_pod.contains_key(pod) && s.by_pod.len() < MAX_PODS_TRACKED {
                s.by_pod.insert(pod.to_string(), (0, 0));
            }
            if let Some(c) = s.by_pod.get_mut(pod) {
                match outcome {
                    Ok(()) => c.0 += 1,
                    Err(_) => c.1 += 1,
                }
            }
        }
        let change = match outcome {
            Err(reason) => {
                s.failed += 1;
                let rec = FailedRequest { time_ms: now, pod: pod.map(str::to_string), reason };
                s.last_failure = Some(rec.clone());
                match &mut s.spell {
                    Some(sp) => {
                        sp.sent_at_last = s.sent;
                        None
                    }
                    None => {
                        s.spell = Some(Spell {
                            since_ms: now,
                            sent_before: s.sent - 1,
                            failed_before: s.failed - 1,
                            sent_at_last: s.sent,
                        });
                        Some(TrafficChangeKind::Failing { first: rec })
                    }
                }
            }
            Ok(()) => {
                s.ok += 1;
                let last = s.last_failure.as_ref().map(|f| f.time_ms).unwrap_or(0);
                match s.spell {
                    Some(sp) if now.saturating_sub(last) >= RECOVERY_QUIET_MS => {
                        s.spell = None;
                        Some(TrafficChangeKind::Recovered {
                            since_ms: sp.since_ms,
                            until_ms: last,
                            failed: s.failed - sp.failed_before,
                            sent: sp.sent_at_last - sp.sent_before,
                        })
                    }
                    _ => None,
                }
            }
        };
        if let Some(kind) = change {
            self.traffic.push_change(TrafficChange {
                time_ms: now,
                namespace: key.0.clone(),
                service: key.1.clone(),
                kind,
            });
        }
    }
}

/// `CLUSTER-IP:PORT` of a Service traffic can go to: one with a cluster IP
/// and a port (the first is used).
fn traffic_target(svc: &super::ServiceRt) -> Option<String> {
    let ip = svc.cluster_ip?;
    let port = svc.svc.spec.ports.first()?.port;
    Some(format!("{ip}:{port}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_and_print() {
        assert_eq!(Rate::parse("10/s").unwrap(), Some(Rate { count: 10, per_ms: 1000 }));
        assert_eq!(Rate::parse("30/m").unwrap(), Some(Rate { count: 30, per_ms: 60_000 }));
        assert_eq!(Rate::parse(" 100/h ").unwrap().unwrap().to_string(), "100/h");
        assert_eq!(Rate::parse("off").unwrap(), None);
        assert_eq!(Rate::parse("0/s").unwrap(), None);
        assert!(Rate::parse("1001/s").unwrap_err().contains("at most 1000"));
        assert!(Rate::parse("10").is_err());
        assert!(Rate::parse("ten/s").is_err());
        assert!(Rate::parse("10/d").is_err());
        assert!(Rate::parse("-1/s").is_err());
        assert!(Rate::parse("99999999999999999999/s").is_err());
    }

    #[test]
    fn requests_are_evenly_spaced_without_drift() {
        let r = Rate { count: 3, per_ms: 1000 };
        let times: Vec<Millis> = (0..6).map(|n| r.at(500, n)).collect();
        assert_eq!(times, vec![833, 1166, 1500, 1833, 2166, 2500]);
    }
}

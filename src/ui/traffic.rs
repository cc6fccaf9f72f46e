//! A Service card: its endpoints as arrows from the Service to each Pod
//! (solid and flowing to the Pods that get requests, dashed to the ones that
//! do not, said in words too), the simulated client traffic's counters, and
//! the Send traffic toggle with its rate.

use super::Shared;
use crate::core::engine::TrafficSnapshot;
use crate::core::status::{EndpointSliceSnapshot, ServiceSnapshot};
use crate::play::traffic::{failure_rate, failure_words, routes, traffic_action, EndpointRow, RATES};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ServiceProps {
    pub service: Shared<ServiceSnapshot>,
    pub slice: Option<Shared<EndpointSliceSnapshot>>,
    /// The counters as they are now (read every throttled tick).
    pub traffic: Option<TrafficSnapshot>,
    /// One of its endpoints' Pods replaced another a moment ago.
    #[prop_or_default]
    pub replaced: bool,
    pub on_act: Callback<String>,
}

#[function_component(ServiceCard)]
pub fn service_card(props: &ServiceProps) -> Html {
    let s = &*props.service;
    let meta = &s.service.metadata;
    let name = meta.name.clone();
    let ports = s.service.spec.ports.iter().map(|p| format!("{}/{}", p.port, p.protocol)).collect::<Vec<_>>().join(",");
    let ip = s.cluster_ip.map_or("None".to_string(), |ip| ip.to_string());
    let t = props.traffic.as_ref();
    let rate = t.and_then(|t| t.rate).map(|r| r.to_string());
    let on = rate.is_some();
    let failing = t.is_some_and(|t| t.failing);
    let chosen = use_state(|| rate.clone().unwrap_or_else(|| "10/s".to_string()));
    // Traffic goes to a cluster IP and port, and only a selector gives endpoints.
    let can_send = s.cluster_ip.is_some() && !s.service.spec.ports.is_empty() && props.slice.is_some();
    let toggle = {
        let (on_act, ns, name, chosen) = (props.on_act.clone(), meta.namespace.clone(), name.clone(), chosen.clone());
        Callback::from(move |_: MouseEvent| on_act.emit(traffic_action(&ns, &name, (!on).then_some(chosen.as_str()))))
    };
    let on_rate = {
        let (on_act, ns, name, chosen) = (props.on_act.clone(), meta.namespace.clone(), name.clone(), chosen.clone());
        Callback::from(move |e: Event| {
            use wasm_bindgen::JsCast;
            let Some(sel) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) else { return };
            let value = sel.value();
            if on {
                on_act.emit(traffic_action(&ns, &name, Some(&value)));
            }
            chosen.set(value);
        })
    };
    let shown_rate = rate.clone().unwrap_or_else(|| (*chosen).clone());
    let mut options: Vec<String> = RATES.iter().map(|r| r.to_string()).collect();
    if !options.contains(&shown_rate) {
        options.push(shown_rate.clone());
    }
    html! {
        <section class={classes!("service", on.then_some("flowing"), failing.then_some("failing"))}
            aria-label={format!("Service {name}")} data-testid={format!("service-{name}")} data-service-key={format!("{}/{name}", meta.namespace)}>
            <h2><span aria-hidden="true">{"⇄ "}</span>{ format!("Service {name}") }{ super::cluster::ns_tag(&meta.namespace) }
                <span class="muted">{ format!(" · {ip} · {ports}") }</span></h2>
            if props.replaced && s.cluster_ip.is_some() {
                { super::pod_notes::explain_list(&[format!("ClusterIP {ip} stayed the same while a Pod behind it was replaced with a new IP: clients use this address (or the name {name}), never a Pod's")], "cluster-ip-note") }
            }
            if can_send {
                <div class="traffic-controls" role="group" aria-label={format!("Traffic to Service {name}")}>
                    <button class={classes!("traffic-toggle", on.then_some("on"))} onclick={toggle} aria-pressed={on.to_string()} data-testid="traffic-toggle"
                        title="A simulated client sends GET / to the Service's cluster IP and first port">
                        { if on { "■ Stop traffic" } else { "▶ Send traffic" } }
                    </button>
                    <label class="field-inline">{"Rate "}
                        <select onchange={on_rate} data-testid="traffic-rate">
                            { for options.iter().map(|r| html! { <option value={r.clone()} selected={*r == shown_rate}>{ format!("{r} requests") }</option> }) }
                        </select>
                    </label>
                </div>
            }
            if let Some(t) = t { { counters(t) } }
            if let Some(slice) = &props.slice {
                { endpoint_fan(slice, t, on) }
            } else {
                <p class="muted">{"No selector: endpoints are managed by hand."}</p>
            }
        </section>
    }
}

/// Sent, succeeded, failed, the failure rate, the state now and the last failure.
fn counters(t: &TrafficSnapshot) -> Html {
    let (icon, state) = match (t.failing, t.rate) {
        (true, _) => ("▲", "Failing now".to_string()),
        (false, Some(r)) if t.sent == 0 => ("◌", format!("Sending {r}: no request yet")),
        (false, Some(r)) => ("●", format!("Sending {r}; requests succeeding")),
        (false, None) => ("○", "Traffic off".to_string()),
    };
    let cell = |label: &'static str, value: String, testid: &'static str| {
        html! { <div><dt>{ label }</dt><dd data-testid={testid}>{ value }</dd></div> }
    };
    html! {
        <div class="traffic" data-testid="traffic">
            <p class={classes!("traffic-state", t.failing.then_some("bad"))} data-testid="traffic-state">
                <span aria-hidden="true">{ icon }</span>{ " " }{ state }
            </p>
            <dl class="traffic-counters">
                { cell("Sent", t.sent.to_string(), "sent") }
                { cell("Succeeded", t.ok.to_string(), "ok") }
                { cell("Failed", t.failed.to_string(), "failed") }
                { cell("Failure rate", failure_rate(t.sent, t.failed), "failure-rate") }
            </dl>
            if let Some(f) = &t.last_failure {
                <p class="last-failure" data-testid="last-failure">{ format!("Last failure {}", failure_words(f)) }</p>
            }
        </div>
    }
}

/// One arrow per endpoint from the Service's trunk, then the Pods that got
/// requests earlier but are endpoints no more.
fn endpoint_fan(slice: &EndpointSliceSnapshot, t: Option<&TrafficSnapshot>, on: bool) -> Html {
    let r = routes(slice, t);
    let counts =
        |ok: u64, failed: u64| if t.is_some() { format!(" · served {ok} ok, {failed} failed") } else { String::new() };
    html! {
        <>
            if r.endpoints.is_empty() {
                <p class="muted">{"No endpoints: no Pod matches the selector."}</p>
            }
            <ul class="endpoints" aria-label="Endpoints">
                { for r.endpoints.iter().map(|e: &EndpointRow| html! {
                    <li class={classes!(format!("ep-{}", e.route.as_str()), e.route.gets_traffic().then_some("gets"))} key={e.pod.clone()} data-testid="endpoint">
                        { arrow(e.route.gets_traffic(), on) }
                        <span class="ep-text">
                            { format!("{} ", e.address) }
                            <span class="ep-pod">{ format!("({}) ", e.pod) }</span>
                            <span class="ep-route">{ e.route.words() }</span>
                            <span class="ep-count" data-testid="served">{ counts(e.ok, e.failed) }</span>
                        </span>
                    </li>
                }) }
            </ul>
            if !r.earlier.is_empty() {
                <p class="earlier muted">
                    {"No longer endpoints: "}
                    { r.earlier.iter().map(|(pod, ok, failed)| format!("{pod} ({ok} ok, {failed} failed)")).collect::<Vec<_>>().join(", ") }
                    if r.earlier_more > 0 { { format!(" and {} more", r.earlier_more) } }
                </p>
            }
        </>
    }
}

/// The arrow to one endpoint: solid with a filled head when it gets
/// requests (moving while traffic flows), dashed and hollow when not.
fn arrow(gets: bool, on: bool) -> Html {
    html! {
        <svg class={classes!("ep-arrow", (gets && on).then_some("flow"))} viewBox="0 0 36 10" width="36" height="10" aria-hidden="true">
            <line x1="0" y1="5" x2="28" y2="5" />
            <path d="M28 1.5 L35 5 L28 8.5 Z" />
        </svg>
    }
}

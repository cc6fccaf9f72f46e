//! Issue 15: a probe's `host`. The kubelet dials it from the node's network
//! namespace (pkg/probe/http/request.go `GetProbeUrl`: the Pod's IP only
//! when `host` is empty; pkg/kubelet/prober/prober.go `runProbe` for
//! tcpSocket), so kubernetes.io's konnectivity server
//! (admin/konnectivity/konnectivity-server.yaml, `hostNetwork: true`,
//! liveness `httpGet` on `host: 127.0.0.1`, port 8134) is healthy, and
//! the same probe on a Pod with its own network finds nothing listening.

mod common;
use common::sim_with;
use podplay::core::engine::Sim;

const KONNECTIVITY: &str = include_str!("fixtures/konnectivity-server.yaml");

fn unhealthy(sim: &Sim) -> Vec<String> {
    sim.events().iter().filter(|e| e.reason == "Unhealthy").map(|e| e.message.clone()).collect()
}

#[test]
fn the_konnectivity_server_is_live_on_127_0_0_1_with_host_network() {
    let mut sim = sim_with(KONNECTIVITY);
    sim.advance_to(300_000);
    let p = sim.pod("kube-system", "konnectivity-server").unwrap();
    assert_eq!(p.status.container_statuses[0].restart_count, 0);
    assert!(unhealthy(&sim).is_empty(), "{:?}", unhealthy(&sim));
}

#[test]
fn a_loopback_probe_of_a_pod_network_pod_is_refused() {
    let mut sim = sim_with(&KONNECTIVITY.replace("hostNetwork: true", "hostNetwork: false"));
    sim.advance_to(60_000);
    assert_eq!(
        unhealthy(&sim)[0],
        "Liveness probe failed: Get \"http://127.0.0.1:8134/healthz\": dial tcp 127.0.0.1:8134: connect: connection refused"
    );
}

/// An IP literal is dialled, not looked up; a name is looked up (podplay's
/// node resolves none).
#[test]
fn a_probe_host_is_dialled_as_an_address_or_looked_up_as_a_name() {
    let pod = |host: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: web}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    readinessProbe:\n      httpGet: {{host: {host}, port: 80, path: /}}\n"
        )
    };
    let mut sim = sim_with(&pod("example.invalid"));
    sim.advance_to(30_000);
    assert_eq!(
        unhealthy(&sim)[0],
        "Readiness probe failed: Get \"http://example.invalid:80/\": dial tcp: lookup example.invalid: no such host"
    );
    // The Pod's own address (10.244.x.y, assigned by the node's IPAM).
    let mut sim = sim_with(&pod("example.invalid"));
    sim.advance_to(5_000);
    let ip = sim.pod("default", "web").unwrap().status.pod_ip.unwrap().to_string();
    let mut sim = sim_with(&pod(&ip));
    sim.advance_to(30_000);
    assert!(unhealthy(&sim).is_empty(), "{:?}", unhealthy(&sim));
    assert!(sim.pod("default", "web").unwrap().status.is_ready());
}

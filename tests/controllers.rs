//! The ReplicaSet and Deployment controllers through the engine API.

mod common;
use common::{act, sim_with};
use podplay::core::engine::Sim;
use podplay::core::manifest::parse_manifests;
use podplay::examples;
use podplay::session::parse_action;

#[test]
fn a_replaced_pod_has_a_new_name_and_ip_and_the_endpoints_follow() {
    let mut sim = sim_with(examples::find("deployment").unwrap().yaml);
    sim.advance_to(20_000);
    let before = sim.pods();
    assert_eq!(before.len(), 3);
    let victim = before[0].clone();
    let old_ip = victim.status.pod_ip.expect("an IP");
    let owner = victim.controller().expect("owned by its ReplicaSet");
    assert_eq!(owner.kind, "ReplicaSet");
    assert!(victim.pod.metadata.name.starts_with(&format!("{}-", owner.name)));
    act(&mut sim, &format!("delete pod/{}", victim.pod.metadata.name));
    sim.advance_to(60_000);
    let after = sim.pods();
    assert_eq!(after.len(), 3);
    assert!(after.iter().all(|p| p.pod.metadata.name != victim.pod.metadata.name));
    assert!(after.iter().all(|p| p.status.pod_ip != Some(old_ip)), "the old IP is not handed straight back");
    let slice = sim.endpoint_slices().into_iter().next().expect("the Service's slice");
    let ready: Vec<_> = slice.endpoints.iter().filter(|e| e.ready).map(|e| e.ip).collect();
    assert_eq!(ready.len(), 3);
    assert!(!ready.contains(&old_ip));
}

#[test]
fn deployment_status_and_revisions_follow_a_rollout() {
    let mut sim = sim_with(examples::find("deployment").unwrap().yaml);
    sim.advance_to(20_000);
    let d = &sim.deployments()[0];
    assert_eq!(d.status.available_replicas, 3);
    assert_eq!(
        d.deployment.metadata.annotations.get("deployment.kubernetes.io/revision").map(String::as_str),
        Some("1")
    );
    let progressing = d.status.condition("Progressing").expect("Progressing");
    assert_eq!(progressing.reason, "NewReplicaSetAvailable");
    act(&mut sim, "set image deployment/nginx-deployment nginx=nginx:1.16.1");
    sim.advance_to(25_000);
    let d = &sim.deployments()[0];
    assert_eq!(d.generation, 2);
    assert_eq!(d.status.condition("Progressing").unwrap().reason, "ReplicaSetUpdated");
    sim.advance_to(120_000);
    let d = &sim.deployments()[0];
    assert_eq!(
        d.deployment.metadata.annotations.get("deployment.kubernetes.io/revision").map(String::as_str),
        Some("2")
    );
    assert_eq!((d.status.updated_replicas, d.status.available_replicas), (3, 3));
    let rss = sim.replica_sets();
    assert_eq!(rss.len(), 2);
    let replicas: Vec<i32> = rss.iter().map(|r| r.replica_set.spec.replicas).collect();
    assert!(replicas.contains(&3) && replicas.contains(&0));
    for p in sim.pods() {
        assert_eq!(p.pod.spec.containers[0].image, "nginx:1.16.1");
    }
}

#[test]
fn min_ready_seconds_delays_availability() {
    let yaml = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web}\nspec:\n  replicas: 2\n  minReadySeconds: 10\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: busybox:1.36, command: [sleep, '3600']}]\n";
    let mut sim = sim_with(yaml);
    sim.advance_to(5_000);
    let rs = &sim.replica_sets()[0];
    assert_eq!((rs.status.ready_replicas, rs.status.available_replicas), (2, 0));
    sim.advance_to(15_000);
    let rs = &sim.replica_sets()[0];
    assert_eq!(rs.status.available_replicas, 2, "available minReadySeconds after Ready");
}

#[test]
fn scaling_a_replica_set_owned_by_a_deployment_is_undone() {
    let mut sim = sim_with(examples::find("deployment").unwrap().yaml);
    sim.advance_to(10_000);
    let rs = sim.replica_sets()[0].replica_set.metadata.name.clone();
    act(&mut sim, &format!("scale replicaset/{rs} --replicas=1"));
    sim.advance_to(30_000);
    assert_eq!(sim.replica_sets()[0].replica_set.spec.replicas, 3);
    assert_eq!(sim.pods().iter().filter(|p| p.server.deletion_ms.is_none()).count(), 3);
}

#[test]
fn unknown_controllers_are_errors() {
    let mut sim = sim_with(examples::find("deployment").unwrap().yaml);
    let err = sim.act(&parse_action("scale deployment/nope --replicas=2").unwrap()).unwrap_err();
    assert_eq!(err.0, "deployments.apps \"nope\" not found");
    let err = sim.act(&parse_action("set image deployment/nginx-deployment web=nginx").unwrap()).unwrap_err();
    assert_eq!(err.0, "unable to find container named \"web\"");
    let err = sim.act(&parse_action("scale deployment/nginx-deployment --replicas=2000000000").unwrap()).unwrap_err();
    assert!(err.0.contains("between 0 and 100000"), "{}", err.0);
    let huge = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web}\nspec:\n  replicas: 2147483647\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n";
    assert!(parse_manifests(huge).has_errors());
}

#[test]
fn a_stuck_rollout_exceeds_its_progress_deadline() {
    let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  progressDeadlineSeconds: 60\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n";
    let mut sim = sim_with(yaml);
    sim.advance_to(20_000);
    act(&mut sim, "set image deployment/web web=ngnix:1.27");
    sim.advance_to(70_000);
    let d = &sim.deployments()[0];
    assert_eq!(d.status.condition("Progressing").unwrap().reason, "ReplicaSetUpdated");
    sim.advance_to(90_000);
    let d = &sim.deployments()[0];
    let c = d.status.condition("Progressing").unwrap();
    assert_eq!((c.status, c.reason.as_str()), (false, "ProgressDeadlineExceeded"));
    assert!(c.message.ends_with("has timed out progressing."), "{}", c.message);
    // Available stays true: the old Pods still serve.
    assert!(d.status.condition("Available").unwrap().status);
}

#[test]
fn scaling_in_the_middle_of_a_rollout_is_proportional() {
    let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 10\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n";
    let mut sim = sim_with(yaml);
    sim.advance_to(20_000);
    act(&mut sim, "set image deployment/web web=ngnix:1.27");
    sim.advance_to(40_000);
    let sizes = |sim: &Sim| {
        let mut v: Vec<(String, i32)> = sim
            .replica_sets()
            .iter()
            .map(|r| (r.replica_set.spec.template.spec.containers[0].image.clone(), r.replica_set.spec.replicas))
            .collect();
        v.sort();
        v
    };
    // Stuck: maxSurge 3, maxUnavailable 2 of 10.
    assert_eq!(sizes(&sim), vec![("nginx:1.27".to_string(), 8), ("ngnix:1.27".to_string(), 5)]);
    act(&mut sim, "scale deployment/web --replicas=20");
    sim.advance_to(45_000);
    // 25 allowed (20 + 5 surge), spread 8:5 over the 13 there were.
    assert_eq!(sizes(&sim), vec![("nginx:1.27".to_string(), 15), ("ngnix:1.27".to_string(), 10)]);
    let events: Vec<String> =
        sim.events().iter().filter(|e| e.reason == "ScalingReplicaSet").map(|e| e.message.clone()).collect();
    assert!(events.iter().any(|m| m.ends_with("from 8 to 15")), "{events:?}");
    assert!(events.iter().any(|m| m.ends_with("from 5 to 10")), "{events:?}");
}

#[test]
fn rollout_undo_returns_to_the_previous_template_as_a_new_revision() {
    let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 4\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n";
    let mut sim = sim_with(yaml);
    let undo = parse_action("rollout undo deployment/web").unwrap();
    sim.advance_to(10_000);
    assert_eq!(sim.act(&undo).unwrap_err().0, "no rollout history found for deployment \"web\"");
    act(&mut sim, "set image deployment/web web=ngnix:1.28");
    sim.advance_to(30_000);
    act(&mut sim, "rollout undo deployment/web");
    sim.advance_to(60_000);
    let d = &sim.deployments()[0];
    assert_eq!(d.deployment.spec.template.spec.containers[0].image, "nginx:1.27");
    assert_eq!(
        d.deployment.metadata.annotations.get("deployment.kubernetes.io/revision").map(String::as_str),
        Some("3")
    );
    assert_eq!(d.status.available_replicas, 4);
    let err = sim.act(&parse_action("rollout undo deployment/web --to-revision=7").unwrap()).unwrap_err();
    assert_eq!(err.0, "unable to find specified revision 7 in history");
    act(&mut sim, "rollout pause deployment/web");
    assert_eq!(sim.act(&undo).unwrap_err().0.split(';').next(), Some("you cannot rollback a paused deployment"));
    let err = sim.act(&parse_action("rollout pause deployment/web").unwrap()).unwrap_err();
    assert_eq!(err.0, "deployments.apps \"web\" is already paused");
}

#[test]
fn many_similar_events_are_combined_as_the_event_aggregator_does() {
    let mut sim = sim_with(examples::find("deployment").unwrap().yaml);
    sim.advance_to(10_000);
    act(&mut sim, "scale deployment/nginx-deployment --replicas=15");
    sim.advance_to(20_000);
    let creates: Vec<_> = sim.events().iter().filter(|e| e.reason == "SuccessfulCreate").collect();
    // 9 distinct messages, then one combined event counting the other 6.
    assert_eq!(creates.len(), 10);
    let combined = creates
        .iter()
        .find(|e| e.message.starts_with("(combined from similar events): Created pod: "))
        .expect("combined");
    assert_eq!(combined.count, 6);
}

#[test]
fn kubectl_rows_and_api_json() {
    use podplay::core::{json, kubectl};
    let mut sim = sim_with(examples::find("deployment").unwrap().yaml);
    sim.advance_to(3_000);
    let d = &sim.deployments()[0];
    assert_eq!(kubectl::deployment_row(d, 3_000, false), vec!["nginx-deployment", "0/3", "3", "0", "3s"]);
    sim.advance_to(65_000);
    let d = &sim.deployments()[0];
    assert_eq!(
        kubectl::deployment_row(d, 65_000, true),
        vec!["nginx-deployment", "3/3", "3", "3", "65s", "nginx", "nginx:1.14.2", "app=nginx"]
    );
    let rs = &sim.replica_sets()[0];
    let row = kubectl::replicaset_row(rs, 65_000, false);
    assert_eq!(row[1..], ["3", "3", "3", "65s"]);
    let v = json::deployment_json(d);
    let meta_keys: Vec<&str> = v["metadata"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        meta_keys,
        ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "labels", "annotations"]
    );
    assert_eq!(v["status"]["conditions"][1]["reason"], "NewReplicaSetAvailable");
    let v = json::replicaset_json(rs);
    assert_eq!(v["metadata"]["ownerReferences"][0]["kind"], "Deployment");
    assert_eq!(
        v["spec"]["template"]["metadata"]["labels"]["pod-template-hash"],
        rs.replica_set.metadata.labels["pod-template-hash"].as_str()
    );
    let pod = &sim.pods()[0];
    let v = json::pod_json(pod);
    assert_eq!(v["metadata"]["generateName"], format!("{}-", rs.replica_set.metadata.name));
    assert_eq!(v["metadata"]["ownerReferences"][0]["name"], rs.replica_set.metadata.name.as_str());
}

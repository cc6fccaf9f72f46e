//! bash indexed arrays and BusyBox `rev` in containers, as kubernetes.io's
//! "Indexed Job for Parallel Processing with Static Work Assignment" task
//! uses them: a `docker.io/library/bash` init container picks its item with
//! `${items[$JOB_COMPLETION_INDEX]}` (bash manual, "Arrays") and a busybox
//! worker runs `rev` on it. `sh` in the busybox image is ash, which has no
//! arrays.

mod common;
use common::sim_with;
use podplay::core::status::PodPhase;

/// An Indexed Job of 4 whose init container runs `shell -c script` in
/// `image` and writes /input/data.txt, reversed by a busybox `rev` worker.
fn job(image: &str, shell: &str, script: &str) -> String {
    format!(
        r#"apiVersion: batch/v1
kind: Job
metadata: {{name: words}}
spec:
  completions: 4
  parallelism: 2
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: pick
        image: {image}
        command: ["{shell}", "-c", "{script}"]
        volumeMounts: [{{name: input, mountPath: /input}}]
      containers:
      - name: worker
        image: busybox:1.36
        command: ["rev", "/input/data.txt"]
        volumeMounts: [{{name: input, mountPath: /input}}]
      volumes: [{{name: input, emptyDir: {{}}}}]
"#
    )
}

#[test]
fn a_bash_array_picks_each_index_item_and_rev_reverses_it() {
    let script = r#"words=(alpha 'two words' \"$HOSTNAME\")\nwords[3]=last\necho \"${words[$JOB_COMPLETION_INDEX]} of ${#words[@]} ${words[-1]}\" > /input/data.txt"#;
    let mut sim = sim_with(&job("docker.io/library/bash:5.2", "bash", script));
    sim.advance_to(120_000);
    let mut got = Vec::new();
    for p in sim.pods() {
        assert_eq!(p.status.phase, PodPhase::Succeeded, "{}", p.pod.metadata.name);
        let ix = p.pod.metadata.annotations["batch.kubernetes.io/job-completion-index"].clone();
        let logs = sim.logs("default", &p.pod.metadata.name, "worker").unwrap();
        got.push((ix, logs));
    }
    got.sort();
    let lines: Vec<(&str, Vec<&str>)> =
        got.iter().map(|(ix, l)| (ix.as_str(), l.iter().map(String::as_str).collect())).collect();
    assert_eq!(
        lines,
        vec![
            ("0", vec!["tsal 4 fo ahpla"]),
            ("1", vec!["tsal 4 fo sdrow owt"]),
            ("2", vec!["tsal 4 fo 2-sdrow"]),
            ("3", vec!["tsal 4 fo tsal"]),
        ]
    );
}

#[test]
fn ash_refuses_the_array_so_the_init_container_fails() {
    let script = r#"words=(alpha beta)\necho ${words[$JOB_COMPLETION_INDEX]} > /input/data.txt"#;
    let mut sim =
        sim_with(&job("busybox:1.36", "sh", script).replace("completions: 4", "completions: 1\n  backoffLimit: 0"));
    sim.advance_to(60_000);
    let pods = sim.pods();
    assert_eq!(pods.len(), 1);
    assert_eq!(pods[0].status.phase, PodPhase::Failed);
    let logs = sim.logs("default", &pods[0].pod.metadata.name, "pick").unwrap();
    assert_eq!(logs, vec!["sh: syntax error: unexpected \"(\""]);
}

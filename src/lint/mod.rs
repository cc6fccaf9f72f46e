//! `podplay lint`: the common mistakes of a first manifest, each with a stable
//! rule id, the line and column it refers to, and why it matters, in the words
//! of the kubernetes.io guidance it comes from.
//!
//! The linter is pure (no web or OS dependencies): it reads the objects that
//! [`parse_manifests_with_tree`] decoded and the YAML tree they came from, and
//! finds the position of any field by its path in that tree
//! ([`Node::at_path`]), so nothing is parsed twice. An object's
//! `metadata.pos` is the position of its node in the tree, which is how an
//! object finds its node.
//!
//! | rule | flags |
//! |------|-------|
//! | `bare-pod` | a `kind: Pod` that no controller owns |
//! | `no-resources` | a container without cpu/memory requests or limits |
//! | `no-probes` | a long-running container with no readiness and no liveness probe |
//! | `unrelated-containers` | containers of one Pod that share no volume and no localhost port |
//! | `latest-tag` | an image with the `latest` tag or no tag |
//! | `no-prestop` | a Deployment behind a Service whose containers have no `preStop` hook |
//!
//! Kinds the linter does not know are skipped; a workload's Pod template is
//! read at `spec.template.spec` (Deployment, ReplicaSet). A finding is
//! silenced by a comment `# podplay:ignore RULE[,RULE…]` (or a bare
//! `# podplay:ignore` for every rule) at the end of its line, or alone on the
//! line above.

use std::collections::BTreeMap;

use crate::core::api::*;
use crate::core::manifest::{parse_manifests_with_tree, Parsed};
use crate::core::yaml::{Node, NodeKind, Stream};

/// One lint rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    BarePod,
    NoResources,
    NoProbes,
    UnrelatedContainers,
    LatestTag,
    NoPreStop,
}

impl Rule {
    /// Every rule, in the order the README lists them.
    pub const ALL: [Rule; 6] =
        [Rule::BarePod, Rule::NoResources, Rule::NoProbes, Rule::UnrelatedContainers, Rule::LatestTag, Rule::NoPreStop];

    /// The stable id, as printed in `warning[ID]` and accepted by
    /// `podplay:ignore` and `--explain`.
    pub fn id(self) -> &'static str {
        match self {
            Rule::BarePod => "bare-pod",
            Rule::NoResources => "no-resources",
            Rule::NoProbes => "no-probes",
            Rule::UnrelatedContainers => "unrelated-containers",
            Rule::LatestTag => "latest-tag",
            Rule::NoPreStop => "no-prestop",
        }
    }

    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// What the rule flags, in a few words.
    pub fn title(self) -> &'static str {
        match self {
            Rule::BarePod => "a bare Pod where a controller belongs",
            Rule::NoResources => "a container without resource requests or limits",
            Rule::NoProbes => "a long-running container with no readiness and no liveness probe",
            Rule::UnrelatedContainers => "unrelated containers in one Pod",
            Rule::LatestTag => "an image with the latest tag or no tag",
            Rule::NoPreStop => "a Pod behind a Service with no preStop hook for rollouts",
        }
    }

    /// Why it matters: one paragraph, grounded in the pages of [`Self::docs`].
    pub fn why(self) -> &'static str {
        match self {
            // Pods concept page, "Working with Pods": "Pods are generally not
            // created directly and are created using workload resources";
            // Configuration best practices, "Naked Pods versus ReplicaSets,
            // Deployments, and Jobs": naked Pods "will not be rescheduled in
            // the event of a node failure"; a Deployment "is almost always
            // preferable to creating Pods directly, except for some explicit
            // restartPolicy: Never scenarios. A Job may also be appropriate."
            Rule::BarePod => {
                "Pods are usually not created directly, even singleton Pods: a workload resource \
                 such as a Deployment creates them. A Pod on its own is bound to its node for its \
                 whole life; if the node fails, or the Pod is evicted or deleted, nothing creates \
                 a replacement (a \"naked\" Pod is not rescheduled). A Deployment keeps the wanted \
                 number of replicas running, replaces lost Pods and rolls out changes; a Job is \
                 the controller for work that runs to completion."
            }
            // Resource management for Pods and containers: the scheduler uses
            // requests; a limit without a request sets the request; Pod QoS
            // classes: BestEffort Pods are evicted first under node pressure.
            Rule::NoResources => {
                "The scheduler places a Pod by its containers' resource requests. A container \
                 without requests counts as needing nothing, so nodes get overcommitted and the \
                 container gets no guaranteed share of CPU or memory; without a memory limit it \
                 can take a node's memory from its neighbours. When no container of a Pod sets \
                 requests or limits, the Pod's QoS class is BestEffort, the first to be evicted \
                 under node pressure. Set requests to what the container needs, and a memory \
                 limit (a limit alone also sets the request to the same value)."
            }
            // Pod lifecycle, "Container probes": a container without a
            // readiness (or liveness) probe counts as Success; liveness,
            // readiness and startup probes concept page.
            Rule::NoProbes => {
                "Without a readinessProbe a container counts as ready as soon as it has started \
                 (a probe that is not defined counts as Success), so its Service sends it traffic \
                 before the application listens, and a rolling update moves on before the new \
                 Pod can serve. Without a livenessProbe the kubelet restarts the container only \
                 when its process exits; a deadlocked process that is still running stays in \
                 place. Add a readinessProbe that checks the application can serve, and a \
                 livenessProbe for failures a restart fixes."
            }
            // Pods concept page, "How Pods manage multiple containers":
            // grouping co-located, co-managed containers in one Pod "is a
            // relatively advanced use case"; use it only when the containers
            // are tightly coupled (they share storage and the network
            // namespace, reaching each other at localhost).
            Rule::UnrelatedContainers => {
                "A Pod's containers are scheduled, scaled, updated and deleted together. Grouping \
                 several containers in one Pod is a relatively advanced use case, meant for \
                 tightly coupled containers that share resources: a sidecar that reads the app's \
                 files from a shared volume, an ambassador the app reaches at localhost. \
                 Containers that share no volume and reach each other on no localhost port look \
                 like separate applications: in one Pod they cannot be scaled, updated or placed \
                 apart. Give each its own Deployment and let them talk through a Service. (podplay \
                 relates two containers when they mount the same volume, or when one mentions \
                 localhost:PORT or 127.0.0.1:PORT in its command, args, env, probes or hooks, or \
                 probes PORT, where PORT is a containerPort of the other.)"
            }
            // Images concept page: no tag means `latest`; "avoid using the
            // :latest tag when deploying containers in production"; with the
            // tag `latest` or none and no imagePullPolicy, the policy is
            // defaulted to Always.
            Rule::LatestTag => {
                "An image without a tag means the tag latest, and latest is only a name for \
                 whatever was pushed last: it is hard to tell which version is running and hard \
                 to roll back, which is why Kubernetes advises against it in production. It also \
                 sets the pull policy: with the tag latest or none and no imagePullPolicy, the \
                 policy defaults to Always, so every container start asks the registry which image \
                 latest is (and fails while the registry is unreachable); with IfNotPresent each node keeps whichever image it \
                 pulled first, so replicas can run different code. Pin a version tag, or a digest \
                 (image@sha256:...)."
            }
            // Pod lifecycle, "Termination of Pods": the kubelet starts the
            // shutdown while, at the same time, the control plane removes the
            // Pod from the Service's EndpointSlices; container lifecycle hooks:
            // preStop runs before TERM is sent, within the grace period;
            // tutorial "Explore Termination Behavior for Pods And Their
            // Endpoints".
            Rule::NoPreStop => {
                "When a rollout or a scale-down deletes a Pod, the kubelet starts shutting it \
                 down while, at the same time, the control plane takes its endpoint out of the \
                 Service's EndpointSlices; kube-proxy on every node, Ingress controllers and load \
                 balancers learn of that a moment later. In that moment they still send new \
                 connections to the Pod, and a server that exits promptly on SIGTERM refuses \
                 them: clients see errors on every rollout. A preStop hook runs before SIGTERM is \
                 sent; a few seconds of sleep there (lifecycle.preStop.sleep.seconds, or an exec \
                 sleep) keeps the server accepting until the removal has propagated. The hook's \
                 time counts against terminationGracePeriodSeconds."
            }
        }
    }

    /// How to fix or silence it, beyond [`Self::why`].
    pub fn fix(self) -> &'static str {
        match self {
            Rule::BarePod => {
                "Wrap the Pod's spec in a Deployment (spec.template.spec) with a selector that \
                 matches the template's labels. podplay does not flag Pods with restartPolicy \
                 Never or OnFailure (run-to-completion work), Pods with metadata.ownerReferences, \
                 or Pods that a ReplicaSet in the same files would adopt."
            }
            Rule::NoResources => {
                "Add resources.requests (cpu, memory) and resources.limits.memory to the \
                 container. Init containers that run to completion are not flagged; native \
                 sidecars (init containers with restartPolicy Always) are."
            }
            Rule::NoProbes => {
                "Add a readinessProbe (and, where a restart helps, a livenessProbe) to the \
                 container. Containers of Pods with restartPolicy Never or OnFailure and init \
                 containers are not flagged."
            }
            Rule::UnrelatedContainers => {
                "Move the unrelated container to a Pod (a Deployment) of its own. If the \
                 containers do talk over localhost, declare the listening port as a \
                 containerPort of the container that serves it, so podplay (and readers) can \
                 see the link."
            }
            Rule::LatestTag => "Write the image as NAME:VERSION (for example nginx:1.27) or NAME@sha256:DIGEST.",
            Rule::NoPreStop => {
                "Add to each serving container: lifecycle: {preStop: {sleep: {seconds: 5}}} \
                 (Kubernetes 1.30 and later), or an exec hook running sleep, and keep \
                 terminationGracePeriodSeconds above the sleep plus the application's own \
                 shutdown time. podplay looks for Services in the same files whose selector \
                 matches the Deployment's Pod template labels."
            }
        }
    }

    /// The kubernetes.io pages the rule is grounded in.
    pub fn docs(self) -> &'static [&'static str] {
        match self {
            Rule::BarePod => &[
                "https://kubernetes.io/docs/concepts/workloads/pods/#working-with-pods",
                "https://kubernetes.io/docs/concepts/configuration/overview/#naked-pods-vs-replicasets-deployments-and-jobs",
            ],
            Rule::NoResources => &[
                "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/",
            ],
            Rule::NoProbes => &[
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes",
                "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",
            ],
            Rule::UnrelatedContainers => &[
                "https://kubernetes.io/docs/concepts/workloads/pods/#how-pods-manage-multiple-containers",
                "https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/",
            ],
            Rule::LatestTag => &[
                "https://kubernetes.io/docs/concepts/containers/images/#image-names",
                "https://kubernetes.io/docs/concepts/containers/images/#imagepullpolicy-defaulting",
            ],
            Rule::NoPreStop => &[
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
                "https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/",
                "https://kubernetes.io/docs/tutorials/services/pods-and-endpoint-termination-flow/",
            ],
        }
    }

    /// The long explanation `podplay lint --explain RULE` prints.
    pub fn explain(self) -> String {
        let mut s = format!("{}: {}\n\n", self.id(), self.title());
        s.push_str(&wrap(&format!("Why: {}", self.why()), 80, ""));
        s.push('\n');
        s.push_str(&wrap(&format!("Fix: {}", self.fix()), 80, ""));
        s.push_str("\nSee:\n");
        for d in self.docs() {
            s.push_str(&format!("  {d}\n"));
        }
        s.push('\n');
        s.push_str(&wrap(
            &format!("To silence one finding, end its line with `# podplay:ignore {}`, or put that comment alone on the line above.", self.id()),
            80,
            "",
        ));
        s
    }
}

/// Word-wraps `text` to `width` columns; every line after the first starts
/// with `indent`. Ends with a newline.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if line_len > 0 && line_len + 1 + n > width {
            out.push('\n');
            out.push_str(indent);
            line_len = indent.chars().count();
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += n;
    }
    out.push('\n');
    out
}

/// At most this many findings are kept: the first ones in text order.
pub const MAX_FINDINGS: usize = 1000;

/// One finding: a rule, where, and what exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    /// Index of the [`Source`] it is in.
    pub source: usize,
    /// 1-based line and column.
    pub pos: Pos,
    pub message: String,
}

impl std::fmt::Display for Finding {
    /// `warning[no-probes]: line 12, column 5: container "web" has …`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "warning[{}]: line {}, column {}: {}", self.rule.id(), self.pos.line, self.pos.col, self.message)
    }
}

/// One manifest text as the parser left it.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    /// The objects decoded without errors.
    pub objects: &'a [Object],
    /// The YAML tree they were decoded from.
    pub tree: &'a Stream,
    /// The text, for `podplay:ignore` comments.
    pub text: &'a str,
}

/// Parses and lints one manifest text. The parse result is returned too, for
/// its diagnostics.
pub fn lint_text(text: &str) -> (Parsed, Vec<Finding>) {
    let (parsed, tree) = parse_manifests_with_tree(text);
    let findings = lint(&[Source { objects: &parsed.objects, tree: &tree, text }]);
    (parsed, findings)
}

/// Lints the objects of every source together (a Service in one file relates
/// to a Deployment in another). Findings come sorted by source, line, column
/// and rule; past [`MAX_FINDINGS`] the rest are dropped.
pub fn lint(sources: &[Source]) -> Vec<Finding> {
    let mut cx = Linter { findings: Vec::new(), ignores: Vec::new() };
    let mut workloads = Vec::new();
    let mut services = Vec::new();
    let mut replica_sets = Vec::new();
    for (si, src) in sources.iter().enumerate() {
        ignore_comments(si, src.text, &mut cx.ignores);
        // Objects and their nodes are both in text order.
        let nodes = object_nodes(src.tree);
        let mut next = 0;
        for obj in src.objects {
            let meta = obj.meta();
            let found = nodes.get(next..).and_then(|rest| rest.iter().position(|n| n.pos == meta.pos));
            let node = found.map(|i| {
                next += i + 1;
                nodes[next - 1]
            });
            let (spec_path, spec, labels) = match obj {
                Object::Pod(p) => ("spec", &p.spec, &meta.labels),
                Object::Deployment(d) => ("spec.template.spec", &d.spec.template.spec, &d.spec.template.labels),
                Object::ReplicaSet(r) => {
                    replica_sets.push((meta, &r.spec.selector));
                    ("spec.template.spec", &r.spec.template.spec, &r.spec.template.labels)
                }
                Object::StatefulSet(st) => {
                    // StatefulSets and DaemonSets adopt matching orphans too (ClaimPods).
                    replica_sets.push((meta, &st.spec.selector));
                    ("spec.template.spec", &st.spec.template.spec, &st.spec.template.labels)
                }
                Object::DaemonSet(ds) => {
                    replica_sets.push((meta, &ds.selector));
                    ("spec.template.spec", &ds.template.spec, &ds.template.labels)
                }
                Object::Job(j) => ("spec.template.spec", &j.spec.template.spec, &j.spec.template.labels),
                Object::CronJob(c) => (
                    "spec.jobTemplate.spec.template.spec",
                    &c.spec.job_spec.template.spec,
                    &c.spec.job_spec.template.labels,
                ),
                Object::Service(s) => {
                    services.push((meta, &s.spec));
                    continue;
                }
                // Kinds without Pods (and kinds this linter does not know).
                _ => continue,
            };
            workloads.push(Workload { source: si, kind: obj.kind(), meta, node, spec_path, spec, labels });
        }
    }
    for w in &workloads {
        if w.kind == "Pod" {
            cx.bare_pod(w, &replica_sets);
        }
        cx.containers(w);
        cx.unrelated_containers(w);
        if w.kind == "Deployment" {
            cx.no_prestop(w, &services);
        }
    }
    cx.findings
}

/// A Pod or a controller's Pod template.
struct Workload<'a> {
    source: usize,
    kind: &'static str,
    meta: &'a ObjectMeta,
    /// The object's node in the YAML tree.
    node: Option<&'a Node>,
    /// Where the Pod spec is in the object: `spec` or `spec.template.spec`.
    spec_path: &'static str,
    spec: &'a PodSpec,
    /// The Pods' labels.
    labels: &'a BTreeMap<String, String>,
}

impl Workload<'_> {
    /// `Pod "web"`, `Deployment "web"`.
    fn what(&self) -> String {
        format!("{} \"{}\"", self.kind, self.meta.name)
    }

    /// The node at `path` under the object, if written.
    fn at(&self, path: &str) -> Option<&Node> {
        self.node.and_then(|n| n.at_path(path))
    }

    /// The position of the key `key` of the mapping at `path`, else of `path`
    /// itself, else `fallback`.
    fn key_pos(&self, path: &str, key: &str, fallback: Pos) -> Pos {
        match self.at(path) {
            Some(n) => n.entry(key).map_or(n.pos, |(k, _)| k.pos),
            None => fallback,
        }
    }

    /// Long-running containers: native sidecars (init containers with
    /// restartPolicy Always) and regular containers.
    fn long_running(&self) -> Vec<&Container> {
        let sidecars = self.spec.init_containers.iter().filter(|c| c.restart_policy == Some(RestartPolicy::Always));
        sidecars.chain(&self.spec.containers).collect()
    }
}

/// The object nodes in text order: documents, and the items of `List`s.
fn object_nodes(tree: &Stream) -> Vec<&Node> {
    let mut out = Vec::new();
    for doc in &tree.documents {
        let is_list = doc.get("kind").and_then(Node::scalar_text) == Some("List");
        match (is_list, doc.get("items").map(|i| &i.kind)) {
            (true, Some(NodeKind::Seq(items))) => out.extend(items),
            _ => out.push(doc),
        }
    }
    out
}

/// Collects `# podplay:ignore [RULE…]` comments as (source, line, the rule
/// ids as written; empty for every rule). A comment after text applies to
/// its own line; a comment alone on its line applies to the next line.
fn ignore_comments<'a>(source: usize, text: &'a str, out: &mut Vec<(usize, u32, &'a str)>) {
    const MARK: &str = "podplay:ignore";
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARK) else { continue };
        let Some(hash) = line[..at].rfind('#') else { continue };
        let alone = line[..hash].trim().is_empty();
        let target = u32::try_from(i + if alone { 2 } else { 1 }).unwrap_or(u32::MAX);
        out.push((source, target, &line[at + MARK.len()..]));
    }
}

struct Linter<'a> {
    /// Sorted by source, position and rule.
    findings: Vec<Finding>,
    ignores: Vec<(usize, u32, &'a str)>,
}

impl Linter<'_> {
    /// Records a finding unless a comment silences it, keeping the list
    /// sorted and at most [`MAX_FINDINGS`] long (findings arrive nearly in
    /// order, object by object, so inserting is cheap).
    fn push(&mut self, rule: Rule, w: &Workload, pos: Pos, message: String) {
        let key = (w.source, pos, rule);
        let at = self.findings.partition_point(|f| (f.source, f.pos, f.rule) <= key);
        if at == MAX_FINDINGS {
            return;
        }
        // The comments are in (source, line) order.
        let line = (w.source, pos.line);
        let first = self.ignores.partition_point(|&(s, l, _)| (s, l) < line);
        let silenced = self.ignores[first..].iter().take_while(|&&(s, l, _)| (s, l) == line).any(|&(_, _, ids)| {
            let mut ids = ids.split(|c: char| c == ',' || c.is_whitespace()).filter(|i| !i.is_empty()).peekable();
            ids.peek().is_none() || ids.any(|i| i == rule.id())
        });
        if silenced {
            return;
        }
        self.findings.insert(at, Finding { rule, source: w.source, pos, message });
        self.findings.truncate(MAX_FINDINGS);
    }

    /// `bare-pod`.
    fn bare_pod(&mut self, w: &Workload, replica_sets: &[(&ObjectMeta, &LabelSelector)]) {
        // Run-to-completion Pods: the controller would be a Job; a Pod run
        // once (as `kubectl run --restart=Never` makes) is a fair choice.
        if w.spec.restart_policy != RestartPolicy::Always {
            return;
        }
        let owned =
            matches!(w.at("metadata.ownerReferences").map(|n| &n.kind), Some(NodeKind::Seq(refs)) if !refs.is_empty());
        // A ReplicaSet adopts orphan Pods its selector matches.
        let adopted = replica_sets
            .iter()
            .any(|(m, sel)| m.namespace == w.meta.namespace && !sel.is_empty() && sel.matches(w.labels));
        if owned || adopted {
            return;
        }
        let pos = w.at("kind").map_or(w.meta.pos, |n| n.pos);
        self.push(
            Rule::BarePod,
            w,
            pos,
            format!("{} is not managed by a controller: nothing replaces it if it is deleted, evicted or its node fails (use a Deployment)", w.what()),
        );
    }

    /// `no-resources`, `no-probes` and `latest-tag`, container by container.
    fn containers(&mut self, w: &Workload) {
        let run_to_completion = w.spec.restart_policy != RestartPolicy::Always;
        let inits =
            w.spec.init_containers.iter().enumerate().map(|(i, c)| (format!("{}.initContainers[{i}]", w.spec_path), c));
        let apps = w.spec.containers.iter().enumerate().map(|(i, c)| (format!("{}.containers[{i}]", w.spec_path), c));
        for (path, c) in inits.chain(apps) {
            self.latest_tag(w, &path, c);
            let sidecar = c.restart_policy == Some(RestartPolicy::Always);
            if path.contains("initContainers") && !sidecar {
                continue;
            }
            let r = &c.resources;
            let missing: Vec<&str> = [("cpu", r.requests.cpu_millis), ("memory", r.requests.memory_bytes)]
                .into_iter()
                .filter(|(_, v)| v.is_none())
                .map(|(n, _)| n)
                .collect();
            if !missing.is_empty() {
                let what = if missing.len() == 2 {
                    "no resource requests or limits".to_string()
                } else {
                    format!("no {} request or limit", missing[0])
                };
                let pos = w.key_pos(&path, "resources", c.pos);
                self.push(Rule::NoResources, w, pos, format!("container \"{}\" of {} has {what}", c.name, w.what()));
            }
            if !run_to_completion && !sidecar && c.readiness_probe.is_none() && c.liveness_probe.is_none() {
                let startup = if c.startup_probe.is_some() { " (only a startupProbe)" } else { "" };
                self.push(
                    Rule::NoProbes,
                    w,
                    c.pos,
                    format!(
                        "container \"{}\" of {} has no readinessProbe and no livenessProbe{startup}",
                        c.name,
                        w.what()
                    ),
                );
            }
        }
    }

    /// `latest-tag`.
    fn latest_tag(&mut self, w: &Workload, path: &str, c: &Container) {
        let Some(tag) = floating_tag(&c.image) else { return };
        let pos = w.at(&format!("{path}.image")).map_or(c.pos, |n| n.pos);
        let explicit = w.at(&format!("{path}.imagePullPolicy")).is_some();
        let first = match tag {
            None => format!("image \"{}\" has no tag, so it means \"{}:latest\"", c.image, c.image),
            Some(_) => format!("image \"{}\" uses the \"latest\" tag", c.image),
        };
        let policy = match (c.image_pull_policy, explicit) {
            (PullPolicy::Always, false) => {
                "imagePullPolicy defaults to Always, so every container start asks the registry what latest is now"
                    .to_string()
            }
            (PullPolicy::Always, true) => {
                "with imagePullPolicy Always every container start asks the registry what latest is now".to_string()
            }
            (p, _) => format!("with imagePullPolicy {} each node keeps whichever latest it pulled first", p.as_str()),
        };
        self.push(Rule::LatestTag, w, pos, format!("{first}: {policy}"));
    }

    /// `unrelated-containers`: connected components of the "shares a volume
    /// or a localhost port" relation among the long-running containers.
    fn unrelated_containers(&mut self, w: &Workload) {
        let cs = w.long_running();
        if cs.len() < 2 {
            return;
        }
        let mut parent: Vec<usize> = (0..cs.len()).collect();
        // The first container to mount each volume; the containers that
        // declare each port.
        let mut volumes: Vec<(&str, usize)> = Vec::new();
        let mut ports: Vec<(i32, usize)> = Vec::new();
        for (i, c) in cs.iter().enumerate() {
            for m in &c.volume_mounts {
                match volumes.iter().find(|(v, _)| *v == m.name) {
                    Some(&(_, first)) => union(&mut parent, first, i),
                    None => volumes.push((&m.name, i)),
                }
            }
            ports.extend(c.ports.iter().map(|p| (p.container_port, i)));
        }
        for (i, c) in cs.iter().enumerate() {
            for port in reached_ports(c) {
                for &(_, j) in ports.iter().filter(|(p, _)| *p == port) {
                    union(&mut parent, i, j);
                }
            }
        }
        let first_root = find(&mut parent, 0);
        let mut reported = vec![first_root];
        for i in 1..cs.len() {
            let root = find(&mut parent, i);
            if reported.contains(&root) {
                continue;
            }
            reported.push(root);
            let (a, b) = (cs[0], cs[i]);
            self.push(
                Rule::UnrelatedContainers,
                w,
                b.pos,
                format!(
                    "container \"{}\" of {} shares no volume and no localhost port with container \"{}\": they look like two applications",
                    b.name,
                    w.what(),
                    a.name
                ),
            );
        }
    }

    /// `no-prestop`: a Deployment whose Pods a Service selects.
    fn no_prestop(&mut self, w: &Workload, services: &[(&ObjectMeta, &ServiceSpec)]) {
        let Some((svc, spec)) = services.iter().find(|(m, s)| {
            m.namespace == w.meta.namespace
                && !s.selector.is_empty()
                && s.selector.iter().all(|(k, v)| w.labels.get(k) == Some(v))
        }) else {
            return;
        };
        let serves = |c: &Container| {
            spec.ports.iter().any(|p| match &p.target_port {
                PortRef::Number(n) => c.ports.iter().any(|cp| cp.container_port == *n),
                PortRef::Name(n) => c.ports.iter().any(|cp| cp.name.as_deref() == Some(n.as_str())),
            })
        };
        // The containers that serve the Service's ports; all of them when
        // none declares one.
        let serving: Vec<&Container> = w.spec.containers.iter().filter(|c| serves(c)).collect();
        let serving = if serving.is_empty() { w.spec.containers.iter().collect() } else { serving };
        for c in serving.into_iter().filter(|c| c.lifecycle.pre_stop.is_none()) {
            self.push(
                Rule::NoPreStop,
                w,
                c.pos,
                format!(
                    "{} is behind Service \"{}\", but container \"{}\" has no preStop hook: during a rollout it may get SIGTERM while new connections still arrive",
                    w.what(),
                    svc.name,
                    c.name
                ),
            );
        }
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// `Some(None)` for an image without a tag, `Some(Some("latest"))` for the
/// `latest` tag, None for a pinned tag or a digest (as
/// `SetDefaults_Container` reads an image reference).
fn floating_tag(image: &str) -> Option<Option<&str>> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => Some(None),
        Some((_, "latest")) => Some(Some("latest")),
        Some(_) => None,
    }
}

/// Ports a container reaches on the Pod's own network namespace: every
/// `localhost:PORT`, `127.0.0.1:PORT` or `[::1]:PORT` in its command, args,
/// env values and exec probes/hooks, and the numeric ports its HTTP/TCP/gRPC
/// probes and hooks target (they go to the Pod's IP).
fn reached_ports(c: &Container) -> Vec<i32> {
    let mut ports = Vec::new();
    let mut scan = |s: &str| {
        for host in ["localhost:", "127.0.0.1:", "[::1]:"] {
            for (at, _) in s.match_indices(host) {
                let digits: String = s[at + host.len()..].chars().take_while(char::is_ascii_digit).take(6).collect();
                if let Ok(p) = digits.parse::<i32>() {
                    ports.push(p);
                }
            }
        }
    };
    for s in c.command.iter().chain(&c.args) {
        scan(s);
    }
    for e in &c.env {
        if let Some(v) = &e.value {
            scan(v);
        }
    }
    let probes = [&c.liveness_probe, &c.readiness_probe, &c.startup_probe];
    let handlers = probes
        .into_iter()
        .flatten()
        .map(|p| &p.handler)
        .chain([&c.lifecycle.post_start, &c.lifecycle.pre_stop].into_iter().flatten());
    let mut targeted = Vec::new();
    for h in handlers {
        match h {
            Handler::Exec { command } => {
                for s in command {
                    scan(s);
                }
            }
            Handler::HttpGet { port: PortRef::Number(n), .. } | Handler::TcpSocket { port: PortRef::Number(n), .. } => {
                targeted.push(*n)
            }
            Handler::Grpc { port, .. } => targeted.push(*port),
            _ => {}
        }
    }
    ports.extend(targeted);
    ports
}

#[cfg(test)]
mod tests;

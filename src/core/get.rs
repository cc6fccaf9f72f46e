//! `kubectl get` for any kind podplay prints, declared once per kind: one
//! table of printers (the header, the `-o wide` columns and the rows each
//! kind's `printX` function in pkg/printers/internalversion/printers.go
//! gives, here in [`crate::core::kubectl`]; each row with the object's
//! namespace, name and labels, and on demand its object as [`crate::core::json`]
//! gives it), found by the resource names kubectl takes (`deploy`, `pods`,
//! `pdb`: [`crate::core::kinds::by_resource_name`]). The page's `get`
//! (`session::read`) looks a kind up here and the CLI's end-of-run tables
//! iterate it; a new kind adds one row.

use crate::core::api::{self, ObjectMeta};
use crate::core::engine::Sim;
use crate::core::json;
use crate::core::kinds::Resource;
use crate::core::kubectl::{self as k, format_table};
use crate::core::time::Millis;
use serde_json::Value;
use std::collections::BTreeMap;

/// What a listing makes besides the plain cells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ask {
    /// The `-o wide` cells.
    pub wide: bool,
    /// Each object as the API server returns it (`-o json|yaml`); left out
    /// otherwise, as it costs more than the row.
    pub objects: bool,
}

/// One object of a listing: what `get` selects it by (`-n`, `-l`, a name)
/// and what it prints of it.
pub struct Row {
    /// Empty for a cluster-scoped kind.
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// The cells under [`Printer::header`].
    pub cells: Vec<String>,
    /// The object, when [`Ask::objects`].
    pub object: Option<Value>,
}

/// How `kubectl get` prints one kind.
pub struct Printer {
    /// The kind, its type's [`Resource::KIND`].
    pub kind: &'static str,
    /// The resource name podplay's traces quote (`kubectl get deployments`, `kubectl get pvc`).
    pub resource: &'static str,
    pub header: &'static [&'static str],
    /// The columns `-o wide` adds (none for some kinds), or None while
    /// podplay does not print them (the page says so; the CLI prints the
    /// plain table).
    pub wide_header: Option<&'static [&'static str]>,
    /// The objects at `now`, in the engine's order.
    pub list: fn(&Sim, Millis, Ask) -> Vec<Row>,
}

impl Printer {
    /// The header, with the `-o wide` columns when `wide`.
    pub fn header(&self, wide: bool) -> Vec<&'static str> {
        let mut h = self.header.to_vec();
        if wide {
            h.extend(self.wide_header.unwrap_or_default());
        }
        h
    }

    /// The cells of every row at `now` (`-o wide` when `wide`).
    pub fn rows(&self, sim: &Sim, now: Millis, wide: bool) -> Vec<Vec<String>> {
        (self.list)(sim, now, Ask { wide, objects: false }).into_iter().map(|r| r.cells).collect()
    }

    /// The whole table as kubectl prints it.
    pub fn table(&self, sim: &Sim, now: Millis, wide: bool) -> String {
        format_table(&self.header(wide), &self.rows(sim, now, wide))
    }
}

/// An object's namespace, name and labels.
type Meta<'a> = (&'a str, &'a str, &'a BTreeMap<String, String>);

fn meta(m: &ObjectMeta) -> Meta<'_> {
    (&m.namespace, &m.name, &m.labels)
}

/// The rows of `items`: each one's metadata, its cells and, when asked, its object.
fn rows<T>(
    items: Vec<T>,
    ask: Ask,
    metadata: fn(&T) -> Meta<'_>,
    cells: impl Fn(&T) -> Vec<String>,
    object: fn(&T) -> Value,
) -> Vec<Row> {
    items
        .iter()
        .map(|item| {
            let (namespace, name, labels) = metadata(item);
            Row {
                namespace: namespace.to_string(),
                name: name.to_string(),
                labels: labels.clone(),
                cells: cells(item),
                object: ask.objects.then(|| object(item)),
            }
        })
        .collect()
}

/// Every kind's printer, in the order podplay's traces list them.
pub const PRINTERS: &[Printer] = &[
    Printer {
        kind: api::Deployment::KIND,
        resource: "deployments",
        header: &k::DEPLOYMENTS_HEADER,
        wide_header: Some(&k::CONTROLLERS_WIDE_HEADER),
        list: |sim, now, ask| {
            let cells = |d: &_| k::deployment_row(d, now, ask.wide);
            rows(sim.deployments(), ask, |d| meta(&d.deployment.metadata), cells, json::deployment_json)
        },
    },
    Printer {
        kind: api::ReplicaSet::KIND,
        resource: "replicasets",
        header: &k::REPLICASETS_HEADER,
        wide_header: Some(&k::CONTROLLERS_WIDE_HEADER),
        list: |sim, now, ask| {
            let cells = |r: &_| k::replicaset_row(r, now, ask.wide);
            rows(sim.replica_sets(), ask, |r| meta(&r.replica_set.metadata), cells, json::replicaset_json)
        },
    },
    Printer {
        kind: api::DaemonSet::KIND,
        resource: "daemonsets",
        header: &k::DAEMONSETS_HEADER,
        wide_header: None,
        list: |sim, now, ask| {
            let cells = |d: &_| k::daemonset_row(d, now);
            rows(sim.daemon_sets(), ask, |d| meta(&d.daemon_set.metadata), cells, json::daemonset_json)
        },
    },
    Printer {
        kind: api::Job::KIND,
        resource: "jobs",
        header: &k::JOBS_HEADER,
        wide_header: Some(&k::CONTROLLERS_WIDE_HEADER),
        list: |sim, now, ask| {
            let cells = |j: &_| k::job_row(j, now, ask.wide);
            rows(sim.jobs(), ask, |j| meta(&j.job.metadata), cells, json::job_json)
        },
    },
    Printer {
        kind: api::CronJob::KIND,
        resource: "cronjobs",
        header: &k::CRONJOBS_HEADER,
        wide_header: Some(&k::CONTROLLERS_WIDE_HEADER),
        list: |sim, now, ask| {
            let cells = |c: &_| k::cronjob_row(c, now, ask.wide);
            rows(sim.cron_jobs(), ask, |c| meta(&c.cron_job.metadata), cells, json::cronjob_json)
        },
    },
    Printer {
        kind: api::StatefulSet::KIND,
        resource: "statefulsets",
        header: &k::STATEFULSETS_HEADER,
        wide_header: Some(&k::STATEFULSETS_WIDE_HEADER),
        list: |sim, now, ask| {
            let cells = |s: &_| k::statefulset_row(s, now, ask.wide);
            rows(sim.stateful_sets(), ask, |s| meta(&s.stateful_set.metadata), cells, json::statefulset_json)
        },
    },
    Printer {
        kind: api::PersistentVolumeClaim::KIND,
        resource: "pvc",
        header: &k::PVCS_HEADER,
        wide_header: Some(&["VOLUMEMODE"]),
        list: |sim, now, ask| {
            let cells = |c: &_| k::pvc_row(c, now, ask.wide);
            rows(sim.persistent_volume_claims(), ask, |c| (&c.namespace, &c.name, &c.labels), cells, json::pvc_json)
        },
    },
    Printer {
        kind: api::PersistentVolume::KIND,
        resource: "pv",
        header: &k::PVS_HEADER,
        wide_header: Some(&["VOLUMEMODE"]),
        list: |sim, now, ask| {
            let cells = |v: &_| k::pv_row(v, now, ask.wide);
            rows(sim.persistent_volumes(), ask, |v| meta(&v.volume.metadata), cells, json::pv_json)
        },
    },
    Printer {
        kind: api::StorageClass::KIND,
        resource: "storageclass",
        header: &k::STORAGECLASSES_HEADER,
        wide_header: Some(&[]),
        list: |sim, now, ask| {
            let cells = |c: &_| k::storageclass_row(c, now);
            rows(sim.storage_classes(), ask, |c| meta(&c.class.metadata), cells, json::storageclass_json)
        },
    },
    Printer {
        kind: api::PodDisruptionBudget::KIND,
        resource: "pdb",
        header: &k::PDBS_HEADER,
        wide_header: Some(&[]),
        list: |sim, now, ask| {
            let cells = |p: &_| k::pdb_row(p, now);
            rows(sim.pod_disruption_budgets(), ask, |p| meta(&p.pdb.metadata), cells, json::pdb_json)
        },
    },
    Printer {
        kind: api::Node::KIND,
        resource: "nodes",
        header: &k::NODES_HEADER,
        wide_header: None,
        list: |sim, now, ask| {
            let cells = |n: &_| k::node_row(n, now);
            rows(sim.nodes(), ask, |n| ("", &n.name, &n.labels), cells, json::node_json)
        },
    },
    Printer {
        kind: api::Pod::KIND,
        resource: "pods",
        header: &k::PODS_HEADER,
        wide_header: Some(&k::PODS_WIDE_HEADER),
        list: |sim, now, ask| {
            let cells = |p: &_| k::pod_row(p, now, ask.wide);
            rows(sim.pods(), ask, |p| meta(&p.pod.metadata), cells, json::pod_json)
        },
    },
    // Kinds the traces do not list (the CLI passes over them, `NOT_AT_END`).
    Printer {
        kind: api::Service::KIND,
        resource: "services",
        header: &k::SERVICES_HEADER,
        wide_header: Some(&k::SERVICES_WIDE_HEADER),
        list: |sim, now, ask| {
            let cells = |s: &_| k::service_row(s, now, ask.wide);
            rows(sim.services(), ask, |s| meta(&s.service.metadata), cells, json::service_json)
        },
    },
    Printer {
        kind: api::ConfigMap::KIND,
        resource: "configmaps",
        header: &k::CONFIGMAPS_HEADER,
        wide_header: Some(&[]),
        list: |sim, now, ask| {
            let cells = |c: &_| k::configmap_row(c, now);
            rows(sim.config_maps(), ask, |c| meta(&c.config_map.metadata), cells, json::configmap_json)
        },
    },
    Printer {
        kind: api::Secret::KIND,
        resource: "secrets",
        header: &k::SECRETS_HEADER,
        wide_header: Some(&[]),
        list: |sim, now, ask| {
            let cells = |s: &_| k::secret_row(s, now);
            rows(sim.secrets(), ask, |s| meta(&s.secret.metadata), cells, json::secret_json)
        },
    },
    Printer {
        kind: api::Namespace::KIND,
        resource: "namespaces",
        header: &k::NAMESPACES_HEADER,
        wide_header: Some(&[]),
        list: |sim, now, ask| {
            let cells = |n: &_| k::namespace_row(n, now);
            rows(sim.namespaces(), ask, |n| meta(&n.namespace.metadata), cells, json::namespace_json)
        },
    },
    Printer {
        kind: api::PriorityClass::KIND,
        resource: "priorityclasses",
        header: &k::PRIORITYCLASSES_HEADER,
        wide_header: Some(&[]),
        list: |sim, now, ask| {
            let cells = |p: &_| k::priorityclass_row(p, now);
            rows(sim.priority_classes(), ask, |p| meta(&p.class.metadata), cells, json::priorityclass_json)
        },
    },
];

/// The printer for a resource name as kubectl takes it, or None for a kind
/// podplay does not print (or does not know).
pub fn printer(resource: &str) -> Option<&'static Printer> {
    let kind = crate::core::kinds::by_resource_name(resource)?;
    PRINTERS.iter().find(|p| p.kind == kind.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_printer_is_a_kind_and_found_by_its_names() {
        for p in PRINTERS {
            let info = crate::core::kinds::KINDS.iter().find(|k| k.kind == p.kind).expect(p.kind);
            assert_eq!(printer(p.resource).map(|q| q.kind), Some(p.kind));
            assert_eq!(printer(info.plural).map(|q| q.kind), Some(p.kind));
            assert_eq!(p.header.first(), Some(&"NAME"));
        }
        assert_eq!(printer("deploy").map(|p| p.kind), Some("Deployment"));
        // Every kind podplay simulates is printed.
        for info in crate::core::kinds::KINDS {
            assert!(PRINTERS.iter().any(|p| p.kind == info.kind), "{} has no printer", info.kind);
        }
    }

    #[test]
    fn a_table_as_kubectl_get_prints_it() {
        let sim = Sim::new(crate::core::engine::SimConfig::default());
        let text = printer("no").expect("nodes").table(&sim, 60_000, false);
        assert!(
            text.starts_with("NAME     STATUS   ROLES    AGE   VERSION\nnode-1   Ready    <none>   60s   "),
            "{text}"
        );
        assert_eq!(text.lines().count(), 4);
    }
}

//! `kubectl get` for any kind podplay prints: one table of printers (the
//! header, the `-o wide` columns and the rows each kind's `printX` function
//! in pkg/printers/internalversion/printers.go gives, here in
//! [`crate::core::kubectl`]), found by the resource names kubectl takes
//! (`deploy`, `pods`, `pdb`: [`crate::core::kinds::by_resource_name`]). The
//! CLI's end-of-run tables iterate it; a new kind adds one row.

use crate::core::engine::Sim;
use crate::core::kubectl::{self as k, format_table};
use crate::core::time::Millis;

/// How `kubectl get` prints one kind.
pub struct Printer {
    /// The kind, as [`crate::core::kinds::KindInfo::kind`].
    pub kind: &'static str,
    /// The resource name podplay's traces quote (`kubectl get deployments`, `kubectl get pvc`).
    pub resource: &'static str,
    pub header: &'static [&'static str],
    /// The columns `-o wide` adds.
    pub wide_header: &'static [&'static str],
    /// The rows at `now` (`-o wide` when `wide`), in the engine's order.
    pub rows: fn(&Sim, Millis, bool) -> Vec<Vec<String>>,
}

impl Printer {
    /// The header, with the `-o wide` columns when `wide`.
    pub fn header(&self, wide: bool) -> Vec<&'static str> {
        let mut h = self.header.to_vec();
        if wide {
            h.extend(self.wide_header);
        }
        h
    }

    /// The whole table as kubectl prints it.
    pub fn table(&self, sim: &Sim, now: Millis, wide: bool) -> String {
        format_table(&self.header(wide), &(self.rows)(sim, now, wide))
    }
}

/// Every kind's printer, in the order podplay's traces list them.
pub const PRINTERS: &[Printer] = &[
    Printer {
        kind: "Deployment",
        resource: "deployments",
        header: &k::DEPLOYMENTS_HEADER,
        wide_header: &k::CONTROLLERS_WIDE_HEADER,
        rows: |sim, now, wide| sim.deployments().iter().map(|d| k::deployment_row(d, now, wide)).collect(),
    },
    Printer {
        kind: "ReplicaSet",
        resource: "replicasets",
        header: &k::REPLICASETS_HEADER,
        wide_header: &k::CONTROLLERS_WIDE_HEADER,
        rows: |sim, now, wide| sim.replica_sets().iter().map(|r| k::replicaset_row(r, now, wide)).collect(),
    },
    Printer {
        kind: "DaemonSet",
        resource: "daemonsets",
        header: &k::DAEMONSETS_HEADER,
        wide_header: &[],
        rows: |sim, now, _| sim.daemon_sets().iter().map(|d| k::daemonset_row(d, now)).collect(),
    },
    Printer {
        kind: "Job",
        resource: "jobs",
        header: &k::JOBS_HEADER,
        wide_header: &k::CONTROLLERS_WIDE_HEADER,
        rows: |sim, now, wide| sim.jobs().iter().map(|j| k::job_row(j, now, wide)).collect(),
    },
    Printer {
        kind: "CronJob",
        resource: "cronjobs",
        header: &k::CRONJOBS_HEADER,
        wide_header: &k::CONTROLLERS_WIDE_HEADER,
        rows: |sim, now, wide| sim.cron_jobs().iter().map(|c| k::cronjob_row(c, now, wide)).collect(),
    },
    Printer {
        kind: "StatefulSet",
        resource: "statefulsets",
        header: &k::STATEFULSETS_HEADER,
        wide_header: &k::STATEFULSETS_WIDE_HEADER,
        rows: |sim, now, wide| sim.stateful_sets().iter().map(|s| k::statefulset_row(s, now, wide)).collect(),
    },
    Printer {
        kind: "PersistentVolumeClaim",
        resource: "pvc",
        header: &k::PVCS_HEADER,
        wide_header: &["VOLUMEMODE"],
        rows: |sim, now, wide| sim.persistent_volume_claims().iter().map(|c| k::pvc_row(c, now, wide)).collect(),
    },
    Printer {
        kind: "PersistentVolume",
        resource: "pv",
        header: &k::PVS_HEADER,
        wide_header: &["VOLUMEMODE"],
        rows: |sim, now, wide| sim.persistent_volumes().iter().map(|v| k::pv_row(v, now, wide)).collect(),
    },
    Printer {
        kind: "StorageClass",
        resource: "storageclass",
        header: &k::STORAGECLASSES_HEADER,
        wide_header: &[],
        rows: |sim, now, _| sim.storage_classes().iter().map(|c| k::storageclass_row(c, now)).collect(),
    },
    Printer {
        kind: "PodDisruptionBudget",
        resource: "pdb",
        header: &k::PDBS_HEADER,
        wide_header: &[],
        rows: |sim, now, _| sim.pod_disruption_budgets().iter().map(|p| k::pdb_row(p, now)).collect(),
    },
    Printer {
        kind: "Node",
        resource: "nodes",
        header: &k::NODES_HEADER,
        wide_header: &[],
        rows: |sim, now, _| sim.nodes().iter().map(|n| k::node_row(n, now)).collect(),
    },
    Printer {
        kind: "Pod",
        resource: "pods",
        header: &k::PODS_HEADER,
        wide_header: &k::PODS_WIDE_HEADER,
        rows: |sim, now, wide| sim.pods().iter().map(|p| k::pod_row(p, now, wide)).collect(),
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
        assert!(printer("configmaps").is_none(), "no printer for ConfigMaps yet");
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

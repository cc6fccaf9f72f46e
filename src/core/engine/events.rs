//! The event recorder: the Events the components emit about objects, as
//! client-go's recorder and its EventCorrelator keep them.
//!
//! Owns every event recorded, the index that folds a repeat into an
//! existing event (same object, field path, reason and message: count + 1,
//! as `getEventKey` keys it) and the EventAggregator's records, which combine
//! the 10th and later distinct messages of one object, source, type and
//! reason within 10 minutes into one "(combined from similar events)" event.
//!
//! Upstream: k8s.io/client-go/tools/record/events_cache.go (EventAggregator,
//! eventLogger, getEventKey) and event.go. The recorder is handed the time
//! and the name stream it needs; `Sim::record` and `Sim::record_object`, the
//! components' way in, hand them over and send the watch output.

use super::{Sim, Snapshot, WatchType};
use crate::core::rng::Rng;
use crate::core::status::{Event, EventType, ObjectRef};
use crate::core::store::Store;
use crate::core::time::Millis;
use std::collections::BTreeSet;

/// The aggregator combines from the 10th distinct message
/// (`defaultAggregateMaxEvents`) within 10 minutes (`defaultAggregateIntervalInSeconds`).
pub(crate) const EVENT_AGGREGATE_MAX: usize = 10;
pub(crate) const EVENT_AGGREGATE_WINDOW_MS: Millis = 600 * 1000;

/// Values by a string key, kept by the key's 64-bit hash (a collision moves
/// on to the next free number, so lookups stay exact). Event recording looks
/// up tens of thousands of long keys; comparing inline numbers instead of
/// strings behind pointers makes that several times cheaper. Never iterated.
pub(crate) type HashedStore<T> = Store<(String, T), u64>;

/// Where `key` is in `store`: `Ok(number)` when present, else `Err(number)`
/// where it goes.
fn hashed_find<T>(store: &HashedStore<T>, key: &str) -> Result<u64, u64> {
    // FNV-1a.
    let mut h = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    loop {
        match store.get(&h) {
            Some((k, _)) if k == key => return Ok(h),
            Some(_) => h = h.wrapping_add(1),
            None => return Err(h),
        }
    }
}

/// An event's object as one string key: its uid (which never holds a NUL),
/// NUL, then `/` and the field path when there is one.
fn event_object_key(uid: &str, field_path: Option<&str>) -> String {
    match field_path {
        None => format!("{uid}\0"),
        Some(f) => format!("{uid}\0/{f}"),
    }
}

/// What a component reports: the event before the recorder folds it.
struct NewEvent<'a> {
    pub involved: ObjectRef,
    /// The node, for the kubelet's events (`source.host`).
    pub host: Option<String>,
    pub type_: EventType,
    pub reason: &'a str,
    pub message: String,
    /// The reporting component (`source.component`).
    pub source: &'static str,
}

/// Every event recorded, with the correlator's and aggregator's state.
#[derive(Default)]
pub(crate) struct Recorder {
    events: Vec<Event>,
    /// Events by "object\0reason\0message" (see `event_object_key`), in a
    /// [`HashedStore`].
    index: HashedStore<usize>,
    /// The event aggregator's records: distinct messages per (object, field
    /// path, source, type, reason) and when one was last seen.
    /// Keyed "object\0source\0type\0reason".
    aggregates: HashedStore<(BTreeSet<String>, Millis)>,
}

impl Recorder {
    /// Every event recorded so far, in the order first seen.
    pub(crate) fn all(&self) -> &[Event] {
        &self.events
    }

    /// Records an event about any object at `now`, folding repeats (by the
    /// object, field path, reason and message, as the EventCorrelator's
    /// `getEventKey` does); a new event's name suffix comes from `rng_names`.
    /// Returns the watch event to publish.
    fn record(&mut self, now: Millis, new: NewEvent, rng_names: &mut Rng) -> (WatchType, Event) {
        let NewEvent { involved, host, type_, reason, message, source } = new;
        // The EventAggregator (client-go tools/record/events_cache.go): the
        // 10th and later distinct messages of the same object, source, type
        // and reason within 10 minutes become one event, "(combined from
        // similar events): <latest message>", counted like a repeat.
        let object_key = event_object_key(&involved.uid, involved.field_path.as_deref());
        let agg_key = format!("{object_key}\0{source}\0{}\0{reason}", type_.as_str());
        let agg_at = hashed_find(&self.aggregates, &agg_key);
        let combined = match agg_at.ok().and_then(|h| self.aggregates.get_mut(&h)) {
            Some((_, rec)) => {
                if now.saturating_sub(rec.1) > EVENT_AGGREGATE_WINDOW_MS {
                    rec.0.clear();
                }
                rec.0.insert(message.clone());
                rec.1 = now;
                if rec.0.len() >= EVENT_AGGREGATE_MAX {
                    // `PopAny`, made deterministic: the smallest message.
                    rec.0.pop_first();
                    true
                } else {
                    false
                }
            }
            None => {
                if self.aggregates.len() < 100_000 {
                    // (Not `BTreeSet::from([…])`, which sorts with a sort of its own.)
                    let mut messages = BTreeSet::new();
                    messages.insert(message.clone());
                    self.aggregates.insert(agg_at.unwrap_or_else(|h| h), (agg_key, (messages, now)));
                }
                false
            }
        };
        let (message, key_message) = if combined {
            (format!("(combined from similar events): {message}"), "\u{0}combined".to_string())
        } else {
            (message.clone(), message)
        };
        let key = format!("{object_key}\0{reason}\0{key_message}");
        let at = hashed_find(&self.index, &key);
        if let Some(&(_, i)) = at.ok().and_then(|h| self.index.get(&h)) {
            let e = &mut self.events[i];
            e.count += 1;
            e.last_ms = now;
            e.message = message;
            return (WatchType::Modified, e.clone());
        }
        let name = format!("{}.{}", involved.name, rng_names.hex(16));
        let event = Event {
            name,
            type_,
            reason: reason.to_string(),
            message,
            involved,
            source_component: source,
            source_host: host,
            count: 1,
            first_ms: now,
            last_ms: now,
        };
        if self.events.len() < 100_000 {
            self.index.insert(at.unwrap_or_else(|h| h), (key, self.events.len()));
            self.events.push(event.clone());
        }
        (WatchType::Added, event)
    }
}

impl Sim {
    /// Records an event for a Pod, folding repeats as the event correlator
    /// does (same object, reason, message and source → count + 1).
    pub(crate) fn record(
        &mut self,
        slot: u32,
        field_path: Option<String>,
        type_: EventType,
        reason: &str,
        message: String,
        source: &'static str,
    ) {
        let Some(p) = self.pod_rt(slot) else { return };
        let involved = ObjectRef {
            kind: "Pod",
            namespace: p.pod.metadata.namespace.clone(),
            name: p.pod.metadata.name.clone(),
            uid: p.server.uid.clone(),
            field_path,
        };
        let host = if source == "kubelet" { p.node_name() } else { None };
        self.record_object(involved, host, type_, reason, message, source);
    }

    /// Records an event about any object, folding repeats (by the object,
    /// field path, reason and message, as the EventCorrelator's
    /// `getEventKey` does).
    pub(crate) fn record_object(
        &mut self,
        involved: ObjectRef,
        host: Option<String>,
        type_: EventType,
        reason: &str,
        message: String,
        source: &'static str,
    ) {
        let now = self.now();
        let new = NewEvent { involved, host, type_, reason, message, source };
        let (type_, event) = self.events.record(now, new, &mut self.rng_names);
        self.watch_event(type_, Snapshot::Event(event));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod() -> ObjectRef {
        ObjectRef { kind: "Pod", namespace: "default".into(), name: "web".into(), uid: "u-1".into(), field_path: None }
    }

    #[test]
    fn repeats_fold_and_the_tenth_distinct_message_is_combined() {
        let (mut r, mut rng) = (Recorder::default(), Rng::derive(1, "names"));
        let mut rec = |r: &mut Recorder, now, msg: &str| {
            let new = NewEvent {
                involved: pod(),
                host: None,
                type_: EventType::Warning,
                reason: "BackOff",
                message: msg.to_string(),
                source: "kubelet",
            };
            r.record(now, new, &mut rng)
        };
        assert_eq!(rec(&mut r, 0, "m0").0, WatchType::Added);
        let (t, e) = rec(&mut r, 1_000, "m0");
        assert_eq!((t, e.count, e.first_ms, e.last_ms), (WatchType::Modified, 2, 0, 1_000));
        for i in 1..9 {
            assert_eq!(rec(&mut r, 2_000, &format!("m{i}")).0, WatchType::Added);
        }
        let (t, e) = rec(&mut r, 3_000, "m9");
        assert_eq!((t, e.message.as_str()), (WatchType::Added, "(combined from similar events): m9"));
        let (t, e) = rec(&mut r, 4_000, "m10");
        assert_eq!((t, e.count, e.message.as_str()), (WatchType::Modified, 2, "(combined from similar events): m10"));
        assert_eq!(r.all().len(), 10);
    }
}

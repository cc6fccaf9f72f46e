//! An ordered map from `(namespace, name)` (or another common key type) to
//! objects of one kind.
//!
//! Every `BTreeMap<K, V>` with a new value type compiles the standard
//! library's B-tree again (insert, remove with its merge and steal code,
//! search, drop): 3 to 6 KB of Wasm per map type, and the page downloads it.
//! A `Store<T>` keeps its order in one `BTreeMap<(String, String), u32>` of
//! slot numbers, the same map type for every kind of object, and the objects
//! themselves in a `Vec` of slots, so the B-tree code exists once per key
//! type (`Store<T, String>` shares `BTreeMap<String, u32>`).
//!
//! It has the `BTreeMap` methods the engine and the page use, with the same
//! meaning: iteration is in key order, exactly as the `BTreeMap` it replaces.

use std::borrow::Borrow;
use std::collections::{btree_map, BTreeMap};
use std::ops::RangeBounds;

/// The key of a namespaced object: (namespace, name).
pub type Key = (String, String);

/// Slot numbers in key order, and the free slots (not generic over `T`).
#[derive(Clone, Debug)]
struct Index<K> {
    order: BTreeMap<K, u32>,
    free: Vec<u32>,
}

impl<K: Ord> Index<K> {
    fn slot<Q: Ord + ?Sized>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
    {
        self.order.get(key).map(|&i| i as usize)
    }

    /// The slot of `key`, and whether the key is new; `slots` is how many
    /// slots exist (a new key past them takes slot `slots`).
    fn claim(&mut self, key: K, slots: usize) -> (usize, bool) {
        if let Some(&i) = self.order.get(&key) {
            return (i as usize, false);
        }
        let i = self.free.pop().unwrap_or(slots as u32);
        self.order.insert(key, i);
        (i as usize, true)
    }

    fn release<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
    {
        let i = self.order.remove(key)?;
        self.free.push(i);
        Some(i as usize)
    }
}

/// An ordered map from (namespace, name) to `T`; see the module docs.
#[derive(Clone, Debug)]
pub struct Store<T, K = Key> {
    index: Index<K>,
    slots: Vec<Option<T>>,
}

impl<T, K> Default for Store<T, K> {
    fn default() -> Self {
        Store { index: Index { order: BTreeMap::new(), free: Vec::new() }, slots: Vec::new() }
    }
}

impl<T, K: Ord> Store<T, K> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.index.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.order.is_empty()
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.index.order.contains_key(key)
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&T>
    where
        K: Borrow<Q>,
    {
        self.slots.get(self.index.slot(key)?)?.as_ref()
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut T>
    where
        K: Borrow<Q>,
    {
        self.slots.get_mut(self.index.slot(key)?)?.as_mut()
    }

    /// Inserts or replaces; returns the value replaced (as `BTreeMap::insert`).
    pub fn insert(&mut self, key: K, value: T) -> Option<T> {
        let (i, new) = self.index.claim(key, self.slots.len());
        if i == self.slots.len() {
            self.slots.push(Some(value));
            None
        } else {
            // A new key's slot is a free (empty) one.
            debug_assert!(!new || self.slots[i].is_none());
            self.slots[i].replace(value)
        }
    }

    /// The value of `key`, inserted by `make` first if there is none.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> T) -> &mut T {
        let (i, _) = self.index.claim(key, self.slots.len());
        if i == self.slots.len() {
            self.slots.push(None);
        }
        self.slots[i].get_or_insert_with(make)
    }

    /// Keeps only the entries for which `keep` is true, visiting in key order.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut T) -> bool) {
        let slots = &mut self.slots;
        let free = &mut self.index.free;
        self.index.order.retain(|k, &mut i| {
            let Some(v) = slots.get_mut(i as usize).and_then(Option::as_mut) else {
                return false;
            };
            if keep(k, v) {
                return true;
            }
            slots[i as usize] = None;
            free.push(i);
            false
        });
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<T>
    where
        K: Borrow<Q>,
    {
        let i = self.index.release(key)?;
        self.slots.get_mut(i)?.take()
    }

    /// Entries in key order.
    pub fn iter(&self) -> Entries<'_, T, btree_map::Iter<'_, K, u32>> {
        Entries { keys: self.index.order.iter(), slots: &self.slots }
    }

    pub fn keys(&self) -> btree_map::Keys<'_, K, u32> {
        self.index.order.keys()
    }

    /// Values in key order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &T> + DoubleEndedIterator + '_ {
        self.iter().map(|(_, v)| v)
    }

    /// Entries whose key is in `range`, in key order.
    pub fn range<R: RangeBounds<K>>(&self, range: R) -> Entries<'_, T, btree_map::Range<'_, K, u32>> {
        Entries { keys: self.index.order.range(range), slots: &self.slots }
    }

    /// Entries whose key is in `range`, in key order, mutably.
    pub fn range_mut<R: RangeBounds<K>>(&mut self, range: R) -> impl Iterator<Item = (&K, &mut T)> + '_ {
        // One `&mut` per slot, handed out once each: no two keys share a slot.
        let mut slots: Vec<Option<&mut T>> = self.slots.iter_mut().map(Option::as_mut).collect();
        self.index.order.range(range).filter_map(move |(k, &i)| Some((k, slots.get_mut(i as usize)?.take()?)))
    }
}

impl<T, K: Ord> IntoIterator for Store<T, K> {
    type Item = (K, T);
    type IntoIter = IntoIter<T, K>;

    /// Entries in key order, by value.
    fn into_iter(self) -> IntoIter<T, K> {
        IntoIter { keys: self.index.order.into_iter(), slots: self.slots }
    }
}

/// The entries of a [`Store`] in key order, by value.
pub struct IntoIter<T, K> {
    keys: btree_map::IntoIter<K, u32>,
    slots: Vec<Option<T>>,
}

impl<T, K> Iterator for IntoIter<T, K> {
    type Item = (K, T);

    fn next(&mut self) -> Option<(K, T)> {
        let (k, i) = self.keys.next()?;
        let v = self.slots[i as usize].take().expect("a Store key's slot holds its value");
        Some((k, v))
    }
}

/// The entries of a [`Store`] in key order (of all keys, or of a range).
pub struct Entries<'a, T, I> {
    keys: I,
    slots: &'a [Option<T>],
}

impl<'a, T> Entries<'a, T, ()> {
    /// The value in slot `i`: every key's slot holds its value.
    fn value(slots: &'a [Option<T>], i: u32) -> &'a T {
        slots[i as usize].as_ref().expect("a Store key's slot holds its value")
    }
}

impl<'a, T, K: 'a, I: Iterator<Item = (&'a K, &'a u32)>> Iterator for Entries<'a, T, I> {
    type Item = (&'a K, &'a T);

    fn next(&mut self) -> Option<Self::Item> {
        let (k, &i) = self.keys.next()?;
        Some((k, Entries::value(self.slots, i)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.keys.size_hint()
    }
}

impl<'a, T, K: 'a, I: DoubleEndedIterator<Item = (&'a K, &'a u32)>> DoubleEndedIterator for Entries<'a, T, I> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let (k, &i) = self.keys.next_back()?;
        Some((k, Entries::value(self.slots, i)))
    }
}

impl<'a, T, K: 'a, I: ExactSizeIterator<Item = (&'a K, &'a u32)>> ExactSizeIterator for Entries<'a, T, I> {}

impl<T: PartialEq, K: Ord> PartialEq for Store<T, K> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(ns: &str, name: &str) -> Key {
        (ns.to_string(), name.to_string())
    }

    /// Random inserts and removes give the same answers, in the same order,
    /// as the `BTreeMap` a `Store` replaces.
    #[test]
    fn behaves_as_a_btreemap() {
        let mut store = Store::new();
        let mut map = BTreeMap::new();
        let mut x: u64 = 7;
        for step in 0..4000u32 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let key = k(["a", "b", "c"][(x >> 60) as usize % 3], &format!("n{}", (x >> 33) % 40));
            if (x >> 20) % 3 == 0 {
                assert_eq!(store.remove(&key), map.remove(&key));
            } else {
                assert_eq!(store.insert(key.clone(), step), map.insert(key.clone(), step));
            }
            assert_eq!(store.get(&key), map.get(&key));
            assert_eq!(store.contains_key(&key), map.contains_key(&key));
            assert_eq!(store.len(), map.len());
            assert_eq!(store.is_empty(), map.is_empty());
            if step % 97 == 0 {
                assert!(store.iter().eq(map.iter()));
                assert!(store.keys().eq(map.keys()));
                assert!(store.values().eq(map.values()));
                assert!(store.range(k("b", "")..).eq(map.range(k("b", "")..)));
                let mut copy = map.clone();
                assert!(store.clone().range_mut(k("b", "")..k("c", "")).eq(copy.range_mut(k("b", "")..k("c", ""))));
            }
        }
        // Slots are reused: never more slots than the most keys ever held.
        assert!(store.slots.len() <= 120);
        if let Some(v) = store.get_mut(&k("a", "n1")) {
            *v = 99;
        }
        assert!(store.get(&k("a", "n1")).is_none_or(|&v| v == 99));
    }
}

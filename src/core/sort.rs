//! One sort for the whole crate.
//!
//! Every `slice::sort_by` on a new element type or comparator instantiates
//! the standard library's driftsort again, about 4 KB of Wasm each; the page
//! had 25 of them (~110 KB, a fifth of the download). These helpers sort a
//! list of indices with a comparator behind `&dyn`, so there is one copy of
//! the sort, then move the elements into place. Stable, like `sort_by`.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `v` stably by `cmp` (as `v.sort_by(cmp)`).
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &|a, b| cmp(&v[a], &v[b]));
    permute(v, &mut order);
}

/// Sorts `v` stably by a key (as `v.sort_by_key(key)`).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// Sorts `v` stably in its natural order (as `v.sort()`).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp)
}

/// Collects pairs into a `BTreeMap` (as `collect()`: a later duplicate key's
/// value wins) by inserting them one by one: `BTreeMap::from_iter` sorts the
/// pairs first with a stable sort of its own per pair type.
pub fn collect_map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    map
}

/// Collects into a `BTreeSet` (as `collect()`), without its sort.
pub fn collect_set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for x in items {
        set.insert(x);
    }
    set
}

/// Sorts slot numbers in place (insertion sort when short, else heapsort:
/// no allocation, no comparator call, a few hundred bytes instead of
/// another copy of the standard unstable sort), for the engine's per-flush
/// lists of changed Pods.
pub fn sort_u32(v: &mut [u32]) {
    fn sift_down(v: &mut [u32], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && v[child] < v[child + 1] {
                child += 1;
            }
            if v[root] >= v[child] {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    if v.is_sorted() {
        return;
    }
    if v.len() <= 16 {
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && v[j - 1] > v[j] {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    for start in (0..v.len() / 2).rev() {
        sift_down(v, start, v.len());
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

/// The one instantiation of the standard sort.
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Puts `v[order[k]]` at position `k`, following each cycle of the
/// permutation with swaps (no clone, no allocation).
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut cur = start;
        loop {
            let next = order[cur];
            order[cur] = cur;
            if next == start {
                break;
            }
            v.swap(cur, next);
            cur = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        // A fixed pseudo-random sequence with many equal keys.
        let mut x = 12345u64;
        let mut v: Vec<(u8, u32)> = (0..500)
            .map(|i| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((x >> 59) as u8, i)
            })
            .collect();
        let mut expected = v.clone();
        expected.sort_by_key(|p| p.0);
        sort_by_key(&mut v, |p| p.0);
        assert_eq!(v, expected);
        let mut w = vec![3, 1, 2];
        sort(&mut w);
        assert_eq!(w, [1, 2, 3]);
        let mut empty: Vec<String> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }

    #[test]
    fn sort_u32_sorts_like_sort_unstable() {
        let mut x = 99u64;
        for len in [0usize, 1, 2, 3, 7, 64, 1000] {
            let mut v: Vec<u32> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (x >> 54) as u32
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_unstable();
            sort_u32(&mut v);
            assert_eq!(v, expected, "length {len}");
        }
    }

    #[test]
    fn collects_like_from_iter() {
        let pairs = [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)];
        assert_eq!(collect_map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(collect_set(pairs.map(|p| p.0)), pairs.map(|p| p.0).into_iter().collect::<BTreeSet<_>>());
    }
}

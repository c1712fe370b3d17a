//! The reports' key-ordered map: keys and values in two sorted vectors. It iterates, serializes
//! and merges exactly as a `BTreeMap` would (ascending keys, one value a key, a repeated key's
//! last value kept), but its code is a binary search and a vector insert per key/value pair: a
//! `BTreeMap` instantiates its node code (search, split, merge, steal, navigate, drop) for each
//! of the ~40 key/value pairs the reports use, which was ≈ 270 KB raw of the worker's wasm. The
//! reports' maps are small (currencies, periods of a year, accounts), where a vector insert is
//! also no slower.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

#[derive(Clone, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    keys: Vec<K>,
    values: Vec<V>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        Self {
            keys: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SortedMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K, V> SortedMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn iter(&self) -> std::iter::Zip<std::slice::Iter<'_, K>, std::slice::Iter<'_, V>> {
        self.keys.iter().zip(self.values.iter())
    }

    pub fn iter_mut(
        &mut self,
    ) -> std::iter::Zip<std::slice::Iter<'_, K>, std::slice::IterMut<'_, V>> {
        self.keys.iter().zip(self.values.iter_mut())
    }

    pub fn keys(&self) -> std::slice::Iter<'_, K> {
        self.keys.iter()
    }

    pub fn values(&self) -> std::slice::Iter<'_, V> {
        self.values.iter()
    }

    pub fn values_mut(&mut self) -> std::slice::IterMut<'_, V> {
        self.values.iter_mut()
    }

    pub fn into_values(self) -> std::vec::IntoIter<V> {
        self.values.into_iter()
    }

    pub fn pop_first(&mut self) -> Option<(K, V)> {
        if self.keys.is_empty() {
            return None;
        }
        Some((self.keys.remove(0), self.values.remove(0)))
    }

    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.keys.first().zip(self.values.first())
    }

    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.keys.last().zip(self.values.last())
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        let keys = std::mem::take(&mut self.keys);
        let values = std::mem::take(&mut self.values);
        for (k, mut v) in keys.into_iter().zip(values) {
            if keep(&k, &mut v) {
                self.keys.push(k);
                self.values.push(v);
            }
        }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        // Keys mostly arrive in order (days, periods): the last slot is tried first.
        match self.keys.last() {
            None => Err(0),
            Some(last) => match last.borrow().cmp(key) {
                std::cmp::Ordering::Less => Err(self.keys.len()),
                std::cmp::Ordering::Equal => Ok(self.keys.len() - 1),
                std::cmp::Ordering::Greater => self.keys.binary_search_by(|k| k.borrow().cmp(key)),
            },
        }
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.values[i])
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &mut self.values[i])
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.values[i], value)),
            Err(i) => {
                self.keys.insert(i, key);
                self.values.insert(i, value);
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        self.keys.remove(i);
        Some(self.values.remove(i))
    }

    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        let slot = self.find(&key);
        Entry {
            map: self,
            key,
            slot,
        }
    }
}

/// A key's place in the map, as `btree_map::Entry` gives it (only the calls the reports make).
pub struct Entry<'a, K, V> {
    map: &'a mut SortedMap<K, V>,
    key: K,
    slot: Result<usize, usize>,
}

impl<'a, K, V> Entry<'a, K, V> {
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        let i = match self.slot {
            Ok(i) => i,
            Err(i) => {
                self.map.keys.insert(i, self.key);
                self.map.values.insert(i, make());
                i
            }
        };
        &mut self.map.values[i]
    }

    pub fn or_insert(self, value: V) -> &'a mut V {
        self.or_insert_with(|| value)
    }

    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::iter::Zip<std::vec::IntoIter<K>, std::vec::IntoIter<V>>;
    fn into_iter(self) -> Self::IntoIter {
        self.keys.into_iter().zip(self.values)
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Zip<std::slice::Iter<'a, K>, std::slice::Iter<'a, V>>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut SortedMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = std::iter::Zip<std::slice::Iter<'a, K>, std::slice::IterMut<'a, V>>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, pairs: I) {
        if self.is_empty() {
            *self = pairs.into_iter().collect();
            return;
        }
        for (k, v) in pairs {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    /// Sorted once, not inserted one by one: a map collected from a whole history (clearing's
    /// entries by id) would otherwise move its tail on every insert.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let (keys, values): (Vec<K>, Vec<V>) = pairs.into_iter().unzip();
        if keys.windows(2).all(|w| w[0] < w[1]) {
            return Self { keys, values };
        }
        let order = stable_order(keys.len(), &|a, b| keys[a].cmp(&keys[b]));
        // Of equal keys the stable order puts the last given last: it is the one kept.
        let kept: Vec<usize> = order
            .iter()
            .enumerate()
            .filter(|&(j, &i)| order.get(j + 1).is_none_or(|&next| keys[next] != keys[i]))
            .map(|(_, &i)| i)
            .collect();
        let mut keys: Vec<Option<K>> = keys.into_iter().map(Some).collect();
        let mut values: Vec<Option<V>> = values.into_iter().map(Some).collect();
        let mut map = Self::new();
        for i in kept {
            if let (Some(k), Some(v)) = (keys[i].take(), values[i].take()) {
                map.keys.push(k);
                map.values.push(v);
            }
        }
        map
    }
}

/// Sorts `items` stably by `cmp`, as `slice::sort_by` does, through the one index sort: a
/// `sort_by` per element type is ≈ 3 KB of wasm (drift sort, partitions, small sorts) each.
pub fn sort_stable<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let order = stable_order(items.len(), &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// The indices `0..len` in stable ascending order of `cmp`: one sort in the binary for every
/// key type (a sort of the pairs would be one per key/value pair).
fn stable_order(len: usize, cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SortedMap<K, V> {
    fn from(pairs: [(K, V); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl<K: Serialize, V: Serialize> Serialize for SortedMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for SortedMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = SortedMap<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = SortedMap::new();
                while let Some((k, v)) = access.next_entry()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::SortedMap;
    use std::collections::BTreeMap;

    // Against BTreeMap on inserts out of order, repeats, entry and retain: same pairs, same order.
    #[test]
    fn orders_and_replaces_as_a_btree_map() {
        let keys = ["m", "c", "x", "c", "a", "z", "m", "b", "y", "a"];
        let mut sorted = SortedMap::new();
        let mut btree = BTreeMap::new();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(
                sorted.insert(k.to_string(), i),
                btree.insert(k.to_string(), i)
            );
            *sorted.entry(format!("{k}{k}")).or_default() += i;
            *btree.entry(format!("{k}{k}")).or_default() += i;
        }
        sorted.retain(|k, v| k.len() == 1 || *v % 2 == 0);
        btree.retain(|k, v| k.len() == 1 || *v % 2 == 0);
        let got: Vec<_> = sorted.iter().collect();
        let want: Vec<_> = btree.iter().collect();
        assert_eq!(got, want);
        assert_eq!(sorted.get("c"), Some(&3));
        assert_eq!(sorted.remove("c"), Some(3));
        assert_eq!(sorted.get("c"), None);
        assert_eq!(
            serde_json::to_string(&sorted.pop_first()).ok(),
            Some(r#"["a",9]"#.to_string())
        );
    }

    #[test]
    fn collects_as_a_btree_map() {
        let pairs = [
            (5, 'a'),
            (1, 'b'),
            (5, 'c'),
            (3, 'd'),
            (1, 'e'),
            (9, 'f'),
            (5, 'g'),
        ];
        let sorted: SortedMap<i32, char> = pairs.into_iter().collect();
        let btree: BTreeMap<i32, char> = pairs.into_iter().collect();
        assert_eq!(
            sorted.into_iter().collect::<Vec<_>>(),
            btree.into_iter().collect::<Vec<_>>()
        );
        let ascending: SortedMap<i32, char> = [(1, 'a'), (2, 'b')].into_iter().collect();
        assert_eq!(ascending.keys().copied().collect::<Vec<_>>(), [1, 2]);
    }

    #[test]
    fn sorts_stably_as_sort_by() {
        let mut items: Vec<(u8, usize)> = [3, 1, 2, 3, 1, 0, 2, 3].into_iter().zip(0..).collect();
        let mut want = items.clone();
        want.sort_by_key(|a| a.0);
        super::sort_stable(&mut items, |a, b| a.0.cmp(&b.0));
        assert_eq!(items, want);
    }

    #[test]
    fn reads_and_writes_json_as_a_btree_map() {
        let text = r#"{"b":1,"a":2,"b":3}"#;
        let sorted: SortedMap<String, u32> = serde_json::from_str(text).unwrap_or_default();
        let btree: BTreeMap<String, u32> = serde_json::from_str(text).unwrap_or_default();
        assert_eq!(sorted.len(), 2);
        assert_eq!(
            serde_json::to_string(&sorted).ok(),
            serde_json::to_string(&btree).ok()
        );
    }
}

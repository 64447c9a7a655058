//! The base every stage builds on: the hash map tally counts in and the hash that splits a corpus
//! into shards and dispersion parts. It imports nothing of tally, so any module may import it.

use std::collections::HashMap;

use foldhash::fast::RandomState;

/// A hash map with a fast, non-cryptographic hasher (report order never depends on it).
pub type FastMap<K, V> = HashMap<K, V, RandomState>;

/// The 64-bit FNV-1a hash: the same on every machine and in every version, so shards agree on
/// which documents are whose without talking.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    #[test]
    fn fnv1a_is_the_published_hash() {
        // The FNV-1a 64-bit test vectors of the hash's authors.
        assert_eq!(super::fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}

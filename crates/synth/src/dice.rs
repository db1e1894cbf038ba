//! Seeded random streams. Every stream is a ChaCha8 generator keyed by the
//! master seed and a stream label, so a part of the scenario (the story, or
//! the background chunk 17) draws the same numbers whatever else was drawn
//! before it, on any machine and any number of threads.

use chacha20::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// A random stream with the draws the generator needs.
pub struct Dice(ChaCha8Rng);

/// SplitMix64's finaliser: a bijection on `u64` that spreads bits well.
/// Used to derive stream keys and opaque ids (distinct inputs give distinct outputs).
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Dice {
    /// The stream `label`/`index` of the scenario with `seed`.
    pub fn stream(seed: u64, label: u64, index: u64) -> Self {
        let key = mix(seed ^ mix(label.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ mix(index.wrapping_add(1))));
        Dice(ChaCha8Rng::seed_from_u64(key))
    }

    /// 64 random bits.
    pub fn bits(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number in `0..n` (`n` > 0), without modulo bias worth speaking of
    /// (Lemire's multiply-shift).
    pub fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((self.bits() as u128 * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.bits() >> 11) as f64 * (1.0 / (1u64 << 53) as f64) < p
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One item by weight: `items` are (weight, item).
    pub fn weighted<T: Copy>(&mut self, items: &[(u32, T)]) -> T {
        let total: u32 = items.iter().map(|(w, _)| w).sum();
        let mut at = self.below(total as usize) as u32;
        for (w, item) in items {
            if at < *w {
                return *item;
            }
            at -= w;
        }
        items[items.len() - 1].1
    }

    /// `n` decimal digits.
    pub fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }

    /// `n` upper-case letters.
    pub fn letters(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'A' + self.below(26) as u8)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_repeat_and_differ() {
        let a: Vec<u64> = (0..4).map(|_| Dice::stream(1, 2, 3).bits()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Dice::stream(1, 2, 3).bits(), Dice::stream(1, 2, 4).bits());
        assert_ne!(Dice::stream(1, 2, 3).bits(), Dice::stream(2, 2, 3).bits());
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut d = Dice::stream(7, 0, 0);
        let mut seen = [false; 5];
        for _ in 0..200 {
            let x = d.below(5);
            seen[x] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn mix_is_a_bijection_on_a_sample() {
        let mut out: Vec<u64> = (0..10_000).map(mix).collect();
        out.sort();
        out.dedup();
        assert_eq!(out.len(), 10_000);
    }
}

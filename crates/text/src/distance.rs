//! Allocation-free Jaro–Winkler and Levenshtein on bytes, for folded
//! (ASCII) tokens, which is what matching compares millions of times.
//! Longer or non-ASCII input falls back to `strsim`.

const MAX: usize = 64;

/// Jaro–Winkler similarity (Winkler 1990: prefix scale 0.1, up to 4
/// characters, applied above 0.7), equal to `strsim::jaro_winkler` on ASCII.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || x.len() > MAX || y.len() > MAX {
        return strsim::jaro_winkler(a, b);
    }
    let j = jaro(x, y);
    // Winkler's boost threshold: no prefix bonus below 0.7.
    if j <= 0.7 {
        return j;
    }
    let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count() as f64;
    j + prefix * 0.1 * (1.0 - j)
}

fn jaro(x: &[u8], y: &[u8]) -> f64 {
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let window = (x.len().max(y.len()) / 2).saturating_sub(1);
    let mut y_used = [false; MAX];
    let mut x_match = [0u8; MAX];
    let mut m = 0usize;
    for (i, &c) in x.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(y.len());
        for j in lo..hi {
            if !y_used[j] && y[j] == c {
                y_used[j] = true;
                x_match[m] = c;
                m += 1;
                break;
            }
        }
    }
    if m == 0 {
        return 0.0;
    }
    let mut t = 0usize;
    let mut k = 0usize;
    for (j, &c) in y.iter().enumerate() {
        if y_used[j] {
            if c != x_match[k] {
                t += 1;
            }
            k += 1;
        }
    }
    let m = m as f64;
    (m / x.len() as f64 + m / y.len() as f64 + (m - (t / 2) as f64) / m) / 3.0
}

/// Levenshtein distance, equal to `strsim::levenshtein` on ASCII.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || y.len() >= MAX {
        return strsim::levenshtein(a, b);
    }
    let mut row = [0usize; MAX + 1];
    for (j, r) in row.iter_mut().enumerate().take(y.len() + 1) {
        *r = j;
    }
    for (i, &c) in x.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for j in 0..y.len() {
            let cur = row[j + 1];
            let cost = usize::from(c != y[j]);
            row[j + 1] = (prev + cost).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[y.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_strsim(a in "[a-z]{0,20}", b in "[a-z]{0,20}") {
            prop_assert!((jaro_winkler(&a, &b) - strsim::jaro_winkler(&a, &b)).abs() < 1e-9);
            prop_assert_eq!(levenshtein(&a, &b), strsim::levenshtein(&a, &b));
        }
    }
}

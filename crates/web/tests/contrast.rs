//! WCAG 2.1 AA contrast of the workspace's colours: every pair of text
//! colour and the background it is drawn on in `assets/veza.css` reaches
//! 4.5:1 (normal text); the focus ring reaches 3:1 (WCAG
//! 1.4.11, non-text contrast). The colours are read from the stylesheet's
//! custom properties, so changing one re-runs the check.

use std::collections::HashMap;

fn variables() -> HashMap<String, (f64, f64, f64)> {
    let css = include_str!("../assets/veza.css");
    let mut vars = HashMap::new();
    for line in css.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("--") else { continue };
        let Some((name, value)) = rest.split_once(':') else { continue };
        let value = value.trim().trim_end_matches(';').trim();
        if let Some(hex) = value.strip_prefix('#')
            && hex.len() == 6
            && let Ok(n) = u32::from_str_radix(hex, 16)
        {
            let c = |shift: u32| f64::from((n >> shift) & 0xff) / 255.0;
            vars.insert(name.trim().to_owned(), (c(16), c(8), c(0)));
        }
    }
    vars
}

/// Relative luminance (WCAG 2.1).
fn luminance((r, g, b): (f64, f64, f64)) -> f64 {
    let lin = |c: f64| if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn ratio(a: (f64, f64, f64), b: (f64, f64, f64)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn text_colours_reach_aa_on_their_backgrounds() {
    let vars = variables();
    assert!(vars.len() > 15, "the stylesheet's colours were not read: {vars:?}");
    let white = (1.0, 1.0, 1.0);
    let get = |name: &str| *vars.get(name).unwrap_or_else(|| panic!("--{name} is not a #rrggbb colour"));
    let text_pairs = [
        ("ink", "bg"),
        ("ink", "card"),
        ("ink-soft", "card"),
        ("ink-soft", "bg"),
        ("muted", "card"),
        ("muted", "bg"),
        ("link", "card"),
        ("link", "bg"),
        ("link-hover", "card"),
        ("brand-ink", "brand"),
        ("nav-ink", "brand"),
        ("nav-ink", "nav-menu"),
        ("brand-ink", "nav-menu"),
        ("tag-ink", "tag-bg"),
        ("warn-ink", "warn-bg"),
        ("demo-ink", "demo-bg"),
    ];
    let mut failures = Vec::new();
    for (fg, bg) in text_pairs {
        let r = ratio(get(fg), get(bg));
        if r < 4.5 {
            failures.push(format!("--{fg} on --{bg}: {r:.2}:1"));
        }
    }
    // The muted text of flagged audit rows and of the tables' white cells.
    if ratio(get("muted"), white) < 4.5 {
        failures.push("--muted on white".into());
    }
    for (fg, bg) in [("focus", "card"), ("focus", "bg"), ("nav-focus", "brand"), ("nav-focus", "nav-menu")] {
        let r = ratio(get(fg), get(bg));
        if r < 3.0 {
            failures.push(format!("--{fg} on --{bg}: {r:.2}:1 (non-text, 3:1)"));
        }
    }
    assert!(failures.is_empty(), "below WCAG 2.1 AA: {failures:?}");
}

#[test]
fn the_ratio_is_the_standard_one() {
    assert!((ratio((0.0, 0.0, 0.0), (1.0, 1.0, 1.0)) - 21.0).abs() < 1e-9);
    assert!((ratio((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)) - 1.0).abs() < 1e-9);
}

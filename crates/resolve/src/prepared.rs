//! Records made ready for comparison: each value prepared once, and how
//! often each normalised value occurs (for term-frequency adjustment).

use crate::compare::{self, Value};
use crate::model::MISSING;
use crate::record::{FieldKind, Record, Schema};
use rayon::prelude::*;
use std::collections::HashMap;

/// Prepared values of many records, `fields` per record, in record order.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Number of fields per record.
    pub fields: usize,
    /// Prepared values, flat: record `i`'s field `f` is at `i * fields + f`.
    pub values: Vec<Option<Value>>,
    /// Per field: how many records hold each normalised value.
    pub counts: Vec<HashMap<String, u32>>,
    /// Per field: how many records hold any value.
    pub filled: Vec<u64>,
    /// Pairs of fields whose values clerks swap (given name and surname;
    /// two address lines): compared crosswise too, see [`Prepared::compare_into`].
    pub swappable: Vec<(usize, usize)>,
}

/// The pairs of fields one clerk may fill the other way round: the first
/// given name and surname fields, and the first two address fields.
fn swappable(schema: &Schema) -> Vec<(usize, usize)> {
    let first =
        |kind: FieldKind, skip: usize| schema.fields.iter().enumerate().filter(|(_, x)| x.kind == kind).nth(skip);
    let mut out = Vec::new();
    if let (Some((g, _)), Some((s, _))) = (first(FieldKind::GivenName, 0), first(FieldKind::Surname, 0)) {
        out.push((g, s));
    }
    if let (Some((a, _)), Some((b, _))) = (first(FieldKind::Address, 0), first(FieldKind::Address, 1)) {
        out.push((a, b));
    }
    out
}

impl Prepared {
    /// Prepares records of `schema` (in parallel).
    pub fn new(schema: &Schema) -> Prepared {
        let f = schema.fields.len();
        Prepared {
            fields: f,
            values: Vec::new(),
            counts: vec![HashMap::new(); f],
            filled: vec![0; f],
            swappable: swappable(schema),
        }
    }

    /// Appends records, updating value counts.
    pub fn extend(&mut self, schema: &Schema, records: &[Record]) {
        let new: Vec<Option<Value>> = records
            .par_iter()
            .flat_map_iter(|r| {
                schema.fields.iter().enumerate().map(move |(f, field)| {
                    r.values.get(f).and_then(|v| v.as_deref()).and_then(|v| compare::prepare(field.kind, v))
                })
            })
            .collect();
        for (i, v) in new.iter().enumerate() {
            if let Some(v) = v {
                let f = i % self.fields;
                *self.counts[f].entry(v.key().into_owned()).or_default() += 1;
                self.filled[f] += 1;
            }
        }
        self.values.extend(new);
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.values.len().checked_div(self.fields).unwrap_or(0)
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Record `i`'s value of field `f`.
    pub fn value(&self, i: usize, f: usize) -> Option<&Value> {
        self.values[i * self.fields + f].as_ref()
    }

    /// The share of filled records holding record `i`'s value of field `f`.
    pub fn frequency(&self, i: usize, f: usize) -> Option<f64> {
        let v = self.value(i, f)?;
        let count = *self.counts[f].get(v.key().as_ref())? as f64;
        Some(count / self.filled[f].max(1) as f64)
    }

    /// The comparison vector of records `a` and `b` into `out`. A pair of
    /// swappable fields (given name and surname, two address lines) that
    /// agrees better crosswise than straight — `RUBY VINCENT` beside
    /// `VINCENT RUBY` — takes the crosswise levels: the worse of the two
    /// crosswise levels must beat the worse of the two straight ones, with
    /// all four values present; the better crosswise level is the first field's.
    pub fn compare_into(&self, schema: &Schema, a: usize, b: usize, out: &mut [u8]) {
        for (f, field) in schema.fields.iter().enumerate() {
            out[f] = match (self.value(a, f), self.value(b, f)) {
                (Some(x), Some(y)) => compare::level(field.kind, x, y),
                _ => MISSING,
            };
        }
        for &(f, g) in &self.swappable {
            if out[f] == MISSING || out[g] == MISSING {
                continue;
            }
            let (Some(af), Some(ag), Some(bf), Some(bg)) =
                (self.value(a, f), self.value(a, g), self.value(b, f), self.value(b, g))
            else {
                continue;
            };
            let cross_f = compare::level(schema.fields[f].kind, af, bg);
            let cross_g = compare::level(schema.fields[g].kind, ag, bf);
            if cross_f.max(cross_g) < out[f].max(out[g]) {
                // The better crosswise level goes to the first field, so the
                // vector does not depend on which record comes first.
                out[f] = cross_f.min(cross_g);
                out[g] = cross_f.max(cross_g);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Field;

    fn levels(schema: &Schema, a: &[&str], b: &[&str]) -> Vec<u8> {
        let mut p = Prepared::new(schema);
        let r = |id: &str, v: &[&str]| Record::new(id, v.iter().map(|x| Some(x.to_string())).collect());
        p.extend(schema, &[r("a", a), r("b", b)]);
        let mut out = vec![0; schema.fields.len()];
        p.compare_into(schema, 0, 1, &mut out);
        out
    }

    #[test]
    fn swapped_given_name_and_surname_compare_crosswise() {
        let schema = Schema::new(vec![
            Field::new("given", FieldKind::GivenName),
            Field::new("surname", FieldKind::Surname),
            Field::new("street", FieldKind::Address),
            Field::new("locality", FieldKind::Address),
        ]);
        let out = levels(
            &schema,
            &["ruby", "vincent", "bunya close", "lumeah"],
            &["vincent", "ruby", "lumeah", "bunya close"],
        );
        assert_eq!(out, [0, 0, 0, 0]);
        // Straight agreement is kept when crosswise is no better.
        let out = levels(&schema, &["ruby", "vincent", "a", "b"], &["ruby", "vincen", "a", "b"]);
        assert_eq!(out[0], 0);
        assert!(out[1] > 0);
        // Only one name agreeing crosswise is not a swap.
        let straight = levels(&schema, &["ruby", "vincent", "a", "b"], &["vincent", "stubbs", "a", "b"]);
        assert_eq!(straight[0], compare::levels(FieldKind::GivenName).len() as u8 - 1);
    }

    #[test]
    fn crosswise_comparison_is_symmetric() {
        let schema = Schema::new(vec![Field::new("g", FieldKind::GivenName), Field::new("s", FieldKind::Surname)]);
        for (a, b) in [(["ana", "petrovic"], ["petrović", "ana"]), (["ivo", "ivić"], ["ivic", "iva"])] {
            assert_eq!(levels(&schema, &a, &b), levels(&schema, &b, &a));
        }
    }
}

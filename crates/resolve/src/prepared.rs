//! Records made ready for comparison: each value prepared once, and how
//! often each normalised value occurs (for term-frequency adjustment).

use crate::compare::{self, Value};
use crate::model::MISSING;
use crate::record::{Record, Schema};
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
}

impl Prepared {
    /// Prepares records of `schema` (in parallel).
    pub fn new(schema: &Schema) -> Prepared {
        let f = schema.fields.len();
        Prepared { fields: f, values: Vec::new(), counts: vec![HashMap::new(); f], filled: vec![0; f] }
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

    /// The comparison vector of records `a` and `b` into `out`.
    pub fn compare_into(&self, schema: &Schema, a: usize, b: usize, out: &mut [u8]) {
        for (f, field) in schema.fields.iter().enumerate() {
            out[f] = match (self.value(a, f), self.value(b, f)) {
                (Some(x), Some(y)) => compare::level(field.kind, x, y),
                _ => MISSING,
            };
        }
    }
}

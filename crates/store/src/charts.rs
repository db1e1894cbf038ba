//! What the link chart and the timeline read beyond the network walk:
//! saved charts (one body of SQL for both back ends), the entities of a
//! case, and entities by id with their values.
//!
//! A saved chart belongs to the user who saved it: only they list, open,
//! change or delete it. It holds node ids and layout, never names; the app
//! reads every node again through the policy when the chart is opened.
//! Entities by id and the entities of a case pass `Caller::can_see` per
//! row, as the walk does.

use crate::error::StoreError;
use crate::policy::Caller;
use async_trait::async_trait;
use serde::Serialize;
use veza_model::Entity;

/// What a chart was opened from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartAnchor {
    /// An entity's neighbourhood.
    Entity,
    /// A case's entities.
    Case,
}

impl ChartAnchor {
    /// The code in the database and the API.
    pub fn code(self) -> &'static str {
        match self {
            ChartAnchor::Entity => "entity",
            ChartAnchor::Case => "case",
        }
    }

    /// The anchor a code names.
    pub fn parse(code: &str) -> Option<ChartAnchor> {
        match code {
            "entity" => Some(ChartAnchor::Entity),
            "case" => Some(ChartAnchor::Case),
            _ => None,
        }
    }
}

/// A chart to save: new (`id` is `None`) or a new version of one of the
/// caller's own charts.
#[derive(Debug, Clone, PartialEq)]
pub struct NewChart {
    /// The chart to replace, if any.
    pub id: Option<i64>,
    /// Title the user gave.
    pub title: String,
    /// What it was opened from.
    pub anchor: ChartAnchor,
    /// The entity or case id.
    pub anchor_id: String,
    /// Layout as JSON (the app's shape; the store keeps it as text).
    pub layout: String,
}

/// A saved chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedChart {
    /// Number.
    pub id: i64,
    /// User who saved it.
    pub owner: String,
    /// Their agency.
    pub owner_agency: String,
    /// Title.
    pub title: String,
    /// What it was opened from.
    pub anchor: ChartAnchor,
    /// The entity or case id.
    pub anchor_id: String,
    /// Layout as JSON.
    pub layout: String,
    /// When first saved, microseconds.
    pub created_at: i64,
    /// When last saved, microseconds.
    pub changed_at: i64,
}

/// Saved charts, and the reads of the chart and timeline pages.
#[async_trait]
pub trait Charts {
    /// Saves a chart of the caller (a user); returns its number. Replacing
    /// a chart that is not the caller's is `Missing`.
    async fn save_chart(&self, caller: &Caller, chart: &NewChart, now: i64) -> Result<i64, StoreError>;
    /// The caller's saved charts, last changed first.
    async fn saved_charts(&self, caller: &Caller) -> Result<Vec<SavedChart>, StoreError>;
    /// One of the caller's saved charts.
    async fn saved_chart(&self, caller: &Caller, id: i64) -> Result<Option<SavedChart>, StoreError>;
    /// Deletes one of the caller's saved charts; false when there is none.
    async fn delete_chart(&self, caller: &Caller, id: i64) -> Result<bool, StoreError>;
    /// The entities among `ids` the caller may see, with their values (as
    /// `Store::entity` gives them), in storage order.
    async fn entities_by_id(&self, caller: &Caller, ids: &[String]) -> Result<Vec<Entity>, StoreError>;
    /// Ids and schemata of the entities of case `case_id` that the caller may see, at
    /// most `limit`, by id: those whose `case` values name it (a suspect, a
    /// victim) and those such records link to (`case_refs`: the suspect's person).
    async fn case_entity_ids(
        &self,
        caller: &Caller,
        case_id: &str,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError>;
}

/// The user name of a caller who may keep charts.
pub(crate) fn chart_owner(caller: &Caller) -> Result<(&str, &str), StoreError> {
    match caller {
        Caller::User { username, agency, .. } => Ok((username, agency)),
        Caller::System { .. } => Err(StoreError::Forbidden("only a signed-in user keeps saved charts".into())),
    }
}

/// Columns of `saved_chart` that [`read_chart`] reads.
pub(crate) const CHART_COLUMNS: &str =
    "id, owner, owner_agency, title, anchor_kind, anchor_id, layout, created_at, changed_at";

/// A `saved_chart` row.
pub(crate) fn read_chart<R: sqlx::Row>(r: &R) -> Result<SavedChart, StoreError>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let kind: String = r.try_get(4)?;
    Ok(SavedChart {
        id: r.try_get(0)?,
        owner: r.try_get(1)?,
        owner_agency: r.try_get(2)?,
        title: r.try_get(3)?,
        anchor: ChartAnchor::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("chart anchor '{kind}'")))?,
        anchor_id: r.try_get(5)?,
        layout: r.try_get(6)?,
        created_at: r.try_get(7)?,
        changed_at: r.try_get(8)?,
    })
}

/// Implements [`Charts`] for a back end (the SQL is the same on both).
macro_rules! charts_impl {
    ($store:ty) => {
        use crate::charts::{CHART_COLUMNS, Charts, NewChart, SavedChart, chart_owner, read_chart};
        use crate::error::StoreError;
        use crate::network::LinkSource;
        use crate::policy::Caller;
        use async_trait::async_trait;
        use sqlx::AssertSqlSafe;
        use veza_model::Entity;

        #[async_trait]
        impl Charts for $store {
            async fn save_chart(&self, caller: &Caller, chart: &NewChart, now: i64) -> Result<i64, StoreError> {
                let (owner, agency) = chart_owner(caller)?;
                match chart.id {
                    Some(id) => {
                        let done = sqlx::query(
                            "UPDATE saved_chart SET title = $1, anchor_kind = $2, anchor_id = $3, layout = $4, \
                             changed_at = $5 WHERE id = $6 AND owner = $7",
                        )
                        .bind(&chart.title)
                        .bind(chart.anchor.code())
                        .bind(&chart.anchor_id)
                        .bind(&chart.layout)
                        .bind(now)
                        .bind(id)
                        .bind(owner)
                        .execute(&self.pool)
                        .await?;
                        if done.rows_affected() == 0 {
                            return Err(StoreError::Missing(format!("no saved chart {id} of yours")));
                        }
                        Ok(id)
                    }
                    None => Ok(sqlx::query_scalar(
                        "INSERT INTO saved_chart(owner, owner_agency, title, anchor_kind, anchor_id, layout, \
                         created_at, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                    )
                    .bind(owner)
                    .bind(agency)
                    .bind(&chart.title)
                    .bind(chart.anchor.code())
                    .bind(&chart.anchor_id)
                    .bind(&chart.layout)
                    .bind(now)
                    .fetch_one(&self.pool)
                    .await?),
                }
            }

            async fn saved_charts(&self, caller: &Caller) -> Result<Vec<SavedChart>, StoreError> {
                let (owner, _) = chart_owner(caller)?;
                let sql = format!(
                    "SELECT {CHART_COLUMNS} FROM saved_chart WHERE owner = $1 ORDER BY changed_at DESC, id DESC"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(owner).fetch_all(&self.pool).await?;
                rows.iter().map(read_chart).collect()
            }

            async fn saved_chart(&self, caller: &Caller, id: i64) -> Result<Option<SavedChart>, StoreError> {
                let (owner, _) = chart_owner(caller)?;
                let sql = format!("SELECT {CHART_COLUMNS} FROM saved_chart WHERE id = $1 AND owner = $2");
                let row = sqlx::query(AssertSqlSafe(sql)).bind(id).bind(owner).fetch_optional(&self.pool).await?;
                row.as_ref().map(read_chart).transpose()
            }

            async fn delete_chart(&self, caller: &Caller, id: i64) -> Result<bool, StoreError> {
                let (owner, _) = chart_owner(caller)?;
                let done = sqlx::query("DELETE FROM saved_chart WHERE id = $1 AND owner = $2")
                    .bind(id)
                    .bind(owner)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn entities_by_id(&self, caller: &Caller, ids: &[String]) -> Result<Vec<Entity>, StoreError> {
                let mut out = Vec::new();
                for chunk in ids.chunks(5_000) {
                    let mut rids: Vec<i64> = self
                        .rows_by_id(chunk)
                        .await?
                        .into_iter()
                        .filter(|row| row.visible_to(caller))
                        .map(|row| row.rid)
                        .collect();
                    rids.sort_unstable();
                    out.extend(self.load(caller, &rids).await?);
                }
                Ok(out)
            }

            async fn case_entity_ids(
                &self,
                caller: &Caller,
                case_id: &str,
                limit: usize,
            ) -> Result<Vec<(String, String)>, StoreError> {
                // Through the (case, entity) index that migration 18's triggers keep.
                let ids: Vec<String> =
                    sqlx::query_scalar("SELECT entity_id FROM entity_case WHERE case_id = $1 ORDER BY entity_id")
                        .bind(case_id)
                        .fetch_all(&self.pool)
                        .await?;
                let mut visible = Vec::new();
                for chunk in ids.chunks(5_000) {
                    visible.extend(
                        self.rows_by_id(chunk)
                            .await?
                            .into_iter()
                            .filter(|row| row.visible_to(caller))
                            .map(|r| (r.id, r.schema)),
                    );
                }
                visible.sort();
                visible.truncate(limit);
                Ok(visible)
            }
        }
    };
}
pub(crate) use charts_impl;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_round_trip() {
        for a in [ChartAnchor::Entity, ChartAnchor::Case] {
            assert_eq!(ChartAnchor::parse(a.code()), Some(a));
        }
        assert_eq!(ChartAnchor::parse("person"), None);
    }
}

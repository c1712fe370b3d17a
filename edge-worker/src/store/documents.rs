//! Sales documents (migration 0012): the posts the core made per document and target, posted
//! through the outbox under the document's id, and the contacts made at each target.

use super::{n, s, Db, One, PostingState};
use worker::Result;

/// A document to store: its id, its target and the JSON array of its posts.
pub struct NewDocument {
    pub id: String,
    pub target: &'static str,
    pub posts: String,
}

row! {
    /// A contact as the target knows it.
    #[derive(Debug, Clone)]
    pub struct ContactRow {
        pub target_id: String,
        pub name: String,
        pub hash: String,
    }
}

row! {
    /// A contact row as an access request lists it: the key and the name are the person's data.
    pub struct HeldContact {
        pub target: String,
        pub key: String,
        pub name: String,
    }
}

impl Db {
    /// Stores each document with its pending outbox row, both only if absent: a later version of
    /// the order, or the same event mapped again, finds them made and changes nothing.
    pub async fn store_documents(
        &self,
        shop: &str,
        event_id: i64,
        docs: &[NewDocument],
        now: i64,
    ) -> Result<()> {
        let mut batch = Vec::new();
        for d in docs {
            batch.push(self.q(
                "INSERT OR IGNORE INTO documents (id, target, shop, posts, event_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                &[s(&d.id), s(d.target), s(shop), s(&d.posts), n(event_id), n(now)],
            )?);
            batch.push(self.q(
                "INSERT OR IGNORE INTO outbox (entry_id, target, shop, state, next_attempt_at, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5)",
                &[s(&d.id), s(d.target), s(shop), s(PostingState::Pending.as_str()), n(now)],
            )?);
        }
        if batch.is_empty() {
            return Ok(());
        }
        self.0.batch(batch).await.map(|_| ())
    }

    /// The posts of a document for `target`; `None` when `id` is not a document.
    pub async fn document_posts(&self, id: &str, target: &str) -> Result<Option<String>> {
        let row: Option<One<String>> = self
            .first(
                "SELECT posts AS v FROM documents WHERE id = ?1 AND target = ?2",
                &[s(id), s(target)],
            )
            .await?;
        Ok(row.map(|r| r.v))
    }

    /// Empties a posted document's posts: the target has the document, and the copy holds
    /// personal data. The row stays, so the document id still names what was posted.
    pub async fn forget_document_posts(&self, id: &str, target: &str) -> Result<()> {
        self.run(
            "UPDATE documents SET posts = '[]' WHERE id = ?1 AND target = ?2",
            &[s(id), s(target)],
        )
        .await
        .map(|_| ())
    }

    /// (event id, payload) of the shop's documents not posted yet whose event's payload was
    /// redacted, one row per document.
    pub async fn redacted_unposted_documents(
        &self,
        platform: &str,
        shop: &str,
    ) -> Result<Vec<(i64, String)>> {
        row! {
            struct Row {
                event_id: i64,
                payload: String,
            }
        }
        let rows: Vec<Row> = self
            .rows(
                "SELECT v.id AS event_id, v.payload FROM documents d
                 JOIN outbox x ON x.entry_id = d.id AND x.target = d.target
                 JOIN events v ON v.id = d.event_id
                 WHERE d.shop = ?2 AND v.platform = ?1 AND x.state != 'posted' AND d.posts != '[]'
                 AND v.redacted_at IS NOT NULL ORDER BY v.id LIMIT 500",
                &[s(platform), s(shop)],
            )
            .await?;
        Ok(rows.into_iter().map(|r| (r.event_id, r.payload)).collect())
    }

    /// New posts for documents not posted yet (a posted one stays emptied); how many changed.
    pub async fn replace_unposted_posts(&self, docs: &[NewDocument]) -> Result<usize> {
        let mut batch = Vec::new();
        for d in docs {
            batch.push(self.q(
                "UPDATE documents SET posts = ?3 WHERE id = ?1 AND target = ?2 AND posts != '[]'
                 AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.entry_id = ?1 AND x.target = ?2 AND x.state = 'posted')",
                &[s(&d.id), s(d.target), s(&d.posts)],
            )?);
        }
        if batch.is_empty() {
            return Ok(0);
        }
        let mut changed = 0;
        for result in self.0.batch(batch).await? {
            changed += result.meta()?.and_then(|m| m.changes).unwrap_or(0);
        }
        Ok(changed)
    }

    pub async fn contact(&self, shop: &str, target: &str, key: &str) -> Result<Option<ContactRow>> {
        self.first(
            "SELECT target_id, name, hash FROM contacts WHERE shop = ?1 AND target = ?2 AND key = ?3",
            &[s(shop), s(target), s(key)],
        )
        .await
    }

    pub async fn remember_contact(
        &self,
        shop: &str,
        target: &str,
        key: &str,
        row: &ContactRow,
        now: i64,
    ) -> Result<()> {
        self.run(
            "INSERT INTO contacts (shop, target, key, target_id, name, hash, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (shop, target, key) DO UPDATE SET target_id = excluded.target_id, name = excluded.name,
             hash = excluded.hash, updated_at = excluded.updated_at",
            &[s(shop), s(target), s(key), s(&row.target_id), s(&row.name), s(&row.hash), n(now)],
        )
        .await
        .map(|_| ())
    }

    /// The shop's contacts recorded under `keys` (a JSON array of find keys), at every target: what
    /// an access request lists beside the stored payloads.
    pub async fn contacts_under(&self, shop: &str, keys: &str) -> Result<Vec<HeldContact>> {
        self.rows(
            "SELECT target, key, name FROM contacts WHERE shop = ?1 AND key IN (SELECT value FROM json_each(?2))
             ORDER BY target, key",
            &[s(shop), s(keys)],
        )
        .await
    }

    /// Forgets the contacts recorded under `keys` (JSON array of find keys) at every target of the
    /// shop; `None` forgets all of the shop's. A row is only a shortcut to the target's contact,
    /// which a later document finds again by its key there (QBO Notes, Xero ContactNumber), so
    /// nothing is duplicated when a forgotten customer buys again. Returns the rows removed.
    pub async fn forget_contacts(&self, shop: &str, keys: Option<&str>) -> Result<usize> {
        self.run(
            "DELETE FROM contacts WHERE shop = ?1 AND (?2 IS NULL OR key IN (SELECT value FROM json_each(?2)))",
            &[s(shop), super::opt(keys)],
        )
        .await
    }
}

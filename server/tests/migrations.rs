//! Upgrading a database that already holds data: each migration keeps what is there, on SQLite
//! and on PostgreSQL.

mod common;

use std::borrow::Cow;

use omnify::db::{self, Db};
use sqlx::migrate::Migrator;

/// The schema as it stood before migration `version`.
async fn migrate_before(db: &Db, version: i64) {
    let earlier = Migrator {
        migrations: Cow::Owned(db::MIGRATOR.migrations.iter().filter(|m| m.version < version).cloned().collect()),
        ..Migrator::DEFAULT
    };
    earlier.run(&db.pool).await.unwrap();
}

async fn exec(db: &Db, sql: &str) {
    sqlx::query(sql).execute(&db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

macro_rules! both_backends_on_empty_databases {
    ($($(#[$meta:meta])* async fn $name:ident($db:ident) $body:block)*) => {
        mod sqlite {
            use super::*;
            $( $(#[$meta])* #[tokio::test]
               async fn $name() {
                   let empty = common::EmptyDatabase::create(common::Backend::Sqlite).await.unwrap();
                   let $db = Db::connect(&empty.url, 2).await.unwrap();
                   $body
               } )*
        }
        mod postgres {
            use super::*;
            $( $(#[$meta])* #[tokio::test]
               async fn $name() {
                   let Some(empty) = common::EmptyDatabase::create(common::Backend::Postgres).await else { return };
                   let $db = Db::connect(&empty.url, 2).await.unwrap();
                   $body
                   $db.pool.close().await;
               } )*
        }
    };
}

both_backends_on_empty_databases! {
    /// 0009 moves events from customer ids to customer row keys: every event stays with its
    /// customer, counts and reads are unchanged, and erasing a customer still erases their events.
    async fn events_keep_their_customers_when_they_move_to_row_keys(db) {
        migrate_before(&db, 9).await;
        for org in ["org-a", "org-b"] {
            exec(&db, &format!(
                "INSERT INTO organizations (id, name, slug, subscription_tier, settings, created_at, updated_at)
                 VALUES ('{org}', '{org}', '{org}', 'free', '{{}}', 0, 0)"
            )).await;
        }
        for (org, customer) in [("org-a", "cust-1"), ("org-a", "cust-2"), ("org-b", "cust-3")] {
            exec(&db, &format!(
                "INSERT INTO customers (id, organization_id, customer_key, tags, created_at, imported_at, updated_at)
                 VALUES ('{customer}', '{org}', '{customer}@example.com', '[]', 0, 0, 0)"
            )).await;
        }
        // The same event key under two organizations was allowed, and must stay two events.
        for (org, customer, key, at) in [
            ("org-a", "cust-1", 11, 100),
            ("org-a", "cust-1", 12, 300),
            ("org-a", "cust-2", 13, 200),
            ("org-b", "cust-3", 11, 400),
        ] {
            exec(&db, &format!(
                "INSERT INTO events (organization_id, event_key, customer_id, event_type, occurred_at, channel, spend_cents, content_id, campaign_id)
                 VALUES ('{org}', {key}, '{customer}', 'email_open', {at}, 'email', NULL, NULL, 'spring')"
            )).await;
        }

        db.migrate().await.unwrap();

        let events = db::events::for_customer(&db.pool, "org-a", "cust-1", None).await.unwrap();
        assert_eq!(events.iter().map(|e| (e.event_key, e.occurred_at)).collect::<Vec<_>>(), vec![(12, 300), (11, 100)]);
        assert_eq!(events[0].campaign_id.as_deref(), Some("spring"));
        // Another organization's customer is not reachable through this one.
        assert!(db::events::for_customer(&db.pool, "org-a", "cust-3", None).await.unwrap().is_empty());
        assert_eq!(db::events::for_customer(&db.pool, "org-b", "cust-3", None).await.unwrap().len(), 1);
        let keys: Vec<(i64,)> = sqlx::query_as("SELECT row_key FROM customers ORDER BY id").fetch_all(&db.pool).await.unwrap();
        assert_eq!(keys, vec![(1,), (2,), (3,)]);
        // customers + events of each organization.
        assert_eq!(db::eyes::data_version(&db.pool, "org-a").await.unwrap(), 2 + 3);
        assert_eq!(db::eyes::data_version(&db.pool, "org-b").await.unwrap(), 1 + 1);

        assert!(db::customers::delete(&db.pool, "org-a", "cust-1").await.unwrap());
        let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM events").fetch_one(&db.pool).await.unwrap();
        assert_eq!(left, 2, "cust-1's two events are erased with them");
    }
}

-- Events reference their customer by a compact 64-bit row key instead of the 36-character id,
-- and have one index instead of two. Imports write events at random places in their indexes,
-- and each commit rewrites every index page it touched: on SQLite the old shape (a primary key
-- on organization_id + event_key and an index on customer_id + occurred_at, both led by text)
-- capped a 1,000,000-event import near 42,000 rows/s in the engine itself; this shape measured
-- 149,000 (bench/sqlite_floor.sh, 2 cores).
--
-- An event now belongs to its organization through its customer: queries of an organization's
-- events join customers, and deleting a customer (or an organization, whose customers cascade)
-- deletes their events. Duplicates are found per customer: an event key is the source's event id
-- or the event's content, which name one customer.

-- Existing customers are numbered 1..n; new ones get a hash of their id (db::customers::new_row_key).
ALTER TABLE customers ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE TABLE customer_row_keys AS SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS row_key FROM customers;
CREATE UNIQUE INDEX customer_row_keys_id ON customer_row_keys (id);
UPDATE customers SET row_key = (SELECT k.row_key FROM customer_row_keys k WHERE k.id = customers.id);
DROP TABLE customer_row_keys;
CREATE UNIQUE INDEX customers_row_key ON customers (row_key);

CREATE TABLE events_by_customer (
    customer_row BIGINT NOT NULL REFERENCES customers (row_key) ON DELETE CASCADE,
    event_key    BIGINT NOT NULL,
    event_type   TEXT NOT NULL,
    occurred_at  BIGINT NOT NULL,
    channel      TEXT,
    spend_cents  BIGINT,
    content_id   TEXT,
    campaign_id  TEXT
);
INSERT INTO events_by_customer
SELECT c.row_key, e.event_key, e.event_type, e.occurred_at, e.channel, e.spend_cents, e.content_id, e.campaign_id
FROM events e JOIN customers c ON c.id = e.customer_id;
DROP TABLE events;
ALTER TABLE events_by_customer RENAME TO events;
-- Serves duplicate detection, a customer's events, and the cascade from customers.
CREATE UNIQUE INDEX events_customer_event ON events (customer_row, event_key);

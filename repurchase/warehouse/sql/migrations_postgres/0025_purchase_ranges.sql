-- 0025_purchase_ranges: indexes for the hold-out's units, which read their purchases as ranges
-- of days (sql/holdout_units.sql, holdout_last_day.sql). Indexes only: the schema DuckDB sees
-- is unchanged (migrations/0025_purchase_ranges.sql).

-- The won visits of a few weeks (`result = 'order' and visited_at >= ... and visited_at < ...`):
-- one visit in fifteen, read from the index alone instead of every visit of the range.
create index visits_won_at on visits (visited_at) include (customer_id, order_amount)
where result = 'order';

-- The order records of a few weeks, and the last order day from a given day on.
create index orders_order_date on orders (order_date) include (customer_id, amount);

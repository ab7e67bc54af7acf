-- snapshot_visits: one chunk of the visits the feature queries read (sql/feature_events.sql),
-- by visit id, for a copy made in short units of work.
-- params: $first BIGINT, $last BIGINT (inclusive), $until TIMESTAMP (exclusive)
-- returns: visit_id, customer_id, rep_id, visited_at, target, result, order_amount
select
    visit_id,
    customer_id,
    rep_id,
    visited_at,
    target,
    result,
    order_amount
from visits
where visit_id between $first and $last
    and visited_at < $until

-- snapshot_reps: the rep columns the feature queries read (sql/feature_customers.sql).
-- params: none
-- returns: rep_id, left_date
select
    rep_id,
    left_date
from reps

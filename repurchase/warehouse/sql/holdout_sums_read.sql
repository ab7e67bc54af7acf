-- holdout_sums_read: the kept sums of the hold-out's units of the reps in $reps
-- (migration 0026; evaluation/unit_sums.COLUMNS).
-- params: $reps VARCHAR[]
-- returns: unit_sums.COLUMNS
select
    rep_id,
    period_start,
    held_out,
    ordered,
    p_known,
    n,
    value_sum,
    value_sq_sum,
    first_listed_min,
    first_listed_max,
    s_0_0, s_0_1, s_0_2, s_0_3, s_0_4, s_0_5, s_0_6,
    s_1_0, s_1_1, s_1_2, s_1_3, s_1_4, s_1_5,
    s_2_0, s_2_1, s_2_2, s_2_3, s_2_4,
    s_3_0, s_3_1, s_3_2, s_3_3,
    s_4_0, s_4_1, s_4_2,
    s_5_0, s_5_1,
    s_6_0
from holdout_sums
where rep_id in (select unnest($reps))
order by rep_id, period_start, held_out, ordered, p_known

-- day_lists_insert: store one day's call lists, registered as the view `new_lists`.
-- params: none
insert into call_lists (
    list_date,
    rep_id,
    customer_id,
    rank,
    p_order,
    model_version,
    reasons,
    n_history,
    held_out,
    p_previous,
    ranked_by
)
select
    list_date,
    rep_id,
    customer_id,
    rank,
    p_order,
    model_version,
    reasons,
    n_history,
    held_out,
    p_previous,
    ranked_by
from new_lists

-- rep_visible_list: whether a customer is on a rep's visible list of a day, the list's last
-- rank, its model version and what it is ranked by (one row; nulls when there is no list).
-- params: $rep_id VARCHAR, $customer_id VARCHAR, $day DATE
-- returns: on_list, last_rank, model_version, ranked_by
select
    bool_or(customer_id = $customer_id) as on_list,
    max(rank) as last_rank,
    any_value(model_version) as model_version,
    coalesce(any_value(ranked_by), 'probability') as ranked_by
from call_lists
where rep_id = $rep_id
    and list_date = $day
    and not held_out

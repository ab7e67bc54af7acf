-- call_list_reassign: a reassigned customer goes with its rows on the lists of $day and later:
-- the new owner's list gets a copy, last on that day's list, marked added_for 'reassigned'.
-- A held-out row is not copied: the customer stays in the control group, off every list,
-- and a second row would count it twice in the hold-out's units. The old owner's row stays
-- as written (the evaluation reads what each rep was shown); rep_call_list and team_worklist
-- read only a rep's current customers, so it leaves the old owner's list at once.
-- A copy already there (moved back the same day) is not added twice.
-- params: $customer_id VARCHAR, $from_rep VARCHAR, $to_rep VARCHAR, $day DATE
-- returns: nothing
insert into call_lists (
    list_date,
    rep_id,
    customer_id,
    rank,
    p_order,
    model_version,
    created_at,
    reasons,
    n_history,
    held_out,
    p_previous,
    ranked_by,
    added_for
)
select
    l.list_date,
    $to_rep,
    l.customer_id,
    coalesce((
        select max(n.rank)
        from call_lists as n
        where n.rep_id = $to_rep
            and n.list_date = l.list_date
    ), 0) + 1,
    l.p_order,
    l.model_version,
    current_timestamp,
    l.reasons,
    l.n_history,
    false,
    l.p_previous,
    l.ranked_by,
    'reassigned'
from call_lists as l
where l.customer_id = $customer_id
    and l.rep_id = $from_rep
    and l.list_date >= $day
    and not l.held_out
    and not exists (
        select 1
        from call_lists as x
        where x.list_date = l.list_date
            and x.rep_id = $to_rep
            and x.customer_id = l.customer_id
    )

-- team_worklist: per rep and list day, how much of the rep's call list was worked. The list is
-- what the rep saw (visible rows, not the hold-out, customers the rep still owns, as
-- rep_call_list reads it); each listed customer counts once, in the first of these that holds:
--   ordered      a visit that day ended in an order
--   no_demand    a visit that day ended in "no demand"
--   not_reached  the only visits that day found nobody
--   snoozed, skipped  a snooze or skip in force that day (the latest action wins, undone ones
--                do not count: the same rule as active_list_actions)
--   open         none of the above
-- A visit by anyone counts (the card shows "visited today" whoever made the call).
-- params: $reps VARCHAR[], $first DATE, $last DATE
-- returns: rep_id, list_date, listed, ordered, no_demand, not_reached, snoozed, skipped, open
with listed as (
    select
        l.rep_id,
        l.list_date,
        l.customer_id
    from call_lists as l
    inner join customers as c
        on c.customer_id = l.customer_id
        and c.owner_rep_id = l.rep_id
    where list_contains($reps, l.rep_id)
        and l.list_date between $first and $last
        and not l.held_out
),

day_visits as (
    select
        l.rep_id,
        l.list_date,
        l.customer_id,
        bool_or(v.result = 'order') as ordered,
        bool_or(v.result = 'no_order') as no_demand,
        bool_or(v.result = 'not_reached') as not_reached
    from listed as l
    inner join visits as v
        on v.customer_id = l.customer_id
        and cast(v.visited_at as date) = l.list_date
    -- the same days as a range on the column itself: PostgreSQL is sent it and reads the
    -- period's visits from an index, where the join alone streamed every visit
    where v.visited_at >= cast($first as timestamp)
        and v.visited_at < cast($last as timestamp) + interval 1 day
    group by all
),

day_actions as (
    select
        l.rep_id,
        l.list_date,
        l.customer_id,
        arg_max(a.action, (a.entered_at, a.action_id)) as action
    from listed as l
    inner join list_actions as a
        on a.rep_id = l.rep_id
        and a.customer_id = l.customer_id
        and a.first_day <= l.list_date
        and a.until_day > l.list_date
        and a.undone_at is null
    group by all
),

status as (
    select
        l.rep_id,
        l.list_date,
        case
            when v.ordered then 'ordered'
            when v.no_demand then 'no_demand'
            when v.not_reached then 'not_reached'
            when a.action = 'snooze' then 'snoozed'
            when a.action = 'skip' then 'skipped'
            else 'open'
        end as status
    from listed as l
    left join day_visits as v
        using (rep_id, list_date, customer_id)
    left join day_actions as a
        using (rep_id, list_date, customer_id)
)

select
    rep_id,
    list_date,
    count(*) as listed,
    count_if(status = 'ordered') as ordered,
    count_if(status = 'no_demand') as no_demand,
    count_if(status = 'not_reached') as not_reached,
    count_if(status = 'snoozed') as snoozed,
    count_if(status = 'skipped') as skipped,
    count_if(status = 'open') as open
from status
group by rep_id, list_date
order by rep_id, list_date

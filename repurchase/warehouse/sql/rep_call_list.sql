-- rep_call_list: one rep's call list for one day with what the rep needs to make the call:
-- who the customer is and how to reach them, the last visit and its result, orders so far,
-- the day's value and churn scores, and where the customer stands today (open, visited, or
-- set aside by a skip or snooze).
-- Two sources, one row per customer:
-- * the model's list as written for the day (call_lists, rows moved up after a skip
--   included; the hold-out never: it is the control group);
-- * follow-ups: customers whose latest visit before the day asked to call back on or before
--   the day (visits.follow_up_date), at most $overdue_days days before it. They are the rep's own choice, derived here and never
--   written to call_lists, so they count as on-list only if the model listed them too.
-- Only the rep's current customers show: a customer handed to another rep leaves the list at
-- once (ownership is checked on every read). Rows come follow-ups first (the most overdue
-- first), then the list's order, set-aside customers last, numbered 1, 2, 3...
-- $customer_ids are the rep's customers as rep_customer_ids read them in the same transaction;
-- every read of visits, orders and scores names them, so that PostgreSQL is sent the ids and
-- answers from its indexes instead of streaming whole tables into a join (point_reads.py).
-- params: $rep_id VARCHAR, $day DATE, $overdue_days INTEGER, $customer_ids VARCHAR list
-- returns: rank, customer_id, customer_name, customer_type, industry, tag, contact_name,
--          contact_phone, p_order, p_previous, model_version, ranked_by, reasons, n_history,
--          on_list, list_rank, added_for, follow_up, follow_up_date, follow_up_note,
--          expected_value, typical_order, churn_risk, at_risk, last_visit_at, last_result,
--          days_since_visit, orders_so_far, visited_today, today_result, status,
--          action_id, set_aside_action, set_aside_until, set_aside_reason, set_aside_note
with mine as (
    select
        customer_id,
        name,
        customer_type,
        industry,
        tag,
        contact_name,
        contact_phone
    from customers
    where owner_rep_id = $rep_id
),

listed as (
    select
        l.customer_id,
        l.rank as list_rank,
        l.p_order,
        l.p_previous,
        l.model_version,
        l.ranked_by,
        l.reasons,
        l.n_history,
        l.added_for
    from call_lists as l
    inner join mine as m
        on m.customer_id = l.customer_id
    where l.rep_id = $rep_id
        and l.list_date = $day
        and not l.held_out  -- the hold-out is a control group: reps never see it
),

my_visits as (
    select
        v.visit_id,
        v.customer_id,
        v.visited_at,
        v.result,
        v.follow_up_date
    from visits as v
    -- the ids are mine's, read in the same transaction: the list is the join
    where v.customer_id in ($customer_ids)
        and v.visited_at < cast($day as timestamp) + interval 1 day
),

latest_before_day as (
    -- a later visit clears an earlier visit's follow-up: only the latest one counts
    select
        visit_id,
        customer_id,
        follow_up_date
    from my_visits
    where visited_at < cast($day as timestamp)
    qualify row_number() over (
        partition by customer_id order by visited_at desc, visit_id desc
    ) = 1
),

follow_ups as (
    -- the note is read for these few visits only: a text column costs most in a long scan
    select
        f.customer_id,
        f.follow_up_date,
        v.note as follow_up_note
    from latest_before_day as f
    inner join visits as v
        on v.visit_id = f.visit_id
    where v.customer_id in ($customer_ids)
        and f.follow_up_date <= $day
        and f.follow_up_date >= $day - to_days(cast($overdue_days as integer))
),

shown as (
    select customer_id from listed
    union
    select customer_id from follow_ups
),

day_version as (
    -- the list's model; a day with follow-ups but no list reads the latest scores of the day
    select coalesce(
        (select any_value(model_version) from listed),
        (
            select arg_max(model_version, created_at)
            from scores
            where score_date = $day
                and customer_id in ($customer_ids)
        )
    ) as model_version
),

day_scores as (
    select
        s.customer_id,
        s.model_version,
        s.p_order,
        s.n_history,
        s.expected_value,
        s.typical_order,
        s.churn_risk,
        s.at_risk
    from scores as s
    inner join shown as w
        on w.customer_id = s.customer_id
    where s.score_date = $day
        and s.customer_id in ($customer_ids)
),

last_visit as (
    select
        v.customer_id,
        max(v.visited_at) as last_visit_at,
        arg_max(v.result, v.visited_at) as last_result
    from my_visits as v
    inner join shown as w
        on w.customer_id = v.customer_id
    group by v.customer_id
),

today as (
    select
        customer_id,
        arg_max(result, visited_at) as today_result
    from my_visits
    where visited_at >= cast($day as timestamp)
    group by customer_id
),

order_days as (
    -- an order is an order record or a successful visit; one per customer and day
    select
        o.customer_id,
        o.order_date as day
    from orders as o
    inner join shown as w
        on w.customer_id = o.customer_id
    where o.customer_id in ($customer_ids)
        and o.order_date <= $day
    union
    select
        v.customer_id,
        cast(v.visited_at as date)
    from my_visits as v
    inner join shown as w
        on w.customer_id = v.customer_id
    where v.result = 'order'
),

orders_so_far as (
    select
        customer_id,
        count(*) as orders_so_far
    from order_days
    group by customer_id
),

set_aside as (
    -- the skip or snooze in force on the day (with its id for Undo)
    select
        customer_id,
        action_id,
        action,
        until_day,
        reason,
        note
    from list_actions_in_force($day)
    where rep_id = $rep_id
),

rows as (
    select
        w.customer_id,
        m.name as customer_name,
        m.customer_type,
        m.industry,
        m.tag,
        m.contact_name,
        m.contact_phone,
        coalesce(l.p_order, s.p_order) as p_order,
        l.p_previous,
        coalesce(l.model_version, s.model_version) as model_version,
        coalesce(l.ranked_by, 'probability') as ranked_by,
        coalesce(l.reasons, '[]') as reasons,
        coalesce(l.n_history, s.n_history) as n_history,
        l.customer_id is not null as on_list,
        l.list_rank,
        l.added_for,
        f.customer_id is not null as follow_up,
        f.follow_up_date,
        f.follow_up_note,
        s.expected_value,
        s.typical_order,
        s.churn_risk,
        coalesce(s.at_risk, false) as at_risk,
        lv.last_visit_at,
        lv.last_result,
        date_diff('day', cast(lv.last_visit_at as date), $day) as days_since_visit,
        coalesce(o.orders_so_far, 0) as orders_so_far,
        t.customer_id is not null as visited_today,
        t.today_result,
        case
            when a.customer_id is not null then 'set_aside'
            when t.customer_id is not null then 'visited'
            else 'open'
        end as status,
        a.action_id,
        a.action as set_aside_action,
        a.until_day as set_aside_until,
        a.reason as set_aside_reason,
        a.note as set_aside_note
    from shown as w
    inner join mine as m
        on m.customer_id = w.customer_id
    cross join day_version as d
    left join listed as l
        on l.customer_id = w.customer_id
    left join follow_ups as f
        on f.customer_id = w.customer_id
    left join day_scores as s
        on s.customer_id = w.customer_id
        and s.model_version = coalesce(l.model_version, d.model_version)
    left join last_visit as lv
        on lv.customer_id = w.customer_id
    left join today as t
        on t.customer_id = w.customer_id
    left join orders_so_far as o
        on o.customer_id = w.customer_id
    left join set_aside as a
        on a.customer_id = w.customer_id
)

select
    row_number() over (
        order by status = 'set_aside', follow_up desc, follow_up_date, list_rank, customer_id
    ) as rank,
    *
from rows
order by rank

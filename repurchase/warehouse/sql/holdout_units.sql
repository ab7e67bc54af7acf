-- holdout_units: one row per hold-out period and customer the model ranked into a list between
-- $first and $last: treated if the rep saw it on a list, control if it was withheld (held out
-- but ranked above the list's last visible customer), with whether the customer ordered (an
-- order record or a successful visit) within $window_days days of its first listing, and what
-- those orders were worth (purchase_values: 0 when it did not order).
-- Pre-period covariates, known before the period began and so untouched by the hold-out:
-- p_order, the model's score stored with the customer's first list row of the period, and
-- prior_orders, the customer's purchase days in the period's length of time before its start.
-- A customer is one unit per period, as first listed: a customer handed over to another rep
-- is on two reps' lists (call_list_reassign) but was one customer given one chance to order.
-- Only units whose window has closed by $last_day, the last day with data (observed_until, as
-- holdout_last_day reads it), count: an open one would read as "did not order" too early. Only
-- lists of the reps in $reps.
-- The purchases are purchase_days / purchase_values' rule (migrations 0006, 0014: a customer's
-- day with an order record or a successful visit, worth the day's order records, else its
-- visits' amounts), read once for the days between $purchases_from and $purchases_until
-- (holdout_units_bounds) as ranges on order_date and visited_at: PostgreSQL gets them and
-- answers from an index, where the views' cast(visited_at as date) sent every visit over.
-- params: $first DATE, $last DATE, $window_days INTEGER, $reps VARCHAR[], $last_day DATE,
--         $purchases_from DATE, $purchases_until DATE
-- returns: period_start, customer_id, rep_id, held_out, first_listed, ordered, order_value,
--          p_order, prior_orders
with ranked as (
    select
        h.period_start,
        h.period_end,
        l.customer_id,
        arg_min(l.rep_id, (l.list_date, l.created_at)) as rep_id,
        arg_min(l.held_out, (l.list_date, l.created_at)) as held_out,
        min(l.list_date) as first_listed,
        arg_min(l.p_order, (l.list_date, l.created_at)) as p_order
    from call_lists as l
    inner join (select distinct period_start, period_end from holdout_assignments) as h
        on l.list_date >= h.period_start
        and l.list_date < h.period_end
    where l.list_date between $first and $last
        and l.rep_id in (select unnest($reps))
    group by all
),

closed as (
    select *
    from ranked
    where first_listed + to_days(cast($window_days as integer))
        <= cast($last_day as date) + interval 1 day
),

order_days as (
    select
        customer_id,
        order_date as day,
        sum(amount) as amount
    from orders
    where order_date >= $purchases_from
        and order_date < $purchases_until
    group by customer_id, order_date
),

visit_days as (
    select
        customer_id,
        cast(visited_at as date) as day,
        sum(order_amount) as amount
    from visits
    where result = 'order'
        and visited_at >= cast($purchases_from as timestamp)
        and visited_at < cast($purchases_until as timestamp)
    group by customer_id, cast(visited_at as date)
),

purchases as (
    select
        coalesce(o.customer_id, v.customer_id) as customer_id,
        coalesce(o.day, v.day) as day,
        cast(coalesce(o.amount, v.amount, 0) as double) as amount
    from order_days as o
    full outer join visit_days as v
        on v.customer_id = o.customer_id
        and v.day = o.day
),

after_listing as (
    select
        u.period_start,
        u.customer_id,
        sum(p.amount) as order_value
    from closed as u
    inner join purchases as p
        on p.customer_id = u.customer_id
        and p.day >= u.first_listed
        and p.day < u.first_listed + to_days(cast($window_days as integer))
    group by all
),

before_period as (
    select
        u.period_start,
        u.customer_id,
        count(*) as prior_orders
    from closed as u
    inner join purchases as p
        on p.customer_id = u.customer_id
        and p.day >= u.period_start - to_days(cast(u.period_end - u.period_start as integer))
        and p.day < u.period_start
    group by all
)

select
    u.period_start,
    u.customer_id,
    u.rep_id,
    u.held_out,
    u.first_listed,
    a.customer_id is not null as ordered,
    coalesce(a.order_value, 0) as order_value,
    u.p_order,
    coalesce(b.prior_orders, 0) as prior_orders
from closed as u
left join after_listing as a
    on a.period_start = u.period_start
    and a.customer_id = u.customer_id
left join before_period as b
    on b.period_start = u.period_start
    and b.customer_id = u.customer_id
order by u.period_start, u.customer_id

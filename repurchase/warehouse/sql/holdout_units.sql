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
-- Only units whose window has closed by the last day with data count (an open one would read
-- as "did not order" too early), and only lists of the reps in $reps.
-- $purchases_from and $purchases_until (holdout_units_bounds) bound every purchase read to the
-- days any unit can look at, as constants PostgreSQL gets.
-- params: $first DATE, $last DATE, $window_days INTEGER, $reps VARCHAR[],
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
        and list_contains($reps, l.rep_id)
    group by all
)

select
    r.period_start,
    r.customer_id,
    r.rep_id,
    r.held_out,
    r.first_listed,
    exists (
        select 1
        from purchase_days as p
        where p.customer_id = r.customer_id
            and p.day >= $purchases_from
            and p.day < $purchases_until
            and p.day >= r.first_listed
            and p.day < r.first_listed + to_days(cast($window_days as integer))
    ) as ordered,
    (
        select coalesce(sum(p.amount), 0)
        from purchase_values as p
        where p.customer_id = r.customer_id
            and p.day >= $purchases_from
            and p.day < $purchases_until
            and p.day >= r.first_listed
            and p.day < r.first_listed + to_days(cast($window_days as integer))
    ) as order_value,
    r.p_order,
    (
        select count(*)
        from purchase_days as p
        where p.customer_id = r.customer_id
            and p.day >= $purchases_from
            and p.day < $purchases_until
            and p.day >= r.period_start - to_days(cast(r.period_end - r.period_start as integer))
            and p.day < r.period_start
    ) as prior_orders
from ranked as r, observed_until as o
where r.first_listed + to_days(cast($window_days as integer)) <= o.last_day + interval 1 day
order by r.period_start, r.customer_id

-- list_followups: per model version and list week, the customers on visible lists, how many
-- of them the listing rep visited within 7 days of their first listing that week, and how many
-- of those visits ended in an order (paper 4.2, Table 2: a / b).
-- Listings whose 7 days have not passed by the last day with data are left out.
-- Only the lists of the given reps count (a manager sees their team's; null: every rep).
-- params: $first DATE, $last DATE, $reps VARCHAR[] (or null)
-- returns: model_version, week, listed, visited, succeeded
with first_listing as (
    select
        model_version,
        date_trunc('week', list_date) as week,
        rep_id,
        customer_id,
        min(list_date) as listed_on
    from call_lists
    where list_date between $first and $last
        and not held_out
        and ($reps is null or list_contains($reps, rep_id))
    group by all
),

followed as (
    select
        f.model_version,
        f.week,
        f.customer_id,
        count(v.visit_id) > 0 as visited,
        coalesce(bool_or(v.result = 'order'), false) as succeeded
    from first_listing as f
    cross join observed_until as o
    left join visits as v
        on v.customer_id = f.customer_id
        and v.rep_id = f.rep_id
        and cast(v.visited_at as date) >= f.listed_on
        and cast(v.visited_at as date) < f.listed_on + interval 7 day
    where f.listed_on + interval 7 day <= o.last_day + interval 1 day
    group by all
)

select
    model_version,
    cast(week as date) as week,
    count(*) as listed,
    count(*) filter (where visited) as visited,
    count(*) filter (where succeeded) as succeeded
from followed
group by all
order by week, model_version

-- previous_scores: each customer's chance on the most recent day before $day it was scored,
-- for the card's up/down arrow. A day scored by several model versions gives the chance of the
-- version that wrote that day's call list (what the rep saw), else the latest version (names
-- sort by training date, registry.new_version).
-- params: $day DATE
-- returns: customer_id, score_date, model_version, p_previous
with list_versions as (
    select distinct
        list_date,
        model_version
    from call_lists
    where list_date < $day
),

earlier as (
    select
        s.customer_id,
        s.score_date,
        s.model_version,
        s.p_order,
        l.model_version is not null as made_the_list
    from scores as s
    left join list_versions as l
        on l.list_date = s.score_date
        and l.model_version = s.model_version
    where s.score_date < $day
)

select
    customer_id,
    score_date,
    model_version,
    p_order as p_previous
from earlier
qualify row_number() over (
    partition by customer_id
    order by score_date desc, made_the_list desc, model_version desc
) = 1

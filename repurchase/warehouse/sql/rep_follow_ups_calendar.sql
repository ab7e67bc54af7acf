-- rep_follow_ups_calendar: the follow-ups still open for one rep's current customers, for the
-- rep's calendar: the latest visit of each customer, when it asked to call back on or after
-- $since (a later visit clears an earlier visit's follow-up, as on the call list).
-- params: $rep_id VARCHAR, $since DATE
-- returns: visit_id, customer_id, customer_name, contact_name, contact_phone, follow_up_date,
--          note, visited_at
with mine as (
    select
        customer_id,
        name,
        contact_name,
        contact_phone
    from customers
    where owner_rep_id = $rep_id
),

latest as (
    select
        v.visit_id,
        v.customer_id,
        v.visited_at,
        v.follow_up_date
    from visits as v
    inner join mine as m
        on m.customer_id = v.customer_id
    qualify row_number() over (
        partition by v.customer_id order by v.visited_at desc, v.visit_id desc
    ) = 1
)

select
    l.visit_id,
    l.customer_id,
    m.name as customer_name,
    m.contact_name,
    m.contact_phone,
    l.follow_up_date,
    v.note,
    l.visited_at
from latest as l
inner join mine as m
    on m.customer_id = l.customer_id
inner join visits as v
    on v.visit_id = l.visit_id
where l.follow_up_date is not null
    and l.follow_up_date >= $since
order by
    l.follow_up_date,
    l.visit_id

-- team_holdout_shares_list: per team, the hold-out share in force for the period starting
-- $start and the one set for a later period (null where none: the default applies), with who
-- set the latest one and when.
-- params: $start DATE
-- returns: team, share, next_share, next_from, share_updated_by, share_updated_at
with ordered as (
    select
        team,
        effective_from,
        share,
        updated_by,
        updated_at,
        row_number() over (
            partition by team, effective_from <= $start
            order by effective_from desc
        ) as newest
    from team_holdout_shares
),

in_force as (
    select
        team,
        share
    from ordered
    where effective_from <= $start
        and newest = 1
),

pending as (
    select
        team,
        share,
        effective_from
    from ordered
    where effective_from > $start
        and newest = 1
),

latest as (
    select
        team,
        updated_by,
        updated_at,
        row_number() over (partition by team order by updated_at desc) as newest
    from team_holdout_shares
)

select
    l.team,
    i.share,
    p.share as next_share,
    p.effective_from as next_from,
    l.updated_by as share_updated_by,
    l.updated_at as share_updated_at
from latest as l
left join in_force as i
    on i.team = l.team
left join pending as p
    on p.team = l.team
where l.newest = 1
order by l.team

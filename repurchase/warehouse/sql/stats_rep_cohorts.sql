-- stats_rep_cohorts: current reps by level, tenure band, age band and gender (paper, Table 3).
-- params: $as_of DATE
-- returns: dimension, cohort, reps (cohorts in their natural order)
with current_reps as (
    select
        level,
        gender,
        date_diff('day', hire_date, $as_of) / 365.25 as tenure_years,
        date_diff('day', birth_date, $as_of) / 365.25 as age_years
    from reps
    where left_date is null or left_date > $as_of
),
cohorts as (
    select
        1 as dimension_order,
        'level' as dimension,
        level as cohort,
        case level when 'junior' then 1 when 'mid' then 2 else 3 end as cohort_order
    from current_reps
    union all
    select
        2,
        'tenure',
        case
            when tenure_years < 1 then '< 1 y'
            when tenure_years < 2 then '1-2 y'
            else '> 2 y'
        end,
        case when tenure_years < 1 then 1 when tenure_years < 2 then 2 else 3 end
    from current_reps
    union all
    select
        3,
        'age',
        case
            when age_years < 26 then '21-25'
            when age_years < 31 then '26-30'
            else '> 30'
        end,
        case when age_years < 26 then 1 when age_years < 31 then 2 else 3 end
    from current_reps
    union all
    select 4, 'gender', gender, case gender when 'M' then 1 else 2 end
    from current_reps
)
select
    dimension,
    cohort,
    count(*) as reps
from cohorts
group by dimension_order, dimension, cohort_order, cohort
order by dimension_order, cohort_order

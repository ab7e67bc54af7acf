-- visit_choices: the values in use for a visit's method, target and purpose, most used first.
-- params: none
-- returns: field, value, uses
select 'method' as field, method as value, count(*) as uses from visits group by method
union all
select 'target', target, count(*) from visits group by target
union all
select 'purpose', purpose, count(*) from visits group by purpose
order by field, uses desc

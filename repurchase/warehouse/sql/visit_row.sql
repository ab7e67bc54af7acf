-- visit_row: one stored visit, every column (for the audit's before and after).
-- params: $visit_id BIGINT
-- returns: every column of visits
select
    *
from visits
where visit_id = $visit_id

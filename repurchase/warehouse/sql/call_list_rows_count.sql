-- call_list_rows_count: how many lists of $day and later hold a customer for a rep (a
-- reassignment counts the rows it added to the new owner's lists).
-- params: $customer_id VARCHAR, $rep_id VARCHAR, $day DATE
-- returns: rows
select count(*) as rows
from call_lists
where customer_id = $customer_id
    and rep_id = $rep_id
    and list_date >= $day

-- snapshot_customers: the customer columns the feature queries read (sql/feature_customers.sql).
-- params: none
-- returns: customer_id, owner_rep_id, customer_type, industry, tag, created_date
select
    customer_id,
    owner_rep_id,
    customer_type,
    industry,
    tag,
    created_date
from customers

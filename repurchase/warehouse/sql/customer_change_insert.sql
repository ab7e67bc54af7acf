-- customer_change_insert: one reassignment or contact correction, before and after as JSON.
-- params: $change_id BIGINT, $customer_id VARCHAR, $change VARCHAR ('owner' | 'contact'),
--         $before VARCHAR (JSON), $after VARCHAR (JSON), $changed_by VARCHAR, $changed_at TIMESTAMP
-- returns: nothing
insert into customer_changes (
    change_id, customer_id, change, before, after, changed_by, changed_at
)
values ($change_id, $customer_id, $change, $before, $after, $changed_by, $changed_at)

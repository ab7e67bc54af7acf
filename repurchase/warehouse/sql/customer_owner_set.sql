-- customer_owner_set: hand a customer to another rep. Run after customer_for_change in the
-- same transaction, with the owner it read: a customer moved meanwhile is not moved again.
-- params: $customer_id VARCHAR, $from_rep VARCHAR, $to_rep VARCHAR
-- returns: nothing
update customers
set owner_rep_id = $to_rep,
    updated_at = current_timestamp
where customer_id = $customer_id
    and owner_rep_id = $from_rep

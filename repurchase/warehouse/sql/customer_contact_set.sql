-- customer_contact_set: a corrected contact name and phone (null clears one).
-- params: $customer_id VARCHAR, $contact_name VARCHAR, $contact_phone VARCHAR
-- returns: nothing
update customers
set contact_name = $contact_name,
    contact_phone = $contact_phone,
    updated_at = current_timestamp
where customer_id = $customer_id

-- 0020_call_effect: what a call wins, beside each day's scores. call_effect is the estimated
-- rise in the chance of an order within the horizon if the customer is called this week (may
-- be below 0), p_self the chance of an order without any call, effect_value call_effect x the
-- typical order.
-- Scores written by a model without a call-effect estimate leave them null.
alter table scores add column call_effect double;
alter table scores add column p_self double;
alter table scores add column effect_value double;

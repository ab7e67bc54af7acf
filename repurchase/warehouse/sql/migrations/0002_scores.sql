-- 0002_scores: every customer's score per day and model version (the customer page's score
-- history, calibration checks), and on each call-list row the facts that put it there.

create table scores (
    score_date     date not null,
    customer_id    varchar not null,
    model_version  varchar not null,
    p_order        double not null,  -- calibrated probability of ordering within the horizon
    p_raw          double not null,  -- the network's own output, before calibration
    horizon_days   integer not null,
    n_history      integer not null,  -- events before the day; under 9 means a padded window
    created_at     timestamp not null default current_timestamp,
    primary key (score_date, customer_id, model_version)
);

alter table call_lists add column reasons json;
alter table call_lists add column n_history integer;

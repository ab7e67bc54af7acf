-- 0007_visit_submissions: one row per visit form submission, so that saving is idempotent.
-- The form carries a submission id (a random token made when the form is drawn); a second
-- click on Save, a rerun after a dropped connection, or a queued visit written again after a
-- lock finds its id here and returns the visit already stored instead of storing it twice.
create table visit_submissions (
    submission_id  varchar primary key,
    visit_id       bigint not null,
    submitted_by   varchar not null,
    submitted_at   timestamp not null,
    stored_at      timestamp not null default current_timestamp
);

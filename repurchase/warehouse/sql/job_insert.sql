-- job_insert: record a job, queued for a worker or already running in the process `pid`.
-- params: $id BIGINT, $kind VARCHAR, $action VARCHAR, $params VARCHAR (JSON), $by VARCHAR,
--         $source VARCHAR, $status VARCHAR, $now TIMESTAMP, $started TIMESTAMP, $host VARCHAR,
--         $pid INTEGER
-- returns: nothing
insert into jobs (
    job_id,
    kind,
    action,
    params,
    requested_by,
    source,
    status,
    created_at,
    started_at,
    heartbeat_at,
    host,
    pid
)
values (
    $id,
    $kind,
    $action,
    $params,
    $by,
    $source,
    $status,
    $now,
    $started,
    $started,
    $host,
    $pid
)

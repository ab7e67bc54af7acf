-- visit_outcomes_live_first: the first day visit_outcomes_counts counts live on a covered day:
-- the earliest visit entered since the cutoff between $first_at and $table_end_at (null: none).
-- The lists the live visits are matched with start 6 days before it, not 6 days before $first:
-- PostgreSQL then sends a week or two of call lists instead of the whole period's.
-- params: $cutoff TIMESTAMP, $first_at TIMESTAMP, $table_end_at TIMESTAMP
-- returns: day
select cast(min(visited_at) as date) as day
from visits
where entered_at >= $cutoff
    and visited_at >= $first_at
    and visited_at < $table_end_at

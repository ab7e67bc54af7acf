-- 0016_macros_per_connection: DuckDB macros cannot be stored in PostgreSQL, so with either
-- backend they are created on every connection from sql/macros.sql (one definition for both).
-- The stored copy from 0015 would otherwise be a second definition that could drift.
drop macro table list_actions_in_force;

-- 0016_macros_per_connection: list_actions_in_force (0015) leaves the database file. A
-- PostgreSQL warehouse cannot store a DuckDB macro, so the one definition now lives in
-- sql/macros.sql, which every connection of both backends runs (as a temp macro) before its
-- first query; keeping a stored copy here as well would give DuckDB files two definitions that
-- could drift apart.
drop macro table list_actions_in_force;

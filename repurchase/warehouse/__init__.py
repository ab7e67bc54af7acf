"""The warehouse: the only code that talks to a database (a DuckDB file or PostgreSQL through it).

Owns connecting, migrating, named queries (`sql/`), transactions, retries, lock turns, snapshots,
backups, the move to PostgreSQL and importing contract files. Imports only config, errors, codes.
"""

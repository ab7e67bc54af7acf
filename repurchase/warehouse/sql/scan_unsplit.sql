-- scan_unsplit: PostgreSQL only (the postgres extension's setting): this cursor's scans of
-- PostgreSQL tables go as one statement each instead of one per range of a thousand pages
-- (`ctid between ...`), so that their filters are answered from an index rather than by
-- reading every page of the table in chunks. A session setting: other cursors keep the split.
-- params: none
-- returns: nothing
set pg_use_ctid_scan = false

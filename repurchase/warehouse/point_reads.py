"""Reads of a few rows (one rep's list, one customer) that PostgreSQL answers from an index.

With PostgreSQL attached, DuckDB sends each table scan to PostgreSQL as its own `COPY (select
... where ...)`. What reaches that `where` decides whether PostgreSQL reads an index or the whole
table (checked with pg_debug_show_queries and the server's log_statement, DuckDB 1.5):

* sent: a scan's comparisons with constants or bound scalar parameters (`customer_id = $c`,
  `visited_at < $day + 1 day`, `customer_id in ($a, $b)`);
* not sent: a join condition, `x in (select ...)`, `list_contains($list, x)` or
  `x in (select unnest($list))`: the table comes over whole and DuckDB filters it.

So a query file names a list of ids as `column in ($name)`, and `expand` binds it the way each
engine reads fastest: for PostgreSQL one bound parameter per id (the ids reach PostgreSQL and
its index), for a DuckDB file the list whole as a semi-join (`in (select unnest($name))`),
since DuckDB tests an IN list of constants value by value on every row it scans (the list
read was a third slower on the file that way). The same SQL file on both backends, values
always bound. Besides, the extension splits a scan of a large table into
ranges of pages (`ctid between ...`), one statement per thousand pages, each with the filter
repeated: a read of 200 rows became a hundred statements at 10M visits. `query` and `run` turn
that split off for their own cursor only (a session setting), so whole-table reads elsewhere
(features, the nightly job) keep their parallel scan.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from repurchase.warehouse import postgres
from repurchase.warehouse.store import Cursor, Warehouse, sql

_IN_LIST = re.compile(r"\bin \(\$([a-z_][a-z0-9_]*)\)")


def expand(
    text: str, params: dict[str, Any], one_by_one: bool = True
) -> tuple[str, dict[str, Any]]:
    """`text` with every `in ($name)` whose parameter is a list or tuple written as
    `in ($name_0, $name_1, ...)`, and the parameters to bind with it (each element its own);
    an empty list becomes `in (null)`, which no row matches. Not `one_by_one`: written as
    `in (select unnest($name))`, the list bound whole. Other parameters pass as they are.
    """
    bound = dict(params)
    expanded_names: set[str] = set()

    def one_per_value(match: re.Match[str]) -> str:
        name = match.group(1)
        values = params.get(name)
        if not isinstance(values, list | tuple):
            return match.group(0)
        if not one_by_one:
            bound[name] = list(values)
            return f"in (select unnest(${name}))"
        expanded_names.add(name)
        if not values:
            return "in (null)"
        names = [f"{name}_{i}" for i in range(len(values))]
        bound.update(zip(names, values, strict=True))
        return "in (" + ", ".join(f"${n}" for n in names) + ")"

    expanded = _IN_LIST.sub(one_per_value, text)
    code = re.sub(r"--[^\n]*", "", expanded)  # a header naming $name does not bind it
    for name in expanded_names:
        if not re.search(rf"\${name}\b", code):
            del bound[name]
    return expanded, bound


def narrow(cur: Cursor) -> None:
    """Let this cursor's scans of PostgreSQL tables run as one statement each, so that their
    filters are answered from an index (a DuckDB file has nothing to change)."""
    if isinstance(cur, postgres.Cursor):
        cur.execute(sql("scan_unsplit"))


def run(cur: Cursor, name: str, **params: Any) -> pd.DataFrame:
    """Run `sql/<name>.sql` on `cur` (narrowed, IN lists expanded) and return its rows."""
    narrow(cur)
    text, bound = expand(sql(name), params, one_by_one=isinstance(cur, postgres.Cursor))
    return cur.execute(text, bound or None).df()


def query(warehouse: Warehouse, name: str, **params: Any) -> pd.DataFrame:
    """Warehouse.query for a read of a few rows: its own cursor, narrowed, IN lists expanded."""
    with warehouse.connect() as cur:
        return run(cur, name, **params)


def ids(frame: pd.DataFrame, column: str) -> Sequence[str]:
    """One column's values as the list `expand` binds (plain str, in the frame's order)."""
    return [str(v) for v in frame[column].tolist()]

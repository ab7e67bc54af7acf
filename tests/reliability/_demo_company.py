"""A small company's own ERP export (ids unlike the demo's), written as the import contract's
CSV files, for the demo-safety and backup tests."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from repurchase.warehouse.store import Warehouse

REPS = [
    ("ACME-R1", "Li Na", "F", "1996-04-02", "2024-03-01", "junior", "ACME"),
    ("ACME-R2", "Wang Wei", "M", "1988-11-20", "2019-07-15", "senior", "ACME"),
]
CUSTOMERS = [
    (f"ACME-C{i}", f"Customer {i}", "trader", "consumer", "key", REPS[i % 2][0]) for i in range(6)
]


def write_files(folder: Path, end: date | None = None) -> list[Path]:
    """reps, customers, visits and orders CSVs: 6 customers, 12 visits, 4 orders before `end`."""
    end = end or date.today() - timedelta(days=1)
    folder.mkdir(parents=True, exist_ok=True)
    reps = ["rep_id,name,gender,birth_date,hire_date,level,team"]
    reps += [",".join(r) for r in REPS]
    customers = ["customer_id,name,customer_type,industry,tag,owner_rep_id"]
    customers += [",".join(c) for c in CUSTOMERS]
    visits = [
        "rep_id,customer_id,visit_date,method,target,purpose,result,note,order_amount",
    ]
    for n in range(12):
        customer = CUSTOMERS[n % len(CUSTOMERS)]
        day = end - timedelta(days=3 * n + 1)
        ordered = n % 3 == 0
        visits.append(
            f"{customer[5]},{customer[0]},{day} 10:00,phone,buyer,follow-up,"
            f"{'order' if ordered else 'no_order'},call {n},{'120.50' if ordered else ''}"
        )
    orders = ["customer_id,order_date,amount"]
    orders += [f"{CUSTOMERS[i][0]},{end - timedelta(days=5 * i + 2)},{80 + i}" for i in range(4)]
    paths = []
    for name, lines in (
        ("reps", reps),
        ("customers", customers),
        ("visits", visits),
        ("orders", orders),
    ):
        path = folder / f"{name}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def demo_rows(wh: Warehouse) -> dict[str, int]:
    """Every kind of row the demo leaves, counted; all zero once the demo is removed."""
    with wh.connect() as cur:
        one = lambda q: int(cur.execute(q).fetchone()[0])  # noqa: E731
        return {
            "demo visits": one("select count(*) from visits where source = 'demo'"),
            "demo orders": one("select count(*) from orders where source = 'demo'"),
            "reps not the company's": one(
                "select count(*) from reps where not starts_with(rep_id, 'ACME-')"
            ),
            "customers not the company's": one(
                "select count(*) from customers where not starts_with(customer_id, 'ACME-')"
            ),
            "visits of other customers": one(
                "select count(*) from visits where not starts_with(customer_id, 'ACME-')"
            ),
            "call lists": one("select count(*) from call_lists"),
            "scores": one("select count(*) from scores"),
            "hold-out draws": one("select count(*) from holdout_assignments"),
            "backtests": one("select count(*) from backtest_runs"),
            "model versions": one("select count(*) from model_versions"),
            "demo accounts": one("select count(*) from users where is_demo"),
            "submissions of other visits": one(
                "select count(*) from visit_submissions "
                "where visit_id not in (select visit_id from visits)"
            ),
            "demo batches": one("select count(*) from import_batches where imported_by = 'demo'"),
        }

"""Settings: where files live and the defaults every command shares.

Paths come from the environment so the app, the CLI and the tests can point at different
warehouses without code changes. Every default says why it is what it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"

WAREHOUSE_ENV = "REPURCHASE_WAREHOUSE"
BACKEND_ENV = "REPURCHASE_BACKEND"
POSTGRES_DSN_ENV = "REPURCHASE_POSTGRES_DSN"
BACKENDS = ("duckdb", "postgres")
LOCK_TIMEOUT_ENV = "REPURCHASE_LOCK_TIMEOUT"
LOCK_FAIR_ENV = "REPURCHASE_LOCK_FAIR"
MODELS_DIR_ENV = "REPURCHASE_MODELS_DIR"
DEMO_ENV = "REPURCHASE_DEMO"
IMPORT_MAX_ROWS_ENV = "REPURCHASE_IMPORT_MAX_ROWS"
IMPORT_MAX_MB_ENV = "REPURCHASE_IMPORT_MAX_MB"
IMPORT_MAX_FIELD_ENV = "REPURCHASE_IMPORT_MAX_FIELD_CHARS"
IMPORT_MAX_COLUMNS_ENV = "REPURCHASE_IMPORT_MAX_COLUMNS"
JOB_THREADS_ENV = "REPURCHASE_JOB_THREADS"


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"environment variable {name}={raw!r} is not a number") from exc


def _positive_int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError as exc:
        raise ValueError(f"environment variable {name}={raw!r} is not a whole number") from exc
    if value <= 0:
        raise ValueError(f"environment variable {name}={raw!r} must be above 0")
    return value


def job_threads() -> int:
    """CPU threads a job's model code uses (torch, the boosted trees): `$REPURCHASE_JOB_THREADS`,
    1 by default. On a 2-core machine shared with an app server, two threads per operation
    spun waiting for each other: a network's epoch and its scoring took 4-15 times as long
    as with one (load 7-8, bench/nightly_job.py's machine). Raise it on cores of the job's own."""
    return _positive_int_env(JOB_THREADS_ENV, 1)


def default_warehouse_path() -> Path:
    """The warehouse file: `$REPURCHASE_WAREHOUSE`, else `data/warehouse.duckdb` in the repo."""
    raw = os.environ.get(WAREHOUSE_ENV)
    return Path(raw).expanduser().resolve() if raw else DATA_DIR / "warehouse.duckdb"


READ_ONLY_ENV = "REPURCHASE_READ_ONLY"


def read_only_setting() -> bool:
    """Whether this process may only read the warehouse file (`$REPURCHASE_READ_ONLY=1`): a
    server that shows pages from a copy, and the proof that a page view never writes."""
    return os.environ.get(READ_ONLY_ENV, "").strip().lower() in ("1", "true", "yes")


TRUSTED_PROXIES_ENV = "REPURCHASE_TRUSTED_PROXIES"
# Streamlit's web server (uvicorn) applies X-Forwarded-For from these peers before the app sees
# the connection; uvicorn's own setting, read here only to undo it (accounts/addresses.py).
SERVER_FORWARDED_ALLOW_ENV = "FORWARDED_ALLOW_IPS"
SERVER_FORWARDED_ALLOW_DEFAULT = "127.0.0.1,::1"


def trusted_proxies_setting() -> tuple[str, ...]:
    """The proxies whose X-Forwarded-For names the client (`$REPURCHASE_TRUSTED_PROXIES`:
    addresses or networks, comma-separated, e.g. `127.0.0.1` for nginx on the same machine).
    None by default: a header anyone can send must not choose the address the sign-in
    throttle counts against, so without a proxy named here every client is its connection."""
    raw = os.environ.get(TRUSTED_PROXIES_ENV, "")
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def server_forwarded_allow_setting() -> tuple[str, ...]:
    """The peers Streamlit's web server takes X-Forwarded-For from (uvicorn's
    `$FORWARDED_ALLOW_IPS`, loopback by default; `*` for any)."""
    raw = os.environ.get(SERVER_FORWARDED_ALLOW_ENV, SERVER_FORWARDED_ALLOW_DEFAULT)
    return tuple(part.strip() for part in raw.split(","))


def backend_setting() -> tuple[str, str | None]:
    """Which warehouse backend this process uses: `$REPURCHASE_BACKEND`, `duckdb` by default
    (one local file, nothing to set up) or `postgres`, whose connection string (a libpq DSN or
    `postgresql://` URL) is `$REPURCHASE_POSTGRES_DSN`. Returns (backend, dsn)."""
    raw = os.environ.get(BACKEND_ENV, "").strip().lower() or "duckdb"
    if raw not in BACKENDS:
        raise ValueError(
            f"environment variable {BACKEND_ENV}={raw!r} is not a backend; use one of "
            f"{', '.join(BACKENDS)}"
        )
    if raw == "duckdb":
        return raw, None
    dsn = os.environ.get(POSTGRES_DSN_ENV, "").strip()
    if not dsn:
        raise ValueError(
            f"{BACKEND_ENV}=postgres needs the database's connection string in "
            f"{POSTGRES_DSN_ENV}, e.g. 'host=db.internal dbname=repurchase user=app'"
        )
    return raw, dsn


def default_models_dir(warehouse_path: Path) -> Path:
    """Model artefacts: `$REPURCHASE_MODELS_DIR`, else a `models/` folder beside the warehouse.

    Beside the warehouse, so that a test or a second warehouse never picks up another's models.
    """
    raw = os.environ.get(MODELS_DIR_ENV)
    if raw:
        return Path(raw).expanduser().resolve()
    return warehouse_path.parent / f"{warehouse_path.stem}.models"


def truth_dir(warehouse_path: Path) -> Path:
    """Where the demo generator keeps its hidden truth: a folder of Parquet files beside the
    warehouse, never inside it, so no query the model runs can reach it."""
    return warehouse_path.with_name(f"{warehouse_path.stem}.truth")


@dataclass(frozen=True)
class LockSettings:
    # 15 s: long enough to outwait a large import's commit or a nightly job's write (a few
    # seconds each), short enough that a user sees a clear error instead of a hung page.
    timeout_seconds: float = field(default_factory=lambda: _float_env(LOCK_TIMEOUT_ENV, 15.0))
    # Back-off between attempts to get the file; doubled up to the cap, with jitter so that
    # many waiting sessions do not retry in lock-step. The cap is short because the process
    # holding the file stops starting new units as soon as it sees our ticket (lock_turns.py)
    # and closes the file within milliseconds: a long sleep would only waste our turn.
    first_wait_seconds: float = 0.005
    max_wait_seconds: float = 0.05
    # Fair turns between processes (lock_turns.py): off only to measure the old behaviour
    # (bench/lock_fairness.py).
    fair: bool = field(default_factory=lambda: os.environ.get(LOCK_FAIR_ENV, "1") != "0")
    # How long a new unit of work waits for another process's turn at most, so that a waiter
    # that cannot get in (a third process holds the file) does not stall this one either.
    yield_seconds: float = 5.0


@dataclass(frozen=True)
class ImportLimits:
    """How much one import file may hold, checked before its rows are materialised, so that a
    small crafted file (a Parquet "decompression bomb") cannot take the server's memory.

    Read from the environment when created, so a running server picks up a changed limit at
    the next import. Each limit applies per file.
    """

    # 1,000,000 rows: what bench/import_throughput.py imports in one file (peak 2.2 GB); a
    # longer history goes in several files (re-importing overlaps adds nothing twice).
    max_rows: int = field(default_factory=lambda: _positive_int_env(IMPORT_MAX_ROWS_ENV, 1_000_000))
    # 256 MB of values (a CSV file's size; a Parquet file's values once unpacked): a 1M-row
    # visit export is ~90 MB, so this leaves room for long notes; held in memory ~4 times over.
    max_megabytes: int = field(default_factory=lambda: _positive_int_env(IMPORT_MAX_MB_ENV, 256))
    # 10,000 characters: the contract's longest field (a note) may hold 2,000; a field five
    # times longer is not data but a broken export, and stops the read before it is copied.
    max_field_chars: int = field(
        default_factory=lambda: _positive_int_env(IMPORT_MAX_FIELD_ENV, 10_000)
    )

    # 200 columns: the widest contract file has about a dozen, an ERP export a few dozen more;
    # thousands are not data, and each costs time in every check (checked on the header, or
    # a Parquet file's schema, before any row is read)
    max_columns: int = field(default_factory=lambda: _positive_int_env(IMPORT_MAX_COLUMNS_ENV, 200))

    @property
    def max_bytes(self) -> int:
        return self.max_megabytes * 1024 * 1024


def demo_overrides() -> dict[str, object]:
    """Demo size for the app's first start, from `REPURCHASE_DEMO`, e.g.
    `reps=4,customers=20-30,days=200,seed=3`. Empty: the full default demo. Tests use this to
    start the real app on a small warehouse."""
    raw = os.environ.get(DEMO_ENV, "").strip()
    overrides: dict[str, object] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        key, _, value = part.partition("=")
        key = key.strip()
        try:
            if key == "customers":
                low, _, high = value.partition("-")
                overrides["customers_per_rep"] = (int(low), int(high or low))
            elif key in ("reps", "days", "seed"):
                overrides[key] = int(value)
            else:
                raise ValueError(f"unknown key {key!r}")
        except ValueError as exc:
            raise ValueError(
                f"{DEMO_ENV}={raw!r}: {exc}; expected e.g. reps=4,customers=20-30,days=200,seed=3"
            ) from exc
    return overrides

"""A long job's progress step: English text that also carries its catalogue key and parameters.

Jobs (training, the backtest, the nightly job) report progress as `(fraction, message)`. The
command line prints the message, and the Data page shows it to admins reading in 中文 or
English. A `Step` is a `str` (its English text, so printing, logging and older callers work
unchanged) that remembers the key and the parameters it was made from; the jobs table stores
it as `to_json()` gives it, and a page renders `decode(stored)` in the reader's language. Rows
written before steps existed hold plain English text: `decode` returns None for those and the
page shows them as written.
"""

from __future__ import annotations

import json
from datetime import date

from repurchase.i18n import text

_TAG = "step"

# Steps said many times a minute (every few training batches, every few batches of measuring):
# points to stop at for a cancel, too frequent to print each one.
TICKS = frozenset({"jobs.step.batch", "jobs.step.measuring"})


class Step(str):
    """The English text of catalogue entry `key` with `params` (JSON-able values: numbers,
    strings, dates as ISO text); `in_language` gives it in any language."""

    key: str
    params: dict[str, object]

    def __new__(cls, key: str, **params: object) -> Step:
        plain = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.items()}
        self = super().__new__(cls, text(key, "en", **plain))
        self.key, self.params = key, plain
        return self

    def in_language(self, language: str) -> str:
        return text(self.key, language, **self.params)

    def to_json(self) -> str:
        """What the jobs table stores: the key and the parameters as JSON."""
        return json.dumps({_TAG: self.key, "params": self.params}, ensure_ascii=False)


def decode(stored: str | None) -> Step | None:
    """The step a job stored with `Step.to_json`, or None for anything else (plain text of an
    older row, a key this version no longer knows, a message cut short)."""
    if not stored or not stored.startswith("{"):
        return None
    try:
        found = json.loads(stored)
        return Step(found[_TAG], **found["params"])
    except (ValueError, KeyError, TypeError, IndexError):
        return None

"""The reasons a customer is on the list, said in a language.

lists/explain.py stores each reason as a code with its numbers (`{"code": "due", "every": 34,
"since": 37}`, and a `side`); this turns one into the sentence the catalogue holds for that
code. Pure: no streamlit.
"""

from __future__ import annotations

from repurchase import i18n


def say(reason: dict[str, object], language: str = "en") -> str:
    """One reason (explain.reasons_for's dict) as a sentence in `language`."""
    params = {k: v for k, v in reason.items() if k not in ("code", "side")}
    return i18n.text(f"reason.{reason['code']}", language, **params)

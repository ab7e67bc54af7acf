"""Every label, message and chart title in 中文 and English: pure data and text functions.

Both front doors need it (the pages through ui/, the command line), so it sits in the kernel:
it imports nothing of ours. `CATALOGUE` holds messages by key, assembled from one module per
area (`common`, `login`, `call_list`...), each with both languages of its keys; an English entry
may add a singular form. `VALUES` holds the display names of stored codes (customer type,
method, result...). A test checks both languages have every key with the same placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from repurchase.i18n import (
    call_list,
    cohorts,
    common,
    customer,
    data,
    imports,
    jobs,
    login,
    mail,
    model,
    proof,
    team,
    users,
    values,
    visits,
)

LANGUAGES = ("zh", "en")
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"  # the users are Chinese sales teams (spec section 5)

# One module per area of the product, each with both languages of its keys.
AREAS = (
    common,
    login,
    call_list,
    visits,
    customer,
    cohorts,
    model,
    proof,
    data,
    imports,
    jobs,
    users,
    team,
    mail,
)


def assemble(
    areas: Iterable[tuple[str, Mapping[str, dict[str, str]]]],
) -> dict[str, dict[str, str]]:
    """One catalogue from (area name, messages) pairs. A key two areas define raises ValueError:
    merged silently, one of the two texts would never be shown."""
    catalogue: dict[str, dict[str, str]] = {}
    defined_in: dict[str, str] = {}
    for area, messages in areas:
        twice = sorted(key for key in messages if key in catalogue)
        if twice:
            where = ", ".join(f"{key} in {defined_in[key]} and {area}" for key in twice)
            raise ValueError(f"message keys defined twice in repurchase/i18n/: {where}; keep one")
        catalogue.update(messages)
        defined_in.update(dict.fromkeys(messages, area))
    return catalogue


CATALOGUE: dict[str, dict[str, str]] = assemble(
    (area.__name__.rsplit(".", 1)[-1], area.MESSAGES) for area in AREAS
)

# Display names of stored codes; codes a company's ERP adds show as they are.
VALUES: dict[str, dict[str, dict[str, str]]] = values.VALUES


def text(key: str, language: str = "en", **params: object) -> str:
    """The message `key` in `language`, with `params` filled in. An English entry may carry a
    singular form (`en_one`) used when its count parameter (`one_if`) is 1, and an entry may
    carry a form for a count of 0 in both languages (`en_zero`, `zh_zero`: "today", not
    "0 days ago")."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    entry = CATALOGUE[key]
    if f"{language}_zero" in entry and params.get(entry["one_if"]) == 0:
        return entry[f"{language}_zero"].format(**params)
    if language == "en" and "en_one" in entry and params.get(entry["one_if"]) == 1:
        return entry["en_one"].format(**params)
    return entry[language].format(**params)


def value_label(kind: str, code: object, language: str = "en") -> str:
    """The display name of a stored code; unknown codes come back unchanged."""
    if code is None or (isinstance(code, float) and code != code):
        return ""
    names = VALUES.get(kind, {}).get(str(code))
    return names[language] if names else str(code)


def reason_text(reason: Mapping[str, object], language: str = "en") -> str:
    """One reason a customer is on the list (lists/explain.py stores it as a code with its
    numbers: `{"code": "due", "every": 34, "since": 37}`, and a `side`) as the sentence the
    catalogue holds for that code."""
    params = {k: v for k, v in reason.items() if k not in ("code", "side")}
    return text(f"reason.{reason['code']}", language, **params)


def cohort_label(dimension: str, cohort: object, language: str = "en") -> str:
    """A row of the on-list vs off-list table named for people: "Tenure < 1 y", "性别 女"."""
    name = text(f"cohort.{dimension}", language)
    return name if dimension == "overall" else f"{name} {value_label(dimension, cohort, language)}"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")  # '=': a line of it is a heading


def escape_markdown(value: str) -> str:
    """Backslash-escape every character Markdown or HTML could act on."""
    return _MARKDOWN.sub(r"\\\1", value)

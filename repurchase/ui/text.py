"""The user's language and the words of the pages: translated labels, stored codes shown in the
user's language, user data escaped for places that render Markdown.
"""

from __future__ import annotations

import re

import streamlit as st

from repurchase import i18n

LANGUAGE_KEY = "ui.language"
LANGUAGE_WIDGET = "ui.language_choice"


def _detected_language() -> str:
    """The browser's language (st.context.locale) if we speak it, else the default."""
    locale = (st.context.locale or "").lower()
    if locale.startswith("zh"):
        return "zh"
    if locale.startswith("en"):
        return "en"
    return i18n.DEFAULT_LANGUAGE


def language() -> str:
    """The language switch's value; before it first renders, the browser's language."""
    chosen = st.session_state.get(LANGUAGE_KEY)
    return chosen if chosen in i18n.LANGUAGES else _detected_language()


def t(key: str, **params: object) -> str:
    return i18n.text(key, language(), **params)


def value(kind: str, code: object) -> str:
    """A stored code (customer type, method, result...) in the user's language; values the
    catalogue does not know (a company's own ERP codes) are shown as they are."""
    return i18n.value_label(kind, code, language())


def label_for(kind: str):
    """A format function for a selectbox or multiselect showing stored codes, bound to the
    language of this run (Streamlit may call a widget's format function again outside the
    run). Their options are plain text, so a company's own codes show exactly as typed."""
    lang = language()
    return lambda code: i18n.value_label(kind, code, lang)


def markdown_label_for(kind: str):
    """label_for for a radio, whose options render Markdown: the label escaped."""
    lang = language()
    return lambda code: plain(i18n.value_label(kind, code, lang))


def plain(text: object) -> str:
    """User or imported text for a place that renders Markdown (labels, messages, radio
    options, metrics): every Markdown and HTML character escaped, so it shows exactly as
    typed. Not for selectbox or multiselect options: those show text as it is, backslashes
    included."""
    escaped = i18n.escape_markdown("" if text is None else str(text))
    return _AUTOLINK.sub(lambda m: m.group(0) + _JOINER, escaped)


# GFM turns "https://...", "www...." and "name@host" into links after escapes are read, so
# backslashes cannot stop it; an invisible word joiner after the "http(s)\:", "www" or "@"
# that starts one does, and changes nothing the reader sees
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?:https?\\:|\bwww(?=\\\.)|@)")


def account(identity: object) -> str:
    """A company account (often an email) for Markdown, as inline code: shown exactly as it is,
    never as a mailto link (escaping does not stop the autolink) nor as markup. The fence is
    longer than any run of backticks in it, as CommonMark requires."""
    text = "" if identity is None else str(identity)
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def language_switch(on_chosen=None) -> None:
    """中文 / English in the sidebar. The choice lives in a session key of its own (a widget's
    state does not survive a page change); other widgets keep their values (stable keys).
    `on_chosen(code)` is called with a new choice (to remember it for the signed-in user)."""
    if st.session_state.get(LANGUAGE_KEY) not in i18n.LANGUAGES:
        st.session_state[LANGUAGE_KEY] = _detected_language()
    if st.session_state.get(LANGUAGE_WIDGET) not in (None, st.session_state[LANGUAGE_KEY]):
        # the language was set without the switch (a user's own, found at sign-in)
        st.session_state[LANGUAGE_WIDGET] = st.session_state[LANGUAGE_KEY]

    def chosen() -> None:
        st.session_state[LANGUAGE_KEY] = st.session_state[LANGUAGE_WIDGET]
        if on_chosen is not None:
            on_chosen(st.session_state[LANGUAGE_KEY])

    st.sidebar.radio(
        "Language / 语言",
        list(i18n.LANGUAGES),
        index=i18n.LANGUAGES.index(st.session_state[LANGUAGE_KEY]),
        format_func=lambda code: i18n.LANGUAGE_NAMES[code],
        key=LANGUAGE_WIDGET,
        on_change=chosen,
        horizontal=True,
        label_visibility="collapsed",
    )

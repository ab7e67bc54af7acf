"""The Data page's parts: checking and importing uploaded files (the first import into the
demo replaces it, once confirmed), the background jobs panel (retrain, backtest, cancel), and
the ranking of each team's lists.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from repurchase import codes, i18n
from repurchase.accounts import auth, passwords
from repurchase.accounts.auth import User
from repurchase.errors import ImportValidationError, RepurchaseError
from repurchase.services import demo_guard, job_runner
from repurchase.ui import (
    actions,
    admin,
    cached,
    display,
    import_problems,
    proof_view,
    resources,
    text,
    widgets,
)
from repurchase.ui.text import t
from repurchase.warehouse import importer
from repurchase.warehouse.importing import contract

REPLACED = "demo.replaced_message"  # shown once, after the rerun that follows a replacement


def _new_admin(name: str, password: str, again: str) -> demo_guard.NewAdmin | None:
    """The admin's own account if it follows the rules; None (said why) if not."""
    if password != again:
        st.error(t("users.passwords_differ"))
        return None
    admin_account = demo_guard.NewAdmin(name, password)
    try:
        admin.check_new_admin(admin_account)
    except auth.InvalidAccountError as exc:
        st.error(t(f"users.error.{exc.reason}"))
        return None
    except passwords.WeakPasswordError as exc:
        st.error(t(f"users.weak.{exc.reason}", min=passwords.MIN_LENGTH))
        return None
    return admin_account


def replace_demo_confirmation(user: User, report: importer.ValidationReport) -> None:
    """The first import into the demo replaces it, only once the admin confirms; an admin
    signed in with the demo's account names their own, created in the same transaction."""
    st.warning(t("demo.is_demo"))
    own = admin.is_demo_account(user)
    with st.form("demo.replace_form"):
        if own:
            st.info(t("demo.own_admin"))
            name = st.text_input(t("demo.new_username"), key="demo.username")
            password = st.text_input(t("demo.new_password"), type="password", key="demo.password")
            again = st.text_input(t("demo.repeat_password"), type="password", key="demo.again")
        sure = st.checkbox(t("demo.confirm"), key="demo.confirm")
        go = st.form_submit_button(t("demo.do_replace"), type="primary")
    if not (go and sure):
        return
    new_admin = None
    if own:
        new_admin = _new_admin(name, password, again)
        if new_admin is None:
            return
    try:
        done = admin.replace_demo(user, report, new_admin)
    except demo_guard.JobRunningError as exc:
        st.error(job_running_refusal(exc, text.language()))
        st.stop()
    except RepurchaseError as exc:
        widgets.fail(exc)
    # run the page again so that everything (the sidebar too) shows the admin's own account
    st.session_state[REPLACED] = (done.report.summary(), str(done.backup.folder), bool(new_admin))
    st.rerun()


def job_running_refusal(exc: demo_guard.JobRunningError, language: str) -> str:
    """Why the import was refused, in `language`: a job still runs (and is not cancelling)."""
    return i18n.text(
        "data.job_running",
        language,
        kind=i18n.text(f"jobs.kind.{exc.job.kind}", language),
        job=exc.job.job_id,
        by=text.plain(exc.job.requested_by),
    )


def replaced_demo_message(user: User, summary: str, folder: str, new_account: bool) -> None:
    st.success(t("demo.replaced", summary=text.plain(summary), folder=folder))
    if new_account:
        st.info(t("demo.signed_in_as", name=text.plain(user.username)))
    st.info(t("demo.train_next"))  # the demo's models went with it: no list until one trains


def _checked(user: User, report: importer.ValidationReport) -> None:
    """A checked upload: its notices, then the import (or the demo's replacement) if clean,
    else every problem row by row."""
    for notice in report.notices:
        st.warning(text.plain(import_problems.render(notice, text.language())))
    if not report.ok:
        st.error(t("data.problems", n=report.total_issues))
        st.dataframe(
            import_problems.issues_frame(report.issues, text.language()),
            hide_index=True,
            key="data.issues",
        )
        return
    st.success(t("data.ok", rows=", ".join(f"{k}: {v:,}" for k, v in report.rows.items())))
    if cached.is_demo_warehouse():
        replace_demo_confirmation(user, report)
    elif REPLACED in st.session_state:
        replaced_demo_message(user, *st.session_state.pop(REPLACED))
    elif st.button(t("data.do_import"), type="primary", key="data.do_import"):
        try:
            result = admin.import_checked(user, report)
        except RepurchaseError as exc:
            widgets.fail(exc)
        st.success(text.plain(result.summary()))


# The contract's columns whose values the product knows (and names in both languages): each
# file and column, in the README's order.
CODED_COLUMNS = (
    ("customers", "customer_type"),
    ("customers", "industry"),
    ("customers", "tag"),
    ("visits", "method"),
    ("visits", "target"),
    ("visits", "purpose"),
    ("visits", "result"),
)


def allowed_values() -> dict[str, list[str]]:
    """Column -> the values the product knows: the codes it has names for, and for `result`
    every spelling the importer accepts (codes and the ERP's labels)."""
    found = {column: list(i18n.VALUES[column]) for _, column in CODED_COLUMNS}
    found["result"] = list(contract.RESULTS)
    return found


def allowed_values_table(language: str) -> pd.DataFrame:
    """The Data page's help: one row per file, column and known value, with its name."""
    rows = [
        {
            i18n.text("data.col.file", language): kind,
            i18n.text("data.col.column", language): column,
            i18n.text("data.col.value", language): value,
            i18n.text("data.col.meaning", language): i18n.value_label(
                column, contract.RESULTS.get(value, value), language
            )
            if column == "result"
            else i18n.value_label(column, value, language),
        }
        for kind, column in CODED_COLUMNS
        for value in allowed_values()[column]
    ]
    return pd.DataFrame(rows)


def readme_table() -> str:
    """The README's table of known values (a test keeps the README equal to it)."""
    lines = ["| file | column | values |", "| --- | --- | --- |"]
    for kind, column in CODED_COLUMNS:
        values = ", ".join(f"`{v}`" for v in allowed_values()[column])
        lines.append(f"| `{kind}` | `{column}` | {values} |")
    return "\n".join(lines)


def contract_help() -> None:
    """What the files hold and every value the product knows, in the reader's language."""
    st.caption(t("data.contract"))
    with st.expander(t("data.allowed_values")):
        st.caption(t("data.allowed_explain"))
        # a static table: the upload's problems stay the page's first data frame
        st.table(allowed_values_table(text.language()).set_index(t("data.col.file")))


def uploaded(user: User, files: list) -> None:
    """Check the uploaded files (nothing written) and offer the import."""
    try:
        report = admin.check_upload(user, files)
    except ImportValidationError as exc:
        st.error(t("data.unreadable", n=exc.total))
        st.dataframe(
            import_problems.issues_frame(exc.issues, text.language()),
            hide_index=True,
            key="data.unreadable_table",
        )
        return
    _checked(user, report)


def _job_state(user: User, job: job_runner.Job) -> None:
    """A running job: progress, who started it, and a cancel button for every admin."""
    minutes = (resources.now() - job.created_at).total_seconds() / 60
    st.progress(job.progress, text=f"{job.progress:.0%}")
    st.caption(
        t(
            "jobs.running",
            job=job.job_id,
            action=t(f"jobs.action.{job.action}"),
            by=text.plain(job.requested_by),
            at=f"{job.created_at:%H:%M}",
            minutes=f"{max(minutes, 0):.0f}",
        )
    )
    if job.message:
        st.caption(text.plain(display.job_step(job.message)))  # its last step
    if job.cancelling:
        st.info(t("jobs.cancelling", by=text.plain(job.cancel_requested_by)))
    elif st.button(t("jobs.cancel"), key=f"jobs.cancel.{job.job_id}"):
        try:
            admin.cancel_job(user, job.job_id)
        except RepurchaseError as exc:
            widgets.fail(exc)
        st.rerun()


def _start(user: User, start: Callable[[User], int]) -> None:
    try:
        job_id = start(user)
    except job_runner.JobBusyError as exc:
        running = exc.job
        st.warning(
            t(
                "jobs.busy",
                kind=t(f"jobs.kind.{running.kind}"),
                job=running.job_id,
                by=text.plain(running.requested_by),
            )
        )
    except RepurchaseError as exc:
        widgets.fail(exc)
    else:
        st.session_state["jobs.started"] = job_id
        st.rerun()


def _job_heading(user: User, running: job_runner.Job | None, title: str, explain: str) -> bool:
    """One kind of job: what it does, and its state while it runs; True if it may start."""
    st.markdown(f"**{t(title)}**")
    st.caption(t(explain))
    if running is not None:
        _job_state(user, running)
        return False
    return True


def _jobs_panel(user: User) -> None:
    try:
        found = admin.recent_jobs(user)
    except RepurchaseError as exc:  # e.g. the file stayed busy: say so, try again next time
        widgets.fail(exc)
    running = {job.kind: job for job in found if job.active}
    started = st.session_state.get("jobs.started")
    if started in {job.job_id for job in running.values()}:
        st.success(t("jobs.started", job=started))
    if "retrain" not in running and not cached.model_serves():
        st.warning(t("data.train_first"))  # no list is written before a model serves
    retrain_col, backtest_col = st.columns(2)
    with retrain_col:
        free = _job_heading(user, running.get("retrain"), "data.retrain", "data.retrain_explain")
        if free and st.button(t("data.do_retrain"), key="data.do_retrain", type="primary"):
            _start(user, admin.start_retrain)
    with backtest_col:
        free = _job_heading(user, running.get("backtest"), "jobs.backtest", "jobs.backtest_explain")
        if free and st.button(t("jobs.do_backtest"), key="data.do_backtest"):
            _start(user, admin.start_backtest)
    st.markdown(f"**{t('jobs.recent')}**")
    if not found:
        st.caption(t("jobs.none"))
        return
    st.dataframe(display.jobs_table(found), hide_index=True, key="data.jobs")


def jobs_panel(user: User) -> None:
    """Redrawn every few seconds for every admin on this page, so everyone sees what runs."""
    st.fragment(run_every=admin.JOBS_REFRESH_SECONDS)(_jobs_panel)(user)


def _ranking_table(found: pd.DataFrame) -> None:
    st.dataframe(
        found.assign(
            team=found.team.map(display.team_name),
            rank_by=found.rank_by.map(lambda v: t(f"rank_by.{v}")),
            updated_by=found.updated_by.fillna(""),
            updated_at=found.updated_at.map(
                lambda v: "" if v is None or v != v else f"{v:%Y-%m-%d %H:%M}"
            ),
            holdout_share=found.holdout_share.map(lambda v: f"{v:.0%}"),
            next_share=[
                "" if s != s else t("proof.share_next", share=f"{s:.0%}", day=f"{d:%Y-%m-%d}")
                for s, d in zip(found.next_share, found.next_from, strict=True)
            ],
        )[["team", "reps", "rank_by", "updated_by", "updated_at", "holdout_share", "next_share"]],
        hide_index=True,
        key="data.ranking_table",
        column_config={
            "team": t("data.ranking_team"),
            "reps": t("data.ranking_col.reps"),
            "rank_by": t("data.ranking_by"),
            "updated_by": t("data.ranking_col.updated_by"),
            "updated_at": t("data.ranking_col.updated_at"),
            "holdout_share": t("proof.share_col.share"),
            "next_share": t("proof.share_col.next"),
        },
    )


def ranking_switch(user: User) -> None:
    """Per team: lists ranked by chance of an order (default) or expected value. Written
    lists stay as they are; the next list written follows the setting."""
    st.subheader(t("data.ranking"))
    st.caption(t("data.ranking_explain"))
    try:
        found = cached.team_settings_table(user)
    except RepurchaseError as exc:
        widgets.fail(exc)
    by_team = found.set_index("team").rank_by
    _ranking_table(found)
    # labels fixed in this run's language (Streamlit may call format functions after it)
    team_labels = {team: display.team_name(team) for team in by_team.index}
    by_labels = {by: t(f"rank_by.{by}") for by in codes.RANK_BY}
    team_col, by_col, save_col = st.columns([1, 2, 1], vertical_alignment="bottom")
    team = team_col.selectbox(
        t("data.ranking_team"),
        by_team.index.tolist(),
        format_func=team_labels.get,
        key="data.ranking_team",
    )
    if team is None:
        return
    by = by_col.radio(
        t("data.ranking_by"),
        list(codes.RANK_BY),
        index=list(codes.RANK_BY).index(by_team[team]),
        format_func=by_labels.get,
        horizontal=True,
        key=f"data.ranking_by.{team}",  # one per team: it opens on that team's setting
    )
    if save_col.button(t("data.ranking_save"), key="data.ranking_save"):
        try:
            actions.set_team_ranking(user, team, by)
        except RepurchaseError as exc:
            widgets.fail(exc)
        st.session_state["data.ranking_saved"] = (team, by)
        st.rerun()
    saved = st.session_state.pop("data.ranking_saved", None)
    if saved:
        saved_team, by = saved
        st.success(
            t("data.ranking_saved", team=display.team_label(saved_team), by=t(f"rank_by.{by}"))
        )
    proof_view.share_setting(user, team, found.set_index("team").loc[team])

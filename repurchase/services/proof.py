"""The hold-out's proof per team, for the Cohorts and Model pages, the Data page's hold-out
share and the weekly report: evaluation.holdout_proof on each team's units, at the team's
hold-out share. Managers see their own team, admins every team."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from repurchase import i18n
from repurchase.accounts.auth import User
from repurchase.evaluation import holdout_proof, holdout_sums, outcomes, unit_sums
from repurchase.evaluation.holdout_proof import HoldoutProof
from repurchase.evaluation.outcomes import HoldoutLift
from repurchase.lists import holdout, team_settings
from repurchase.services import access
from repurchase.warehouse.store import Warehouse

WINDOW_DAYS = holdout_sums.WINDOW_DAYS  # a unit ordered if it did within a week of its listing
SHARES = (0.0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30)  # the choices the Data page weighs


@dataclass(frozen=True)
class TeamProof:
    """One team's proof. `team`: reps.team ('' for reps without a team); `reps`: the reps
    whose lists it counts; `share`: the team's hold-out share in force now."""

    team: str
    reps: tuple[str, ...]
    proof: HoldoutProof
    share: float
    as_of: datetime | None = None  # the nightly sums' build it comes from; None: read live


def team_proofs(
    warehouse: Warehouse,
    user: User,
    first: date,
    last: date,
    reps: tuple[str, ...] | None = None,
    today: date | None = None,
) -> list[TeamProof]:
    """Per team of the reps in `user`'s scope (narrowed to `reps` if given), the proof from
    the lists between `first` and `last`. Every visit method counts: the hold-out keeps a
    customer off the list, whatever way the rep would have reached them."""
    return cohort_holdout(warehouse, user, first, last, reps, today)[0]


def cohort_holdout(
    warehouse: Warehouse,
    user: User,
    first: date,
    last: date,
    reps: tuple[str, ...] | None = None,
    today: date | None = None,
) -> tuple[list[TeamProof], HoldoutLift]:
    """team_proofs' proofs and the hold-out lift of the same reps (outcomes.holdout_lift), from
    one read of the hold-out's units: the Cohorts page shows both, and the units are the
    page's heaviest read. The units come as sums (unit_sums): the nightly job's when they are
    those of the period (holdout_sums.read), else read live."""
    access.require_manager(user)
    scope = access.reps_in_scope(warehouse, user)
    if reps is not None:
        scope = scope[scope.rep_id.isin(reps)]
    teams = scope.assign(team=scope.team.fillna(""))
    rep_ids = teams.rep_id.tolist()
    found = holdout_sums.read(warehouse, first, last, rep_ids)
    if found is None:
        units = holdout_proof.holdout_units(warehouse, first, last, rep_ids, WINDOW_DAYS)
        cells, as_of = unit_sums.cells_of(units), None
    else:
        cells, as_of = found.cells, found.kept.built_at
    proofs = _per_team(warehouse, teams, cells, today, as_of)
    return proofs, outcomes.lift_of_cells(cells, WINDOW_DAYS)


def _per_team(
    warehouse: Warehouse,
    teams: pd.DataFrame,
    cells: pd.DataFrame,
    today: date | None,
    as_of: datetime | None,
) -> list[TeamProof]:
    # every team's share from one read (a read per team opened the warehouse once per team)
    shares = team_settings.holdout_shares(warehouse, today).set_index("team").holdout_share
    default = holdout.HoldoutPolicy.from_env().share
    # each cell's team looked up once, not the cells filtered by every team's reps in turn
    team_of = cells.rep_id.map(teams.set_index("rep_id").team)
    by_team = dict(tuple(cells.groupby(team_of, sort=False)))
    found = []
    for team, members in teams.groupby("team", sort=True):
        share = shares.get(str(team))
        share = default if share is None or pd.isna(share) else float(share)
        mine = by_team.get(team, cells.iloc[:0])
        proof = holdout_proof.prove_cells(mine, share=share)
        found.append(TeamProof(str(team), tuple(members.rep_id), proof, share, as_of))
    return found


def share_options(
    warehouse: Warehouse, user: User, team: str, first: date, last: date
) -> pd.DataFrame:
    """For the Data page: at each share an admin may choose, what `team`'s proof would cost
    and when it would come. Columns: share, weeks_to_verdict (None: not within a year) for
    a lift of target_lift (the estimate's size, at least holdout_proof.PLANNING_LIFT),
    detectable_lift (the smallest lift shown within 8 weeks), orders_forgone_per_week (at the
    current adjusted estimate). Empty when the team has no units yet. Admins only."""
    access.require_admin(user)
    scope = access.reps_in_scope(warehouse, user)
    reps = scope[scope.team.fillna("") == team].rep_id.tolist()
    units = holdout_proof.holdout_units(warehouse, first, last, reps, WINDOW_DAYS)
    rows = []
    for share in SHARES:
        found = holdout_proof.prove(units, share=share)
        if found.verdict == "none":
            return pd.DataFrame()
        rows.append(
            {
                "share": share,
                "weeks_to_verdict": found.weeks_to_verdict,
                "target_lift": found.target_lift,
                "detectable_lift": found.detectable_lift,
                "orders_forgone_per_week": found.orders_forgone_per_week,
            }
        )
    return pd.DataFrame(rows)


def ranking(warehouse: Warehouse, user: User) -> tuple[str, str] | None:
    """(choice, evidence): what the serving model's gate chose to rank the lists by, and its
    figures by ranking (JSON text, '' when none: ranking_sentences says why from them); None
    when no model serves or its run recorded no choice."""
    access.require_manager(user)
    found = warehouse.query("serving_ranking")
    if found.empty or pd.isna(found.ranking_choice.iloc[0]):
        return None
    evidence = found.ranking_evidence.iloc[0]
    return str(found.ranking_choice.iloc[0]), "" if pd.isna(evidence) else str(evidence)


def _points(value: float, signed: bool = True) -> str:
    return f"{100 * value:+.1f}" if signed else f"{100 * abs(value):.1f}"


def verdict_sentence(proof: HoldoutProof, language: str) -> str:
    """The verdict first, in plain words: helps / seems to hurt (with the always-valid range),
    or not clear yet (with the weeks still needed at this volume), or too few customers."""
    if proof.verdict == "none":
        return i18n.text(
            "proof.verdict.none",
            language,
            treated=proof.treated,
            control=proof.control,
            min=holdout_proof.MIN_PER_ARM,
        )
    span = {"low": _points(proof.sequential_low), "high": _points(proof.sequential_high)}
    if proof.verdict == "helps":
        return i18n.text(
            "proof.verdict.helps",
            language,
            effect=_points(proof.adjusted_difference, False),
            **span,
        )
    if proof.verdict == "hurts":
        return i18n.text(
            "proof.verdict.hurts", language, effect=_points(proof.adjusted_difference), **span
        )
    lift = _points(proof.target_lift, False)
    if proof.weeks_left is None:
        return i18n.text("proof.verdict.unclear_never", language, lift=lift)
    return i18n.text("proof.verdict.unclear", language, weeks=max(proof.weeks_left, 1), lift=lift)


def detail_sentences(
    proof: HoldoutProof, language: str, ranking_choice: tuple[str, str] | None = None
) -> list[str]:
    """What follows the verdict: the always-valid range, the estimate, when a lift of the
    estimate's size shows at this volume, the hold-out's cost, what it covers, the ranking."""
    say = [
        i18n.text(
            "proof.covers",
            language,
            weeks=proof.weeks_so_far,
            treated=f"{proof.treated:,}",
            control=f"{proof.control:,}",
        )
    ]
    if proof.verdict == "none":
        return say + ranking_sentences(ranking_choice, language)
    say = [
        i18n.text(
            "proof.range",
            language,
            low=_points(proof.sequential_low),
            high=_points(proof.sequential_high),
        ),
        i18n.text(
            "proof.estimate",
            language,
            effect=_points(proof.adjusted_difference),
            low=_points(proof.adjusted_low),
            high=_points(proof.adjusted_high),
            raw_low=_points(proof.raw_low),
            raw_high=_points(proof.raw_high),
            treated_rate=f"{proof.treated_rate:.1%}",
            control_rate=f"{proof.control_rate:.1%}",
        ),
        i18n.text(
            "proof.power" if proof.weeks_to_verdict is not None else "proof.power_never",
            language,
            units=f"{proof.units_per_week:,.0f}",
            lift=_points(proof.target_lift, False),
            weeks=proof.weeks_to_verdict,
            detectable=_points(proof.detectable_lift, False),
        ),
        i18n.text(
            "proof.cost" if proof.adjusted_difference > 0 else "proof.cost_none",
            language,
            share=f"{proof.holdout_share:.0%}",
            orders=f"{proof.orders_forgone_per_week:,.1f}",
        ),
        *say,
    ]
    return say + ranking_sentences(ranking_choice, language)


def ranking_sentences(found: tuple[str, str] | None, language: str) -> list[str]:
    """What the lists rank by and why, in `language`, from the gate's figures (none when the
    model recorded no choice)."""
    if found is None:
        return []
    choice, evidence = found
    key = f"rank_by.{choice}"
    name = i18n.text(key, language) if key in i18n.CATALOGUE else choice
    reason = ranking_reason(choice, evidence, language)
    return [i18n.text("proof.ranking", language, choice=name, reason=reason).strip()]


def ranking_reason(choice: str, evidence: str, language: str) -> str:
    """Why the gate chose `choice`, said from its figures (model/ranking_gate.py): what the
    chosen ranking won over the chance of an order on the hold-out, or why the chance stays
    (the hold-out saw no clear gain, or has too few units and past calls cannot decide)."""
    try:
        rows = json.loads(evidence).get("by_ranking", {}) if evidence else {}
    except (ValueError, AttributeError):
        rows = {}
    mine = rows.get(choice if choice in ("effect", "effect_value") else "effect")
    if not mine or not np.isfinite(mine.get("vs_probability", np.nan)):
        return ""
    gain = float(mine["vs_probability"])
    margin = 1.96 * float(mine.get("vs_probability_se", np.nan))
    figures = {"gain": f"{gain:+.2f}", "margin": f"{margin:.2f}"}
    if choice in ("effect", "effect_value"):
        return i18n.text("proof.ranking_won", language, **figures)
    if mine.get("estimator") == "holdout":
        return i18n.text("proof.ranking_unclear", language, **figures)
    return i18n.text("proof.ranking_waits", language, **figures)

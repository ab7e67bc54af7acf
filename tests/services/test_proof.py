"""The hold-out's proof per team as the pages, the weekly report and the CLI read it: scope,
the team's share, the ranking the model recorded, and the words in both languages."""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import pytest

from repurchase import i18n
from repurchase.accounts.auth import User
from repurchase.errors import AccessDeniedError
from repurchase.evaluation import holdout_proof
from repurchase.services import proof, weekly_report
from repurchase.warehouse.store import Warehouse

ADMIN = User("al", "Al", "admin")
MANAGER = User("mo", "Mo", "manager", None, "T01")


@pytest.fixture
def teams(tmp_path) -> Warehouse:
    """Two teams of one rep each, 60 listed and 40 held-out units per rep in June 2026."""
    wh = Warehouse(tmp_path / "teams.duckdb")
    with wh.transaction() as cur:
        cur.execute("insert into users (username, display_name, role) values ('al', 'Al', 'admin')")
        cur.execute(
            "insert into reps (rep_id, name, gender, birth_date, hire_date, level, team) values "
            "('A', 'a', 'M', '1990-01-01', '2020-01-01', 'mid', 'T01'), "
            "('B', 'b', 'F', '1990-01-01', '2020-01-01', 'mid', 'T02')"
        )
        for rep in ("A", "B"):
            cur.execute(
                "insert into customers (customer_id, name, customer_type, industry, tag, "
                "owner_rep_id) select $r || i, 'c', 'trader', 'consumer', 'key', $r "
                "from range(100) t(i)",
                {"r": rep},
            )
            cur.execute(
                "insert into call_lists (list_date, rep_id, customer_id, rank, p_order, "
                "model_version, held_out) select date '2026-06-01' + cast(i % 14 as integer), "
                "$r, $r || i, 1, 0.3, 'v1', i >= 60 from range(100) t(i)",
                {"r": rep},
            )
            cur.execute(  # listed customers order twice as often
                "insert into orders (customer_id, order_date, amount, source) "
                "select $r || i, date '2026-06-02' + cast(i % 14 as integer), 10, 't' "
                "from range(100) t(i) where (i < 60 and i % 2 = 0) or (i >= 60 and i % 4 = 0)",
                {"r": rep},
            )
            cur.execute(
                "insert into holdout_assignments (period_start, period_end, customer_id, rep_id, "
                "share, seed) select date '2026-05-18', date '2026-06-15', $r || i, $r, 0.1, 1 "
                "from range(60, 100) t(i)",
                {"r": rep},
            )
        cur.execute(
            "insert into orders (customer_id, order_date, amount, source) "
            "values ('A1', '2026-07-10', 1, 't')"  # the data run to July: windows closed
        )
    return wh


def test_each_team_gets_its_proof_at_its_share_and_a_manager_only_their_own(teams):
    from repurchase.lists import team_settings

    team_settings.set_holdout_share(teams, ADMIN, "T02", 0.3, date(2026, 5, 1))
    found = proof.team_proofs(teams, ADMIN, date(2026, 6, 1), date(2026, 6, 30))
    assert [(f.team, f.reps, f.proof.treated, f.proof.control) for f in found] == [
        ("T01", ("A",), 60, 40),
        ("T02", ("B",), 60, 40),
    ]
    assert [f.share for f in found] == [0.1, 0.3]  # T02's share is in force from May 18
    assert found[0].proof.raw_difference == pytest.approx(0.5 - 0.25)
    mine = proof.team_proofs(teams, MANAGER, date(2026, 6, 1), date(2026, 6, 30))
    assert [f.team for f in mine] == ["T01"]
    with pytest.raises(AccessDeniedError):
        proof.team_proofs(teams, User("r", "R", "rep", "A"), date(2026, 6, 1), date(2026, 7, 1))


def test_the_cohort_pages_proofs_and_lift_are_those_read_apart_from_one_read_of_the_units(
    teams,
):
    from repurchase.services import models

    period = (date(2026, 6, 1), date(2026, 6, 30))
    for user, reps in [(ADMIN, ("A", "B")), (MANAGER, ("A", "B")), (ADMIN, ("B",))]:
        proofs, lift = proof.cohort_holdout(teams, user, *period, reps)
        assert proofs == proof.team_proofs(teams, user, *period, reps)
        assert lift == models.holdout_lift(teams, user, *period, reps)
    assert (lift.treated, lift.control) == (60, 40)  # B's alone


def test_the_share_options_cost_more_and_come_no_later_as_the_share_grows(teams):
    options = proof.share_options(teams, ADMIN, "T01", date(2026, 6, 1), date(2026, 6, 30))
    assert options.share.tolist() == list(proof.SHARES)
    cost = options.orders_forgone_per_week.tolist()
    assert cost == sorted(cost) and cost[0] == 0 and cost[-1] > 0
    weeks = [w if w == w and w is not None else math.inf for w in options.weeks_to_verdict]
    assert weeks[1:] == sorted(weeks[1:], reverse=True)
    with pytest.raises(AccessDeniedError):
        proof.share_options(teams, MANAGER, "T01", date(2026, 6, 1), date(2026, 6, 30))


def _evidence(estimator: str, gain: float, se: float) -> dict:
    row = {"estimator": estimator, "vs_probability": gain, "vs_probability_se": se}
    return {"by_ranking": {"effect": row, "effect_value": row}}


def test_the_ranking_is_read_when_the_model_recorded_it_and_nothing_otherwise(teams):
    assert proof.ranking(teams, ADMIN) is None
    metrics = {"valid_auc": 0.7, "ranking_choice": "effect", "ranking_reason": "Wins more."}
    metrics["ranking_evidence"] = _evidence("holdout", 1.5, 0.5)
    with teams.transaction() as cur:
        cur.execute(
            "insert into model_versions (version, architecture, hyperparams, metrics, "
            "artefact_path, status) values ('v1', 'x', '{}', $m, 'p', 'serving')",
            {"m": json.dumps(metrics)},
        )
    choice, evidence = proof.ranking(teams, MANAGER)
    assert choice == "effect" and json.loads(evidence) == metrics["ranking_evidence"]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize(
    ("choice", "estimator", "key"),
    [
        ("effect", "holdout", "proof.ranking_won"),
        ("probability", "holdout", "proof.ranking_unclear"),
        ("probability", "ipw", "proof.ranking_waits"),
    ],
)
def test_why_the_lists_rank_as_they_do_is_said_in_the_readers_language(
    language, choice, estimator, key
):
    evidence = json.dumps(_evidence(estimator, 0.4, 0.5))
    [sentence] = proof.ranking_sentences((choice, evidence), language)
    expected = i18n.text(key, language, gain="+0.40", margin="0.98")
    assert sentence.startswith(i18n.text("proof.ranking", language, choice="", reason="")[:4])
    assert i18n.text(f"rank_by.{choice}", language) in sentence and sentence.endswith(expected)
    # an older model without figures: what it ranks by, and no made-up reason
    [bare] = proof.ranking_sentences((choice, ""), language)
    assert (
        bare
        == i18n.text(
            "proof.ranking", language, choice=i18n.text(f"rank_by.{choice}", language), reason=""
        ).strip()
    )


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_words_put_the_verdict_first_in_both_languages(language):
    units = holdout_proof.simulate_units(2, effect=0.1, per_week=600)
    helps = holdout_proof.prove(units, share=0.2)
    assert helps.verdict == "helps"
    said = proof.verdict_sentence(helps, language)
    assert said.startswith(
        i18n.text("proof.verdict.helps", language, effect="", low="", high="")[:6]
    )
    assert f"{100 * helps.adjusted_difference:.1f}" in said
    details = proof.detail_sentences(helps, language, ("probability", ""))
    assert len(details) == 6 and f"{helps.weeks_to_verdict}" in details[2]
    unclear = holdout_proof.prove(
        holdout_proof.simulate_units(2, effect=0.0, per_week=60), share=0.2
    )
    assert unclear.verdict == "unclear"
    assert proof.verdict_sentence(unclear, language) != said
    few = holdout_proof.prove(units.head(50), share=0.2)
    assert str(few.control) in proof.verdict_sentence(few, language)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_list_with_no_gain_yet_is_said_as_such_and_plans_for_a_lift_worth_having(language):
    units = holdout_proof.simulate_units(4, effect=-0.03, per_week=120)
    found = holdout_proof.prove(units, share=0.1)
    assert found.adjusted_difference < 0 and found.verdict == "unclear"
    assert found.target_lift == holdout_proof.PLANNING_LIFT
    said = proof.verdict_sentence(found, language)
    assert f"{100 * holdout_proof.PLANNING_LIFT:.1f}" in said
    assert f"{100 * abs(found.adjusted_difference):.1f}" not in said  # no sign dropped
    details = proof.detail_sentences(found, language)
    share = f"{found.holdout_share:.0%}"
    assert i18n.text("proof.cost_none", language, share=share) in details
    # a larger share brings the verdict on that lift sooner
    weeks = [holdout_proof.prove(units, share=s).weeks_to_verdict or math.inf for s in (0.05, 0.3)]
    assert weeks[1] < weeks[0]


def test_the_weekly_report_carries_each_teams_proof_escaped(teams):
    with teams.transaction() as cur:
        cur.execute("update reps set team = '<b>T02</b>' where rep_id = 'B'")
    report = weekly_report.build(teams, ADMIN, date(2026, 6, 10), "en", datetime(2026, 7, 11, 9))
    page = report.html
    assert "Does the list help?" in page and page.count('class="verdict"') == 2
    assert "&lt;b&gt;T02&lt;/b&gt;" in page and "<b>T02</b>" not in page
    chinese = weekly_report.build(teams, ADMIN, date(2026, 6, 10), "zh", datetime(2026, 7, 11, 9))
    assert "名单有没有用?" in chinese.html

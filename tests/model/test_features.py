"""Features: the paper's seven, computed by hand for a dozen visits; windows; no look-ahead."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from repurchase.model import bgnbd, features, summary
from repurchase.warehouse import importer
from repurchase.warehouse.store import Warehouse

from ..conftest import REPO

DATA = REPO / "tests" / "data"


def test_event_features_match_the_hand_computed_golden_file(golden):
    history = features.load_history(golden, date(2026, 4, 1))
    got = history.events
    want = pd.read_csv(DATA / "golden_features.csv", parse_dates=["event_at"])
    ids = history.customers.customer_id.to_numpy()[got.customer_idx.to_numpy()]
    assert list(ids) == list(want.customer_id)
    assert list(got.event_at) == list(want.event_at)
    for column in (
        "is_visit",
        "result",
        "prev_result",
        "ever_ordered",
        "n_orders",
        "n_visits",
        "n_reps",
    ):
        assert got[column].astype(int).tolist() == want[column].tolist(), column
    np.testing.assert_allclose(
        got.days_since_prev.to_numpy(dtype=float),
        want.days_since_prev.to_numpy(dtype=float),
        atol=1e-5,
    )
    assert got.target.tolist() == want.target.tolist()


def test_a_window_holds_the_past_nine_events_then_the_anchor(golden):
    history = features.load_history(golden, date(2026, 4, 10))
    vocab = features.fit_vocabulary(history)
    anchors = pd.DataFrame({"customer_id": ["C1"], "anchor": [pd.Timestamp("2026-03-05")]})
    s = features.build_samples(history, anchors, "rhythm", vocab, horizon_days=28)
    names = list(s.feature_names)
    x = pd.DataFrame(s.temporal[0], columns=names)
    assert s.n_history[0] == 7  # C1's events before 5 March
    assert x.present.tolist() == [0, 0, 1, 1, 1, 1, 1, 1, 1, 1]  # two padding steps
    assert x.result.tolist()[2:9] == [0, 0, 1, 0, 1, 0, 1]
    anchor = x.iloc[-1]
    # 5 March 00:00 - 2 March 10:00 = 2 days 14 hours
    assert anchor.days_since_prev == pytest.approx(2 + 14 / 24, abs=1e-5)
    assert (anchor.result, anchor.prev_result, anchor.is_anchor) == (0, 1, 1)
    assert (anchor.n_orders, anchor.n_visits, anchor.n_reps) == (3, 6, 2)
    # orders at 20 Jan 09:00, 10 Feb 12:00, 2 Mar 10:00: 41 days 1 hour over two gaps
    assert anchor.mean_order_gap == pytest.approx((41 + 1 / 24) / 2, abs=1e-4)
    assert anchor.due_ratio == pytest.approx((2 + 14 / 24) / ((41 + 1 / 24) / 2), abs=1e-4)
    assert anchor.orders_365 == 3
    # each past step knows how long before the anchor it happened
    assert x.days_to_anchor.iloc[8] == pytest.approx(2 + 14 / 24, abs=1e-5)
    # the 20 March online order falls inside 28 days of the anchor, not inside 7
    assert s.labels.tolist() == [1]
    s7 = features.build_samples(history, anchors, "rhythm", vocab, horizon_days=7)
    assert s7.labels.tolist() == [0]
    # static branch: the customer's tag, industry, type, and each step's target segment
    assert (s.static[0, :2] == 0).all()
    assert len(set(map(tuple, s.static[0, 2:, :3]))) == 1


def test_the_paper_feature_set_has_exactly_the_seven_features(golden):
    history = features.load_history(golden, date(2026, 4, 1))
    anchors = pd.DataFrame({"customer_id": ["C1", "C2"], "anchor": pd.Timestamp("2026-03-05")})
    s = features.build_samples(history, anchors, "paper", features.fit_vocabulary(history), None)
    assert s.temporal.shape == (2, 10, 7)
    assert s.static.shape == (2, 10, 4)
    assert s.labels is None


def test_a_customer_without_any_event_is_still_scored_and_flagged(golden):
    history = features.load_history(golden, date(2026, 4, 1))
    anchors = features.daily_anchors(history, date(2026, 4, 1))
    s = features.build_samples(history, anchors, "rhythm", features.fit_vocabulary(history), None)
    c3 = list(s.customer_ids).index("C3")
    assert s.n_history[c3] == 0
    assert s.temporal[c3, :9].sum() == 0  # all padding
    # elapsed time since the customer was created reaches the anchor step
    assert s.temporal[c3, 9, list(s.feature_names).index("days_since_prev")] == 31


def test_labels_refuse_a_horizon_that_is_not_observed_yet(golden):
    history = features.load_history(golden, date(2026, 3, 20))
    anchors = pd.DataFrame({"customer_id": ["C1"], "anchor": [pd.Timestamp("2026-03-05")]})
    with pytest.raises(ValueError, match="not observed yet"):
        features.build_samples(history, anchors, "paper", features.fit_vocabulary(history), 28)


def test_an_anchor_after_the_history_is_refused(golden):
    history = features.load_history(golden, date(2026, 3, 1))
    anchors = pd.DataFrame({"customer_id": ["C1"], "anchor": [pd.Timestamp("2026-03-05")]})
    with pytest.raises(ValueError, match="after the history"):
        features.build_samples(history, anchors, "paper", features.fit_vocabulary(history), None)


def _samples_as_of(wh: Warehouse, day: date, until: date | None = None) -> features.Samples:
    history = features.load_history(wh, until or day)
    vocab = {
        "tag": ["high_potential", "key", "small_medium"],
        "industry": sorted(["automotive", "communications", "consumer", "industrial", "medical"]),
        "customer_type": ["design_house", "manufacturer", "trader"],
        "target": ["active", "first_order", "new_customer", "no_order_3m"],
    }
    samples = features.build_samples(
        history, features.daily_anchors(history, day), "rhythm", vocab, None
    )
    # the peers' summary too (BG/NBD parameters fixed, as a trained model holds them)
    samples.summary = summary.compute(
        history,
        samples.customer_ids_index(history),
        samples.anchor_seconds(),
        bgnbd.BGNBD(r=0.5, alpha=5.0, a=0.8, b=2.5),
        28,
    )
    return samples


def _same(a: features.Samples, b: features.Samples) -> None:
    assert list(a.customer_ids) == list(b.customer_ids)
    np.testing.assert_array_equal(a.summary, b.summary)
    np.testing.assert_array_equal(a.n_history, b.n_history)
    np.testing.assert_array_equal(a.temporal, b.temporal)
    np.testing.assert_array_equal(a.static, b.static)


def test_nothing_after_the_anchor_reaches_its_features(small_warehouse, tmp_path):
    """Leakage: build features as of D, then append and alter visits and orders after D,
    and build them again: identical. Features as of D read from a longer history: identical."""
    day = date(2026, 5, 4)
    before = _samples_as_of(small_warehouse, day)
    _same(before, _samples_as_of(small_warehouse, day, until=date(2026, 6, 30)))

    with small_warehouse.transaction() as cur:
        changed = cur.execute(
            "update visits set result = case result when 'order' then 'no_order' else 'order' end, "
            "rep_id = 'R004' where visited_at >= $d",
            {"d": day},
        ).fetchone()[0]
        cur.execute("delete from orders where order_date >= $d", {"d": day})
    assert changed > 100
    later = tmp_path / "visits_later.csv"
    pd.DataFrame(
        {
            "rep_id": "R001",
            "customer_id": ["C00001", "C00002", "C00003"],
            "visit_date": [f"{day + timedelta(days=i)} 09:00" for i in (0, 1, 2)],
            "method": "phone",
            "target": "active",
            "purpose": "needs_discovery",
            "result": "order",
            "note": "",
            "order_amount": "10",
        }
    ).to_csv(later, index=False)
    importer.import_files(small_warehouse, [later], now=pd.Timestamp("2026-06-30").to_pydatetime())
    _same(before, _samples_as_of(small_warehouse, day))


def test_scaler_is_fitted_on_training_samples_and_clips_later_values(golden):
    history = features.load_history(golden, date(2026, 4, 1))
    vocab = features.fit_vocabulary(history)
    early = features.build_samples(
        history,
        pd.DataFrame({"customer_id": ["C1"], "anchor": [pd.Timestamp("2026-01-21")]}),
        "rhythm",
        vocab,
        None,
    )
    late = features.build_samples(
        history,
        pd.DataFrame({"customer_id": ["C1"], "anchor": [pd.Timestamp("2026-04-01")]}),
        "rhythm",
        vocab,
        None,
    )
    scaler = features.Scaler.fit(early, vocab)
    scaled = scaler.temporal(late)
    assert scaled.min() >= 0.0 and scaled.max() <= 1.0
    n_visits = list(late.feature_names).index("n_visits")
    assert scaled[0, -1, n_visits] == 1.0  # 7 visits, more than the 3 seen in training: clipped
    again = features.Scaler.from_dict(scaler.to_dict())
    np.testing.assert_array_equal(again.temporal(late), scaled)


def test_a_customer_without_a_created_date_exists_from_its_first_event(golden):
    with golden.transaction() as cur:
        cur.execute("update customers set created_date = null")
    history = features.load_history(golden, date(2026, 4, 10))
    anchors = features.weekly_anchors(history, date(2025, 12, 1), date(2026, 4, 6))
    first = anchors.groupby("customer_id").anchor.min()
    # C1's first event is on 5 January, C2's on 7 January: no anchor before them
    assert first["C1"] == pd.Timestamp("2026-01-12") and first["C2"] == pd.Timestamp("2026-01-12")
    assert "C3" not in first  # no events and no created date: never a training anchor
    scored = features.build_samples(
        history,
        features.daily_anchors(history, date(2026, 4, 10)),
        "paper",
        features.fit_vocabulary(history),
        None,
    )
    c3 = list(scored.customer_ids).index("C3")
    assert scored.temporal[c3, -1, 0] == 0  # still scored, with nothing elapsed to report


def test_columns_made_once_per_history_follow_the_vocabulary_and_refuse_unknown_ids(golden):
    history = features.load_history(golden, date(2026, 4, 10))
    anchors = pd.DataFrame(
        {"customer_id": ["C1", "C2"], "anchor": [pd.Timestamp("2026-03-05")] * 2}
    )
    vocab = features.fit_vocabulary(history)
    other = {k: list(reversed(v)) for k, v in vocab.items()}  # the same names, other codes
    first = features.build_samples(history, anchors, "rhythm", vocab, 28)
    warm = features.build_samples(history, anchors, "rhythm", other, 28)
    fresh = features.build_samples(
        features.load_history(golden, date(2026, 4, 10)), anchors, "rhythm", other, 28
    )
    assert np.array_equal(warm.static, fresh.static)  # a cached code of one vocabulary is
    assert not np.array_equal(warm.static, first.static)  # never served for another
    assert np.array_equal(warm.temporal, fresh.temporal)
    assert features.positions(history, ["C2", "nobody", "C1"]).tolist()[1] == -1
    unknown = pd.DataFrame({"customer_id": ["nobody"], "anchor": [pd.Timestamp("2026-03-05")]})
    with pytest.raises(ValueError, match="unknown customer 'nobody'"):
        features.build_samples(history, unknown, "rhythm", vocab, None)


def test_samples_keep_no_history_alive_once_it_is_dropped(golden):
    import gc
    import weakref

    from repurchase.model.predictor import Inputs

    history = features.load_history(golden, date(2026, 4, 10))
    anchors = pd.DataFrame({"customer_id": ["C1"], "anchor": [pd.Timestamp("2026-03-05")]})
    Inputs("rhythm", 28, features.fit_vocabulary(history), None).samples(history, anchors, True)
    gone = weakref.ref(history)
    del history
    gc.collect()
    assert gone() is None  # the nightly job reads the next history while this one would stay

"""The simple peers the network must beat, fitted on the same samples and able to serve.

- recency-frequency: purchases in the last quarter, ties broken by the most recent one;
- logistic regression on the summary (summary.py) and one-hot categories;
- gradient boosting (scikit-learn) on the same columns;
- BG/NBD (bgnbd.py): P(at least one purchase within the horizon), with the observed rate of a
  first purchase for customers who never bought.

Each peer turns a `Samples` (with its summary attached) into a score, and saves itself as a
plain dict of numbers and lists: an artefact holding a peer loads with
`torch.load(weights_only=True)` like the network, nothing is unpickled. Gradient boosting is
saved as its trees' node arrays and evaluated here (`_TreeEnsemble`); a test checks it
reproduces scikit-learn's probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from repurchase.model import bgnbd, summary
from repurchase.model.features import STATIC, Samples

PEERS = ("gbm", "logistic", "bg/nbd", "recency-frequency")
_NODE_FIELDS = (
    "value",
    "feature_idx",
    "num_threshold",
    "missing_go_to_left",
    "left",
    "right",
    "is_leaf",
)


def columns(samples: Samples, widths: list[int]) -> np.ndarray:
    """One row per sample: the summary and one-hot static categories at the anchor step."""
    if samples.summary is None:
        raise ValueError("peers read the summary features; attach them first")
    codes = samples.static[:, -1, :].astype(int)
    one_hot = [
        np.eye(w, dtype=np.float32)[np.clip(codes[:, j], 0, w - 1)] for j, w in enumerate(widths)
    ]
    return np.concatenate([samples.summary, *one_hot], axis=1)


def widths_of(vocabulary: dict[str, list[str]]) -> list[int]:
    return [len(vocabulary[c]) + 1 for c in STATIC]


def _col(name: str) -> int:
    return summary.SUMMARY.index(name)


def recency_frequency(samples: Samples) -> np.ndarray:
    """Purchases in the last 90 days first; among equals, the most recent purchase first."""
    s = samples.summary
    return np.expm1(s[:, _col("log_orders_90")]) + 1.0 / (1.0 + np.expm1(s[:, _col("log_recency")]))


@dataclass
class Peer:
    """A fitted peer: `kind` and its parameters as plain data."""

    kind: str
    params: dict

    def score(self, samples: Samples) -> np.ndarray:
        """A score per sample, higher = more likely to order (a probability except for
        recency-frequency, which only ranks)."""
        if self.kind == "recency-frequency":
            return recency_frequency(samples)
        if self.kind == "bg/nbd":
            s = samples.summary
            p = s[:, _col("bgnbd_p_order")].astype(np.float64)
            return np.where(s[:, _col("has_purchase")] > 0, p, self.params["never_bought_rate"])
        x = columns(samples, self.params["widths"]).astype(np.float64)
        if self.kind == "logistic":
            z = (x - np.asarray(self.params["mean"])) / np.asarray(self.params["scale"])
            logit = z @ np.asarray(self.params["coef"]) + self.params["intercept"]
            return 1.0 / (1.0 + np.exp(-logit))
        if self.kind == "gbm":
            return _TreeEnsemble.from_dict(self.params).predict_proba(x)
        raise ValueError(f"unknown peer {self.kind!r}")

    def to_dict(self) -> dict:
        return {"kind": self.kind, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict) -> Peer:
        return cls(str(data["kind"]), dict(data["params"]))


def fit(kind: str, samples: Samples, vocabulary: dict[str, list[str]], seed: int = 7) -> Peer:
    """Fit one peer on training samples (labels required)."""
    y = samples.labels
    widths = widths_of(vocabulary)
    if kind == "recency-frequency":
        return Peer(kind, {})
    if kind == "bg/nbd":
        never = samples.summary[:, _col("has_purchase")] == 0
        rate = float(y[never].mean()) if never.any() else 0.0
        return Peer(kind, {"never_bought_rate": rate})
    x = columns(samples, widths).astype(np.float64)
    if kind == "logistic":
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale = np.where(scale > 1e-9, scale, 1.0)
        if len(np.unique(y)) < 2:
            coef, intercept = (
                np.zeros(x.shape[1]),
                float(np.log((y.mean() + 1e-3) / (1 - y.mean() + 1e-3))),
            )
        else:
            model = LogisticRegression(max_iter=2000, C=1.0).fit((x - mean) / scale, y)
            coef, intercept = model.coef_[0], float(model.intercept_[0])
        return Peer(
            kind,
            {
                "widths": widths,
                "mean": mean.tolist(),
                "scale": scale.tolist(),
                "coef": np.asarray(coef).tolist(),
                "intercept": intercept,
            },
        )
    if kind == "gbm":
        if len(np.unique(y)) < 2:
            return Peer("logistic", fit("logistic", samples, vocabulary).params)
        return Peer(kind, {"widths": widths, **boosted_trees(x, y, seed).to_dict()})
    raise ValueError(f"unknown peer {kind!r}; choose from {', '.join(PEERS)}")


def boosted_trees(
    x: np.ndarray,
    y: np.ndarray,
    seed: int,
    *,
    sample_weight: np.ndarray | None = None,
    max_iter: int = 200,
    max_leaf_nodes: int = 31,
    min_samples_leaf: int = 40,
    n_iter_no_change: int = 15,
) -> _TreeEnsemble:
    """A gradient-boosted classifier of the 0/1 labels `y` on the rows of `x` (optionally
    weighted), as plain trees. Learning rate 0.08, L2 1.0, early stopping on 15 % of the rows;
    the sizes default to the gbm peer's (the call effect's models are smaller, effect.py)."""
    model = HistGradientBoostingClassifier(
        max_iter=max_iter,
        learning_rate=0.08,
        max_leaf_nodes=max_leaf_nodes,
        min_samples_leaf=min_samples_leaf,
        l2_regularization=1.0,
        early_stopping=True,
        validation_fraction=0.15,
        n_iter_no_change=n_iter_no_change,
        random_state=seed,
    )
    model.fit(x, y, sample_weight=sample_weight)
    return _TreeEnsemble.of(model)


@dataclass
class _TreeEnsemble:
    """A binary HistGradientBoostingClassifier as plain arrays: sum of the trees' leaf values
    plus the baseline is the log-odds of class 1."""

    baseline: float
    trees: list[dict[str, np.ndarray]]

    @classmethod
    def of(cls, model: HistGradientBoostingClassifier) -> _TreeEnsemble:
        trees = []
        for (predictor,) in model._predictors:  # binary: one tree per iteration
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not exported; use numeric columns")
            trees.append({f: np.asarray(nodes[f]) for f in _NODE_FIELDS})
        return cls(float(np.ravel(model._baseline_prediction)[0]), trees)

    def to_dict(self) -> dict:
        return {
            "baseline": self.baseline,
            "trees": [{f: t[f].tolist() for f in _NODE_FIELDS} for t in self.trees],
        }

    @classmethod
    def from_dict(cls, data: dict) -> _TreeEnsemble:
        trees = [{f: np.asarray(t[f]) for f in _NODE_FIELDS} for t in data["trees"]]
        return cls(float(data["baseline"]), trees)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        raw = np.full(len(x), self.baseline)
        rows = np.arange(len(x))
        for tree in self.trees:
            node = np.zeros(len(x), dtype=np.int64)
            for _ in range(64):  # deeper than any tree grown here
                leaf = tree["is_leaf"][node].astype(bool)
                if leaf.all():
                    break
                value = x[rows, tree["feature_idx"][node]]
                go_left = np.where(
                    np.isnan(value),
                    tree["missing_go_to_left"][node].astype(bool),
                    value <= tree["num_threshold"][node],
                )
                nxt = np.where(go_left, tree["left"][node], tree["right"][node])
                node = np.where(leaf, node, nxt)
            raw += tree["value"][node]
        return 1.0 / (1.0 + np.exp(-raw))


def fit_all(samples: Samples, vocabulary: dict[str, list[str]], seed: int = 7) -> dict[str, Peer]:
    return {kind: fit(kind, samples, vocabulary, seed) for kind in PEERS}


__all__ = ["PEERS", "Peer", "boosted_trees", "fit", "fit_all", "recency_frequency", "bgnbd"]


# The tree ensemble as plain arrays, for the other boosted models that serve beside the peers
# (effect.py): one fit (boosted_trees), one exporter, one evaluator.
TreeEnsemble = _TreeEnsemble

"""The paper's CNN-LSTM (Shi et al., section 3.3, figures 2-4) and the focal loss (3.4).

Pure `nn.Module`s built from a config dataclass; the shape of the data is noted on every line
that changes it (B = batch, T = 10 steps).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F  # noqa: N812 (the usual name)
from torch import nn


@dataclass(frozen=True)
class NetConfig:
    """Sizes of the network. Defaults are the paper's; `n_temporal`/`n_static` follow the
    feature set the model is trained on (the paper's set has 7 and 4)."""

    n_temporal: int = 7
    n_static: int = 4
    seq_len: int = 10
    conv_channels: int = 64
    kernel_size: int = 2
    lstm_hidden: int = 128
    lstm_layers: int = 3
    dropout: float = 0.0
    # "paper": the paper's network, exactly. "hybrid": a smaller CNN-LSTM over the events
    # beside a branch for what the peers know (summary.py) and embeddings of the categories.
    kind: str = "paper"
    n_summary: int = 0
    categories: tuple[int, ...] = ()  # hybrid: vocabulary size + 1 per static column
    embed_dim: int = 4
    head_hidden: int = 32

    def to_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["categories"] = list(self.categories)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> NetConfig:
        values = dict(data)
        values["categories"] = tuple(int(c) for c in values.get("categories", ()))
        return cls(**values)


def build(config: NetConfig) -> nn.Module:
    """The network a config describes."""
    if config.kind == "paper":
        return RepurchaseNet(config)
    if config.kind == "hybrid":
        return HybridNet(config)
    raise ValueError(f"unknown network kind {config.kind!r} (paper, hybrid)")


class CausalConv1d(nn.Module):
    """Conv1d over time (kernel 2, stride 1) that keeps the length at T: the input is padded
    on the left, so step t sees steps t-1 and t only (nothing from later steps)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int) -> None:
        super().__init__()
        self.pad = kernel_size - 1
        self.conv = nn.Conv1d(in_channels, out_channels, kernel_size, stride=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, C_in, T)
        x = F.pad(x, (self.pad, 0))  # (B, C_in, T + k - 1)
        return self.conv(x)  # (B, C_out, T)


def _event_layers(c: NetConfig) -> tuple[CausalConv1d, nn.BatchNorm1d, nn.LSTM]:
    """The paper's event branch up to the LSTM: causal Conv1d(k=2) -> BatchNorm -> LSTM."""
    return (
        CausalConv1d(c.n_temporal, c.conv_channels, c.kernel_size),
        nn.BatchNorm1d(c.conv_channels),
        nn.LSTM(
            input_size=c.conv_channels,
            hidden_size=c.lstm_hidden,
            num_layers=c.lstm_layers,
            batch_first=True,
            dropout=c.dropout if c.lstm_layers > 1 else 0.0,
        ),
    )


class RepurchaseNet(nn.Module):
    """Two branches, concatenated, softmax over {no order, order}.

    temporal: (B, T, 7) -> Conv1d(64, k=2) -> BatchNorm -> LSTM(3 x 128) -> FC -> (B, 2)
    static:   (B, T, 4) -> Conv1d(64, k=2) -> FC -> (B, 2)
    head:     concat (B, 4) -> FC -> (B, 2) logits (softmax gives the probabilities)
    """

    def __init__(self, config: NetConfig) -> None:
        super().__init__()
        c = config
        self.config = c
        self.temporal_conv, self.temporal_norm, self.lstm = _event_layers(c)
        self.temporal_fc = nn.Linear(c.seq_len * c.lstm_hidden, 2)
        self.static_conv = CausalConv1d(c.n_static, c.conv_channels, c.kernel_size)
        self.static_fc = nn.Linear(c.seq_len * c.conv_channels, 2)
        self.head = nn.Linear(4, 2)

    def temporal_features(self, temporal: torch.Tensor) -> torch.Tensor:
        """The CNN-LSTM part up to the LSTM output, exposed for the shape test."""
        x = temporal.transpose(1, 2)  # (B, 7, T): channels first for Conv1d
        x = self.temporal_conv(x)  # (B, 64, T)
        x = self.temporal_norm(x)  # (B, 64, T)
        x = x.transpose(1, 2)  # (B, T, 64)
        out, _ = self.lstm(x)  # (B, T, 128)
        return out

    def forward(
        self, temporal: torch.Tensor, static: torch.Tensor, summary: torch.Tensor | None = None
    ) -> torch.Tensor:
        """`summary` is ignored: the paper's network reads only its two branches."""
        t = self.temporal_features(temporal)  # (B, T, 128)
        t = self.temporal_fc(t.flatten(1))  # (B, 2)
        s = self.static_conv(static.transpose(1, 2))  # (B, 64, T)
        s = self.static_fc(s.flatten(1))  # (B, 2)
        return self.head(torch.cat([t, s], dim=1))  # (B, 2) logits


class HybridNet(nn.Module):
    """The paper's CNN-LSTM idea, sized for a 2-core CPU, beside what the peers know.

    events:   (B, T, F) -> Conv1d(k=2) -> BatchNorm -> LSTM(1 layer) -> last state (B, H)
    summary:  (B, S) purchase-history summary, scaled to [0, 1]
    category: (B, 4) codes at the anchor -> embeddings (B, 4 * E)
    head:     MLP on the concatenation, plus a linear path on the summary alone, so the
              network can always fall back on what a logistic model on the summary knows.
    Output (B, 2) logits over {no order, order} like the paper's network (logit 0 for "no").
    """

    def __init__(self, config: NetConfig) -> None:
        super().__init__()
        c = config
        self.config = c
        self.temporal_conv, self.temporal_norm, self.lstm = _event_layers(c)
        self.embeddings = nn.ModuleList(nn.Embedding(n, c.embed_dim) for n in c.categories)
        width = c.lstm_hidden + c.n_summary + c.embed_dim * len(c.categories)
        self.head = nn.Sequential(
            nn.Linear(width, c.head_hidden),
            nn.ReLU(),
            nn.Dropout(c.dropout),
            nn.Linear(c.head_hidden, 1),
        )
        self.linear = nn.Linear(c.n_summary, 1)

    def forward(
        self, temporal: torch.Tensor, static: torch.Tensor, summary: torch.Tensor | None = None
    ) -> torch.Tensor:
        if summary is None:
            raise ValueError("the hybrid network needs the summary features")
        x = self.temporal_conv(temporal.transpose(1, 2))  # (B, C, T)
        x = self.temporal_norm(x).transpose(1, 2)  # (B, T, C)
        _, (h, _) = self.lstm(x)  # h: (layers, B, H)
        codes = static[:, -1, :].long()  # (B, 4) category codes at the anchor step
        embedded = [
            emb(codes[:, j].clamp(0, emb.num_embeddings - 1))
            for j, emb in enumerate(self.embeddings)
        ]  # 4 x (B, E)
        z = torch.cat([h[-1], summary, *embedded], dim=1)  # (B, H + S + 4E)
        logit = self.head(z) + self.linear(summary)  # (B, 1)
        return torch.cat([torch.zeros_like(logit), logit], dim=1)  # (B, 2)


def focal_loss(
    logits: torch.Tensor, target: torch.Tensor, alpha: float = 0.25, gamma: float = 2.0
) -> torch.Tensor:
    """Mean focal loss (Lin et al. 2017; paper eq. 3): -alpha_t (1 - p_t)^gamma log p_t.

    `logits` (B, 2) over {no order, order}; `target` (B,) of 0/1. alpha_t is `alpha` for the
    positive class (order) and 1 - alpha for the negative, as in the focal loss paper.
    """
    log_p = F.log_softmax(logits, dim=1)  # (B, 2)
    log_pt = log_p.gather(1, target.long().unsqueeze(1)).squeeze(1)  # (B,)
    pt = log_pt.exp()
    alpha_t = torch.where(target > 0, torch.full_like(pt, alpha), torch.full_like(pt, 1 - alpha))
    return (-alpha_t * (1 - pt) ** gamma * log_pt).mean()


def order_probability(logits: torch.Tensor) -> torch.Tensor:
    """Softmax probability of the 'order' class, (B, 2) -> (B,)."""
    return F.softmax(logits, dim=1)[:, 1]

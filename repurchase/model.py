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

    def to_dict(self) -> dict[str, int | float]:
        return asdict(self)


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
        self.temporal_conv = CausalConv1d(c.n_temporal, c.conv_channels, c.kernel_size)
        self.temporal_norm = nn.BatchNorm1d(c.conv_channels)
        self.lstm = nn.LSTM(
            input_size=c.conv_channels,
            hidden_size=c.lstm_hidden,
            num_layers=c.lstm_layers,
            batch_first=True,
            dropout=c.dropout if c.lstm_layers > 1 else 0.0,
        )
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

    def forward(self, temporal: torch.Tensor, static: torch.Tensor) -> torch.Tensor:
        t = self.temporal_features(temporal)  # (B, T, 128)
        t = self.temporal_fc(t.flatten(1))  # (B, 2)
        s = self.static_conv(static.transpose(1, 2))  # (B, 64, T)
        s = self.static_fc(s.flatten(1))  # (B, 2)
        return self.head(torch.cat([t, s], dim=1))  # (B, 2) logits


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

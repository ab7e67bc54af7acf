"""The network has the paper's shapes; the focal loss matches a hand computation."""

from __future__ import annotations

import math

import pytest
import torch

from repurchase.model.network import (
    CausalConv1d,
    NetConfig,
    RepurchaseNet,
    focal_loss,
    order_probability,
)


@pytest.fixture
def net() -> RepurchaseNet:
    torch.manual_seed(0)
    return RepurchaseNet(NetConfig())


def test_shapes_are_the_papers(net):
    """Paper 3.3: 64x10x7 -> CNN 64x10x64 -> LSTM 64x10x128; static 64x10x4; two classes."""
    temporal = torch.rand(64, 10, 7)
    static = torch.rand(64, 10, 4)
    conv = net.temporal_conv(temporal.transpose(1, 2))
    assert conv.transpose(1, 2).shape == (64, 10, 64)
    assert net.temporal_features(temporal).shape == (64, 10, 128)
    assert net.lstm.num_layers == 3 and net.lstm.hidden_size == 128
    assert net.temporal_conv.conv.kernel_size == (2,) and net.temporal_conv.conv.stride == (1,)
    assert isinstance(net.temporal_norm, torch.nn.BatchNorm1d)
    assert net.static_conv(static.transpose(1, 2)).shape == (64, 64, 10)
    assert net.head.in_features == 4  # concatenation of the two branches' 2-vectors
    logits = net(temporal, static)
    assert logits.shape == (64, 2)
    p = torch.softmax(logits, dim=1)
    assert torch.allclose(p.sum(dim=1), torch.ones(64))
    assert torch.allclose(order_probability(logits), p[:, 1])


def test_the_convolution_never_looks_at_later_steps():
    torch.manual_seed(0)
    conv = CausalConv1d(7, 64, 2)
    x = torch.rand(1, 7, 10)
    y = conv(x)
    x2 = x.clone()
    x2[..., 6:] = torch.rand(1, 7, 4)  # change steps 6..9
    y2 = conv(x2)
    assert torch.equal(y[..., :6], y2[..., :6])
    assert not torch.equal(y[..., 6:], y2[..., 6:])


def test_focal_loss_matches_a_hand_computation():
    logits = torch.tensor([[0.0, 0.0], [2.0, 0.0], [0.0, 3.0]])
    target = torch.tensor([1, 0, 1])
    # by hand: p_t is the softmax probability of the true class
    p1 = 0.5  # even logits, positive: alpha_t = 0.25
    p2 = math.exp(2) / (math.exp(2) + 1)  # negative class right: alpha_t = 0.75
    p3 = math.exp(3) / (math.exp(3) + 1)  # positive class right: alpha_t = 0.25
    hand = [
        -0.25 * (1 - p1) ** 2 * math.log(p1),
        -0.75 * (1 - p2) ** 2 * math.log(p2),
        -0.25 * (1 - p3) ** 2 * math.log(p3),
    ]
    assert hand[0] == pytest.approx(0.0433217, abs=1e-6)
    assert focal_loss(logits, target).item() == pytest.approx(sum(hand) / 3, rel=1e-5)
    # gamma 0 and alpha 0.5 give half the cross-entropy
    ce = torch.nn.functional.cross_entropy(logits, target)
    assert focal_loss(logits, target, alpha=0.5, gamma=0.0).item() == pytest.approx(ce.item() / 2)


def test_a_few_adam_steps_learn_a_separable_toy_problem(net):
    torch.manual_seed(1)
    temporal = torch.rand(128, 10, 7)
    static = torch.rand(128, 10, 4)
    target = (temporal[:, -1, 0] > 0.5).long()
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3)
    first = focal_loss(net(temporal, static), target).item()
    for _ in range(60):
        optimiser.zero_grad()
        loss = focal_loss(net(temporal, static), target)
        loss.backward()
        optimiser.step()
    assert loss.item() < 0.5 * first

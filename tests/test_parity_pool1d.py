"""1-D pooling against real PyTorch: values, gradients (float64), reprs, error types."""
import numpy as np
import pytest

from _parity import assert_raises_like_pytorch, import_torch

torch = import_torch()

import tinyflow as tf  # noqa: E402

CASES = [
    ("max_pool1d", (2,), {}), ("max_pool1d", (3,), {"stride": 1, "padding": 1}),
    ("max_pool1d", ([3],), {"stride": [2]}), ("avg_pool1d", (2,), {}),
    ("avg_pool1d", (3, 2, 1), {"count_include_pad": False}),
    ("avg_pool1d", (3, 2, 1), {"ceil_mode": True}),
    ("adaptive_avg_pool1d", (1,), {}), ("adaptive_avg_pool1d", (3,), {}),
]


@pytest.mark.parametrize("name,args,kwargs", CASES, ids=[f"{c[0]}{i}" for i, c in enumerate(CASES)])
@pytest.mark.parametrize("shape", [(2, 3, 7), (3, 7)], ids=["batched", "unbatched"])
def test_values_and_gradients_match_pytorch(name, args, kwargs, shape):
    a = np.random.default_rng(3).normal(size=shape)
    g = np.random.default_rng(4).normal(size=getattr(torch.nn.functional, name)(
        torch.tensor(a), *args, **kwargs).shape)
    results = []
    for m in (tf, torch):
        x = m.tensor(a, requires_grad=True)
        y = getattr(m.nn.functional, name)(x, *args, **kwargs)
        (y * m.tensor(g)).sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-12)


def test_layers_print_and_pool_as_pytorchs():
    for make in (lambda nn: nn.MaxPool1d(2), lambda nn: nn.MaxPool1d(3, stride=1, padding=1),
                 lambda nn: nn.AvgPool1d(3, 2, 1), lambda nn: nn.AdaptiveAvgPool1d(4)):
        ours, theirs = make(tf.nn), make(torch.nn)
        assert repr(ours) == repr(theirs)
        a = np.random.default_rng(5).normal(size=(2, 3, 9))
        np.testing.assert_allclose(ours(tf.tensor(a)).numpy(), theirs(torch.tensor(a)).numpy())


BAD_CALLS = [
    lambda F, t: F.max_pool1d(t.ones(1, 1, 1, 4), 2),
    lambda F, t: F.max_pool1d(t.ones(4), 2),
    lambda F, t: F.avg_pool1d(t.ones(1, 4), 2, padding=2),
    lambda F, t: F.max_pool1d(t.ones(1, 1, 4), 0),
    lambda F, t: F.adaptive_avg_pool1d(t.ones(1, 1, 4), (1, 2)),
    lambda F, t: F.max_pool1d(t.ones(1, 1, 4), 5),
]


@pytest.mark.parametrize("call", BAD_CALLS, ids=range(len(BAD_CALLS)))
def test_bad_calls_raise_pytorchs_error_type(call):
    assert_raises_like_pytorch(call, (torch.nn.functional, torch), (tf.nn.functional, tf))

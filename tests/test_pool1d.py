"""1-D pooling (F.max_pool1d, F.avg_pool1d, F.adaptive_avg_pool1d and their layers)
against numpy written here, gradients checked numerically; tests/test_parity_pool1d.py
compares them with PyTorch."""
import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn
import tinyflow.nn.functional as F


def _windows(a, k, s):
    n = (a.shape[-1] - k) // s + 1
    return np.stack([a[..., i * s:i * s + k] for i in range(n)], -2)     # (..., n, k)


def test_values_against_numpy():
    a = np.random.default_rng(0).normal(size=(2, 3, 9))
    x = tf.tensor(a)
    np.testing.assert_allclose(F.max_pool1d(x, 3, 2).numpy(), _windows(a, 3, 2).max(-1))
    np.testing.assert_allclose(F.avg_pool1d(x, 2).numpy(), _windows(a, 2, 2).mean(-1))
    np.testing.assert_allclose(F.adaptive_avg_pool1d(x, 1).numpy(), a.mean(-1, keepdims=True))
    padded = np.pad(a, ((0, 0), (0, 0), (1, 1)), constant_values=-np.inf)
    np.testing.assert_allclose(nn.MaxPool1d(3, 1, 1)(x).numpy(), _windows(padded, 3, 1).max(-1))
    assert F.max_pool1d(tf.tensor(a[0]), 3).shape == (3, 3)          # unbatched (C, L)


def test_gradients_are_checked_numerically():
    x = tf.tensor(np.random.default_rng(1).normal(size=(2, 2, 7)), requires_grad=True)
    assert tf.gradcheck(lambda t: F.max_pool1d(t, 2, 1), (x,))
    assert tf.gradcheck(lambda t: F.avg_pool1d(t, 3, 2, 1, count_include_pad=False), (x,))
    assert tf.gradcheck(lambda t: F.adaptive_avg_pool1d(t, 3), (x,))


def test_reprs_and_errors():
    assert repr(nn.MaxPool1d(2)) == \
        "MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    assert repr(nn.AvgPool1d(3, 2, 1)) == "AvgPool1d(kernel_size=(3,), stride=(2,), padding=(1,))"
    with pytest.raises(RuntimeError, match="max_pool1d: Expected 2D or 3D"):
        F.max_pool1d(tf.ones(1, 1, 1, 4), 2)
    with pytest.raises(RuntimeError, match="kernel_size must be greater than zero"):
        F.max_pool1d(tf.ones(1, 1, 4), 0)
    with pytest.raises(RuntimeError, match="should contain one int"):
        F.adaptive_avg_pool1d(tf.ones(1, 1, 4), (1, 2))

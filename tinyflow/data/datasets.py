"""Small datasets that need no download: the real 8x8 handwritten digits, and
two synthetic 2-D classification sets (moons, spirals).

>>> from tinyflow.data import load_digits, make_moons
>>> X, y = load_digits()
>>> X.shape, X.dtype, float(X.max()), y.shape, y.dtype
((1797, 64), dtype('float32'), 1.0, (1797,), dtype('int64'))
>>> make_moons(100, noise=0.1, seed=0)[0].shape
(100, 2)
"""
import functools
from pathlib import Path

import numpy as np

from ..base import rng

DIGITS_FILE = Path(__file__).with_name("digits.csv.gz")


@functools.lru_cache(maxsize=1)
def _digits_table():
    table = np.loadtxt(DIGITS_FILE, delimiter=",", dtype=np.int64)
    table.setflags(write=False)
    return table


def load_digits(scaled=True):
    """The 1,797 handwritten digits that scikit-learn ships (``sklearn.datasets.load_digits``).

    Returns ``(X, y)``: X float32 of shape (1797, 64), each row an 8x8 image
    read row by row (``X.reshape(-1, 1, 8, 8)`` for a CNN), and y int64 labels
    0..9. The pixels are counts 0..16; with ``scaled=True`` (the default) they
    are divided by 16, so X lies in [0, 1]; ``scaled=False`` gives the raw
    0..16 values (still float32).

    Source: the test set of the UCI "Optical Recognition of Handwritten Digits"
    data set by E. Alpaydin and C. Kaynak (1998), licensed CC BY 4.0
    (https://archive.ics.uci.edu/ml/datasets/Optical+Recognition+of+Handwritten+Digits);
    see DIGITS_LICENSE.txt beside this file.
    """
    table = _digits_table()
    X = table[:, :64].astype(np.float32)
    if scaled:
        X /= 16.0
    return X, table[:, 64].copy()


def _generator(seed):
    return rng.generator() if seed is None else np.random.default_rng(seed)


def make_moons(n=100, noise=0.0, seed=None):
    """Two interleaving half circles (scikit-learn's ``make_moons``).

    Returns X float32 (n, 2) and y int64 (n,) in {0, 1}, shuffled; ``noise`` is
    the standard deviation of Gaussian noise added to X.
    """
    gen = _generator(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.concatenate([np.stack([np.cos(t_out), np.sin(t_out)], 1),
                        np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], 1)])
    y = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    order = gen.permutation(n)
    X, y = X[order], y[order]
    if noise:
        X = X + gen.normal(0.0, noise, X.shape)
    return X.astype(np.float32), y


def make_spirals(n=300, classes=3, noise=0.2, seed=None):
    """``classes`` spiral arms around the origin (the CS231n toy problem).

    Returns X float32 (n, 2) and y int64 (n,) in 0..classes-1, shuffled; the n
    points are shared out evenly between the arms, and ``noise`` is the standard
    deviation of the Gaussian noise added to each point's angle.
    """
    gen = _generator(seed)
    y = np.arange(n) % classes                      # even shares, as balanced as n allows
    y.sort()
    counts = np.bincount(y, minlength=classes)
    r = np.concatenate([np.linspace(0.0, 1.0, c) for c in counts])
    angle = y * (2 * np.pi / classes) + r * 4.0 + gen.normal(0.0, noise, n) if noise else \
        y * (2 * np.pi / classes) + r * 4.0
    X = np.stack([r * np.sin(angle), r * np.cos(angle)], 1)
    order = gen.permutation(n)
    return X[order].astype(np.float32), y[order].astype(np.int64)

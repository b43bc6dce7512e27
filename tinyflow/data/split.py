"""Splitting data for training and testing: ``random_split`` (datasets, as
PyTorch) and ``train_test_split`` (arrays, as scikit-learn).

>>> import numpy as np
>>> from tinyflow.data import train_test_split
>>> x_train, x_test, y_train, y_test = train_test_split(np.zeros((10, 2)), np.arange(10),
...                                                     test_size=0.3, seed=0)
>>> x_train.shape, x_test.shape, y_test.shape
((7, 2), (3, 2), (3,))
"""
import math

import numpy as np

from ..base import rng
from ..eager.creation import as_tensor
from ..eager.tensor import Tensor
from .dataset import Subset


def _generator(seed):
    return rng.generator() if seed is None else np.random.default_rng(seed)


def random_split(dataset, lengths, seed=None):
    """Split ``dataset`` into non-overlapping random Subsets of the given lengths
    (counts that sum to len(dataset), or fractions that sum to 1). The shuffle
    uses ``np.random.default_rng(seed)``, or tinyflow's generator if seed is None.

    >>> from tinyflow.data import TensorDataset, random_split
    >>> train, test = random_split(TensorDataset(list(range(10))), [0.8, 0.2], seed=0)
    >>> len(train), len(test)
    (8, 2)
    """
    n = len(dataset)
    lengths = list(lengths)
    if lengths and all(0 <= f <= 1 for f in lengths) and math.isclose(sum(lengths), 1) \
            and sum(lengths) != n:
        counts = [int(math.floor(n * f)) for f in lengths]
        for i in range(n - sum(counts)):        # hand out the remainder round-robin
            counts[i % len(counts)] += 1
        lengths = counts
    if sum(lengths) != n:
        raise ValueError(f"random_split: the lengths {lengths} sum to {sum(lengths)}, but the "
                         f"dataset has {n} samples")
    order = _generator(seed).permutation(n)
    bounds = np.cumsum([0] + lengths)
    return [Subset(dataset, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


def train_test_split(x, y=None, test_size=0.25, seed=None):
    """Shuffle, then split ``x`` (and ``y``) along the first dimension: returns
    ``x_train, x_test, y_train, y_test`` (scikit-learn's order), or
    ``x_train, x_test`` without ``y``.

    ``test_size`` is a fraction in (0, 1) or a number of samples. Arrays come
    back as arrays and tensors as tensors. The shuffle uses
    ``np.random.default_rng(seed)``, or tinyflow's generator if seed is None.
    """
    arrays = [x] if y is None else [x, y]
    n = len(x)
    if y is not None and len(y) != n:
        raise ValueError(f"train_test_split: x and y need the same length, got {n} and {len(y)}")
    if isinstance(test_size, float):
        if not 0 < test_size < 1:
            raise ValueError(f"test_size as a fraction must be in (0, 1), got {test_size}")
        n_test = math.ceil(n * test_size)
    else:
        n_test = int(test_size)
    if not 0 < n_test < n:
        raise ValueError(f"test_size={test_size} leaves {n_test} test samples of {n}; both "
                         f"parts need at least one")
    order = _generator(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    out = []
    for a in arrays:
        if isinstance(a, Tensor):
            out += [as_tensor(a.data[train]), as_tensor(a.data[test])]
        else:
            a = np.asarray(a)
            out += [a[train], a[test]]
    return out

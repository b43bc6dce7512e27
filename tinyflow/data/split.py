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
import numbers
import warnings
from collections.abc import Sequence

import numpy as np

from ..base import rng
from ..eager.creation import as_tensor
from ..eager.tensor import Tensor
from .dataset import Subset, check_dataset


def _generator(seed):
    return rng.generator() if seed is None else np.random.default_rng(seed)


def _lengths(lengths):
    if isinstance(lengths, (Tensor, np.ndarray)):
        lengths = np.asarray(lengths).tolist()
    if isinstance(lengths, (str, bytes)) or not isinstance(lengths, Sequence):
        raise TypeError(f"random_split: lengths should be a list of ints (counts) or of "
                        f"fractions summing to 1, got {type(lengths).__name__}")
    out = []
    for i, v in enumerate(lengths):
        if isinstance(v, Tensor) and v.ndim == 0:
            v = v.item()
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Real, np.number)):
            raise TypeError(f"random_split: lengths should be ints or fractions, got "
                            f"{type(v).__name__} {v!r} at index {i}")
        out.append(int(v) if isinstance(v, (numbers.Integral, np.integer)) else float(v))
    return out


def _counts(lengths, n):
    """PyTorch's rule: fractions (summing to 1) become counts, floor(n * f) each, and
    the remainder goes out one by one, round-robin from the first."""
    counts = []
    for i, frac in enumerate(lengths):
        if not 0 <= frac <= 1:
            raise ValueError(f"random_split: Fraction at index {i} is not between 0 and 1 "
                             f"(got {frac})")
        counts.append(int(math.floor(n * frac)))
    for i in range(n - sum(counts)):
        counts[i % len(counts)] += 1
    for i, c in enumerate(counts):
        if c == 0:
            warnings.warn(f"Length of split at index {i} is 0. This might result in an empty "
                          f"dataset.", stacklevel=3)
    return counts


def random_split(dataset, lengths, generator=rng.default_generator, *, seed=None):
    """Split ``dataset`` into non-overlapping random Subsets of the given lengths:
    counts that sum to len(dataset), or fractions that sum to 1 (each becomes
    floor(fraction * len); the remainder goes round-robin, as in PyTorch).

    The order comes from ``generator`` (a ``tinyflow.Generator``; by default
    tinyflow's global one, which ``tinyflow.manual_seed`` seeds); ``seed=s`` is
    shorthand for ``generator=tinyflow.Generator().manual_seed(s)``. The same
    seed gives the same split -- tinyflow's, not PyTorch's. Each Subset's
    ``indices`` is an int64 numpy array (PyTorch gives a list).

    >>> import tinyflow
    >>> from tinyflow.data import TensorDataset, random_split
    >>> g = tinyflow.Generator().manual_seed(0)
    >>> train, test = random_split(TensorDataset(list(range(10))), [0.8, 0.2], generator=g)
    >>> len(train), len(test)
    (8, 2)
    """
    check_dataset(dataset, "random_split")
    try:
        n = len(dataset)
    except TypeError:
        raise TypeError(f"random_split: the dataset ({type(dataset).__name__}) has no length; "
                        f"expected a map-style dataset with __len__") from None
    if seed is not None:
        if generator is not rng.default_generator:
            raise ValueError("random_split: give a generator or a seed, not both")
        generator = rng.Generator().manual_seed(seed)
    gen = rng.numpy_generator(generator, "random_split")
    lengths = _lengths(lengths)
    total = sum(lengths)
    if math.isclose(total, 1) and total <= 1:
        lengths = _counts(lengths, n)
    elif any(isinstance(v, float) for v in lengths):
        if all(0 <= v <= 1 for v in lengths):
            raise ValueError(f"random_split: fractions should sum to 1, got {lengths} "
                             f"(sum {total:g})")
        # PyTorch: counts that do not add up are a ValueError whatever their type
        error = TypeError if total == n else ValueError
        raise error(f"random_split: lengths should be ints (counts) or fractions summing to 1, "
                    f"got {lengths} (sum {total:g}; counts must sum to the dataset's length {n})")
    if any(v < 0 for v in lengths):
        raise ValueError(f"random_split: lengths should not be negative, got {lengths}")
    if sum(lengths) != n:
        raise ValueError(f"random_split: Sum of input lengths does not equal the length of the "
                         f"input dataset: the lengths {lengths} sum to {sum(lengths)}, but the "
                         f"dataset has {n} samples")
    order = gen.permutation(n)
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
            out += [as_tensor(a.array[train]), as_tensor(a.array[test])]
        else:
            a = np.asarray(a)
            out += [a[train], a[test]]
    return out

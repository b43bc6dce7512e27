"""Samplers, as in ``torch.utils.data``: what order ``DataLoader`` reads a
map-style dataset in. A sampler yields indices (Python ints); a
``BatchSampler`` groups them into lists, one list per batch.

Random samplers draw from their ``generator`` (a ``tinyflow.Generator``) or,
without one, from tinyflow's global generator, so ``tinyflow.manual_seed``
makes them repeat. Same seed, same order -- but tinyflow's order, not PyTorch's.

>>> from tinyflow.data import BatchSampler, SequentialSampler
>>> list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False))
[[0, 1, 2], [3, 4, 5], [6]]
"""
import itertools
import typing

import numpy as np

from ..base import rng
from ..eager.creation import as_tensor

_T_co = typing.TypeVar("_T_co", covariant=True)


def _positive_int(value, name, where):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} should be a positive integer value, but got {name}={value!r}"
                         f" ({where} expects a Python int > 0)")


def _sized(data_source, where):
    if data_source is None:
        raise TypeError(f"{where}: data_source should be a dataset with __len__, got None")
    return data_source


def _seeded_from(gen):
    """A numpy Generator of its own, seeded by one draw from ``gen``."""
    return np.random.default_rng(int(gen.integers(1 << 63)))


class Sampler(typing.Generic[_T_co]):
    """Base class: write ``__iter__`` (yielding indices, or lists of them for a
    batch sampler) and, if you can, ``__len__``.

    >>> class Backwards(Sampler):
    ...     def __init__(self, n):
    ...         self.n = n
    ...     def __iter__(self):
    ...         return iter(range(self.n - 1, -1, -1))
    >>> list(Backwards(3))
    [2, 1, 0]
    """

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler[int]):
    """0, 1, ..., len(data_source) - 1, every epoch.

    >>> list(SequentialSampler("abc"))
    [0, 1, 2]
    """

    def __init__(self, data_source):
        self.data_source = _sized(data_source, "SequentialSampler")

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """A new random order every epoch: a permutation of the indices, or, with
    ``replacement=True``, ``num_samples`` independent draws. ``num_samples``
    (default ``len(data_source)``) may exceed the length without replacement:
    whole permutations follow one another.

    >>> import tinyflow
    >>> sampler = RandomSampler(range(5), generator=tinyflow.Generator().manual_seed(0))
    >>> sorted(sampler), len(sampler)
    ([0, 1, 2, 3, 4], 5)
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = _sized(data_source, "RandomSampler")
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got "
                            f"replacement={replacement!r}")
        _positive_int(self.num_samples, "num_samples", "RandomSampler")
        rng.numpy_generator(generator, "RandomSampler")

    @property
    def num_samples(self):
        """How many indices an epoch yields (default: the data source's length).

        >>> RandomSampler(range(4)).num_samples, RandomSampler(range(4), num_samples=9).num_samples
        (4, 9)
        """
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        n = len(self.data_source)
        if n == 0:
            raise ValueError("RandomSampler: cannot sample from an empty data_source")
        gen = rng.numpy_generator(self.generator, "RandomSampler")
        total = self.num_samples
        if self.generator is None and (self.replacement or total > n):
            gen = _seeded_from(gen)     # one draw from the global stream per epoch, then lazily
        if self.replacement:
            for start in range(0, total, 32):
                yield from gen.integers(0, n, min(32, total - start)).tolist()
            return
        for _ in range(total // n):
            yield from gen.permutation(n).tolist()
        if total % n:
            yield from gen.permutation(n)[:total % n].tolist()

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given ``indices`` in a new random order every epoch.

    >>> import tinyflow
    >>> sorted(SubsetRandomSampler([7, 3, 5], generator=tinyflow.Generator().manual_seed(1)))
    [3, 5, 7]
    """

    def __init__(self, indices, generator=None):
        if indices is None or not hasattr(indices, "__len__"):
            raise TypeError(f"SubsetRandomSampler: indices should be a sequence of ints, got "
                            f"{type(indices).__name__}")
        rng.numpy_generator(generator, "SubsetRandomSampler")
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        gen = rng.numpy_generator(self.generator, "SubsetRandomSampler")
        for i in gen.permutation(len(self.indices)).tolist():
            yield self.indices[i]

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices of ``weights``, each drawn with probability
    proportional to its weight (the weights need not sum to 1). Without
    replacement an index is drawn at most once per epoch.

    >>> import tinyflow
    >>> g = tinyflow.Generator().manual_seed(0)
    >>> list(WeightedRandomSampler([0.0, 0.0, 1.0], 3, generator=g))
    [2, 2, 2]
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        _positive_int(num_samples, "num_samples", "WeightedRandomSampler")
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got "
                             f"replacement={replacement!r}")
        try:
            w = np.array(weights, dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise ValueError(f"WeightedRandomSampler: weights should be a 1d sequence of "
                             f"numbers, got {type(weights).__name__}: {e}") from None
        if w.ndim != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape "
                             f"{tuple(w.shape)}")
        if not np.isfinite(w).all() or (w < 0).any() or not w.sum() > 0:
            raise RuntimeError(f"invalid multinomial distribution: WeightedRandomSampler needs "
                               f"finite, non-negative weights with a positive sum, got "
                               f"{w.tolist() if w.size <= 8 else w}")
        if not replacement and num_samples > w.size:
            raise RuntimeError(f"cannot sample n_sample > prob_dist.size(-1) samples without "
                               f"replacement: num_samples={num_samples}, {w.size} weights")
        rng.numpy_generator(generator, "WeightedRandomSampler")
        self.weights = as_tensor(w)
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self):
        gen = rng.numpy_generator(self.generator, "WeightedRandomSampler")
        w = self.weights.array
        if self.replacement:
            picked = gen.choice(w.size, self.num_samples, replace=True, p=w / w.sum())
        else:       # exponential race: smallest -log(u)/w first; zero weights come last
            with np.errstate(divide="ignore"):
                keys = -np.log(1.0 - gen.random(w.size)) / w
            picked = np.argsort(keys, kind="stable")[:self.num_samples]
        yield from picked.tolist()

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler[list]):
    """Groups the indices of ``sampler`` into lists of ``batch_size``; the last
    one shorter unless ``drop_last``. Lazy: an endless sampler gives endless batches.

    >>> list(BatchSampler(range(5), 2, drop_last=True))
    [[0, 1], [2, 3]]
    """

    def __init__(self, sampler, batch_size, drop_last):
        _positive_int(batch_size, "batch_size", "BatchSampler")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got "
                             f"drop_last={drop_last!r}")
        if sampler is None or not hasattr(sampler, "__iter__"):
            raise TypeError(f"BatchSampler: sampler should be a Sampler or an iterable of "
                            f"indices, got {type(sampler).__name__}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        it = iter(self.sampler)
        while True:
            batch = list(itertools.islice(it, self.batch_size))
            if not batch or (self.drop_last and len(batch) < self.batch_size):
                return
            yield batch

    def __len__(self):
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

"""Datasets that pass their input's elements through, counting: ``repeat``,
``take``, ``skip``; and two that change when elements are read, not which:
``cache`` and ``prefetch``.

Order matters in a chain: ``repeat(2).batch(3)`` lets a batch straddle two
epochs, ``batch(3).repeat(2)`` repeats the short last batch of each.

>>> from tinyflow.data.tf_data import Dataset
>>> [b.tolist() for b in Dataset.range(5).repeat(2).batch(3).as_numpy_iterator()]
[[0, 1, 2], [3, 4, 0], [1, 2, 3], [4]]
>>> [b.tolist() for b in Dataset.range(5).batch(3).repeat(2).as_numpy_iterator()]
[[0, 1, 2], [3, 4], [0, 1, 2], [3, 4]]
"""
import itertools

from . import cardinality as card
from .dataset import Dataset, count_arg
from .structure import freeze


class RepeatDataset(Dataset):
    """``Dataset.repeat``: the input read ``count`` times (forever when None or -1)."""

    def __init__(self, input, count=None):
        self._input = input
        self._count = -1 if count is None else count_arg(count, "repeat")
        super().__init__(input.element_spec, card.repeated(input._cardinality, self._count))

    def _elements(self):
        passes = itertools.count() if self._count < 0 else range(self._count)
        for _ in passes:
            empty = True
            for element in self._input._elements():
                empty = False
                yield element
            if empty:                    # an empty input repeated forever is still empty
                return


class TakeDataset(Dataset):
    """``Dataset.take``: at most ``count`` elements (all of them when -1)."""

    def __init__(self, input, count):
        self._input = input
        self._count = count_arg(count, "take")
        super().__init__(input.element_spec, card.taken(input._cardinality, self._count))

    def _elements(self):
        if self._count < 0:
            yield from self._input._elements()
        else:
            yield from itertools.islice(self._input._elements(), self._count)


class SkipDataset(Dataset):
    """``Dataset.skip``: all but the first ``count`` elements (none when -1)."""

    def __init__(self, input, count):
        self._input = input
        self._count = count_arg(count, "skip")
        super().__init__(input.element_spec, card.skipped(input._cardinality, self._count))

    def _elements(self):
        if self._count >= 0:
            yield from itertools.islice(self._input._elements(), self._count, None)


class CacheDataset(Dataset):
    """``Dataset.cache``: the first pass that reads the input to its end is kept in
    memory, and every later pass reads the memory -- so work before the cache
    (a slow ``map``, a ``shuffle``) happens once. A pass stopped early keeps nothing."""
    _tf_name = "CacheDataset"

    def __init__(self, input, filename=""):
        if filename:
            raise NotImplementedError(
                f"Dataset.cache(filename={filename!r}): tinyflow caches in memory only; call "
                f"cache() without a filename")
        self._input = input
        self._cache = None
        super().__init__(input.element_spec, input._cardinality)

    def _elements(self):
        if self._cache is not None:
            yield from self._cache
            return
        seen = []
        for element in self._input._elements():
            element = freeze(element)
            seen.append(element)
            yield element
        self._cache = seen


class PrefetchDataset(Dataset):
    """``Dataset.prefetch``: in TensorFlow a background thread prepares the next
    ``buffer_size`` elements while the model trains on this one. tinyflow reads
    in one thread, so the elements (and their order) are the input's, unchanged;
    ``tf.data.AUTOTUNE`` is accepted as the buffer size."""

    def __init__(self, input, buffer_size):
        self._input = input
        size = count_arg(buffer_size, "prefetch", "buffer_size")
        if size < card.AUTOTUNE:
            raise ValueError(f"Dataset.prefetch(): buffer_size must be >= 0 or "
                             f"tf.data.AUTOTUNE (-1), got {size}")
        super().__init__(input.element_spec, input._cardinality)

    def _elements(self):
        return self._input._elements()

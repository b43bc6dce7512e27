"""Datasets made of datasets: ``ConcatDataset`` (one after another),
``ChainDataset`` (streams one after another), ``StackDataset`` (side by side).

>>> from tinyflow.data import ConcatDataset, StackDataset
>>> both = ConcatDataset([[10, 11, 12], [20, 21]])
>>> len(both), both[3], both.cumulative_sizes
(5, 20, [3, 5])
>>> StackDataset(["a", "b"], [1, 2])[1]
('b', 2)
"""
import bisect

from .dataset import Dataset, IterableDataset, SizeMismatchError, _T_co, check_dataset


def _length(dataset, where, i):
    check_dataset(dataset, where)
    try:
        return len(dataset)
    except TypeError:
        raise TypeError(f"{where}: dataset {i} ({type(dataset).__name__}) has no length; "
                        f"expected map-style datasets with __len__") from None


class ConcatDataset(Dataset[_T_co]):
    """The samples of ``datasets`` (map-style, each with a length) one after
    another. ``cumulative_sizes`` are the running totals of their lengths.

    >>> both = ConcatDataset([range(3), "ab"])
    >>> len(both), both[3], both[-1]
    (5, 'a', 'b')
    """

    @staticmethod
    def cumsum(sequence):
        """The running totals of the lengths of ``sequence``'s datasets.

        >>> ConcatDataset.cumsum([range(3), range(4)])
        [3, 7]
        """
        out, total = [], 0
        for i, d in enumerate(sequence):
            total += _length(d, "ConcatDataset", i)
            out.append(total)
        return out

    def __init__(self, datasets):
        if datasets is None or isinstance(datasets, (Dataset, str, bytes)) \
                or not hasattr(datasets, "__iter__"):
            raise TypeError(f"ConcatDataset: expected a list of datasets, got "
                            f"{type(datasets).__name__}")
        self.datasets = list(datasets)
        if not self.datasets:
            raise AssertionError("ConcatDataset: datasets should not be an empty iterable")
        for i, d in enumerate(self.datasets):
            if isinstance(d, IterableDataset):
                raise AssertionError(f"ConcatDataset does not support IterableDataset (dataset "
                                     f"{i} is a {type(d).__name__}); use ChainDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        n = len(self)
        if idx < 0:
            if -idx > n:
                raise ValueError(f"ConcatDataset: absolute value of index should not exceed "
                                 f"dataset length: index {idx}, length {n}")
            idx = n + idx
        if idx >= n:
            raise IndexError(f"ConcatDataset: index {idx} is out of range for length {n}")
        which = bisect.bisect_right(self.cumulative_sizes, idx)
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][idx - start]


class ChainDataset(IterableDataset):
    """The samples of ``datasets`` (IterableDatasets) one stream after another,
    chained as they are read.

    >>> from tinyflow.data import IterableDataset
    >>> class Count(IterableDataset):
    ...     def __init__(self, n):
    ...         self.n = n
    ...     def __iter__(self):
    ...         return iter(range(self.n))
    ...     def __len__(self):
    ...         return self.n
    >>> chain = ChainDataset([Count(2), Count(3)])
    >>> list(chain), len(chain)
    ([0, 1, 0, 1, 2], 5)
    """

    def __init__(self, datasets):
        self.datasets = datasets

    def _each(self):
        for i, d in enumerate(self.datasets):
            if not isinstance(d, IterableDataset):
                raise AssertionError(f"ChainDataset only supports IterableDataset (dataset "
                                     f"{i} is a {type(d).__name__})")
            yield d

    def __iter__(self):
        for d in self._each():
            yield from d

    def __len__(self):
        return sum(len(d) for d in self._each())


class StackDataset(Dataset):
    """Datasets of one length side by side: ``StackDataset(a, b)[i]`` is
    ``(a[i], b[i])``; ``StackDataset(x=a, y=b)[i]`` is ``{"x": a[i], "y": b[i]}``.

    >>> StackDataset(x="ab", y=[1, 2])[0]
    {'x': 'a', 'y': 1}
    """

    def __init__(self, *args, **kwargs):
        if args and kwargs:
            raise ValueError("StackDataset: supported either tuple- (via args) or dict- (via "
                             "kwargs) like input/output, but both types are given")
        if not args and not kwargs:
            raise ValueError("StackDataset: at least one dataset should be passed")
        parts = list(args) if args else list(kwargs.values())
        lengths = [_length(d, "StackDataset", i) for i, d in enumerate(parts)]
        if len(set(lengths)) != 1:
            raise SizeMismatchError(f"Size mismatch between datasets: StackDataset needs datasets "
                                f"of one length, got lengths {lengths}")
        self._length = lengths[0]
        self.datasets = args if args else kwargs

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __getitems__(self, indices):
        return [self[i] for i in indices]

    def __len__(self):
        return self._length

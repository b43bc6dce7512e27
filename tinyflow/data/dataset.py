"""Datasets, as in ``torch.utils.data``: a map-style ``Dataset`` has ``__len__``
and ``__getitem__(i)`` (one sample); an ``IterableDataset`` has ``__iter__``.

``TensorDataset`` (and a ``Subset`` of one) also answers a whole batch of
indices at once (``get_batch``), which is how ``DataLoader`` collates a batch
without a Python loop over samples.

>>> import numpy as np
>>> from tinyflow.data import TensorDataset
>>> ds = TensorDataset(np.zeros((10, 3)), np.arange(10))
>>> len(ds), ds[2][1]
(10, tensor(2))
>>> [t.shape for t in ds.get_batch(np.array([0, 5, 7]))]
[tinyflow.Size([3, 3]), tinyflow.Size([3])]
"""
import typing

import numpy as np

from ..eager.creation import as_tensor
from ..eager.tensor import Tensor
from .collate import default_collate

_T_co = typing.TypeVar("_T_co", covariant=True)


class MissingLenError(NotImplementedError, TypeError):
    """``len()`` of a Dataset subclass that wrote no ``__len__``. A TypeError too, as
    ``len()`` of an object without ``__len__`` raises in Python (and in PyTorch).

    >>> try:
    ...     len(Dataset())
    ... except TypeError as e:
    ...     print(e)
    object of type 'Dataset' has no len(): Dataset must define __len__
    """


class SizeMismatchError(AssertionError, ValueError):
    """Tensors (or datasets) of different lengths put side by side. PyTorch raises
    AssertionError; it is a ValueError too.

    >>> import numpy as np
    >>> try:
    ...     TensorDataset(np.zeros(3), np.zeros(4))
    ... except AssertionError as e:
    ...     print(str(e)[:30])
    Size mismatch between tensors:
    """


def check_dataset(dataset, where):
    """TypeError unless ``dataset`` can be a dataset at all (not None, not a number).

    >>> check_dataset(None, "DataLoader")
    Traceback (most recent call last):
    TypeError: DataLoader: dataset should be a Dataset (with __getitem__ and __len__) or an IterableDataset, got NoneType
    """
    if dataset is None or isinstance(dataset, (bool, int, float, complex)):
        raise TypeError(f"{where}: dataset should be a Dataset (with __getitem__ and __len__) "
                        f"or an IterableDataset, got {type(dataset).__name__}")


class Dataset(typing.Generic[_T_co]):
    """A map-style dataset: subclass it, and write ``__getitem__(i)`` (one sample)
    and ``__len__``. ``a + b`` is ``ConcatDataset([a, b])``.

    >>> class Squares(Dataset):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, i):
    ...         return i * i
    >>> len(Squares()), Squares()[3], len(Squares() + Squares())
    (4, 9, 8)
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"Subclasses of Dataset should implement __getitem__: "
                                  f"{type(self).__name__} must define __getitem__")

    def __len__(self):
        raise MissingLenError(f"object of type '{type(self).__name__}' has no len(): "
                             f"{type(self).__name__} must define __len__")

    def __bool__(self):
        """True unless the dataset has a length of 0 (as in PyTorch, where a Dataset
        without ``__len__`` is always true)."""
        if type(self).__len__ in (Dataset.__len__, IterableDataset.__len__):
            return True
        return len(self) != 0

    def __add__(self, other):
        from .combine import ConcatDataset
        return ConcatDataset([self, other])


class IterableDataset(Dataset[_T_co], typing.Iterable[_T_co]):
    """A stream of samples: subclass it and write ``__iter__``. ``DataLoader``
    batches what it yields in order (no shuffle, no sampler). With
    ``num_workers > 0`` every worker iterates its own copy: use
    ``get_worker_info()`` to give each worker its share. ``a + b`` chains them.

    >>> class Count(IterableDataset):
    ...     def __iter__(self):
    ...         return iter(range(3))
    >>> list(Count()), list(Count() + Count())
    ([0, 1, 2], [0, 1, 2, 0, 1, 2])
    """

    def __len__(self):
        raise TypeError(f"object of type '{type(self).__name__}' has no len(): an "
                        f"IterableDataset has a length only if it defines __len__")

    def __add__(self, other):
        from .combine import ChainDataset
        return ChainDataset([self, other])


def _tensor(t, i):
    if isinstance(t, Tensor):
        return t
    try:
        return as_tensor(t)
    except TypeError as e:
        raise TypeError(f"TensorDataset: tensor {i} should be a tensor or an array, got "
                        f"{type(t).__name__}: {e}") from None


class TensorDataset(Dataset):
    """Samples are the i-th rows of each of the given tensors (or arrays),
    which must share their first dimension. ``ds[i]`` is a tuple of rows.

    ``DataLoader`` fetches a whole batch with one ``ds[array_of_indices]`` (see
    ``get_batch``): a subclass that overrides ``__getitem__`` receives arrays of
    indices, or can set ``get_batch = None`` to be asked one index at a time.

    >>> import tinyflow
    >>> ds = TensorDataset(tinyflow.arange(6).reshape(3, 2), tinyflow.tensor([0, 1, 0]))
    >>> ds[1]
    (tensor([2, 3]), tensor(1))
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        tensors = tuple(_tensor(t, i) for i, t in enumerate(tensors))
        for i, t in enumerate(tensors):
            if t.ndim == 0:
                raise IndexError(f"TensorDataset: tensor {i} is 0-d (a single number); each "
                                 f"tensor needs a first dimension, one row per sample")
        if len({t.shape[0] for t in tensors}) != 1:
            raise SizeMismatchError(f"Size mismatch between tensors: TensorDataset needs all "
                                f"tensors of the same size in dimension 0, got shapes "
                                f"{[tuple(t.shape) for t in tensors]}")
        self.tensors = tensors

    def __getitem__(self, index):
        if isinstance(index, Tensor):
            index = index.array
        return tuple(t[index] if t.requires_grad else as_tensor(t.array[index])
                     for t in self.tensors)

    def get_batch(self, indices):
        """The samples at ``indices``, already collated (a list with one stacked
        tensor per field, as ``default_collate`` gives): one fancy-index per tensor.

        >>> TensorDataset(np.arange(5)).get_batch([4, 1])
        [tensor([4, 1])]
        """
        out = self[np.asarray(indices, dtype=np.int64)]
        return list(out) if isinstance(out, tuple) else out

    def __len__(self):
        return self.tensors[0].shape[0]


class Subset(Dataset[_T_co]):
    """The samples of ``dataset`` at ``indices`` (kept as given; ``random_split``
    gives an int64 numpy array). ``subset[i]`` is ``dataset[indices[i]]``.

    >>> s = Subset(list("abcde"), [4, 0])
    >>> len(s), s[0], s.indices
    (2, 'e', [4, 0])
    """

    def __init__(self, dataset, indices):
        check_dataset(dataset, "Subset")
        if isinstance(indices, (str, bytes)) or not hasattr(indices, "__len__") \
                or not hasattr(indices, "__getitem__"):
            raise TypeError(f"Subset: indices should be a sequence of ints, got "
                            f"{type(indices).__name__}")
        cls = type(self)
        if cls.__getitem__ is not Subset.__getitem__ and cls.__getitems__ is Subset.__getitems__:
            raise NotImplementedError(
                f"{cls.__name__} overrides __getitem__ but not __getitems__. When subclassing "
                f"Subset and overriding __getitem__, you must also override __getitems__ "
                f"(DataLoader fetches batches with it):\n\ndef __getitems__(self, indices):\n"
                f"    return [self.__getitem__(idx) for idx in indices]")
        self.dataset = dataset
        self.indices = indices
        self._cache = (None, None, None)

    def _index(self, i):
        j = self.indices[i]
        return int(j) if isinstance(j, (np.integer, Tensor)) else j

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self._index(i) for i in idx]]
        return self.dataset[self._index(idx)]

    def __getitems__(self, indices):
        picked = [self._index(i) for i in indices]
        getitems = getattr(self.dataset, "__getitems__", None)
        if callable(getitems):
            return getitems(picked)
        return [self.dataset[i] for i in picked]

    def _array(self):
        key = (id(self.indices), len(self.indices))
        if self._cache[:2] != key:
            self._cache = key + (np.asarray(self.indices, dtype=np.int64),)
        return self._cache[2]

    def get_batch(self, indices):
        """The samples at ``indices``, collated with ``default_collate`` (one
        fancy-index per tensor when the dataset has ``get_batch`` too).

        >>> Subset(TensorDataset(np.arange(5)), [4, 3, 2]).get_batch([0, 2])
        [tensor([4, 2])]
        """
        if type(self).__getitems__ is not Subset.__getitems__:
            return default_collate(self.__getitems__(list(indices)))
        picked = self._array()[np.asarray(indices, dtype=np.int64)]
        inner = getattr(self.dataset, "get_batch", None)
        if callable(inner):
            return inner(picked)
        return default_collate(self.__getitems__(list(indices)))

    def __len__(self):
        return len(self.indices)

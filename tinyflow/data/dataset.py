"""Datasets: anything with ``__len__`` and ``__getitem__``. ``TensorDataset``
also answers a whole batch of indices at once (``get_batch``), which is how
``DataLoader`` collates a batch without a Python loop over samples.

>>> import numpy as np
>>> from tinyflow.data import TensorDataset
>>> ds = TensorDataset(np.zeros((10, 3)), np.arange(10))
>>> len(ds), ds[2][1]
(10, tensor(2))
>>> [t.shape for t in ds.get_batch(np.array([0, 5, 7]))]
[tinyflow.Size([3, 3]), tinyflow.Size([3])]
"""
import numpy as np

from ..eager.creation import as_tensor
from ..eager.tensor import Tensor
from .dataloader import default_collate


class Dataset:
    """Subclass it: give ``__len__`` and ``__getitem__(i)`` (one sample)."""

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __len__")


def _array(x):
    return x.data if isinstance(x, Tensor) else np.asarray(x)


class TensorDataset(Dataset):
    """Samples are the i-th rows of each of the given tensors (or arrays),
    which must share their first dimension."""

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        arrays = [_array(t) for t in tensors]
        sizes = [a.shape[0] if a.ndim else None for a in arrays]
        if None in sizes or len(set(sizes)) != 1:
            raise ValueError(f"TensorDataset: all tensors need the same size in dimension 0, "
                             f"got shapes {[a.shape for a in arrays]}")
        self.tensors = tuple(as_tensor(a) for a in arrays)

    def __getitem__(self, index):
        return tuple(as_tensor(t.data[index]) for t in self.tensors)

    def get_batch(self, indices):
        """The samples at ``indices``, already stacked: one fancy-index per tensor."""
        return self[np.asarray(indices)]

    def __len__(self):
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = np.asarray(indices, dtype=np.int64)

    def __getitem__(self, index):
        return self.dataset[int(self.indices[index])]

    def get_batch(self, indices):
        picked = self.indices[np.asarray(indices)]
        if hasattr(self.dataset, "get_batch"):
            return self.dataset.get_batch(picked)
        return default_collate([self.dataset[int(i)] for i in picked])

    def __len__(self):
        return len(self.indices)

"""``DataLoader``: batches of a dataset, shuffled or not, collated into Tensors.

For a dataset with ``get_batch`` (TensorDataset, Subset of one) a batch is one
fancy-index per tensor; others are fetched sample by sample and stacked.

>>> import numpy as np
>>> from tinyflow.data import TensorDataset, DataLoader
>>> loader = DataLoader(TensorDataset(np.arange(10.0), np.arange(10)), batch_size=4)
>>> [len(y) for x, y in loader]
[4, 4, 2]
"""
import math

import numpy as np

from ..base import rng
from ..eager.creation import as_tensor
from ..eager.tensor import Tensor


def default_collate(samples):
    """A list of samples -> one batch: tuples and dicts collated field by field,
    tensors, arrays and numbers stacked along a new first dimension."""
    first = samples[0]
    if isinstance(first, (tuple, list)):
        return type(first)(default_collate(list(field)) for field in zip(*samples))
    if isinstance(first, dict):
        return {k: default_collate([s[k] for s in samples]) for k in first}
    if isinstance(first, (Tensor, np.ndarray, np.generic)):
        return as_tensor(np.stack([s.data if isinstance(s, Tensor) else s for s in samples]))
    return as_tensor(list(samples))     # Python numbers: floats become float32, as tensor()


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size``.

    ``shuffle`` draws a new order every epoch, from ``np.random.default_rng(seed)``
    when a seed is given (so runs repeat), else from tinyflow's generator (so
    ``tinyflow.manual_seed`` controls it). ``drop_last`` drops a short last batch.
    ``sampler`` (instead of ``shuffle``) gives the indices to use, in order, e.g. a
    ``DistributedSampler``.
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, seed=None,
                 collate_fn=None, sampler=None):
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
                or batch_size < 1:
            raise ValueError(f"batch_size should be a positive integer, got {batch_size!r}")
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
        self.dataset = dataset
        self.sampler = sampler
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.seed = seed
        self.collate_fn = collate_fn or default_collate
        self._gen = None if seed is None else np.random.default_rng(seed)

    def __len__(self):
        n = len(self.dataset) if self.sampler is None else len(self.sampler)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        if self.sampler is not None:
            order = np.fromiter(self.sampler, dtype=np.int64)
        elif self.shuffle:
            order = (self._gen or rng.generator()).permutation(n)
        else:
            order = np.arange(n)
        for b in range(len(self)):
            yield self._fetch(order[b * self.batch_size:(b + 1) * self.batch_size])

    def _fetch(self, indices):
        if hasattr(self.dataset, "get_batch") and self.collate_fn is default_collate:
            return self.dataset.get_batch(indices)
        return self.collate_fn([self.dataset[int(i)] for i in indices])

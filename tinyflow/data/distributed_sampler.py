"""``DistributedSampler``: each rank's share of a dataset's indices, for
data-parallel training (PyTorch's ``torch.utils.data.DistributedSampler``).

Rank r takes every ``num_replicas``-th index starting at r, out of one order
that all ranks agree on (the same seed and epoch give the same shuffle).
Unless ``drop_last``, the order is padded with its first indices so that every
rank gets the same number: equal shards keep the average of the ranks'
gradients equal to the full batch's.

>>> import numpy as np
>>> from tinyflow.data import DistributedSampler
>>> data = np.arange(10)
>>> [list(DistributedSampler(data, num_replicas=4, rank=r, shuffle=False)) for r in range(4)]
[[0, 4, 8], [1, 5, 9], [2, 6, 0], [3, 7, 1]]
>>> len(DistributedSampler(data, num_replicas=4, rank=0, drop_last=True))
2
"""
import math

import numpy as np

from ..base import world
from .sampler import Sampler


class DistributedSampler(Sampler):
    """Indices of ``dataset`` for one rank. Give it to ``DataLoader(sampler=...)``,
    and call ``set_epoch(epoch)`` before each epoch so that each epoch shuffles
    differently. ``num_replicas`` and ``rank`` default to the process group's.

    >>> s = DistributedSampler(range(6), num_replicas=2, rank=0, seed=1)
    >>> sorted(s) == sorted(DistributedSampler(range(6), 2, 0, seed=1)), len(s)
    (True, 3)
    """

    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0,
                 drop_last=False):
        if num_replicas is None or rank is None:
            my_rank, size = world.rank_and_size("DistributedSampler")
            num_replicas = size if num_replicas is None else num_replicas
            rank = my_rank if rank is None else rank
        if not 0 <= rank < num_replicas:
            raise ValueError(f"DistributedSampler: invalid rank {rank}, rank should be in the "
                             f"interval [0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.shuffle = shuffle
        self.seed = seed
        self.drop_last = drop_last
        self.epoch = 0
        n = len(dataset)
        if drop_last:
            self.num_samples = n // num_replicas
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            order = np.random.default_rng(self.seed + self.epoch).permutation(n)
        else:
            order = np.arange(n)
        if self.total_size > n:               # pad with the first indices (again, if need be)
            order = np.resize(order, self.total_size)
        order = order[:self.total_size]
        return iter(order[self.rank::self.num_replicas].tolist())

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """Shuffle differently in each epoch (the same way on every rank).

        >>> s = DistributedSampler(range(8), num_replicas=1, rank=0)
        >>> a = list(s); s.set_epoch(1); a != list(s)
        True
        """
        self.epoch = epoch

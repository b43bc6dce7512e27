"""``torch.utils.data.sampler``'s names
(``from tinyflow.utils.data.sampler import SubsetRandomSampler``).

>>> from tinyflow.utils.data.sampler import SequentialSampler
>>> list(SequentialSampler(range(3)))
[0, 1, 2]
"""
from ...data import (Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler,
                     WeightedRandomSampler, BatchSampler)

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
           "WeightedRandomSampler", "BatchSampler"]

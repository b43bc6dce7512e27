"""``torch.utils.data.distributed``'s name
(``from tinyflow.utils.data.distributed import DistributedSampler``).

>>> from tinyflow.utils.data.distributed import DistributedSampler
>>> list(DistributedSampler(range(4), num_replicas=2, rank=1, shuffle=False))
[1, 3]
"""
from ...data import DistributedSampler

__all__ = ["DistributedSampler"]

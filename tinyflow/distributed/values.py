"""Per-replica values, and a global batch cut into the replicas' shards.

A ``PerReplica`` holds one value per replica: what ``strategy.run`` returns
for a tensor that differs between replicas, and what a distributed dataset
yields. It prints as TensorFlow prints it::

    PerReplica:{
      0: tensor([0., 1., 2.]),
      1: tensor([3., 4.])
    }

It is a tuple, so ``tinyflow.function`` traces through it (one placeholder per
replica's tensor) and nested structures flatten it like any tuple.

>>> import numpy as np
>>> shards(np.arange(5.0), 2)                  # TensorFlow's split: the first shards get more
[array([0., 1., 2.]), array([3., 4.])]
>>> PerReplica(shards(np.arange(5.0), 2)).values[1]
array([3., 4.])
"""
import numpy as np

from ..base.nest import flatten
from ..graph.tensor import SymbolicTensor
from ..ops.primitive import is_eager


class PerReplica(tuple):
    """One value per replica (replica ``r``'s is ``values[r]``)."""

    def __new__(cls, values):
        return super().__new__(cls, values)

    @property
    def values(self):
        return tuple(self)

    def _format(self, show):
        lines = [f"  {r}: {show(v)}" for r, v in enumerate(self)]
        return "PerReplica:{\n" + ",\n".join(lines) + "\n}"

    def __str__(self):
        return self._format(str)

    def __repr__(self):
        return self._format(repr)


def local_values(value):
    """The per-replica values of this process, as a tuple."""
    return value.values if isinstance(value, PerReplica) else (value,)


def shard_sizes(rows, n):
    """How TensorFlow splits ``rows`` examples between ``n`` replicas: as evenly
    as possible, the first replicas taking one more (5 rows on 2: 3 and 2)."""
    return [rows // n + (1 if r < rows % n else 0) for r in range(n)]


def shards(x, n):
    """The ``n`` row shards of one array or tensor. Its number of rows must be
    known, as it is for every batch that a dataset, ``fit`` or a trace hands over."""
    rows = x.shape[0]
    if rows is None:
        raise ValueError(f"cannot split {x} into {n} replica shards: its number of rows is "
                         f"unknown")
    out, start = [], 0
    for size in shard_sizes(int(rows), n):
        out.append(x[start:start + size])
        start += size
    return out


def is_batch(x):
    """An array or tensor with rows (a Python number or None is the same for all)."""
    return (isinstance(x, np.ndarray) or is_eager(x) or isinstance(x, SymbolicTensor)) \
        and len(x.shape) > 0


def split_structure(batch, n):
    """A nested batch (tuples, dicts of arrays or tensors) -> one nested shard per
    replica. Leaves that are not batches (None, numbers) go to every replica."""
    leaves, rebuild = flatten(batch)
    cut = [shards(x, n) if is_batch(x) else [x] * n for x in leaves]
    return [rebuild([parts[r] for parts in cut]) for r in range(n)]

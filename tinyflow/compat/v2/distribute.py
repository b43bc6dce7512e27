"""``tf.distribute``: the strategies of ``tinyflow/distributed/mirrored.py``, the
same names as ``tinyflow.distribute`` (which, at the package's face, this layer
cannot import).

>>> import tinyflow.compat.v2 as tf
>>> tf.distribute.MirroredStrategy(num_replicas=2).num_replicas_in_sync
2
"""
from ...distributed.mirrored import (MirroredStrategy, MultiWorkerMirroredStrategy,  # noqa: F401
                                     ReduceOp, PerReplica, Strategy, get_strategy)

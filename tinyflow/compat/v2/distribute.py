"""``tf.distribute``: the strategies of ``tinyflow/distributed/``, the same
names as ``tinyflow.distribute`` (which, at the package's face, this layer
cannot import).

>>> import tinyflow.compat.v2 as tf
>>> tf.distribute.MirroredStrategy(num_replicas=2).num_replicas_in_sync
2
>>> tf.distribute.get_strategy().num_replicas_in_sync      # outside any scope: the default
1
"""
from ...distributed.mirrored import (MirroredStrategy, MultiWorkerMirroredStrategy,  # noqa: F401
                                     ReduceOp, PerReplica, Strategy, get_strategy, has_strategy,
                                     get_replica_context, in_cross_replica_context)

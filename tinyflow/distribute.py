"""TensorFlow's spelling, ``tf.distribute``: the strategies of
``tinyflow/distributed/`` (``mirrored.py``, ``strategy.py``).

>>> import tinyflow.distribute
>>> tinyflow.distribute.MirroredStrategy(num_replicas=4).num_replicas_in_sync
4
"""
from .distributed.mirrored import (MirroredStrategy, MultiWorkerMirroredStrategy, ReduceOp,
                                   PerReplica, Strategy, get_strategy, has_strategy,
                                   get_replica_context, in_cross_replica_context)

__all__ = ["MirroredStrategy", "MultiWorkerMirroredStrategy", "ReduceOp", "PerReplica",
           "Strategy", "get_strategy", "has_strategy", "get_replica_context",
           "in_cross_replica_context"]

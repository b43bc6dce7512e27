"""TensorFlow's spelling, ``tf.distribute``: the graph-mode strategies of
``tinyflow/distributed/mirrored.py``.

>>> import tinyflow.distribute
>>> tinyflow.distribute.MirroredStrategy(num_replicas=4).num_replicas_in_sync
4
"""
from .distributed.mirrored import (MirroredStrategy, MultiWorkerMirroredStrategy, ReduceOp,
                                   PerReplica, Strategy, get_strategy)

__all__ = ["MirroredStrategy", "MultiWorkerMirroredStrategy", "ReduceOp", "PerReplica",
           "Strategy", "get_strategy"]

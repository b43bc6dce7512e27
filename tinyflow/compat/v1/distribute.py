"""``tf.compat.v1.distribute``: the strategies of ``tinyflow/distributed/``, for
TF1 graphs (an optimizer's ``minimize`` inside ``strategy.run`` sums the
replicas' gradients and applies them once).

>>> import tinyflow.compat.v1 as tf
>>> tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]).num_replicas_in_sync
2
"""
from ...distributed.mirrored import (MirroredStrategy, MultiWorkerMirroredStrategy,  # noqa: F401
                                     ReduceOp, PerReplica, Strategy, get_strategy, has_strategy,
                                     get_replica_context, in_cross_replica_context)

"""``fit``, ``evaluate`` and ``predict`` under a distribution strategy.

A model made or compiled in ``strategy.scope()`` remembers the strategy
(``model.distribute_strategy``). Its steps then run as TensorFlow's Keras runs
them: each global batch is cut into the replicas' shards, ``strategy.run``
calls ``train_step`` once per replica, the compiled loss is divided by the
replicas in sync (``scale_loss``: each replica's share of the global mean),
and the optimizer, called in each replica, sums the shares' gradients and
applies them once (``tinyflow/distributed/replica_context.py``). For equal
shards that is exactly the step on the whole batch.

The metrics are updated by every replica in turn, so after the last one
they hold the whole global batch. With ``MultiWorkerMirroredStrategy`` each
MPI rank is a worker with its own shard: the weights start from rank 0's, the
gradients are all-reduced, and the logs are averaged over the workers.

>>> import numpy as np, tinyflow as tf
>>> from tinyflow import keras
>>> from tinyflow.distribute import MirroredStrategy
>>> tf.manual_seed(0)
>>> strategy = MirroredStrategy(num_replicas=2)
>>> with strategy.scope():
...     model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
...     model.compile(optimizer="sgd", loss="mse")
>>> model.distribute_strategy
MirroredStrategy(num_replicas=2)
>>> len(model.fit(np.ones((8, 3)), np.zeros((8, 1)), batch_size=4, verbose=0).history["loss"])
1
"""
import weakref

from .. import ops
from ..base import replica
from ..distributed.strategy import current_strategy
from ..distributed.values import PerReplica
from ..eager.grad_mode import no_grad
from .data_adapter import unpack


def strategy_in_scope(current=None):
    """The strategy a model made or compiled now belongs to: the one in scope
    (else the one it already had)."""
    return current_strategy() or current


def scale_loss(loss):
    """Inside a replica: the loss divided by the replicas in sync, so that the
    sum of the replicas' gradients is the gradient of the global mean
    (tf_keras's ``scale_loss_for_distribution``). Elsewhere: the loss."""
    context = replica.current()
    n = 1 if context is None else context.num_replicas_in_sync
    return loss if n == 1 else loss * (1.0 / n)


def replicated(model, step, kind):
    """``step`` (a function of one global batch) run by the model's strategy."""
    strategy = model.distribute_strategy
    workers = strategy.num_replicas_in_sync // strategy._local_replicas

    def run(data):
        if workers > 1:
            if kind == "predict":         # every worker predicts the whole batch itself
                return step(data)
            _start_from_rank_0(model, strategy, data)
        outputs = strategy.run(step, args=(strategy.distribute_batch(data),))
        if kind == "predict":
            return _joined(outputs)
        logs = _last_replica(outputs)     # the metrics have seen every replica's shard
        if workers > 1:
            logs = {k: strategy.sum_over_workers(v) / workers for k, v in logs.items()}
        return logs
    run.__name__ = getattr(step, "__name__", kind + "_step")
    return run


def _last_replica(logs):
    return {k: v.values[-1] if isinstance(v, PerReplica) else v for k, v in logs.items()}


def _joined(outputs):
    """The replicas' predictions, back in one batch (rows in replica order)."""
    if isinstance(outputs, PerReplica):
        return ops.concat(list(outputs.values), 0)
    if isinstance(outputs, (list, tuple)):
        return type(outputs)(_joined(o) for o in outputs)
    if isinstance(outputs, dict):
        return {k: _joined(v) for k, v in outputs.items()}
    return outputs


# The models whose weights already came from rank 0 (weakly: a model may go away).
_STARTED = weakref.WeakSet()


def _start_from_rank_0(model, strategy, data):
    """Once: build the model if needed and give every worker rank 0's weights
    (TensorFlow's multi-worker variables start from the chief's values)."""
    if model in _STARTED:
        return
    if not model.built:
        x, _, _ = unpack(strategy.distribute_batch(data))
        with no_grad():
            model(x)
    strategy.broadcast_variables(var_list=model.weights)
    _STARTED.add(model)

"""The replica context: how optimizers called inside ``strategy.run`` sum the
replicas' gradients and apply them once, as TensorFlow's do.

In TensorFlow each replica runs in its own thread; when a replica's optimizer
reaches ``apply_gradients`` it calls ``merge_call``, which waits until every
replica has arrived, then runs the update once, in *cross-replica* context,
with the gradients summed over the replicas. tinyflow runs the replicas one
after the other, so the waiting is bookkeeping: each replica leaves its
gradients at the merge point; the last one to arrive sums them and applies
the update. The replicas that came first get a stand-in for the update (the
optimizer's ``iterations`` in Keras, a NoOp made to wait for the update in a
TF1 graph). They computed with the weights before the update, as in TensorFlow.

Summing (not averaging) is TensorFlow's rule: each replica's loss is its share
of the global mean (``tf.nn.compute_average_loss``, or Keras dividing by the
replicas), so the sum of the shares' gradients is the gradient of the mean.

The optimizers find the context through ``tinyflow/base/replica.py``
(``replica.current()``), since they live in layers below this one.
"""
import contextlib

import numpy as np

from ..base import replica
from ..eager.grad_mode import no_grad
from ..graph.tensor import SymbolicTensor
from ..ops import state as S


class RunState:
    """What one ``strategy.run`` call keeps while its replicas run: the merge
    points reached so far, each with the gradients the replicas left there."""

    def __init__(self, strategy, local_replicas):
        self.strategy = strategy
        self.local_replicas = local_replicas
        self.arrived = []       # merge point k -> [replica's (grad, var) pairs, ...]
        self.waiting = []       # merge point k -> graph NoOps handed to replicas that waited

    def check_complete(self, fn):
        """Every replica must reach every merge point (TensorFlow's would hang)."""
        for k, pairs in enumerate(self.arrived):
            if len(pairs) != self.local_replicas:
                raise RuntimeError(
                    f"strategy.run: {getattr(fn, '__name__', fn)} applied gradients (merge point "
                    f"{k}) in {len(pairs)} of {self.local_replicas} replicas. Every replica must "
                    f"call the optimizer the same number of times: the update waits for all of "
                    f"them")


class ReplicaContext:
    """The context of one replica while ``strategy.run`` calls it
    (``tf.distribute.get_replica_context()`` inside the replica function)."""

    def __init__(self, run, replica_id):
        self._run = run
        self.replica_id_in_sync_group = replica_id
        self._merges = 0

    @property
    def strategy(self):
        return self._run.strategy

    @property
    def num_replicas_in_sync(self):
        return self._run.strategy.num_replicas_in_sync

    def sum_and_apply(self, grads_and_vars, apply):
        """Leave this replica's gradients at the next merge point; the last replica
        to arrive sums each variable's gradients over the replicas (and over the
        workers, for a multi-worker strategy) and calls ``apply(summed_pairs)`` once,
        outside any replica context. Returns apply's result, or a stand-in for it."""
        run, k = self._run, self._merges
        self._merges += 1
        if k == len(run.arrived):
            run.arrived.append([])
            run.waiting.append([])
        pairs = list(grads_and_vars)
        run.arrived[k].append(pairs)
        if len(run.arrived[k]) < run.local_replicas:
            return self._stand_in(run, k, pairs)
        with _cross_replica(pairs):
            summed = sum_gradients(run.arrived[k], run.strategy.sum_over_workers)
            result = apply(summed)
        for noop in run.waiting[k]:
            _wait_for(noop, result)
        return result

    def _stand_in(self, run, k, pairs):
        graph = _graph_of(pairs)
        if graph is None:                   # eager, or Keras: the caller returns its iterations
            return None
        noop = graph.create_op(S.NoOp, (), {}, (), np.dtype(bool), name="wait_for_replicas")
        run.waiting[k].append(noop)
        return noop

    def __repr__(self):
        return (f"<ReplicaContext replica {self.replica_id_in_sync_group} of "
                f"{self.num_replicas_in_sync}>")


def sum_gradients(replicas_pairs, over_workers):
    """[[(grad, var), ...] per replica] -> [(sum of var's grads, var), ...] in the
    first replica's order; a variable no replica has a gradient for keeps None."""
    order = [v for _, v in replicas_pairs[0]]
    grads = {id(v): [] for v in order}
    for pairs in replicas_pairs:
        for g, v in pairs:
            if id(v) not in grads:
                raise ValueError(f"the replicas applied gradients to different variables: "
                                 f"{getattr(v, 'name', v)} is not among replica 0's")
            if g is not None:
                grads[id(v)].append(g)
    out = []
    for v in order:
        parts = grads[id(v)]
        if not parts:
            out.append((None, v))
            continue
        total = parts[0]
        for g in parts[1:]:
            total = total + g
        out.append((over_workers(total), v))
    return out


def _graph_of(pairs):
    for g, v in pairs:
        for t in (g, v):
            if isinstance(t, SymbolicTensor):
                return t.graph
    return None


@contextlib.contextmanager
def _cross_replica(pairs):
    """Leave the replica: no replica context (so the optimizer applies), no
    recording on a tape, and in a graph, ops named at the top level."""
    graph = _graph_of(pairs)
    with replica.entered(None), no_grad():
        if graph is None:
            yield
        else:
            with graph.name_scope(None):
                yield


def _wait_for(noop, result):
    """Make a replica's stand-in NoOp run the update too (a control input added
    after the fact: the update did not exist when the NoOp was made)."""
    op = result.node if isinstance(result, SymbolicTensor) else result
    if op is not None and hasattr(op, "control_inputs"):
        noop.control_inputs = noop.control_inputs + (op,)

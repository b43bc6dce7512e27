"""Graph-mode data parallelism with TensorFlow's ``tf.distribute`` names.

A *replica* is one copy of the model that computes the loss and gradients of
its own shard of the batch. "Mirrored" means the variables are kept identical
on every replica: the replicas' gradients are averaged (all-reduced) and one
update is applied to every copy.

* ``MirroredStrategy(num_replicas)`` -- replicas in one process and one graph.
  ``run`` splits each fed batch into equal shards and builds the replica's ops
  once per shard (under ``replica_0/``, ``replica_1/``...); ``reduce`` averages
  them with ordinary graph ops. The variables exist once, so they are mirrored
  by construction.
* ``MultiWorkerMirroredStrategy()`` -- one replica per MPI rank, each rank with
  its own graph and Session, fed its own shard. ``reduce`` adds an op named
  ``MpiAllReduce``, which all-reduces through MPI when the Session runs it.

The training step is spelled out: compute per replica, average, apply once.

>>> import numpy as np, tinyflow.compat.v1 as tf
>>> from tinyflow.distribute import MirroredStrategy
>>> tf.reset_default_graph()
>>> strategy = MirroredStrategy(num_replicas=2)
>>> with strategy.scope():
...     w = tf.Variable(np.zeros(2), name="w")
...     opt = tf.train.GradientDescentOptimizer(0.5)
>>> x, y = tf.placeholder(tf.float64, [None, 2]), tf.placeholder(tf.float64, [None])
>>> def replica_step(x, y):                     # runs once per replica, on its shard
...     loss = tf.reduce_mean(tf.square(tf.reduce_sum(x * w, axis=1) - y))
...     return loss, opt.compute_gradients(loss, [w])
>>> loss, grads_and_vars = strategy.run(replica_step, args=(x, y))
>>> train = opt.apply_gradients(strategy.reduce("MEAN", grads_and_vars, axis=None))
>>> mean_loss = strategy.reduce("MEAN", loss, axis=None)
>>> with tf.Session() as sess:
...     sess.run(tf.global_variables_initializer())
...     float(sess.run(mean_loss, {x: np.eye(2), y: [1.0, 1.0]}))
1.0
"""
import contextlib

import numpy as np

from .. import ops as F
from ..graph.api import identity
from ..graph.tensor import SymbolicTensor
from ..graph.variables import Variable, global_variables
from .process_group import (all_reduce, broadcast, get_world_size, init_process_group,
                            is_initialized)


class ReduceOp:
    """How ``Strategy.reduce`` combines the replicas' values."""
    SUM = "SUM"
    MEAN = "MEAN"


class PerReplica:
    """What ``run`` returns for a value that differs between replicas: one per replica."""

    def __init__(self, values):
        self.values = tuple(values)

    def __repr__(self):
        return f"PerReplica({list(self.values)})"


_strategies = []          # the strategy stack that ``scope()`` pushes


def get_strategy():
    """The strategy whose ``scope()`` we are in, or None."""
    return _strategies[-1] if _strategies else None


# --- graph ops for the replicas -----------------------------------------------------------------

def split_batch(x, n):
    """n graph tensors, the n equal shards of x's rows (x's row count is known only
    when the batch is fed)."""
    rest = x.shape.as_list()[1:]
    if any(d is None for d in rest):
        raise ValueError(f"MirroredStrategy: cannot split {x.name} of shape {x.shape} into replica "
                         f"shards: only the first (batch) dimension may be unknown")
    with x.graph.name_scope("replica_shards"):
        rows = F.reshape(x, [n, -1] + rest)
        rows.op.register_forward_pre_hook(lambda op, inputs: _check_split(inputs[0], n))
        return [rows[r] for r in range(n)]


def _check_split(batch, n):
    if len(batch) % n:
        raise ValueError(f"MirroredStrategy: a batch of {len(batch)} rows cannot be split into "
                         f"{n} equal replica shards; feed a batch size divisible by {n} (with "
                         f"unequal shards the mean of the shard means is not the batch mean)")


def mpi_all_reduce(x):
    """A graph op whose value is the sum of x over all MPI ranks, each rank running
    its own Session. It is an Identity op named MpiAllReduce whose forward hook
    does the all-reduce when the Session runs it; its gradient is all-reduced too
    (the gradient of a sum over ranks)."""
    total = identity(x, name="MpiAllReduce")
    total.op.register_forward_hook(lambda op, inputs, value: _sum_over_ranks(value))
    total.register_hook(_sum_over_ranks)
    return total


def _sum_over_ranks(value):
    out = np.array(value, order="C", copy=True)      # a copy: never change an input in place
    all_reduce(out)
    return out


# --- the strategies ------------------------------------------------------------------------------

class Strategy:
    """What both strategies share: ``scope``, ``run``, ``reduce``."""

    num_replicas_in_sync = 1

    @contextlib.contextmanager
    def scope(self):
        """Create the model's variables and the optimizer inside this block."""
        _strategies.append(self)
        try:
            yield self
        finally:
            _strategies.pop()

    def run(self, fn, args=(), kwargs=None):
        """Call ``fn(*args)`` once per replica, each on its shard of the batch.

        Returns fn's result with the same nesting; each tensor in it becomes a
        ``PerReplica``, while variables (shared by all replicas) and None stay as they are.
        """
        graph = None
        outputs = []
        for r, replica_args in enumerate(self._replica_args(args)):
            if graph is None:
                graph = _graph_of(replica_args)
            before = len(graph.get_operations()) if graph is not None else 0
            with _replica_scope(graph, r, self.num_replicas_in_sync):
                outputs.append(fn(*replica_args, **(kwargs or {})))
            if graph is not None:
                _no_updates_in(graph.get_operations()[before:], fn)
        return _per_replica(outputs)

    def reduce(self, reduce_op, value, axis=None):
        """Combine the replicas' values: ``"MEAN"`` or ``"SUM"`` over the replicas
        (``axis=None``), or over the replicas and ``axis`` of each value (e.g. the
        mean over every example of the global batch). ``value`` may be nested
        (lists, tuples, dicts); leaves that are not ``PerReplica`` come back unchanged."""
        reduce_op = str(reduce_op).upper()
        if reduce_op not in (ReduceOp.SUM, ReduceOp.MEAN):
            raise ValueError(f"reduce: reduce_op should be 'SUM' or 'MEAN', got {reduce_op!r}")
        if isinstance(value, PerReplica):
            with value.values[0].graph.name_scope("cross_replica"):
                return self._reduce(reduce_op, value.values, axis)
        if isinstance(value, (list, tuple)):
            return _rebuild(value, [self.reduce(reduce_op, v, axis) for v in value])
        if isinstance(value, dict):
            return {k: self.reduce(reduce_op, v, axis) for k, v in value.items()}
        return value

    def experimental_local_results(self, value):
        """The per-replica values of this process, as a tuple."""
        return value.values if isinstance(value, PerReplica) else (value,)


class MirroredStrategy(Strategy):
    """``num_replicas`` synchronous replicas in one process and one graph."""

    def __init__(self, num_replicas=2, devices=None):
        if devices is not None:
            num_replicas = len(devices)
        if num_replicas < 1:
            raise ValueError(f"MirroredStrategy: num_replicas should be at least 1, "
                             f"got {num_replicas}")
        self.num_replicas_in_sync = int(num_replicas)

    def _replica_args(self, args):
        n = self.num_replicas_in_sync
        shards = _map_tensors(args, lambda x: PerReplica(split_batch(x, n)))
        return [_map_tensors(shards, lambda s: s.values[r], lambda v: isinstance(v, PerReplica))
                for r in range(n)]

    def _reduce(self, reduce_op, values, axis):
        if axis is None:
            total = values[0]
            for v in values[1:]:
                total = total + v
            return total if reduce_op == ReduceOp.SUM else total / len(values)
        joined = F.concat(list(values), axis)
        return F.sum(joined, axis) if reduce_op == ReduceOp.SUM else F.mean(joined, axis)

    def __repr__(self):
        return f"MirroredStrategy(num_replicas={self.num_replicas_in_sync})"


class MultiWorkerMirroredStrategy(Strategy):
    """One replica per MPI rank: start the script with ``mpiexec -n N`` (or
    ``tinyflow.distributed.launch``) and feed each rank its own shard. Every
    rank must run the same fetches, in the same order: each ``MpiAllReduce``
    op waits for its twin on the other ranks."""

    def __init__(self):
        if not is_initialized():
            init_process_group("mpi")
        self.num_replicas_in_sync = get_world_size()

    def _replica_args(self, args):
        return [args]             # this rank's shard is what this rank feeds

    def _reduce(self, reduce_op, values, axis):
        local, = values
        if axis is None:
            total = mpi_all_reduce(local)
            return total if reduce_op == ReduceOp.SUM else total / self.num_replicas_in_sync
        total = mpi_all_reduce(F.sum(local, axis))
        if reduce_op == ReduceOp.SUM:
            return total
        return total / mpi_all_reduce(F.sum(F.ones_like(local), axis))

    def broadcast_variables(self, session, var_list=None):
        """Give every rank rank 0's variable values. Run it once after the
        initializer, so that all replicas start from the same weights."""
        for v in var_list or global_variables():
            value = np.array(session.run(v))
            broadcast(value, src=0)
            v.load(value, session)

    def __repr__(self):
        return f"MultiWorkerMirroredStrategy(num_replicas={self.num_replicas_in_sync})"


# --- helpers -------------------------------------------------------------------------------------

def _is_data(x):
    return isinstance(x, SymbolicTensor) and not isinstance(x, Variable)


def _map_tensors(value, fn, is_leaf=None):
    """Apply fn to the data tensors (or to what ``is_leaf`` picks) in a nest of
    lists, tuples and dicts."""
    if (is_leaf or _is_data)(value):
        return fn(value)
    if isinstance(value, (list, tuple)):
        return _rebuild(value, [_map_tensors(v, fn, is_leaf) for v in value])
    if isinstance(value, dict):
        return {k: _map_tensors(v, fn, is_leaf) for k, v in value.items()}
    return value


def _rebuild(like, parts):
    return type(like)(*parts) if hasattr(like, "_fields") else type(like)(parts)


def _graph_of(args):
    found = []
    _map_tensors(args, found.append)
    return found[0].graph if found else None


@contextlib.contextmanager
def _replica_scope(graph, r, n):
    if graph is None or n == 1:
        yield
    else:
        with graph.name_scope(f"replica_{r}"):
            yield


def _per_replica(outputs):
    """[replica 0's result, replica 1's, ...] -> one result whose tensors are PerReplica."""
    first = outputs[0]
    if isinstance(first, (list, tuple)):
        return _rebuild(first, [_per_replica([o[i] for o in outputs]) for i in range(len(first))])
    if isinstance(first, dict):
        return {k: _per_replica([o[k] for o in outputs]) for k in first}
    if _is_data(first):
        return PerReplica(outputs)
    return first                  # a variable (one for all replicas), None, a Python value


def _no_updates_in(new_ops, fn):
    for op in new_ops:
        if op.type in ("VariableV2", "Assign", "AssignAdd", "AssignSub"):
            raise RuntimeError(
                f"strategy.run: {getattr(fn, '__name__', fn)} built {op.type} op '{op.name}' in a "
                f"replica. Create variables in strategy.scope() before run, and let a replica only "
                f"compute: return its gradients, then apply their average once with "
                f"opt.apply_gradients(strategy.reduce('MEAN', grads_and_vars, axis=None))")

"""What every ``tf.distribute`` strategy shares: ``scope``, ``run``, ``reduce``,
distributed datasets, and the contexts TensorFlow code asks about.

``strategy.run(fn, args)`` calls ``fn`` once per replica of this process, each
in its *replica context* (``tf.distribute.get_replica_context()``), with its
own part of the arguments: a ``PerReplica`` argument gives replica ``r`` its
``r``-th value (a distributed dataset yields those), other values go whole to
every replica -- except the tensors of a TF1 graph, which tinyflow splits into
equal row shards, so that one fed placeholder carries the global batch.
An optimizer called inside ``fn`` sums the replicas' gradients and applies
them once (``replica_context.py``). ``run`` returns fn's result with each
tensor as a ``PerReplica``; ``reduce`` combines those.

The subclasses say how many replicas there are, which arguments a replica
gets (``_replica_inputs``) and how values are summed over the workers
(``sum_over_workers``: nothing to do in one process, an MPI all-reduce on many).
"""
import contextlib

from .. import ops as F
from ..base import replica
from ..base.nest import flatten
from ..eager.tensor import Tensor
from ..eager.variable import Variable as EagerVariable
from ..graph.tensor import SymbolicTensor
from ..graph.variables import Variable
from .replica_context import ReplicaContext, RunState
from .values import PerReplica, split_structure


class ReduceOp:
    """How ``Strategy.reduce`` combines the replicas' values."""
    SUM = "SUM"
    MEAN = "MEAN"


_strategies = []          # the strategy stack that ``scope()`` pushes


def current_strategy():
    """The strategy whose ``scope()`` (or ``run``) we are in, or None."""
    return _strategies[-1] if _strategies else None


def get_strategy():
    """``tf.distribute.get_strategy()``: the strategy in scope, else the default
    strategy (one replica, this process)."""
    return current_strategy() or _DEFAULT


def has_strategy():
    return current_strategy() is not None


def get_replica_context():
    """Inside ``strategy.run``: the running replica's context. In a strategy's
    scope (cross-replica): None. Outside any strategy: the default one-replica context."""
    ctx = replica.current()
    if ctx is not None:
        return ctx
    return None if has_strategy() else _DEFAULT_CONTEXT


def in_cross_replica_context():
    return has_strategy() and replica.current() is None


class Strategy:
    """The base of the strategies; alone, TensorFlow's default strategy (one replica)."""

    num_replicas_in_sync = 1
    _local_replicas = 1

    @contextlib.contextmanager
    def scope(self):
        """Create the model, its variables and the optimizer inside this block
        (Keras remembers the strategy of a model compiled here)."""
        _strategies.append(self)
        try:
            yield self
        finally:
            _strategies.pop()

    # --- running the replicas ---
    def run(self, fn, args=(), kwargs=None):
        """Call ``fn(*args, **kwargs)`` once per replica, each in its replica context
        with its part of the arguments; returns the result with each tensor a ``PerReplica``."""
        inputs = self._replica_inputs((tuple(args), dict(kwargs or {})))
        state = RunState(self, len(inputs))
        graph = _graph_of((args, kwargs))
        outputs = []
        with self.scope():
            for r, (a, kw) in enumerate(inputs):
                context = ReplicaContext(state, self._replica_id(r))
                with replica.entered(context), _replica_scope(graph, r, len(inputs)):
                    outputs.append(fn(*a, **kw))
        state.check_complete(fn)
        return _per_replica(outputs)

    def _replica_inputs(self, structure):
        """[replica r's (args, kwargs)] for this process's replicas."""
        return [_pick(structure, 0)]

    def _replica_id(self, r):
        return r

    def sum_over_workers(self, value):
        """The sum of ``value`` over the worker processes (one worker: itself)."""
        return value

    # --- combining per-replica values ---
    def reduce(self, reduce_op, value, axis=None):
        """Combine the replicas' values: ``"MEAN"`` or ``"SUM"`` over the replicas
        (``axis=None``), or over the replicas and ``axis`` of each value (e.g. the
        mean over every example of the global batch). ``value`` may be nested
        (lists, tuples, dicts); a plain tensor is this process's one value, and
        other leaves (variables, numbers) come back unchanged."""
        reduce_op = _op_name(reduce_op)
        if isinstance(value, PerReplica) or _is_data(value):
            values = value.values if isinstance(value, PerReplica) else (value,)
            with _cross_replica_scope(values[0]):
                return self._reduce(reduce_op, values, axis)
        if isinstance(value, (list, tuple)):
            return _rebuild(value, [self.reduce(reduce_op, v, axis) for v in value])
        if isinstance(value, dict):
            return {k: self.reduce(reduce_op, v, axis) for k, v in value.items()}
        return value

    def _reduce(self, reduce_op, values, axis):
        """The sum (or mean) over this process's values, then over the workers."""
        if axis is None:
            total = self.sum_over_workers(_add_all(values))
            return total if reduce_op == ReduceOp.SUM else total / self.num_replicas_in_sync
        total = self.sum_over_workers(_add_all([F.sum(v, axis) for v in values]))
        if reduce_op == ReduceOp.SUM:
            return total
        count = self.sum_over_workers(_add_all([F.sum(F.ones_like(v), axis) for v in values]))
        return total / count

    def experimental_local_results(self, value):
        """The per-replica values of this process, as a tuple."""
        return value.values if isinstance(value, PerReplica) else (value,)

    # --- input ---
    def experimental_distribute_dataset(self, dataset, options=None):
        """A dataset of global batches -> one that yields each batch cut into the
        replicas' shards (``PerReplica`` values; plain ones for one local replica)."""
        from .input import DistributedDataset
        return DistributedDataset(self, dataset)

    def distribute_batch(self, batch):
        """One global batch -> what ``run`` should be given for this process's replicas."""
        n = self._local_replicas
        if n == 1:
            return batch
        parts = split_structure(batch, n)
        leaves = [flatten(p)[0] for p in parts]
        rebuild = flatten(batch)[1]
        return rebuild([PerReplica([leaves[r][i] for r in range(n)])
                        for i in range(len(leaves[0]))])

    def experimental_distribute_values_from_function(self, value_fn):
        """``value_fn(context)`` once per local replica, as a ``PerReplica``."""
        return PerReplica([value_fn(ValueContext(self._replica_id(r), self.num_replicas_in_sync))
                           for r in range(self._local_replicas)])

    def __repr__(self):
        return "<tinyflow.distribute default strategy (one replica)>"


class ValueContext:
    """What ``experimental_distribute_values_from_function`` tells its function."""

    def __init__(self, replica_id, num_replicas):
        self.replica_id_in_sync_group = replica_id
        self.num_replicas_in_sync = num_replicas


class _DefaultReplicaContext:
    replica_id_in_sync_group = 0
    num_replicas_in_sync = 1

    @property
    def strategy(self):
        return _DEFAULT


_DEFAULT = Strategy()
_DEFAULT_CONTEXT = _DefaultReplicaContext()


# --- helpers -------------------------------------------------------------------------------------

def _op_name(reduce_op):
    name = str(getattr(reduce_op, "value", reduce_op)).upper().replace("REDUCEOP.", "")
    if name not in (ReduceOp.SUM, ReduceOp.MEAN):
        raise ValueError(f"reduce: reduce_op should be 'SUM' or 'MEAN', got {reduce_op!r}")
    return name


def _is_data(x):
    """A tensor that can differ between replicas (not a variable, which all share)."""
    if isinstance(x, SymbolicTensor):
        return not isinstance(x, Variable)
    return isinstance(x, Tensor) and not isinstance(x, EagerVariable)


def _add_all(values):
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total


def _pick(value, r, split=None):
    """Replica r's part of a nest of arguments: PerReplica -> its r-th value; a TF1
    graph tensor -> its r-th shard if ``split`` cuts it; anything else, whole."""
    if isinstance(value, PerReplica):
        if r >= len(value):
            raise ValueError(f"strategy.run: a PerReplica argument has {len(value)} values, "
                             f"one per replica, but replica {r} asked for its own")
        return value[r]
    if split is not None and isinstance(value, SymbolicTensor) and _is_data(value):
        return split(value)[r]
    if isinstance(value, (list, tuple)):
        return _rebuild(value, [_pick(v, r, split) for v in value])
    if isinstance(value, dict):
        return {k: _pick(v, r, split) for k, v in value.items()}
    return value


def _rebuild(like, parts):
    return type(like)(*parts) if hasattr(like, "_fields") else type(like)(parts)


def _graph_of(structure):
    for x in flatten(structure)[0]:
        if isinstance(x, SymbolicTensor):
            return x.graph
    return None


@contextlib.contextmanager
def _replica_scope(graph, r, n):
    if graph is None or n == 1:
        yield
    else:
        with graph.name_scope(f"replica_{r}"):
            yield


@contextlib.contextmanager
def _cross_replica_scope(x):
    if isinstance(x, SymbolicTensor):
        with x.graph.name_scope("cross_replica"):
            yield
    else:
        yield


def _per_replica(outputs):
    """[replica 0's result, replica 1's, ...] -> one result whose tensors are PerReplica."""
    first = outputs[0]
    if isinstance(first, (list, tuple)) and not isinstance(first, PerReplica):
        return _rebuild(first, [_per_replica([o[i] for o in outputs]) for i in range(len(first))])
    if isinstance(first, dict):
        return {k: _per_replica([o[k] for o in outputs]) for k in first}
    if any(o is not first for o in outputs):
        return PerReplica(outputs)      # a value that differs between the replicas
    return first                  # the same in all: a variable, None, one replica's value

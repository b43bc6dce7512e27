"""Data parallelism with TensorFlow's ``tf.distribute`` names.

A *replica* is one copy of the model that computes the loss and gradients of
its own shard of the batch. "Mirrored" means the variables are kept identical
on every replica: the replicas' gradients are summed (all-reduced) and one
update is applied to every copy.

* ``MirroredStrategy()`` -- replicas in one process: one per device name given,
  or ``num_replicas`` of them; with neither, one (TensorFlow's choice on a machine
  whose only device is the CPU). The variables exist once, so they are mirrored
  by construction; ``run`` calls the replica function once per replica, in
  eager code, in a ``tinyflow.function`` trace or in a TF1 graph (building the
  replica's ops under ``replica_0/``, ``replica_1/``...).
* ``MultiWorkerMirroredStrategy()`` -- one replica per MPI rank (start the
  script with ``mpiexec -n N``), each rank with its own copy of the model;
  gradients and ``reduce`` are all-reduced through MPI.

Inside ``run`` an optimizer (Keras's, or a TF1 one) sums the replicas'
gradients and applies them once (see ``replica_context.py``), so a replica's
loss must be its share of the global mean: ``tf.nn.compute_average_loss``.

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
...     train = opt.minimize(loss / strategy.num_replicas_in_sync)   # its share of the mean
...     with tf.control_dependencies([train]):
...         return tf.identity(loss)
>>> loss = strategy.run(replica_step, args=(x, y))
>>> mean_loss = strategy.reduce("MEAN", loss, axis=None)
>>> with tf.Session() as sess:
...     sess.run(tf.global_variables_initializer())
...     float(sess.run(mean_loss, {x: np.eye(2), y: [1.0, 1.0]})), sess.run(w)
(1.0, array([0.5, 0.5]))
"""
import numpy as np

from .. import ops as F
from ..eager.tensor import Tensor
from ..graph.api import identity
from ..graph.tensor import SymbolicTensor
from ..graph.variables import global_variables
from .process_group import (all_reduce, broadcast, get_rank, get_world_size, init_process_group,
                            is_initialized)
from .strategy import (ReduceOp, Strategy, _pick, current_strategy, get_replica_context,  # noqa: F401
                       get_strategy, has_strategy, in_cross_replica_context)
from .values import PerReplica  # noqa: F401  (tinyflow.distribute's names come from here)


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

class MirroredStrategy(Strategy):
    """Synchronous replicas in one process: ``MirroredStrategy()`` (one replica),
    ``MirroredStrategy(["/cpu:0", "/cpu:1"])`` (one per device) or
    ``MirroredStrategy(num_replicas=4)``. tinyflow runs the replicas one after
    the other on the CPU; a device name only counts a replica."""

    def __init__(self, devices=None, cross_device_ops=None, num_replicas=None):
        if isinstance(devices, int):          # MirroredStrategy(4): tinyflow's short form
            devices, num_replicas = None, devices
        if devices is not None:
            devices = [devices] if isinstance(devices, str) else list(devices)
            if not devices:
                raise ValueError("Must specify at least one device.")
            if num_replicas is not None and num_replicas != len(devices):
                raise ValueError(f"MirroredStrategy: {len(devices)} devices but "
                                 f"num_replicas={num_replicas}")
            num_replicas = len(devices)
        num_replicas = 1 if num_replicas is None else num_replicas
        if num_replicas < 1:
            raise ValueError(f"MirroredStrategy: num_replicas should be at least 1, "
                             f"got {num_replicas}")
        self.num_replicas_in_sync = self._local_replicas = int(num_replicas)
        self.devices = tuple(devices or (f"/job:localhost/replica:0/task:0/device:CPU:{r}"
                                         for r in range(self.num_replicas_in_sync)))

    def _replica_inputs(self, structure):
        n, shards = self.num_replicas_in_sync, {}

        def split(x):                  # a TF1 graph tensor: cut once, shared by the replicas
            if id(x) not in shards:
                shards[id(x)] = split_batch(x, n)
            return shards[id(x)]
        return [_pick(structure, r, split) for r in range(n)]

    def __repr__(self):
        return f"MirroredStrategy(num_replicas={self.num_replicas_in_sync})"


class MultiWorkerMirroredStrategy(Strategy):
    """One replica per MPI rank: start the script with ``mpiexec -n N`` (or
    ``tinyflow.distributed.launch``); each rank runs the same program on its own
    shard of every global batch (a distributed dataset, or Keras ``fit``, cuts it).
    Every rank must run the same steps in the same order: each all-reduce waits
    for its twin on the other ranks."""

    def __init__(self, cluster_resolver=None, communication_options=None):
        if not is_initialized():
            init_process_group("mpi")
        self.num_replicas_in_sync = get_world_size()
        self.worker_index = get_rank()

    def _replica_id(self, r):
        return self.worker_index

    def sum_over_workers(self, value):
        """The all-reduce: a graph op for graph values, MPI now for eager ones."""
        if isinstance(value, SymbolicTensor):
            return mpi_all_reduce(value)
        if isinstance(value, Tensor):
            return Tensor._wrap(_sum_over_ranks(value.array))
        return _sum_over_ranks(value)

    def distribute_batch(self, batch):
        """This worker's shard of a global batch (TensorFlow's data sharding)."""
        from .values import split_structure
        return split_structure(batch, self.num_replicas_in_sync)[self.worker_index]

    def broadcast_variables(self, session=None, var_list=None):
        """Give every rank rank 0's variable values: TF1 graph variables through
        ``session``, or eager ones (Keras weights) in place."""
        if session is None:
            for v in var_list:
                broadcast(v.array, src=0)
            return
        for v in var_list or global_variables():
            value = np.array(session.run(v))
            broadcast(value, src=0)
            v.load(value, session)

    def __repr__(self):
        return f"MultiWorkerMirroredStrategy(num_replicas={self.num_replicas_in_sync})"

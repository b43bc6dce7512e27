"""Data-parallel training on MPI (PyTorch's ``torch.distributed`` spellings),
and graph-mode strategies (``tinyflow.distribute``, TensorFlow's spellings).

Every rank runs the same script on its own shard of the data; collectives
(``all_reduce``, ``broadcast``...) keep the model copies identical.

>>> import tinyflow.distributed as dist
>>> dist.init_process_group("mpi")       # under mpiexec -n N: N ranks; plain python: 1
>>> dist.get_rank(), dist.get_world_size()
(0, 1)
>>> dist.destroy_process_group()

Files: ``process_group.py`` (ranks and collectives), ``ddp.py``
(DistributedDataParallel), ``launch.py`` (run N ranks from Python); TensorFlow's
strategies: ``strategy.py`` (scope, run, reduce, the contexts), ``mirrored.py``
(MirroredStrategy, MultiWorkerMirroredStrategy), ``replica_context.py`` (how an
optimizer called in a replica sums the replicas' gradients and applies them
once), ``values.py`` (PerReplica, batch shards), ``input.py`` (distributed datasets).
Install MPI with ``pip install 'tinyflow-lab[mpi]'``.
"""
from .process_group import (ReduceOp, init_process_group, is_initialized, is_available,
                            destroy_process_group, get_backend, get_rank, get_world_size, barrier,
                            all_reduce, reduce, broadcast, all_gather)
from .ddp import DistributedDataParallel
from .launch import launch, LaunchError

__all__ = ["ReduceOp", "init_process_group", "is_initialized", "is_available",
           "destroy_process_group", "get_backend", "get_rank", "get_world_size", "barrier",
           "all_reduce", "reduce", "broadcast", "all_gather", "DistributedDataParallel",
           "launch", "LaunchError"]

"""The process group: who am I (``get_rank``), how many of us
(``get_world_size``), and the collectives that move arrays between us.
PyTorch's ``torch.distributed`` spellings, on MPI through mpi4py.

Start N copies of a script with ``mpiexec -n N python train.py``; each copy
is one *rank*. Run plainly (``python train.py``) it is a world of one (MPI's
singleton start), so the same script runs anywhere.

>>> import numpy as np
>>> import tinyflow.distributed as dist
>>> dist.init_process_group("mpi")
>>> a = np.array([1.0, 2.0])
>>> dist.all_reduce(a)             # in place: a becomes the sum of every rank's a
>>> a, dist.get_rank(), dist.get_world_size()
(array([1., 2.]), 0, 1)
>>> dist.destroy_process_group()

Collectives move arrays through MPI's buffer API (``comm.Allreduce(MPI.IN_PLACE,
buf, op)``): the bytes of the array go straight to the network, never pickled.
Every rank must call the same collectives in the same order, or they wait for
each other forever.
"""
import numpy as np

from ..base import world
from ..eager.tensor import Tensor


MPI_EXTRA = "pip install 'tinyflow-lab[mpi]'   (mpi4py and the mpich wheel)"


class ReduceOp:
    """How ``all_reduce`` and ``reduce`` combine the ranks' values."""
    SUM = "sum"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"
    AVG = "avg"       # SUM, then divide by the world size


def _mpi():
    """mpi4py's MPI module, or an error that says what to install."""
    try:
        from mpi4py import MPI
    except (ImportError, RuntimeError) as e:   # RuntimeError: mpi4py found no MPI library
        raise RuntimeError(f"tinyflow.distributed needs MPI: {MPI_EXTRA}. ({e})") from None
    return MPI


def is_available():
    """True if mpi4py and an MPI launcher (mpiexec) are installed. It only looks:
    importing mpi4py.MPI would start MPI in this process."""
    import importlib.util
    import os
    import shutil
    import sys
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    return importlib.util.find_spec("mpi4py") is not None and (
        os.path.exists(beside) or shutil.which("mpiexec") is not None)


def init_process_group(backend="mpi", world_size=-1, rank=-1, **unused):
    """Join the group of all ranks (MPI's COMM_WORLD). Call it once per process."""
    if backend not in (None, "mpi"):
        raise ValueError(f"init_process_group: tinyflow runs on MPI only: backend='mpi', "
                         f"got {backend!r}")
    if world.group() is not None:
        raise RuntimeError("init_process_group: trying to initialize the default process group "
                           "twice! (call destroy_process_group() first)")
    comm = _mpi().COMM_WORLD
    if world_size not in (-1, comm.Get_size()) or rank not in (-1, comm.Get_rank()):
        raise ValueError(f"init_process_group: MPI started {comm.Get_size()} ranks and this is "
                         f"rank {comm.Get_rank()}, but world_size={world_size}, rank={rank} were "
                         f"asked for; the sizes come from `mpiexec -n N`")
    world.join(comm)


def is_initialized():
    return world.group() is not None


def destroy_process_group():
    """Leave the group. (MPI itself shuts down when the process exits.)"""
    world.leave()


def _group():
    """The communicator of the default group (an ``mpi4py.MPI.Comm``)."""
    comm = world.group()
    if comm is None:
        raise RuntimeError("Default process group has not been initialized, please make sure to "
                           "call init_process_group.")
    return comm


def get_backend():
    _group()
    return "mpi"


def get_rank():
    """This process's number, 0 .. world size - 1."""
    return _group().Get_rank()


def get_world_size():
    """How many processes are in the group."""
    return _group().Get_size()


def barrier():
    """Wait until every rank has reached this line."""
    _group().Barrier()


def _buffer(tensor, what):
    """The ndarray a collective reads and writes in place: a Tensor's ``.data``
    or the array itself. MPI needs it contiguous and writeable."""
    if isinstance(tensor, Tensor):
        if not (tensor.array.flags.c_contiguous and tensor.array.flags.writeable):
            tensor.array = np.ascontiguousarray(tensor.array).copy()
        return tensor.array
    if isinstance(tensor, np.ndarray):
        if not (tensor.flags.c_contiguous and tensor.flags.writeable):
            raise ValueError(f"{what}: the array must be contiguous and writeable to be changed in "
                             f"place; pass np.ascontiguousarray(a) (a copy) instead")
        return tensor
    raise TypeError(f"{what}: expected a tinyflow Tensor or a numpy array, got "
                    f"{type(tensor).__name__}")


def _mpi_op(op, what):
    MPI = _mpi()
    ops = {ReduceOp.SUM: MPI.SUM, ReduceOp.AVG: MPI.SUM, ReduceOp.PRODUCT: MPI.PROD,
           ReduceOp.MIN: MPI.MIN, ReduceOp.MAX: MPI.MAX}
    if op not in ops:
        raise ValueError(f"{what}: unknown op {op!r}; use ReduceOp.SUM, AVG, PRODUCT, MIN or MAX")
    return ops[op]


def all_reduce(tensor, op=ReduceOp.SUM):
    """Combine ``tensor`` over all ranks; every rank gets the result, in place."""
    buf = _buffer(tensor, "all_reduce")
    comm = _group()
    comm.Allreduce(_mpi().IN_PLACE, buf, op=_mpi_op(op, "all_reduce"))
    if op == ReduceOp.AVG:
        buf /= comm.Get_size()


def reduce(tensor, dst, op=ReduceOp.SUM):
    """Combine ``tensor`` over all ranks into rank ``dst``'s tensor (the others keep theirs)."""
    buf = _buffer(tensor, "reduce")
    comm, MPI = _group(), _mpi()
    if comm.Get_rank() == dst:
        comm.Reduce(MPI.IN_PLACE, buf, op=_mpi_op(op, "reduce"), root=dst)
        if op == ReduceOp.AVG:
            buf /= comm.Get_size()
    else:
        comm.Reduce(buf, None, op=_mpi_op(op, "reduce"), root=dst)


def broadcast(tensor, src):
    """Copy rank ``src``'s tensor into every rank's tensor, in place."""
    _group().Bcast(_buffer(tensor, "broadcast"), root=src)


def all_gather(tensor_list, tensor):
    """``tensor_list[r]`` becomes rank r's ``tensor``, on every rank."""
    comm = _group()
    if len(tensor_list) != comm.Get_size():
        raise ValueError(f"all_gather: tensor_list needs one tensor per rank ({comm.Get_size()}), "
                         f"got {len(tensor_list)}")
    send = np.ascontiguousarray(tensor.array if isinstance(tensor, Tensor) else tensor)
    gathered = np.empty((comm.Get_size(),) + send.shape, send.dtype)
    comm.Allgather(send, gathered)
    for r, out in enumerate(tensor_list):
        np.copyto(_buffer(out, "all_gather"), gathered[r])

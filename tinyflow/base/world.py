"""Who this process is among the processes that train together.

``tinyflow.distributed.init_process_group`` joins the group (an MPI
communicator) and keeps it here; the layers below the distributed tools --
``DistributedSampler`` in ``data/`` -- ask here for this process's rank and
the group's size, so that they need not import those tools.

>>> group() is None                   # no group joined: a world of one
True
"""
_group = []          # the process group's communicator, once one is joined


def group():
    """The communicator of the default process group, or None."""
    return _group[0] if _group else None


def join(comm):
    """Make ``comm`` the default process group (``init_process_group`` does)."""
    _group[:] = [comm]


def leave():
    _group.clear()


def rank_and_size(who):
    """(this process's rank, the group's size); ``who`` names the caller in the
    error raised when no group has been joined (PyTorch's message)."""
    comm = group()
    if comm is None:
        raise RuntimeError(f"{who}: Default process group has not been initialized, please make "
                           f"sure to call init_process_group.")
    return comm.Get_rank(), comm.Get_size()

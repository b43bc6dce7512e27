"""DataLoader's workers, run in-process: ``get_worker_info`` and ``WorkerInfo``.

PyTorch's ``num_workers=N`` starts N processes; tinyflow runs the same N
workers one after another in the main process, so that code written for them
behaves the same: each worker has its own (shallow) copy of the dataset, its
own random stream (seed ``base_seed + id``, which ``tinyflow``'s random
functions draw from while the worker works), ``worker_init_fn(id)`` runs in it
first, and ``get_worker_info()`` describes it while it works. Batches come
back in PyTorch's order: map-style batch k from worker k % N; an
IterableDataset's batches round-robin over the workers that still have data.
Outside a worker -- the main process -- ``get_worker_info()`` is None.

Not emulated: PyTorch also reseeds Python's ``random`` and numpy's global
generator in each worker process; in-process, those stay the main process's
(seed them in ``worker_init_fn`` from ``tinyflow.initial_seed()``, as PyTorch's
reproducibility notes do). ``timeout`` has nothing to wait for.

>>> from tinyflow.data import get_worker_info
>>> get_worker_info() is None
True
"""
import contextlib
import copy

from ..base import rng


class WorkerInfo:
    """What ``get_worker_info()`` returns inside a worker: ``id``,
    ``num_workers``, ``seed`` and ``dataset`` (this worker's copy). Read-only.

    >>> info = WorkerInfo(id=0, num_workers=2, seed=7, dataset=None)
    >>> info.id, info.num_workers, info.seed
    (0, 2, 7)
    """

    __initialized = False

    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)
        self.__keys = tuple(kwargs.keys())
        self.__initialized = True

    def __setattr__(self, key, val):
        if self.__initialized:
            raise RuntimeError(f"Cannot assign attributes to {type(self).__name__} objects")
        return super().__setattr__(key, val)

    def __repr__(self):
        items = ", ".join(f"{k}={getattr(self, k)}" for k in self.__keys)
        return f"{type(self).__name__}({items})"


class _Current:
    info = None


def get_worker_info():
    """The ``WorkerInfo`` of the DataLoader worker running this code, or None in
    the main process (see the module's docstring: tinyflow's workers run
    in-process, one at a time).

    >>> get_worker_info() is None
    True
    """
    return _Current.info


class Worker:
    """One in-process worker: its WorkerInfo, dataset copy and random stream.

    >>> w = Worker(1, 2, seed=5, dataset=[10, 20])
    >>> with w.working():
    ...     get_worker_info().id, get_worker_info().dataset
    (1, [10, 20])
    >>> get_worker_info() is None
    True
    """

    def __init__(self, wid, num_workers, seed, dataset):
        self.generator = rng.Generator().manual_seed(seed)
        self.info = WorkerInfo(id=wid, num_workers=num_workers, seed=seed,
                               dataset=copy.copy(dataset))

    @property
    def dataset(self):
        """This worker's copy of the dataset (``info.dataset``).

        >>> data = [1, 2]
        >>> Worker(0, 1, seed=0, dataset=data).dataset is data
        False
        """
        return self.info.dataset

    @contextlib.contextmanager
    def working(self):
        """Run the block as this worker: get_worker_info() and tinyflow's random
        functions are the worker's.

        >>> import tinyflow
        >>> w = Worker(0, 1, seed=3, dataset=[])
        >>> with w.working():
        ...     tinyflow.initial_seed()
        3
        """
        saved = _Current.info
        _Current.info = self.info
        try:
            with rng.drawing_from(self.generator):
                yield self
        finally:
            _Current.info = saved


def start_workers(loader):
    """The loader's ``num_workers`` workers (seeds ``base_seed + id``, ``base_seed`` one
    draw from the loader's generator), each initialized with ``worker_init_fn``.

    >>> from tinyflow.data import DataLoader
    >>> [w.info.id for w in start_workers(DataLoader(range(4), num_workers=2))]
    [0, 1]
    """
    base_seed = int(rng.numpy_generator(loader.generator, "DataLoader").integers(1 << 63))
    n = loader.num_workers
    workers = [Worker(i, n, base_seed + i, loader.dataset) for i in range(n)]
    if loader.worker_init_fn is not None:
        for w in workers:
            with w.working():
                loader.worker_init_fn(w.info.id)
    return workers

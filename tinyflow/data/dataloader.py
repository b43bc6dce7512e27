"""``DataLoader``: batches of a dataset, in order or shuffled, collated into
tensors -- PyTorch's ``torch.utils.data.DataLoader``, with its arguments,
defaults and argument errors.

For a dataset with ``get_batch`` (TensorDataset, a Subset of one) and the
default collate, a batch is one fancy-index per tensor; other datasets are read
sample by sample (or with ``__getitems__``) and collated.

>>> import numpy as np
>>> from tinyflow.data import TensorDataset, DataLoader
>>> loader = DataLoader(TensorDataset(np.arange(10.0), np.arange(10)), batch_size=4)
>>> [len(y) for x, y in loader], len(loader)
([4, 4, 2], 3)
"""
import itertools
import multiprocessing
import numbers
import warnings

from ..base import rng
from .collate import default_collate, default_convert
from .dataset import IterableDataset, check_dataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler
from .worker import start_workers


class _InfiniteConstantSampler(Sampler):
    """An IterableDataset's sampler: None, forever (the dataset decides the end)."""

    def __iter__(self):
        while True:
            yield None


def _needs(condition, error, message):
    if not condition:
        raise error(message)


class DataLoader:
    """Iterate over ``dataset`` in batches, as ``torch.utils.data.DataLoader``.

    ``batch_size`` (default 1; None yields samples uncollated), ``shuffle``
    (a new order every epoch), ``sampler`` / ``batch_sampler`` (the indices, or
    lists of them, to read), ``drop_last``, ``collate_fn`` (default
    ``default_collate``), ``generator`` (a ``tinyflow.Generator`` for the
    shuffle; without one the global generator, so ``tinyflow.manual_seed``
    repeats it). tinyflow adds ``seed=s``: shorthand for
    ``generator=tinyflow.Generator().manual_seed(s)``. The same seed repeats the
    same order, but tinyflow's order, not PyTorch's.

    Workers run in-process: ``num_workers=N`` runs N workers one after another
    in this process (see ``tinyflow.data.worker``): ``worker_init_fn(id)``,
    ``get_worker_info()``, worker seeds and the order of the batches are as in
    PyTorch, without processes. ``pin_memory`` (it warns, as PyTorch on a
    machine without an accelerator), ``timeout``, ``multiprocessing_context``,
    ``prefetch_factor``, ``persistent_workers`` (workers, their dataset copies
    and random streams kept between epochs), ``pin_memory_device`` and
    ``in_order`` are checked as PyTorch checks them and otherwise change nothing.

    An ``IterableDataset`` is read in its own order, lazily (an endless one
    gives endless batches); ``len(loader)`` needs its ``__len__``.

    >>> import tinyflow
    >>> from tinyflow.data import TensorDataset
    >>> ds = TensorDataset(tinyflow.arange(6))
    >>> [b[0].tolist() for b in DataLoader(ds, batch_size=4)]
    [[0, 1, 2, 3], [4, 5]]
    >>> g = tinyflow.Generator().manual_seed(0)
    >>> a = [b[0].tolist() for b in DataLoader(ds, 2, shuffle=True, generator=g)]
    >>> _ = g.manual_seed(0)
    >>> a == [b[0].tolist() for b in DataLoader(ds, 2, shuffle=True, generator=g)]
    True
    """

    _initialized = False
    _FROZEN = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
               "persistent_workers")

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True, seed=None):
        check_dataset(dataset, "DataLoader")
        _needs(isinstance(num_workers, int) and not isinstance(num_workers, bool), TypeError,
               f"DataLoader: num_workers should be an int, got {type(num_workers).__name__}")
        _needs(num_workers >= 0, ValueError, "num_workers option should be non-negative; use "
               "num_workers=0 to disable multiprocessing.")
        _needs(isinstance(timeout, numbers.Real), TypeError,
               f"DataLoader: timeout should be a number, got {type(timeout).__name__}")
        _needs(timeout >= 0, ValueError, "timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing. "
                             "let num_workers > 0 to enable multiprocessing, otherwise set "
                             "prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        _needs(not (persistent_workers and num_workers == 0), ValueError,
               "persistent_workers option needs num_workers > 0")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order
        _needs(worker_init_fn is None or callable(worker_init_fn), TypeError,
               f"DataLoader: worker_init_fn should be a function of the worker id, got "
               f"{type(worker_init_fn).__name__}")

        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            _needs(shuffle in (False, None), ValueError, f"DataLoader with IterableDataset: "
                   f"expected unspecified shuffle option, but got shuffle={shuffle}")
            _needs(sampler is None, ValueError, f"DataLoader with IterableDataset: expected "
                   f"unspecified sampler option, but got sampler={sampler}")
            _needs(batch_sampler is None, ValueError, f"DataLoader with IterableDataset: "
                   f"expected unspecified batch_sampler option, but got "
                   f"batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
            _needs(hasattr(type(dataset), "__getitem__"), TypeError,
                   f"DataLoader: dataset should be a map-style dataset (with __getitem__ and "
                   f"__len__) or an IterableDataset, got {type(dataset).__name__}")
        _needs(not (sampler is not None and shuffle), ValueError,
               "sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")

        if seed is not None:
            _needs(generator is None, ValueError,
                   "DataLoader: give a generator or a seed, not both")
            generator = rng.Generator().manual_seed(seed)
        rng.numpy_generator(generator, "DataLoader")          # TypeError for anything else
        for name, s in (("sampler", sampler), ("batch_sampler", batch_sampler)):
            _needs(s is None or hasattr(s, "__iter__"), TypeError, f"DataLoader: {name} should "
                   f"be a Sampler or an iterable of indices, got {type(s).__name__}")
        if sampler is None:
            if self._iterable:
                sampler = _InfiniteConstantSampler()
            else:
                if batch_sampler is None:
                    self._check_length(dataset)
                sampler = (RandomSampler(dataset, generator=generator) if shuffle
                           else SequentialSampler(dataset))
        if batch_size is not None and batch_sampler is None:
            if isinstance(batch_size, bool) or not isinstance(batch_size, int) \
                    or batch_size <= 0:
                raise ValueError(f"batch_size should be a positive integer value, but got "
                                 f"batch_size={batch_size!r} (DataLoader expects an int > 0, "
                                 f"or None to yield samples one by one)")
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        self.seed = seed
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        _needs(callable(collate_fn), TypeError, f"DataLoader: collate_fn should be a function "
               f"of a list of samples, got {type(collate_fn).__name__}")
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._iterator = None
        self._len_called = None
        self._initialized = True

    @staticmethod
    def _check_length(dataset):
        try:
            len(dataset)
        except TypeError as e:
            raise TypeError(f"DataLoader: the dataset ({type(dataset).__name__}) has no length, "
                            f"which the default sampler needs; give it __len__, or pass a "
                            f"sampler or batch_sampler ({e})") from None

    @property
    def multiprocessing_context(self):
        """The start method's context (checked as PyTorch checks it; workers run
        in-process, so it is not used).

        >>> import multiprocessing
        >>> method = multiprocessing.get_all_start_methods()[0]
        >>> loader = DataLoader(range(4), num_workers=1, multiprocessing_context=method)
        >>> loader.multiprocessing_context.get_start_method() == method
        True
        """
        return self._mp_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, context):
        if context is not None:
            if self.num_workers == 0:
                raise ValueError(f"multiprocessing_context can only be used with multi-process "
                                 f"loading (num_workers > 0), but got num_workers=0")
            if isinstance(context, str):
                methods = multiprocessing.get_all_start_methods()
                if context not in methods:
                    raise ValueError(f"multiprocessing_context option should specify a valid "
                                     f"start method in {methods!r}, but got "
                                     f"multiprocessing_context={context!r}")
                context = multiprocessing.get_context(context)
            if not isinstance(context, multiprocessing.context.BaseContext):
                raise TypeError(f"multiprocessing_context option should be a valid context "
                                f"object or a string specifying the start method, but got "
                                f"multiprocessing_context={context}")
        self._mp_context = context

    def __setattr__(self, attr, val):
        if self._initialized and attr in self._FROZEN:
            raise ValueError(f"{attr} attribute should not be set after "
                             f"{type(self).__name__} is initialized")
        super().__setattr__(attr, val)

    @property
    def _index_sampler(self):
        return self.batch_sampler if self.batch_sampler is not None else self.sampler

    def __len__(self):
        if self._iterable:
            length = len(self.dataset)         # TypeError when the stream has no length
            self._len_called = length
            if self.batch_size is not None:
                length = length // self.batch_size if self.drop_last \
                    else -(-length // self.batch_size)
            return length
        return len(self._index_sampler)

    def __iter__(self):
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None:
                self._iterator = _LoaderIter(self)
            else:
                self._iterator._reset()
            return self._iterator
        return _LoaderIter(self)


class _LoaderIter:
    """One pass over a DataLoader (``iter(loader)``)."""

    def __init__(self, loader):
        self._loader = loader
        self._workers = None
        if loader.pin_memory and loader.pin_memory_device:
            warnings.warn(f"pin_memory_device is deprecated, the current accelerator will be "
                          f"used as the device,ignore pin_memory_device="
                          f"'{loader.pin_memory_device}'.", stacklevel=3)
        if loader.pin_memory:
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, "
                          "then device pinned memory won't be used.", stacklevel=3)
        self._reset()

    def _reset(self):
        loader = self._loader
        self._num_yielded = 0
        if loader.num_workers and (self._workers is None or not loader.persistent_workers):
            self._workers = start_workers(loader)
        if loader._iterable:
            self._batches = _stream_batches(loader, self._workers)
        else:
            self._batches = _map_batches(loader, self._workers, iter(loader._index_sampler))

    def __iter__(self):
        return self

    def __next__(self):
        data = next(self._batches)
        self._num_yielded += 1
        loader = self._loader
        if loader._iterable and loader._len_called is not None \
                and self._num_yielded > loader._len_called:
            warnings.warn(f"Length of IterableDataset {loader.dataset} was reported to be "
                          f"{loader._len_called} (when accessing len(dataloader)), but "
                          f"{self._num_yielded} samples have been fetched. ", stacklevel=2)
        return data

    def __len__(self):
        return len(self._loader._index_sampler)


def _fetch(loader, dataset, index):
    """One batch (or one sample, without auto-batching) of a map-style dataset."""
    collate = loader.collate_fn
    if loader.batch_sampler is None:
        return collate(dataset[index])
    get_batch = getattr(dataset, "get_batch", None)
    if collate is default_collate and callable(get_batch):
        return get_batch(index)
    getitems = getattr(dataset, "__getitems__", None)
    return collate(getitems(index) if callable(getitems) else [dataset[i] for i in index])


def _map_batches(loader, workers, indices):
    if not workers:
        for index in indices:
            yield _fetch(loader, loader.dataset, index)
        return
    for k, index in enumerate(indices):
        w = workers[k % len(workers)]
        with w.working():
            batch = _fetch(loader, w.dataset, index)
        yield batch


def _next_batch(loader, stream):
    """The next batch of an IterableDataset's iterator; StopIteration at its end."""
    if loader.batch_size is None:
        return loader.collate_fn(next(stream))
    data = list(itertools.islice(stream, loader.batch_size))
    if not data or (loader.drop_last and len(data) < loader.batch_size):
        raise StopIteration
    return loader.collate_fn(data)


def _stream_batches(loader, workers):
    if not workers:
        stream = iter(loader.dataset)          # at iter(loader), as PyTorch
        return _one_stream(loader, stream)
    streams = {}
    for w in workers:
        with w.working():
            streams[w.info.id] = iter(w.dataset)
    return _round_robin(loader, workers, streams)


def _one_stream(loader, stream):
    while True:
        try:
            batch = _next_batch(loader, stream)
        except StopIteration:
            return
        yield batch


def _round_robin(loader, workers, streams):
    active = list(workers)
    while active:
        for w in list(active):
            with w.working():
                try:
                    batch = _next_batch(loader, streams[w.info.id])
                except StopIteration:
                    batch = StopIteration
            if batch is StopIteration:
                active.remove(w)
                continue
            yield batch

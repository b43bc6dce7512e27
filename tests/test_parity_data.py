"""tinyflow.utils.data against real PyTorch: the same program run with ``torch`` and with
``tinyflow`` imported as torch gives the same batches (structure, shapes, dtypes, values
and order, wherever the order is not random), the same lengths, and the same error types.

Random orders are compared by behaviour only (tinyflow's stream is numpy's, not PyTorch's).
Skipped when PyTorch is not installed."""
import collections
import math
import warnings

import numpy as np
import pytest

from _parity import import_torch

torch = import_torch()   # real PyTorch: skipped with the reason where missing, required by make parity
import torch.utils.data  # noqa: E402

import tinyflow  # noqa: E402
import tinyflow.utils.data  # noqa: E402

FRAMEWORKS = [torch, tinyflow]
Point = collections.namedtuple("Point", "x y")


def plain(x):
    """A batch as plain Python: tensors as (dtype name, shape, values)."""
    if isinstance(x, (torch.Tensor, tinyflow.Tensor)):
        return ("tensor", str(x.dtype).replace("torch.", "").replace("tinyflow.", ""), list(x.shape), x.tolist())
    if isinstance(x, np.ndarray):
        return ("ndarray", str(x.dtype), x.tolist())
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return (type(x).__name__,) + tuple(plain(v) for v in x)
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [plain(v) for v in x])
    if isinstance(x, dict):
        return (type(x).__name__, {k: plain(v) for k, v in x.items()})
    if isinstance(x, (np.str_, np.generic)):
        return ("numpy", type(x).__name__, x.item())
    return x


def both(run):
    """run(torch) and run(tinyflow), quietly (PyTorch warns about worker counts)."""
    out = []
    for m in FRAMEWORKS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out.append(run(m))
    return out


def same(run):
    ref, got = both(run)
    assert got == ref


def D(m):
    return m.utils.data


# --- signatures ---------------------------------------------------------------------------

SIGNATURES = ["DataLoader", "TensorDataset", "ConcatDataset", "ChainDataset", "StackDataset",
              "Subset", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
              "WeightedRandomSampler", "BatchSampler", "DistributedSampler", "random_split",
              "default_collate", "default_convert", "get_worker_info"]


@pytest.mark.parametrize("name", SIGNATURES)
def test_signatures_agree(name):
    """Same parameter names, order, kinds and (plain) defaults; tinyflow may add keyword-only
    parameters at the end (DataLoader's and random_split's ``seed``)."""
    import inspect

    def params(m):
        return [(p.name, p.kind, p.default if isinstance(p.default, (int, float, str, type(None)))
                 else "<object>") for p in inspect.signature(getattr(D(m), name)).parameters.values()]
    ref, got = params(torch), params(tinyflow)
    assert got[:len(ref)] == ref
    assert all(kind == inspect.Parameter.KEYWORD_ONLY for _, kind, _ in got[len(ref):])


# --- collate --------------------------------------------------------------------------------

COLLATE = {
    "floats": lambda m: [1.0, 2.0],
    "ints": lambda m: [1, 2],
    "bools": lambda m: [True, False],
    "int then float": lambda m: [1, 2.5],
    "float then int": lambda m: [1.5, 2],
    "np float32 scalars": lambda m: [np.float32(1), np.float32(2)],
    "np int32 scalars": lambda m: [np.int32(1), np.int32(2)],
    "np bools": lambda m: [np.bool_(True), np.bool_(False)],
    "np float64 arrays": lambda m: [np.zeros(2), np.ones(2)],
    "np uint8 arrays": lambda m: [np.zeros((2, 2), np.uint8), np.ones((2, 2), np.uint8)],
    "np int32 arrays": lambda m: [np.zeros(1, np.int32), np.ones(1, np.int32)],
    "np 0-d arrays": lambda m: [np.array(1.0), np.array(2.0)],
    "np str_": lambda m: [np.str_("a"), np.str_("b")],
    "strings": lambda m: ["a", "b"],
    "bytes": lambda m: [b"a", b"b"],
    "tuples": lambda m: [(1, 2.0, "a"), (3, 4.0, "b")],
    "lists": lambda m: [[1, 2], [3, 4]],
    "dicts": lambda m: [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}],
    "ordered dicts": lambda m: [collections.OrderedDict(a=1.5), collections.OrderedDict(a=2.5)],
    "namedtuples": lambda m: [Point(1, 2.0), Point(3, 4.0)],
    "tensors": lambda m: [m.zeros(2, 3), m.ones(2, 3)],
    "int tensors": lambda m: [m.tensor(1), m.tensor(2)],
    "float64 tensors": lambda m: [m.zeros(2, dtype=m.float64), m.ones(2, dtype=m.float64)],
    "nested": lambda m: [{"a": (1, [2.0, m.ones(2)])}, {"a": (4, [5.0, m.zeros(2)])}],
    "tuple of tuples": lambda m: [((1, 2), 3), ((4, 5), 6)],
    "numpy batch": lambda m: np.array([1.5, 2.5]),
}


@pytest.mark.parametrize("name", sorted(COLLATE))
def test_default_collate_agrees(name):
    same(lambda m: plain(D(m).default_collate(COLLATE[name](m))))


CONVERT = {
    "array": lambda m: np.zeros(2),
    "tuple": lambda m: (np.zeros(2), 1, "a"),
    "list": lambda m: [np.arange(2), 1.5],
    "dict": lambda m: {"a": np.zeros(1, np.float32), "b": 2},
    "namedtuple": lambda m: Point(np.zeros(1), 2),
    "numpy scalar": lambda m: np.float32(1),
    "string": lambda m: "abc",
    "int": lambda m: 3,
    "string array": lambda m: np.array(["a"]),
    "tensor": lambda m: m.ones(2),
}


@pytest.mark.parametrize("name", sorted(CONVERT))
def test_default_convert_agrees(name):
    same(lambda m: plain(D(m).default_convert(CONVERT[name](m))))


def test_collating_tensors_that_require_grad_agrees():
    def run(m):
        w = m.ones(2, requires_grad=True)
        out = D(m).default_collate([w * 2, m.zeros(2)])
        out.sum().backward()
        return plain(out.detach()), w.grad.tolist()
    same(run)


# --- DataLoader batches ---------------------------------------------------------------------

def _tensor_ds(m, n=10):
    return D(m).TensorDataset(m.arange(n * 2, dtype=m.float32).reshape(n, 2), m.arange(n))


def _records(m):
    class Records(D(m).Dataset):
        def __len__(self):
            return 7

        def __getitem__(self, i):
            return {"x": m.full((3,), float(i)), "index": i, "weight": 0.5 * i,
                    "name": f"item{i}", "pair": (np.float32(i), [i, -i]),
                    "point": Point(i, np.arange(2) * i), "flag": i % 2 == 0}
    return Records()


LOADERS = {
    "tensors, batch 1": lambda m: D(m).DataLoader(_tensor_ds(m)),
    "tensors, batch 4": lambda m: D(m).DataLoader(_tensor_ds(m), batch_size=4),
    "tensors, batch 4, drop_last": lambda m: D(m).DataLoader(_tensor_ds(m), 4, drop_last=True),
    "tensors, batch 20": lambda m: D(m).DataLoader(_tensor_ds(m), batch_size=20),
    "tensors, no batching": lambda m: D(m).DataLoader(_tensor_ds(m, 3), batch_size=None),
    "tensors, sampler": lambda m: D(m).DataLoader(_tensor_ds(m), 2, sampler=[9, 1, 3, 3]),
    "tensors, batch_sampler": lambda m: D(m).DataLoader(_tensor_ds(m),
                                                        batch_sampler=[[9, 1], [3], [0, 0, 2]]),
    "records, batch 3": lambda m: D(m).DataLoader(_records(m), batch_size=3),
    "records, batch 3, drop_last": lambda m: D(m).DataLoader(_records(m), 3, drop_last=True),
    "records, no batching": lambda m: D(m).DataLoader(_records(m), batch_size=None),
    "list dataset": lambda m: D(m).DataLoader([1.5, 2.5, 3.5], batch_size=2),
    "string dataset": lambda m: D(m).DataLoader("abc", batch_size=2),
    "subset of tensors": lambda m: D(m).DataLoader(D(m).Subset(_tensor_ds(m), [8, 1, 5]), 2),
    "subset of records": lambda m: D(m).DataLoader(D(m).Subset(_records(m), [6, 0]), 2),
    "concat": lambda m: D(m).DataLoader(_tensor_ds(m, 3) + _tensor_ds(m, 2), batch_size=2),
    "stack": lambda m: D(m).DataLoader(D(m).StackDataset(a=[1, 2, 3], b=["x", "y", "z"]), 2),
    "collate_fn": lambda m: D(m).DataLoader(list(range(5)), batch_size=2, collate_fn=tuple),
    "workers": lambda m: D(m).DataLoader(_tensor_ds(m), batch_size=3, num_workers=2),
}


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_loader_batches_agree(name):
    def run(m):
        loader = LOADERS[name](m)
        return len(loader), [plain(b) for b in loader], len(iter(loader))
    same(run)


def test_loader_attributes_agree():
    def run(m):
        dl = D(m).DataLoader
        a, b = dl(_tensor_ds(m)), dl(_tensor_ds(m), shuffle=True, num_workers=2)
        c = dl([1, 2], batch_size=None)
        return [(x.batch_size, x.drop_last, x.num_workers, x.prefetch_factor, x.timeout,
                 x.pin_memory, x.persistent_workers, type(x.sampler).__name__,
                 type(x.batch_sampler).__name__, x.collate_fn.__name__) for x in (a, b, c)]
    same(run)


def test_shuffled_epochs_behave_alike():
    def run(m):
        g = m.Generator().manual_seed(0)
        loader = D(m).DataLoader(_tensor_ds(m, 11), batch_size=4, shuffle=True, generator=g)
        epochs = [[b[1].tolist() for b in loader] for _ in range(3)]
        sizes = [[len(b) for b in e] for e in epochs]
        flat = [sum(e, []) for e in epochs]
        g.manual_seed(0)
        again = [sum([b[1].tolist() for b in loader], []) for _ in range(3)]
        return (sizes, [sorted(f) == list(range(11)) for f in flat], again == flat,
                len({tuple(f) for f in flat}) > 1)
    same(run)


# --- iterable datasets and workers -------------------------------------------------------

def _streams(m):
    data = D(m)

    class Count(data.IterableDataset):
        def __init__(self, start, end):
            self.start, self.end = start, end

        def __iter__(self):
            return iter(range(self.start, self.end))

    class Sharded(Count):
        def __iter__(self):
            info = data.get_worker_info()
            if info is None:
                return iter(range(self.start, self.end))
            per = int(math.ceil((self.end - self.start) / info.num_workers))
            lo = self.start + info.id * per
            return iter(range(lo, min(lo + per, self.end)))

    class Uneven(data.IterableDataset):
        def __iter__(self):
            wid = data.get_worker_info().id
            return iter(range(wid * 100, wid * 100 + 1 + 3 * wid))

    class WhoAmI(data.Dataset):
        def __len__(self):
            return 7

        def __getitem__(self, i):
            info = data.get_worker_info()
            return (i, info.id, info.num_workers)

    return Count, Sharded, Uneven, WhoAmI


def _configure_copy(worker_id):
    """PyTorch's documented worker_init_fn: each worker reads its share of its copy."""
    info = (torch.utils.data.get_worker_info() or tinyflow.utils.data.get_worker_info())
    ds = info.dataset
    per = int(math.ceil((ds.end - ds.start) / info.num_workers))
    ds.start = ds.start + worker_id * per
    ds.end = min(ds.start + per, ds.end)


STREAMS = {
    "count": lambda m, C, S, U, W: D(m).DataLoader(C(3, 8), batch_size=2),
    "count, drop_last": lambda m, C, S, U, W: D(m).DataLoader(C(3, 8), 2, drop_last=True),
    "count, no batching": lambda m, C, S, U, W: D(m).DataLoader(C(3, 6), batch_size=None),
    "count, 2 workers": lambda m, C, S, U, W: D(m).DataLoader(C(0, 5), 2, num_workers=2),
    "count, 2 workers, drop_last": lambda m, C, S, U, W: D(m).DataLoader(
        C(0, 5), 2, num_workers=2, drop_last=True),
    "sharded, 2 workers": lambda m, C, S, U, W: D(m).DataLoader(S(3, 7), num_workers=2),
    "sharded, 3 workers": lambda m, C, S, U, W: D(m).DataLoader(S(3, 10), 2, num_workers=3),
    "init_fn shards": lambda m, C, S, U, W: D(m).DataLoader(C(3, 7), num_workers=2,
                                                            worker_init_fn=_configure_copy),
    "uneven workers": lambda m, C, S, U, W: D(m).DataLoader(U(), batch_size=2, num_workers=3),
    "uneven, no batching": lambda m, C, S, U, W: D(m).DataLoader(U(), batch_size=None,
                                                                 num_workers=3),
    "map-style workers": lambda m, C, S, U, W: D(m).DataLoader(W(), batch_size=2, num_workers=2),
    "map-style workers, no batching": lambda m, C, S, U, W: D(m).DataLoader(
        W(), batch_size=None, num_workers=3),
    "persistent workers": lambda m, C, S, U, W: D(m).DataLoader(
        W(), batch_size=3, num_workers=2, persistent_workers=True),
}


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_iterable_datasets_and_workers_agree(name):
    def run(m):
        loader = STREAMS[name](m, *_streams(m))
        return [[plain(b) for b in loader] for _ in range(2)]
    same(run)


def test_worker_init_fn_and_worker_info_agree():
    def run(m):
        calls = []          # in PyTorch the calls happen in the workers: report via batches

        class Report(D(m).Dataset):
            def __len__(self):
                return 4

            def __getitem__(self, i):
                info = D(m).get_worker_info()
                return [i, info.id, info.num_workers, int(info.seed - self.base),
                        type(info.dataset).__name__, info.dataset is not self]

        ds = Report()
        ds.base = 0

        def init(wid):
            info = D(m).get_worker_info()
            info.dataset.base = info.seed - wid       # the worker's seed is base_seed + id
        loader = D(m).DataLoader(ds, batch_size=None, num_workers=2, worker_init_fn=init)
        calls.append(D(m).get_worker_info())
        return [plain(b) for b in loader], calls
    same(run)


def test_lengths_agree():
    def run(m):
        C, _, _, _ = _streams(m)

        class Sized(C):
            def __len__(self):
                return self.end - self.start
        data = D(m)
        loaders = [data.DataLoader(Sized(0, 7), batch_size=b, drop_last=d)
                   for b in (1, 2, 3, 7, 8) for d in (False, True)]
        loaders += [data.DataLoader(Sized(0, 7), batch_size=None)]
        loaders += [data.DataLoader(_tensor_ds(m, n), batch_size=b, drop_last=d)
                    for n in (1, 9, 10) for b in (1, 3, 10, 11) for d in (False, True)]
        samplers = [data.RandomSampler(range(5), num_samples=12),
                    data.RandomSampler(range(5), replacement=True, num_samples=3),
                    data.RandomSampler(range(5)), data.SequentialSampler(range(4)),
                    data.SubsetRandomSampler([4, 2]), data.WeightedRandomSampler([1, 2], 9)]
        out = [len(x) for x in loaders + samplers]
        out += [len(list(s)) for s in samplers]
        out += [sorted(set(data.RandomSampler(range(5), num_samples=12))) == list(range(5))]
        out += [len(data.DataLoader(range(10), sampler=s, batch_size=4)) for s in samplers]
        return out
    same(run)


def test_samplers_agree_where_not_random():
    def run(m):
        data = D(m)
        return [list(data.SequentialSampler("abcd")),
                list(data.BatchSampler(data.SequentialSampler(range(10)), 3, False)),
                list(data.BatchSampler(range(10), 3, True)),
                list(data.BatchSampler([5, 1], 4, False)),
                len(data.BatchSampler(range(10), 3, False)),
                sorted(data.SubsetRandomSampler([7, 3, 5])),
                [type(i).__name__ for i in data.RandomSampler(range(3))],
                list(data.WeightedRandomSampler([0.0, 0.0, 1.0], 4)),
                sorted(data.WeightedRandomSampler([1.0, 2.0, 3.0], 3, replacement=False)),
                list(data.WeightedRandomSampler([1.0, 0.0, 0.0], 2, replacement=False)),
                plain(data.WeightedRandomSampler([1, 2], 2).weights),
                list(data.DistributedSampler(range(10), num_replicas=4, rank=2, shuffle=False)),
                len(data.DistributedSampler(range(10), 4, 0, drop_last=True))]
    same(run)


# --- datasets and random_split ---------------------------------------------------------------

def test_datasets_agree():
    def run(m):
        data = D(m)
        C, _, _, _ = _streams(m)
        cat = data.ConcatDataset([range(3), [10, 11, 12, 13]])
        sub = data.Subset(list("abcdef"), [4, 0, 2])
        ds = data.TensorDataset(m.arange(6).reshape(3, 2), m.tensor([1.5, 2.5, 3.5]))
        return [len(cat), cat.cumulative_sizes, [cat[i] for i in range(-7, 7)],
                len(sub), sub[0], sub[-1], sub.indices, sub.__getitems__([0, 2]),
                len(ds), plain(ds[1]), plain(ds[1:]), plain(ds[[0, 2]]),
                list(C(0, 2) + C(5, 7)), type(C(0, 1) + C(0, 1)).__name__,
                type(ds + ds).__name__, len(ds + ds),
                data.StackDataset(["a", "b"], [1, 2])[1],
                data.StackDataset(x=["a", "b"], y=[1, 2])[0],
                bool(data.Dataset()), bool(C(0, 0)), bool(data.Subset(ds, [])), bool(ds)]
    same(run)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 10, 11, 100])
def test_random_split_lengths_agree(n):
    fractions = [[1.0], [0.5, 0.5], [0.33, 0.33, 0.34], [0.1, 0.9], [0.25] * 4, [0.7, 0.2, 0.1],
                 [1 / 3] * 3, [0.05] * 20, [1, 0], [0, 1]]

    def run(m):
        out = []
        for f in fractions:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    parts = D(m).random_split(range(n), f)
                except ValueError:              # [0.05] * 20 sums to 1.0000000000000002
                    out.append("ValueError")
                    continue
            idx = sorted(i for p in parts for i in p.indices)
            out.append(([len(p) for p in parts], idx == list(range(n)),
                        [str(w.message) for w in caught], [type(p).__name__ for p in parts]))
        return out
    same(run)


def test_random_split_with_a_generator_behaves_alike():
    def run(m):
        def split(seed):
            g = m.Generator().manual_seed(seed)
            return [list(p.indices) for p in D(m).random_split(range(30), [20, 10], g)]
        a = split(0)
        return a == split(0), a != split(1), [len(p) for p in a], sorted(sum(a, [])) == \
            list(range(30))
    same(run)


def test_generator_api_agrees():
    def run(m):
        g = m.Generator()
        out = [g.initial_seed(), g.manual_seed(3) is g, g.initial_seed(),
               g.manual_seed(-1).initial_seed(), g.manual_seed(2 ** 64 - 1).initial_seed(),
               str(g.device)]
        s = g.seed()
        out += [type(s).__name__, s == g.initial_seed()]
        state = g.get_state()
        out += [str(state.dtype).replace("torch.", "").replace("tinyflow.", ""), g.set_state(state) is g]
        m.manual_seed(11)
        out += [m.initial_seed()]
        return out
    same(run)


# --- errors: the same type as PyTorch ---------------------------------------------------------

def _dl(m, **kw):
    return D(m).DataLoader(_tensor_ds(m), **kw)


ERRORS = {
    "batch_size=0": lambda m: _dl(m, batch_size=0),
    "batch_size=-1": lambda m: _dl(m, batch_size=-1),
    "batch_size=2.0": lambda m: _dl(m, batch_size=2.0),
    "batch_size=True": lambda m: _dl(m, batch_size=True),
    "batch_size='2'": lambda m: _dl(m, batch_size="2"),
    "batch_size=np.int64": lambda m: _dl(m, batch_size=np.int64(2)),
    "batch_size=None, drop_last": lambda m: _dl(m, batch_size=None, drop_last=True),
    "drop_last=1": lambda m: _dl(m, drop_last=1),
    "sampler and shuffle": lambda m: _dl(m, sampler=[0], shuffle=True),
    "batch_sampler and batch_size": lambda m: _dl(m, batch_sampler=[[0]], batch_size=2),
    "batch_sampler and shuffle": lambda m: _dl(m, batch_sampler=[[0]], shuffle=True),
    "batch_sampler and sampler": lambda m: _dl(m, batch_sampler=[[0]], sampler=[0]),
    "batch_sampler and drop_last": lambda m: _dl(m, batch_sampler=[[0]], drop_last=True),
    "num_workers=-1": lambda m: _dl(m, num_workers=-1),
    "num_workers='2'": lambda m: _dl(m, num_workers="2"),
    "timeout=-1": lambda m: _dl(m, timeout=-1),
    "prefetch_factor without workers": lambda m: _dl(m, prefetch_factor=2),
    "prefetch_factor=-1": lambda m: _dl(m, num_workers=1, prefetch_factor=-1),
    "persistent_workers without workers": lambda m: _dl(m, persistent_workers=True),
    "multiprocessing_context without workers": lambda m: _dl(m, multiprocessing_context="fork"),
    "multiprocessing_context='bogus'": lambda m: _dl(m, num_workers=1,
                                                     multiprocessing_context="bogus"),
    "multiprocessing_context=3": lambda m: _dl(m, num_workers=1, multiprocessing_context=3),
    "generator=5": lambda m: list(_dl(m, shuffle=True, generator=5)),
    "sampler=3": lambda m: list(_dl(m, sampler=3)),
    "collate_fn=3": lambda m: list(_dl(m, collate_fn=3)),
    "set batch_size": lambda m: setattr(_dl(m), "batch_size", 2),
    "set dataset": lambda m: setattr(_dl(m), "dataset", None),
    "None dataset": lambda m: list(D(m).DataLoader(None)),
    "len of a None dataset": lambda m: len(D(m).DataLoader(None)),
    "generator dataset": lambda m: list(D(m).DataLoader(i for i in range(3))),
    "iterable + shuffle": lambda m: D(m).DataLoader(_streams(m)[0](0, 3), shuffle=True),
    "iterable + sampler": lambda m: D(m).DataLoader(_streams(m)[0](0, 3), sampler=[0]),
    "iterable + batch_sampler": lambda m: D(m).DataLoader(_streams(m)[0](0, 3),
                                                          batch_sampler=[[0]]),
    "len of an unsized iterable": lambda m: len(D(m).DataLoader(_streams(m)[0](0, 3))),
    "len of a Dataset": lambda m: len(D(m).Dataset()),
    "getitem of a Dataset": lambda m: D(m).Dataset()[0],
    "IterableDataset()": lambda m: D(m).IterableDataset(),
    "collate sizes": lambda m: D(m).default_collate([m.zeros(3), m.ones(2)]),
    "collate dims": lambda m: D(m).default_collate([np.zeros(3), np.ones((3, 1))]),
    "collate lists": lambda m: D(m).default_collate([[1, 2], [3]]),
    "collate None": lambda m: D(m).default_collate([None, None]),
    "collate object": lambda m: D(m).default_collate([object()]),
    "collate string arrays": lambda m: D(m).default_collate([np.array(["a"])]),
    "collate missing key": lambda m: D(m).default_collate([{"a": 1, "b": 2}, {"a": 2}]),
    "collate empty": lambda m: D(m).default_collate([]),
    "collate int and str": lambda m: D(m).default_collate([1, "a"]),
    "collate tensor and float": lambda m: D(m).default_collate([m.zeros(()), 1.0]),
    "collate a tensor": lambda m: D(m).default_collate(m.zeros(3)),
    "TensorDataset sizes": lambda m: D(m).TensorDataset(m.zeros(3), m.zeros(4)),
    "TensorDataset 0-d": lambda m: D(m).TensorDataset(m.tensor(1.0)),
    "ConcatDataset([])": lambda m: D(m).ConcatDataset([]),
    "ConcatDataset(None)": lambda m: D(m).ConcatDataset(None),
    "ConcatDataset of an int": lambda m: D(m).ConcatDataset([5]),
    "ConcatDataset of a stream": lambda m: D(m).ConcatDataset([_streams(m)[0](0, 3)]),
    "ConcatDataset index": lambda m: D(m).ConcatDataset([range(3)])[5],
    "ConcatDataset negative index": lambda m: D(m).ConcatDataset([range(3)])[-5],
    "ChainDataset of a list": lambda m: list(D(m).ChainDataset([range(3)])),
    "StackDataset sizes": lambda m: D(m).StackDataset([1], [1, 2]),
    "StackDataset()": lambda m: D(m).StackDataset(),
    "StackDataset args and kwargs": lambda m: D(m).StackDataset([1], b=[2]),
    "Subset overriding __getitem__": lambda m: type("S", (D(m).Subset,), {
        "__getitem__": lambda self, i: i})([1], [0]),
    "RandomSampler replacement=1": lambda m: D(m).RandomSampler(range(3), replacement=1),
    "RandomSampler num_samples=0": lambda m: D(m).RandomSampler(range(3), num_samples=0),
    "RandomSampler num_samples=2.0": lambda m: D(m).RandomSampler(range(3), num_samples=2.0),
    "RandomSampler([])": lambda m: D(m).RandomSampler([]),
    "RandomSampler(None)": lambda m: D(m).RandomSampler(None),
    "RandomSampler generator=3": lambda m: list(D(m).RandomSampler(range(3), generator=3)),
    "SubsetRandomSampler generator=3": lambda m: list(D(m).SubsetRandomSampler([1],
                                                                              generator=3)),
    "Sampler iter": lambda m: list(D(m).Sampler()),
    "Sampler len": lambda m: len(D(m).Sampler()),
    "Sampler(data)": lambda m: D(m).Sampler([1]),
    "WeightedRandomSampler num_samples=0": lambda m: D(m).WeightedRandomSampler([1, 1], 0),
    "WeightedRandomSampler replacement=1": lambda m: D(m).WeightedRandomSampler([1], 1, 1),
    "WeightedRandomSampler 2-d": lambda m: D(m).WeightedRandomSampler([[1, 1]], 2),
    "WeightedRandomSampler negative": lambda m: list(D(m).WeightedRandomSampler([-1, 1], 2)),
    "WeightedRandomSampler zeros": lambda m: list(D(m).WeightedRandomSampler([0, 0], 2)),
    "WeightedRandomSampler nan": lambda m: list(D(m).WeightedRandomSampler([math.nan, 1], 2)),
    "WeightedRandomSampler inf": lambda m: list(D(m).WeightedRandomSampler([math.inf, 1], 2)),
    "WeightedRandomSampler too many": lambda m: list(D(m).WeightedRandomSampler([1, 1], 3,
                                                                               False)),
    "BatchSampler batch_size=0": lambda m: D(m).BatchSampler(range(3), 0, False),
    "BatchSampler drop_last=None": lambda m: D(m).BatchSampler(range(3), 2, None),
    "BatchSampler without drop_last": lambda m: D(m).BatchSampler(range(3), 2),
    "BatchSampler len of an iterator": lambda m: len(D(m).BatchSampler(iter([1]), 2, False)),
    "random_split sum": lambda m: D(m).random_split(range(10), [5, 4]),
    "random_split fractions": lambda m: D(m).random_split(range(10), [0.5, 0.3]),
    "random_split fraction range": lambda m: D(m).random_split(range(10), [1.5, -0.5]),
    "random_split float counts": lambda m: D(m).random_split(range(10), [7.0, 3.0]),
    "random_split int lengths": lambda m: D(m).random_split(range(10), 5),
    "random_split None": lambda m: D(m).random_split(None, [1]),
    "random_split generator=3": lambda m: D(m).random_split(range(4), [2, 2], generator=3),
    "Generator.manual_seed(1.5)": lambda m: m.Generator().manual_seed(1.5),
    "Generator.manual_seed(True)": lambda m: m.Generator().manual_seed(True),
    "Generator.manual_seed('3')": lambda m: m.Generator().manual_seed("3"),
    "Generator.manual_seed(2**64)": lambda m: m.Generator().manual_seed(2 ** 64),
    "Generator.manual_seed(-2**63-1)": lambda m: m.Generator().manual_seed(-2 ** 63 - 1),
    "Generator.set_state(None)": lambda m: m.Generator().set_state(None),
    "Generator.set_state(list)": lambda m: m.Generator().set_state([1, 2]),
    "Generator.set_state(short)": lambda m: m.Generator().set_state(
        m.zeros(3, dtype=m.uint8)),
    "Generator.set_state(floats)": lambda m: m.Generator().set_state(m.zeros(3)),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error_types_agree(name):
    def run(m):
        try:
            ERRORS[name](m)
        except Exception as e:          # noqa: BLE001 -- which one is the point
            return e
        return None
    ref, got = both(run)
    assert ref is not None, f"PyTorch accepts {name}: not an error case"
    assert got is not None, f"tinyflow accepts {name}; PyTorch raises {type(ref).__name__}: {ref}"
    assert isinstance(got, type(ref)), (f"{name}: tinyflow raises {type(got).__name__} ({got}), "
                                        f"PyTorch {type(ref).__name__} ({ref})")


def test_pin_memory_warns_alike():
    def run(m):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            list(_dl(m, pin_memory=True, batch_size=5))
        return [(w.category.__name__, str(w.message)) for w in caught]
    same(run)

"""tinyflow.utils.data (PyTorch's torch.utils.data) and tinyflow.Generator: behaviour
with tinyflow alone. The comparisons with real PyTorch are in test_torch_data_vs_torch.py."""
import collections
import itertools
import math
import multiprocessing
import warnings

import numpy as np
import pytest

import tinyflow
import tinyflow as torch                    # the promise: a PyTorch program, imports swapped
from tinyflow.eager.tensor import Tensor
from tinyflow.utils.data import (BatchSampler, ChainDataset, ConcatDataset, DataLoader, Dataset,
                                 IterableDataset, RandomSampler, Sampler, SequentialSampler,
                                 StackDataset, Subset, SubsetRandomSampler, TensorDataset,
                                 WeightedRandomSampler, default_collate, default_convert,
                                 get_worker_info, random_split)

Point = collections.namedtuple("Point", "x y")


def _ds(n=10):
    return TensorDataset(torch.arange(n * 2, dtype=torch.float32).reshape(n, 2), torch.arange(n))


def _labels(loader):
    return [b[1].tolist() for b in loader]


def _flat(loader):
    return list(itertools.chain.from_iterable(_labels(loader)))


class Squares(Dataset):
    def __init__(self, n=5):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return {"x": np.full(3, i, np.float32), "y": i * i, "w": 0.5 * i, "name": f"s{i}"}


class Count(IterableDataset):
    def __init__(self, start, end=None):
        self.start, self.end = (0, start) if end is None else (start, end)

    def __iter__(self):
        return iter(range(self.start, self.end))


class Sharded(Count):
    """PyTorch's documented way to split a stream between workers."""

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.start, self.end))
        per = int(math.ceil((self.end - self.start) / info.num_workers))
        lo = self.start + info.id * per
        return iter(range(lo, min(lo + per, self.end)))


# --- the import paths ---------------------------------------------------------------------

def test_utils_data_is_an_import_path_and_an_attribute_path():
    import tinyflow.utils.data as tud
    from tinyflow.utils.data.dataloader import default_collate as dc
    from tinyflow.utils.data.dataset import Subset as S
    from tinyflow.utils.data.distributed import DistributedSampler
    from tinyflow.utils.data.sampler import SubsetRandomSampler as SRS
    assert torch.utils.data is tud and torch.utils.data.DataLoader is DataLoader
    assert tud.DataLoader is tinyflow.data.DataLoader and dc is default_collate
    assert S is Subset and SRS is SubsetRandomSampler
    assert DistributedSampler is tinyflow.data.DistributedSampler
    for name in tud.__all__:
        assert getattr(tud, name) is getattr(tinyflow.data, name)


# --- Generator ----------------------------------------------------------------------------

def test_generator_seeding_and_state():
    g = torch.Generator()
    assert g.initial_seed() == 67280421310721 and g.device == "cpu"
    assert g.manual_seed(5) is g and g.initial_seed() == 5
    a = g.numpy_generator().permutation(20)
    state = g.get_state()
    assert state.dtype == np.uint8
    b = g.numpy_generator().permutation(20)
    assert g.set_state(state) is g
    np.testing.assert_array_equal(g.numpy_generator().permutation(20), b)
    np.testing.assert_array_equal(torch.Generator().manual_seed(5).numpy_generator()
                                  .permutation(20), a)
    s = g.seed()
    assert isinstance(s, int) and g.initial_seed() == s and 0 <= s < 2 ** 64
    assert g.manual_seed(-1).initial_seed() == 2 ** 64 - 1


@pytest.mark.parametrize("call, error, match", [
    (lambda g: g.manual_seed(1.5), RuntimeError, "int seed, got float"),
    (lambda g: g.manual_seed(True), RuntimeError, "int seed, got bool"),
    (lambda g: g.manual_seed("3"), RuntimeError, "int seed, got str"),
    (lambda g: g.manual_seed(2 ** 64), ValueError, "out of range"),
    (lambda g: g.set_state([1, 2]), TypeError, "uint8 array.*got list"),
    (lambda g: g.set_state(np.zeros(56)), TypeError, "got an array of float64"),
    (lambda g: g.set_state(np.zeros(3, np.uint8)), RuntimeError, "56 bytes.*got 3"),
    (lambda g: torch.Generator("cuda"), RuntimeError, "CPU only"),
])
def test_generator_rejects_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call(torch.Generator())


def test_default_generator_is_the_global_stream():
    torch.manual_seed(3)
    assert torch.initial_seed() == 3 and torch.default_generator.initial_seed() == 3
    a = torch.randn(3)
    torch.default_generator.manual_seed(3)
    np.testing.assert_array_equal(torch.randn(3).numpy(), a.numpy())
    state = torch.default_generator.get_state()
    b = torch.randn(4)
    torch.default_generator.set_state(state)
    np.testing.assert_array_equal(torch.randn(4).numpy(), b.numpy())


# --- DataLoader ---------------------------------------------------------------------------

def test_loader_defaults_are_pytorchs():
    loader = DataLoader(_ds())
    assert loader.batch_size == 1 and loader.drop_last is False and loader.num_workers == 0
    assert loader.collate_fn is default_collate and loader.generator is None
    assert type(loader.sampler) is SequentialSampler
    assert type(loader.batch_sampler) is BatchSampler
    assert loader.prefetch_factor is None and loader.timeout == 0
    assert loader.pin_memory is False and loader.persistent_workers is False
    assert type(DataLoader(_ds(), shuffle=True).sampler) is RandomSampler
    assert DataLoader(_ds(), num_workers=2).prefetch_factor == 2
    assert len(loader) == 10 and len(list(loader)) == 10
    first = next(iter(loader))
    assert isinstance(first, list) and first[0].shape == (1, 2) and first[1].tolist() == [0]


def test_loader_batches_in_order():
    assert _labels(DataLoader(_ds(), batch_size=4)) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert _labels(DataLoader(_ds(), batch_size=4, drop_last=True)) == [[0, 1, 2, 3],
                                                                        [4, 5, 6, 7]]
    assert len(DataLoader(_ds(), batch_size=4)) == 3
    assert len(DataLoader(_ds(), batch_size=4, drop_last=True)) == 2
    it = iter(DataLoader(_ds(), batch_size=3))
    assert len(it) == 4
    x, y = next(it)
    assert x.dtype == np.float32 and y.dtype == np.int64 and x.shape == (3, 2)


def test_loader_fast_path_agrees_with_sample_by_sample_collation():
    class Rows(Dataset):                      # the same data, without get_batch
        def __init__(self, ds):
            self.ds = ds

        def __len__(self):
            return len(self.ds)

        def __getitem__(self, i):
            return self.ds[i]

    ds = _ds(7)
    for kw in ({"batch_size": 3}, {"batch_size": 2, "drop_last": True},
               {"sampler": [6, 0, 3], "batch_size": 2}):
        fast, slow = list(DataLoader(ds, **kw)), list(DataLoader(Rows(ds), **kw))
        assert len(fast) == len(slow)
        for a, b in zip(fast, slow):
            assert type(a) is type(b) is list
            for ta, tb in zip(a, b):
                assert ta.dtype == tb.dtype and ta.tolist() == tb.tolist()


def test_loader_collates_any_dataset_as_pytorch():
    batch = next(iter(DataLoader(Squares(), batch_size=4)))
    assert batch["x"].shape == (4, 3) and batch["x"].dtype == np.float32
    assert batch["y"].tolist() == [0, 1, 4, 9] and batch["y"].dtype == np.int64
    assert batch["w"].dtype == np.float64 and batch["w"].tolist() == [0.0, 0.5, 1.0, 1.5]
    assert batch["name"] == ["s0", "s1", "s2", "s3"]
    assert [len(b["y"]) for b in DataLoader(Squares(), batch_size=4)] == [4, 1]


def test_loader_uses_getitems_when_the_dataset_has_it():
    calls = []

    class Batched(Squares):
        def __getitems__(self, indices):
            calls.append(list(indices))
            return [self[i] for i in indices]

    list(DataLoader(Batched(), batch_size=3))
    assert calls == [[0, 1, 2], [3, 4]]


def test_loader_shuffles_reproducibly_with_a_generator():
    def epochs(g, n=2):
        loader = DataLoader(_ds(12), batch_size=5, shuffle=True, generator=g)
        return [_flat(loader) for _ in range(n)]

    a = epochs(torch.Generator().manual_seed(1))
    torch.randn(100)                              # draws from the global stream change nothing
    b = epochs(torch.Generator().manual_seed(1))
    assert a == b
    assert sorted(a[0]) == list(range(12)) and a[0] != a[1] and a[0] != list(range(12))
    assert epochs(torch.Generator().manual_seed(2)) != a


def test_loader_without_a_generator_follows_manual_seed():
    torch.manual_seed(7)
    a = _flat(DataLoader(_ds(12), batch_size=5, shuffle=True))
    torch.manual_seed(7)
    assert _flat(DataLoader(_ds(12), batch_size=5, shuffle=True)) == a
    torch.manual_seed(8)
    assert _flat(DataLoader(_ds(12), batch_size=5, shuffle=True)) != a


def test_loader_seed_is_shorthand_for_a_seeded_generator():
    a = _flat(DataLoader(_ds(12), batch_size=5, shuffle=True, seed=4))
    g = torch.Generator().manual_seed(4)
    assert _flat(DataLoader(_ds(12), batch_size=5, shuffle=True, generator=g)) == a
    with pytest.raises(ValueError, match="generator or a seed, not both"):
        DataLoader(_ds(), shuffle=True, seed=1, generator=g)


def test_loader_sampler_batch_sampler_and_no_batching():
    assert _labels(DataLoader(_ds(), batch_size=2, sampler=[9, 1, 3])) == [[9, 1], [3]]
    assert _labels(DataLoader(_ds(), batch_sampler=[[9, 1], [3]])) == [[9, 1], [3]]
    assert len(DataLoader(_ds(), batch_sampler=[[9, 1], [3]])) == 2
    samples = list(DataLoader([np.arange(2), np.arange(3)], batch_size=None))
    assert [s.tolist() for s in samples] == [[0, 1], [0, 1, 2]]
    loader = DataLoader(["a", "b", "c"], batch_size=None)
    assert list(loader) == ["a", "b", "c"] and len(loader) == 3
    assert loader.collate_fn is default_convert and loader.batch_sampler is None
    seen = []
    out = list(DataLoader(list(range(5)), batch_size=2, collate_fn=lambda b: seen.append(b) or 0))
    assert seen == [[0, 1], [2, 3], [4]] and out == [0, 0, 0]


def test_loader_reads_an_endless_sampler_lazily():
    class Forever(Sampler):
        def __iter__(self):
            return itertools.count()

    loader = DataLoader(list(range(100)), batch_size=4, sampler=Forever())
    assert [b.tolist() for b in itertools.islice(loader, 3)] == [[0, 1, 2, 3], [4, 5, 6, 7],
                                                                 [8, 9, 10, 11]]
    with pytest.raises(TypeError):
        len(loader)


class _Endless(IterableDataset):
    def __iter__(self):
        return itertools.count()


def test_loader_over_an_iterable_dataset():
    assert [b.tolist() for b in DataLoader(Count(5), batch_size=2)] == [[0, 1], [2, 3], [4]]
    assert [b.tolist() for b in DataLoader(Count(5), batch_size=2, drop_last=True)] == [[0, 1],
                                                                                      [2, 3]]
    assert list(DataLoader(Count(3), batch_size=None)) == [0, 1, 2]
    first = list(itertools.islice(DataLoader(_Endless(), batch_size=3), 2))
    assert [b.tolist() for b in first] == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(TypeError, match="has no len"):
        len(DataLoader(Count(5)))

    class Sized(Count):
        def __len__(self):
            return self.end - self.start

    assert len(DataLoader(Sized(5), batch_size=2)) == 3
    assert len(DataLoader(Sized(5), batch_size=2, drop_last=True)) == 2
    assert len(DataLoader(Sized(5), batch_size=None)) == 5

    class Liar(Count):
        def __len__(self):
            return 2

    loader = DataLoader(Liar(4))
    assert len(loader) == 2
    with pytest.warns(UserWarning, match="was reported to be 2"):
        assert len(list(loader)) == 4


def test_workers_run_in_process_in_pytorchs_order():
    calls = []

    def init(worker_id):
        info = get_worker_info()
        calls.append((worker_id, info.id, info.num_workers, info.dataset is not loader.dataset))

    loader = DataLoader(_ds(), batch_size=3, num_workers=2, worker_init_fn=init)
    assert _labels(loader) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert calls == [(0, 0, 2, True), (1, 1, 2, True)]
    _labels(loader)
    assert len(calls) == 4                        # new workers every epoch...
    calls.clear()
    persistent = DataLoader(_ds(), batch_size=3, num_workers=2, worker_init_fn=init,
                            persistent_workers=True)
    loader = persistent
    assert _labels(persistent) == _labels(persistent) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert [c[0] for c in calls] == [0, 1]        # ...unless they persist
    assert get_worker_info() is None


def test_worker_info_inside_getitem_and_batches_alternate_between_workers():
    class WhoAmI(Dataset):
        def __len__(self):
            return 6

        def __getitem__(self, i):
            return get_worker_info().id

    assert [b.tolist() for b in DataLoader(WhoAmI(), batch_size=2, num_workers=2)] == \
        [[0, 0], [1, 1], [0, 0]]
    assert list(DataLoader(WhoAmI(), batch_size=None, num_workers=3)) == [0, 1, 2, 0, 1, 2]


def test_workers_on_an_iterable_dataset_copy_it_unless_it_shards():
    plain = [b.tolist() for b in DataLoader(Count(3), num_workers=2)]
    assert plain == [[0], [0], [1], [1], [2], [2]]            # each worker reads it all
    assert [b.tolist() for b in DataLoader(Sharded(3, 7), num_workers=2)] == [[3], [5], [4], [6]]
    assert [b.tolist() for b in DataLoader(Sharded(3, 10), num_workers=3, batch_size=2)] == \
        [[3, 4], [6, 7], [9], [5], [8]]

    class Uneven(IterableDataset):              # worker w yields 1 + 3w samples
        def __iter__(self):
            w = get_worker_info().id
            return iter(range(100 * w, 100 * w + 1 + 3 * w))

    assert [b.tolist() for b in DataLoader(Uneven(), batch_size=2, num_workers=3)] == \
        [[0], [100, 101], [200, 201], [102, 103], [202, 203], [204, 205], [206]]

    def init(worker_id):                       # PyTorch's second recipe: configure the copy
        ds = get_worker_info().dataset
        per = int(math.ceil((7 - 3) / get_worker_info().num_workers))
        ds.start = 3 + worker_id * per
        ds.end = min(ds.start + per, 7)

    ds = Count(3, 7)
    assert [b.tolist() for b in DataLoader(ds, num_workers=2, worker_init_fn=init)] == \
        [[3], [5], [4], [6]]
    assert (ds.start, ds.end) == (3, 7)         # the workers changed their copies only


def test_worker_seeds_follow_the_loaders_generator():
    def record(loader):
        seen = []

        class Noisy(Dataset):
            def __len__(self):
                return 4

            def __getitem__(self, i):
                seen.append((get_worker_info().seed, torch.initial_seed()))
                return torch.rand(1)

        loader = DataLoader(Noisy(), num_workers=2, batch_size=1,
                            generator=torch.Generator().manual_seed(loader))
        return [b.item() for b in loader], seen

    a, seeds = record(0)
    assert record(0) == (a, seeds) and record(1)[0] != a
    assert seeds[1][0] == seeds[0][0] + 1 and all(s == t for s, t in seeds)
    torch.manual_seed(5)
    before = torch.initial_seed()
    record(0)
    assert torch.initial_seed() == before == 5    # the main stream is the main stream again


def test_workerinfo_is_read_only():
    seen = []

    def init(worker_id):
        with pytest.raises(RuntimeError, match="Cannot assign attributes"):
            get_worker_info().id = 3
        seen.append(repr(get_worker_info()))

    list(DataLoader(_ds(4), num_workers=1, worker_init_fn=init))
    assert seen and seen[0].startswith("WorkerInfo(id=0, num_workers=1, seed=")


def test_pin_memory_warns_as_pytorch_on_a_cpu():
    with pytest.warns(UserWarning, match="'pin_memory' argument is set as true"):
        assert len(list(DataLoader(_ds(4), pin_memory=True))) == 4


def test_multiprocessing_context():
    method = multiprocessing.get_all_start_methods()[0]
    loader = DataLoader(_ds(), num_workers=1, multiprocessing_context=method)
    assert isinstance(loader.multiprocessing_context, multiprocessing.context.BaseContext)
    with pytest.raises(ValueError, match="valid start method"):
        DataLoader(_ds(), num_workers=1, multiprocessing_context="bogus")
    with pytest.raises(TypeError, match="multiprocessing_context option should be a valid"):
        DataLoader(_ds(), num_workers=1, multiprocessing_context=3)
    with pytest.raises(ValueError, match="num_workers > 0"):
        DataLoader(_ds(), multiprocessing_context=method)


BAD_LOADERS = [
    (dict(batch_size=0), ValueError, "batch_size should be a positive integer value"),
    (dict(batch_size=-2), ValueError, "batch_size=-2"),
    (dict(batch_size=2.0), ValueError, "batch_size=2.0"),
    (dict(batch_size=np.int64(2)), ValueError, "batch_size"),
    (dict(batch_size=True), ValueError, "batch_size=True"),
    (dict(batch_size=None, drop_last=True), ValueError, "batch_size=None.*drop_last"),
    (dict(drop_last=1), ValueError, "drop_last should be a boolean value"),
    (dict(sampler=[0, 1], shuffle=True), ValueError, "sampler option is mutually exclusive "
                                                      "with shuffle"),
    (dict(batch_sampler=[[0]], batch_size=2), ValueError, "batch_sampler option is mutually"),
    (dict(batch_sampler=[[0]], shuffle=True), ValueError, "batch_sampler .*shuffle"),
    (dict(batch_sampler=[[0]], sampler=[0]), ValueError, "batch_sampler .*sampler"),
    (dict(batch_sampler=[[0]], drop_last=True), ValueError, "batch_sampler .*drop_last"),
    (dict(num_workers=-1), ValueError, "num_workers option should be non-negative"),
    (dict(num_workers=1.5), TypeError, "num_workers should be an int, got float"),
    (dict(timeout=-1), ValueError, "timeout option should be non-negative"),
    (dict(timeout="1"), TypeError, "timeout should be a number"),
    (dict(prefetch_factor=2), ValueError, "prefetch_factor option could only be specified"),
    (dict(num_workers=1, prefetch_factor=-1), ValueError, "prefetch_factor option should be "
                                                          "non-negative"),
    (dict(persistent_workers=True), ValueError, "persistent_workers option needs num_workers"),
    (dict(generator=5), TypeError, "generator should be a tinyflow.Generator or None, got int"),
    (dict(generator=np.random.default_rng(0)), TypeError, "got Generator"),
    (dict(sampler=3), TypeError, "sampler should be a Sampler or an iterable"),
    (dict(batch_sampler=3, batch_size=1), TypeError, "batch_sampler should be a Sampler"),
    (dict(collate_fn=3), TypeError, "collate_fn should be a function"),
    (dict(worker_init_fn=3), TypeError, "worker_init_fn should be a function"),
]


@pytest.mark.parametrize("kwargs, error, match", BAD_LOADERS,
                         ids=[",".join(k) for k, _, _ in BAD_LOADERS])
def test_loader_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        DataLoader(_ds(), **kwargs)


def test_loader_rejects_bad_datasets():
    for bad in (None, 5, 2.5):
        with pytest.raises(TypeError, match="DataLoader: dataset should be a Dataset"):
            DataLoader(bad)
    with pytest.raises(TypeError, match="map-style dataset .* got generator"):
        DataLoader(i for i in range(3))

    class NoLen(Dataset):
        def __getitem__(self, i):
            return i

    with pytest.raises(TypeError, match="has no length.*give it __len__, or pass a sampler"):
        DataLoader(NoLen())
    assert [b.tolist() for b in DataLoader(NoLen(), sampler=[4, 2], batch_size=2)] == [[4, 2]]
    with pytest.raises(ValueError, match="IterableDataset: expected unspecified shuffle"):
        DataLoader(Count(3), shuffle=True)
    with pytest.raises(ValueError, match="IterableDataset: expected unspecified sampler"):
        DataLoader(Count(3), sampler=[0])
    with pytest.raises(ValueError, match="IterableDataset: expected unspecified batch_sampler"):
        DataLoader(Count(3), batch_sampler=[[0]])
    DataLoader(Count(3), shuffle=False)         # allowed, as in PyTorch


def test_loader_settings_are_frozen_after_init():
    loader = DataLoader(_ds())
    for attr in ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                 "persistent_workers"):
        with pytest.raises(ValueError, match=f"{attr} attribute should not be set after "
                                             f"DataLoader is initialized"):
            setattr(loader, attr, None)
    loader.num_workers = 0                      # not frozen in PyTorch either


# --- default_collate ----------------------------------------------------------------------

@pytest.mark.parametrize("batch, dtype, values", [
    ([1.0, 2.0], "float64", [1.0, 2.0]),
    ([1, 2], "int64", [1, 2]),
    ([True, False], "bool", [True, False]),
    ([1, 2.5], "float32", [1.0, 2.5]),
    ([np.float32(1), np.float32(2)], "float32", [1.0, 2.0]),
    ([np.int32(1), np.int32(2)], "int32", [1, 2]),
    ([np.zeros(2), np.ones(2)], "float64", [[0.0, 0.0], [1.0, 1.0]]),
    ([np.zeros(1, np.uint8), np.ones(1, np.uint8)], "uint8", [[0], [1]]),
    ([torch.zeros(2), torch.ones(2)], "float32", [[0.0, 0.0], [1.0, 1.0]]),
    ([torch.tensor(1), torch.tensor(2)], "int64", [1, 2]),
])
def test_default_collate_numbers_and_arrays(batch, dtype, values):
    out = default_collate(batch)
    assert isinstance(out, Tensor) and out.dtype == dtype and out.tolist() == values


def test_default_collate_structures():
    assert default_collate(["a", "b"]) == ["a", "b"]
    assert default_collate([b"a", b"b"]) == [b"a", b"b"]
    out = default_collate([(1, 2.0, "a"), (3, 4.0, "b")])
    assert type(out) is list and out[0].tolist() == [1, 3] and out[1].dtype == np.float64
    assert out[2] == ("a", "b")                   # a field of tuples stays a tuple
    out = default_collate([[1, 2], [3, 4]])
    assert type(out) is list and [t.tolist() for t in out] == [[1, 3], [2, 4]]
    out = default_collate([Point(1, 2.0), Point(3, 4.0)])
    assert type(out) is Point and out.x.tolist() == [1, 3] and out.y.dtype == np.float64
    out = default_collate([collections.OrderedDict(a=1, b="x"), collections.OrderedDict(a=2,
                                                                                        b="y")])
    assert type(out) is collections.OrderedDict and out["a"].tolist() == [1, 2]
    assert out["b"] == ["x", "y"]
    out = default_collate([{"a": (1, [2.0, 3.0])}, {"a": (4, [5.0, 6.0])}])
    assert out["a"][0].tolist() == [1, 4] and out["a"][1][1].tolist() == [3.0, 6.0]
    assert default_collate([np.str_("a"), np.str_("b")]) == ["a", "b"]


def test_default_collate_keeps_gradients_flowing():
    w = torch.ones(2, requires_grad=True)
    out = default_collate([w * 2, torch.zeros(2)])
    out.sum().backward()
    assert w.grad.tolist() == [2.0, 2.0]


@pytest.mark.parametrize("batch, error, match", [
    ([torch.zeros(3), torch.ones(2)], RuntimeError, r"stack expects each tensor to be equal "
                                                    r"size, but got \[3\] at entry 0 and \[2\]"),
    ([np.zeros(3), np.ones((3, 1))], RuntimeError, r"\[3\] at entry 0 and \[3, 1\] at entry 1"),
    ([[1, 2], [3]], RuntimeError, "each element in list of batch should be of equal size"),
    ([None, None], TypeError, "batch must contain tensors, numpy arrays, numbers, dicts or "
                              "lists; found <class 'NoneType'>"),
    ([np.array(["a"]), np.array(["b"])], TypeError, "found <U1"),
    ([{"a": 1, "b": 2}, {"a": 2}], KeyError, "b"),
    ([1, "a"], TypeError, "cannot make one tensor"),
    ([torch.zeros(1), 1.0], TypeError, "expected a tensor in every sample, got float"),
    ([], IndexError, "empty"),
    (torch.zeros(3), TypeError, "expected a list of samples, got Tensor"),
])
def test_default_collate_errors(batch, error, match):
    with pytest.raises(error, match=match):
        default_collate(batch)


def test_default_convert():
    assert default_convert(np.zeros(2)).dtype == np.float64
    out = default_convert((np.zeros(2), 1, "a"))
    assert type(out) is list and isinstance(out[0], Tensor) and out[1:] == [1, "a"]
    assert isinstance(default_convert({"a": np.zeros(1)})["a"], Tensor)
    p = default_convert(Point(np.zeros(1), 2))
    assert type(p) is Point and isinstance(p.x, Tensor) and p.y == 2
    assert default_convert("abc") == "abc" and default_convert(3) == 3
    assert default_convert(np.float32(1)).dtype == np.float32
    assert isinstance(default_convert(np.array(["a"])), np.ndarray)


# --- samplers -----------------------------------------------------------------------------

def test_sequential_and_batch_samplers():
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3] and len(SequentialSampler("ab")) == 2
    assert list(BatchSampler(range(10), 3, False)) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert list(BatchSampler(range(10), 3, True)) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert len(BatchSampler(range(10), 3, False)) == 4 and len(BatchSampler(range(10), 3, True)) == 3
    assert list(itertools.islice(BatchSampler(itertools.count(), 2, False), 2)) == [[0, 1], [2, 3]]
    with pytest.raises(NotImplementedError):
        iter(Sampler())
    with pytest.raises(TypeError):
        len(Sampler())


def test_random_sampler():
    g = torch.Generator().manual_seed(0)
    perm = list(RandomSampler(range(10), generator=g))
    assert sorted(perm) == list(range(10)) and all(type(i) is int for i in perm)
    assert list(RandomSampler(range(10), generator=torch.Generator().manual_seed(0))) == perm
    long = list(RandomSampler(range(4), num_samples=10, generator=g))
    assert len(long) == 10 and sorted(long[:8]) == [0, 0, 1, 1, 2, 2, 3, 3]
    draws = list(RandomSampler(range(3), replacement=True, num_samples=100, generator=g))
    assert len(draws) == 100 and set(draws) == {0, 1, 2}
    assert len(RandomSampler(range(3), replacement=True, num_samples=100)) == 100
    for replacement in (False, True):           # lazy: 10**12 indices are never made
        huge = RandomSampler(range(3), replacement=replacement, num_samples=10 ** 12)
        assert len(list(itertools.islice(huge, 7))) == 7
    torch.manual_seed(1)
    a = list(RandomSampler(range(50), replacement=True))
    torch.manual_seed(1)
    assert list(RandomSampler(range(50), replacement=True)) == a


def test_subset_and_weighted_samplers():
    g = torch.Generator().manual_seed(0)
    got = list(SubsetRandomSampler([7, 3, 5], generator=g))
    assert sorted(got) == [3, 5, 7] and len(SubsetRandomSampler([7, 3, 5])) == 3
    draws = list(WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], 200, generator=g))
    assert set(draws) == {1, 3} and 110 < draws.count(3) < 190
    once = list(WeightedRandomSampler([1.0, 0.0, 2.0, 5.0], 4, replacement=False, generator=g))
    assert sorted(once) == [0, 1, 2, 3] and once[-1] == 1        # a zero weight comes last
    w = WeightedRandomSampler([1, 2], 2)
    assert w.weights.dtype == np.float64 and w.weights.tolist() == [1.0, 2.0] and len(w) == 2


@pytest.mark.parametrize("make, error, match", [
    (lambda: RandomSampler(range(3), replacement=1), TypeError, "replacement should be a "
                                                                "boolean value"),
    (lambda: RandomSampler(range(3), num_samples=0), ValueError, "num_samples should be a "
                                                                 "positive integer value"),
    (lambda: RandomSampler([]), ValueError, "num_samples=0"),
    (lambda: RandomSampler(None), TypeError, "data_source should be a dataset"),
    (lambda: RandomSampler(range(3), generator=3), TypeError, "generator should be"),
    (lambda: list(RandomSampler([], num_samples=3)), ValueError, "empty data_source"),
    (lambda: SequentialSampler(None), TypeError, "data_source"),
    (lambda: SubsetRandomSampler(None), TypeError, "indices should be a sequence"),
    (lambda: WeightedRandomSampler([1, 1], 0), ValueError, "num_samples=0"),
    (lambda: WeightedRandomSampler([1, 1], 2.0), ValueError, "num_samples=2.0"),
    (lambda: WeightedRandomSampler([1, 1], 2, replacement=1), ValueError, "replacement"),
    (lambda: WeightedRandomSampler([[1, 1]], 2), ValueError, r"1d sequence .*shape \(1, 2\)"),
    (lambda: WeightedRandomSampler(["a"], 2), ValueError, "1d sequence of numbers"),
    (lambda: WeightedRandomSampler([-1, 1], 2), RuntimeError, "invalid multinomial"),
    (lambda: WeightedRandomSampler([0, 0], 2), RuntimeError, "positive sum"),
    (lambda: WeightedRandomSampler([float("nan"), 1], 2), RuntimeError, "finite"),
    (lambda: WeightedRandomSampler([1, 1], 3, replacement=False), RuntimeError,
     "without replacement"),
    (lambda: BatchSampler(range(3), 0, False), ValueError, "batch_size=0"),
    (lambda: BatchSampler(range(3), 2, None), ValueError, "drop_last should be a boolean"),
    (lambda: BatchSampler(None, 2, False), TypeError, "sampler should be a Sampler"),
])
def test_samplers_reject_bad_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()


# --- datasets -----------------------------------------------------------------------------

def test_tensor_dataset():
    x = torch.arange(6).reshape(3, 2)
    ds = TensorDataset(x, torch.tensor([0, 1, 0]))
    assert ds.tensors[0] is x and len(ds) == 3
    a, b = ds[1]
    assert a.tolist() == [2, 3] and b.item() == 1
    assert [t.tolist() for t in ds[1:]] == [[[2, 3], [4, 5]], [1, 0]]
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(torch.zeros(3), torch.zeros(4))
    with pytest.raises(ValueError, match=r"got shapes \[\(3,\), \(4, 2\)\]"):
        TensorDataset(torch.zeros(3), torch.zeros(4, 2))
    with pytest.raises(IndexError, match="tensor 0 is 0-d"):
        TensorDataset(torch.tensor(1.0))
    w = torch.ones(3, 1, requires_grad=True)
    (TensorDataset(w)[0][0] * 3).sum().backward()
    assert w.grad.tolist() == [[3.0], [0.0], [0.0]]


def test_dataset_base_classes():
    with pytest.raises(TypeError, match="has no len"):
        len(Dataset())
    with pytest.raises(NotImplementedError, match="should implement __getitem__"):
        Dataset()[0]
    with pytest.raises(TypeError, match="abstract"):
        IterableDataset()
    with pytest.raises(TypeError, match="has no len"):
        len(Count(3))
    assert bool(Dataset()) and bool(Count(3)) and not TensorDataset(np.zeros((0, 2)))
    assert _ds(1) and not Subset(_ds(3), [])
    assert isinstance(_ds() + _ds(), ConcatDataset) and len(_ds(3) + _ds(4)) == 7
    chain = Count(2) + Count(3)
    assert isinstance(chain, ChainDataset) and list(chain) == [0, 1, 0, 1, 2]

    class Typed(Dataset[int]):                  # PyTorch's generic spelling
        pass

    class TypedSampler(Sampler[int]):
        pass

    class TypedStream(IterableDataset[int]):
        def __iter__(self):
            return iter([1])

    assert issubclass(Typed, Dataset) and issubclass(TypedSampler, Sampler)
    assert list(TypedStream()) == [1] and Subset[int] is not None


def test_concat_chain_and_stack_datasets():
    both = ConcatDataset([range(3), [10, 11, 12, 13]])
    assert len(both) == 7 and both.cumulative_sizes == [3, 7]
    assert [both[i] for i in (0, 2, 3, 6, -1, -7)] == [0, 2, 10, 13, 13, 0]
    with pytest.raises(IndexError):
        both[7]
    with pytest.raises(ValueError, match="absolute value of index"):
        both[-8]
    with pytest.raises(AssertionError, match="empty iterable"):
        ConcatDataset([])
    with pytest.raises(AssertionError, match="does not support IterableDataset"):
        ConcatDataset([Count(3)])
    with pytest.raises(TypeError, match="expected a list of datasets, got NoneType"):
        ConcatDataset(None)
    with pytest.raises(TypeError, match="dataset should be a Dataset"):
        ConcatDataset([range(2), 5])
    with pytest.raises(AssertionError, match="only supports IterableDataset"):
        list(ChainDataset([range(3)]))
    assert StackDataset(["a", "b"], [1, 2])[1] == ("b", 2)
    assert StackDataset(x=["a", "b"], y=[1, 2])[0] == {"x": "a", "y": 1}
    with pytest.raises(ValueError, match="Size mismatch between datasets"):
        StackDataset([1], [1, 2])
    with pytest.raises(ValueError, match="at least one dataset"):
        StackDataset()


def test_subset():
    s = Subset(list("abcdef"), [4, 0, 2])
    assert s.indices == [4, 0, 2] and len(s) == 3 and s[0] == "e" and s[-1] == "c"
    assert s.__getitems__([0, 1]) == ["e", "a"]
    sub = Subset(_ds(), [7, 2])
    assert _labels(DataLoader(sub, batch_size=2)) == [[7, 2]]
    assert _labels(DataLoader(Subset(sub, [1]), batch_size=2)) == [[2]]
    with pytest.raises(TypeError, match="Subset: dataset should be a Dataset"):
        Subset(None, [1])
    with pytest.raises(TypeError, match="indices should be a sequence"):
        Subset(_ds(), 3)

    class Doubling(Subset):
        def __getitem__(self, i):
            return 2 * super().__getitem__(i)

    with pytest.raises(NotImplementedError, match="overrides __getitem__ but not __getitems__"):
        Doubling([1, 2], [0])

    class DoublingBatches(Doubling):
        def __getitems__(self, indices):
            return [self[i] for i in indices]

    assert [b.tolist() for b in DataLoader(DoublingBatches([1, 2, 3], [2, 0]), batch_size=2)] \
        == [[6, 2]]


# --- random_split -------------------------------------------------------------------------

def test_random_split_lengths_and_fractions():
    ds = _ds(10)
    a, b = random_split(ds, [7, 3], generator=torch.Generator().manual_seed(0))
    assert isinstance(a, Subset) and (len(a), len(b)) == (7, 3)
    assert sorted(list(a.indices) + list(b.indices)) == list(range(10))
    assert [len(p) for p in random_split(ds, [0.33, 0.33, 0.34])] == [4, 3, 3]
    with pytest.warns(UserWarning, match="index 1 is 0"):      # PyTorch reads [1, 0] as fractions
        assert [len(p) for p in random_split(range(10), [1, 0])] == [10, 0]
    assert [len(p) for p in random_split(range(10), np.array([7, 3]))] == [7, 3]
    assert [len(p) for p in random_split(range(10), torch.tensor([6, 4]))] == [6, 4]
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(range(3), [0.9, 0.1])
    assert random_split([], []) == []


def test_random_split_is_reproducible():
    def split(**kw):
        return [p.indices.tolist() for p in random_split(range(20), [0.5, 0.5], **kw)]

    a = split(generator=torch.Generator().manual_seed(3))
    torch.randn(5)
    assert split(generator=torch.Generator().manual_seed(3)) == a == split(seed=3)
    assert split(generator=torch.Generator().manual_seed(4)) != a
    torch.manual_seed(1)
    b = split()
    for gen in (torch.default_generator, None):
        torch.manual_seed(1)
        assert split(generator=gen) == b
    assert split() != b
    with pytest.raises(ValueError, match="generator or a seed, not both"):
        random_split(range(4), [2, 2], generator=torch.Generator(), seed=1)


@pytest.mark.parametrize("dataset, lengths, error, match", [
    (range(10), [5, 4], ValueError, r"Sum of input lengths does not equal.*\[5, 4\] sum to 9"),
    (range(10), [0.5, 0.3], ValueError, r"fractions should sum to 1, got \[0.5, 0.3\]"),
    (range(10), [1.5, -0.5], ValueError, "Fraction at index 0 is not between 0 and 1"),
    (range(10), [-1, 11], ValueError, "lengths should not be negative"),
    (range(10), [7.0, 3.0], TypeError, "ints .counts. or fractions"),
    (range(10), 5, TypeError, "lengths should be a list"),
    (range(10), ["a"], TypeError, "ints or fractions, got str"),
    (None, [1], TypeError, "random_split: dataset should be a Dataset"),
    (Count(3), [1], TypeError, "has no length"),
])
def test_random_split_rejects_bad_arguments(dataset, lengths, error, match):
    with pytest.raises(error, match=match):
        random_split(dataset, lengths)


def test_distributed_sampler_is_a_sampler():
    from tinyflow.utils.data import DistributedSampler
    s = DistributedSampler(range(10), num_replicas=4, rank=2, shuffle=False)
    assert isinstance(s, Sampler) and list(s) == [2, 6, 0] and len(s) == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _labels(DataLoader(_ds(), batch_size=2, sampler=s)) == [[2, 6], [0]]

"""Bad-input tables: datasets, samplers and loaders; files (save, load); drawings."""
import atexit
import os
import shutil
import tempfile

import numpy as np

import tinyflow
from _bad_input import raises, returns, tinyflow_only


def _ds(m, n=5):
    return m.utils.data.TensorDataset(m.arange(n * 2.0).reshape(n, 2), m.arange(n))


def _first(loader):
    return next(iter(loader))


_TMP = tempfile.mkdtemp(prefix="tinyflow-bad-input-")
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)


def _path(name):
    return os.path.join(_TMP, name)


def _load_file(m, name, text):
    with open(_path(name), "w") as f:
        f.write(text)
    return m.load(_path(name))


def _graph_loss():
    w = tinyflow.tensor([1.0, 2.0], requires_grad=True)
    return (w * w).sum()


# --- data ----------------------------------------------------------------------------

BAD_BATCH_SIZES = [("0", 0), ("-1", -1), ("2.5", 2.5), ("'2'", "2"), ("True", True)]
DATA = [(f"DataLoader(batch_size={shown})",
         (lambda v: lambda m: m.utils.data.DataLoader(_ds(m), batch_size=v))(value),
         raises(ValueError, "batch_size", "positive integer"))
        for shown, value in BAD_BATCH_SIZES]
DATA += [(f"BatchSampler(batch_size={shown})",
          (lambda v: lambda m: m.utils.data.BatchSampler(range(5), v, False))(value),
          raises(ValueError, "batch_size", "positive integer"))
         for shown, value in BAD_BATCH_SIZES]
DATA += [
    ("DataLoader(shuffle=True, sampler=...)",
     lambda m: m.utils.data.DataLoader(_ds(m), shuffle=True,
                                       sampler=m.utils.data.SequentialSampler(_ds(m))),
     raises(ValueError, "sampler", "shuffle")),
    ("DataLoader(batch_size=2, batch_sampler=...)",
     lambda m: m.utils.data.DataLoader(_ds(m), batch_size=2, batch_sampler=m.utils.data.BatchSampler(
         m.utils.data.SequentialSampler(range(5)), 2, False)),
     raises(ValueError, "batch_sampler", "batch_size")),
    ("DataLoader(num_workers=-1)", lambda m: m.utils.data.DataLoader(_ds(m), num_workers=-1),
     raises(ValueError, "num_workers", "non-negative")),
    ("DataLoader(num_workers='2')", lambda m: m.utils.data.DataLoader(_ds(m), num_workers="2"),
     raises(TypeError, "DataLoader", "num_workers")),
    ("DataLoader(timeout=-1)", lambda m: m.utils.data.DataLoader(_ds(m), timeout=-1),
     raises(ValueError, "timeout", "non-negative")),
    ("DataLoader(prefetch_factor=2) without workers",
     lambda m: m.utils.data.DataLoader(_ds(m), prefetch_factor=2),
     raises(ValueError, "prefetch_factor", "num_workers")),
    ("DataLoader(persistent_workers=True) without workers",
     lambda m: m.utils.data.DataLoader(_ds(m), persistent_workers=True),
     raises(ValueError, "persistent_workers", "num_workers")),
    ("DataLoader(batch_size=None, drop_last=True)",
     lambda m: m.utils.data.DataLoader(_ds(m), batch_size=None, drop_last=True),
     raises(ValueError, "batch_size", "drop_last")),
    ("DataLoader(5) iterated", lambda m: _first(m.utils.data.DataLoader(5)),
     raises(TypeError, "dataset", "int")),
    ("DataLoader(collate_fn=5) iterated",
     lambda m: _first(m.utils.data.DataLoader(_ds(m), collate_fn=5)),
     raises(TypeError, "collate_fn", "int")),
    ("DataLoader(sampler=5) iterated", lambda m: _first(m.utils.data.DataLoader(_ds(m), sampler=5)),
     raises(TypeError, "sampler", "int")),
    ("DataLoader(generator='x') iterated",
     lambda m: _first(m.utils.data.DataLoader(_ds(m), shuffle=True, generator="x")),
     raises(TypeError, "generator", "str")),
    ("DataLoader(shuffle='yes')", lambda m: len(m.utils.data.DataLoader(_ds(m), shuffle="yes")),
     returns(5)),
    ("DataLoader of None samples", lambda m: _first(m.utils.data.DataLoader([None, None],
                                                                            batch_size=2)),
     raises(TypeError, "default_collate", "NoneType")),
    ("DataLoader of ragged samples",
     lambda m: _first(m.utils.data.DataLoader([m.ones(2), m.ones(3)], batch_size=2)),
     raises(RuntimeError, "stack", "size")),
    ("TensorDataset(ones(3), ones(4))",
     lambda m: m.utils.data.TensorDataset(m.ones(3), m.ones(4)),
     raises(AssertionError, "TensorDataset", "size")),
    ("TensorDataset()", lambda m: m.utils.data.TensorDataset(),
     raises(ValueError, "TensorDataset", "tensor", deviation="PyTorch makes an empty "
            "TensorDataset and fails at len() (IndexError, tensors[0]); tinyflow says at once "
            "that it needs a tensor (a ValueError, as tests/test_data.py has it)",
            torch="accepts")),
    ("TensorDataset(0-d)", lambda m: m.utils.data.TensorDataset(m.tensor(1.0)),
     raises(IndexError, "TensorDataset", "0-d")),
    ("TensorDataset(...)[5]", lambda m: m.utils.data.TensorDataset(m.ones(3))[5],
     raises(IndexError, "index", "5")),
    ("TensorDataset(ndarray)", lambda m: len(m.utils.data.TensorDataset(np.ones(3))),
     returns(3, deviation="tinyflow's TensorDataset takes numpy arrays too (load_digits gives "
             "arrays)", torch=TypeError)),
    ("random_split([3, 3]) of 5", lambda m: m.utils.data.random_split(_ds(m), [3, 3]),
     raises(ValueError, "random_split", "lengths")),
    ("random_split([0.5, 0.6])", lambda m: m.utils.data.random_split(_ds(m), [0.5, 0.6]),
     raises(ValueError, "random_split", "fractions")),
    ("random_split([-0.5, 1.5])", lambda m: m.utils.data.random_split(_ds(m), [-0.5, 1.5]),
     raises(ValueError, "random_split", "Fraction")),
    ("random_split([0.5, 3])", lambda m: m.utils.data.random_split(_ds(m), [0.5, 3]),
     raises(ValueError, "random_split", "lengths")),
    ("random_split([2.5, 2.5])", lambda m: m.utils.data.random_split(_ds(m), [2.5, 2.5]),
     raises(TypeError, "random_split", "lengths")),
    ("random_split('ab')", lambda m: m.utils.data.random_split(_ds(m), "ab"),
     raises(TypeError, "random_split", "lengths")),
    ("random_split(3)", lambda m: m.utils.data.random_split(_ds(m), 3),
     raises(TypeError, "random_split", "lengths")),
    ("random_split(generator='x')", lambda m: m.utils.data.random_split(_ds(m), [2, 3],
                                                                       generator="x"),
     raises(TypeError, "random_split", "generator")),
    ("random_split([-1, 6])", lambda m: len(m.utils.data.random_split(_ds(m), [-1, 6])),
     raises(ValueError, "random_split", "negative", deviation="PyTorch splits with a negative "
            "length (and gives a subset of 5); tinyflow refuses", torch="accepts")),
    ("random_split([0.6, 0.4])", lambda m: [len(s) for s in m.utils.data.random_split(
        _ds(m), [0.6, 0.4])], returns(("list", [3, 2]))),
    ("Subset(ds, [10])[0]", lambda m: m.utils.data.Subset(_ds(m), [10])[0],
     raises(IndexError, "index", "10")),
    ("Subset(ds, 3)[0]", lambda m: m.utils.data.Subset(_ds(m), 3)[0],
     raises(TypeError, "Subset", "indices")),
    ("ConcatDataset([])", lambda m: m.utils.data.ConcatDataset([]),
     raises(AssertionError, "ConcatDataset", "datasets")),
    ("ConcatDataset(...)[10]", lambda m: m.utils.data.ConcatDataset([_ds(m)])[10],
     raises(IndexError, "ConcatDataset", "index")),
    ("RandomSampler(num_samples=0)", lambda m: m.utils.data.RandomSampler(_ds(m), num_samples=0),
     raises(ValueError, "RandomSampler", "num_samples")),
    ("RandomSampler(replacement='yes')",
     lambda m: m.utils.data.RandomSampler(_ds(m), replacement="yes"),
     raises(TypeError, "replacement", "boolean")),
    ("BatchSampler(drop_last='no')", lambda m: m.utils.data.BatchSampler(range(5), 2, "no"),
     raises(ValueError, "drop_last", "boolean")),
    ("WeightedRandomSampler(num_samples=0)",
     lambda m: m.utils.data.WeightedRandomSampler([1.0, 2.0], 0),
     raises(ValueError, "WeightedRandomSampler", "num_samples")),
    ("WeightedRandomSampler(negative weight)",
     lambda m: list(m.utils.data.WeightedRandomSampler([-1.0, 2.0], 2)),
     raises(RuntimeError, "WeightedRandomSampler", "weights")),
    ("WeightedRandomSampler(2-d weights)",
     lambda m: list(m.utils.data.WeightedRandomSampler([[1.0, 2.0]], 2)),
     raises(ValueError, "weights", "1d")),
    ("WeightedRandomSampler(3 of 2 without replacement)",
     lambda m: list(m.utils.data.WeightedRandomSampler([1.0, 2.0], 3, replacement=False)),
     raises(RuntimeError, "num_samples", "replacement")),
    ("default_collate([1, 'a'])", lambda m: m.utils.data.default_collate([1, "a"]),
     raises(TypeError, "default_collate", "str")),
    ("default_collate([object()])", lambda m: m.utils.data.default_collate([object()]),
     raises(TypeError, "default_collate", "object")),
    ("default_collate([])", lambda m: m.utils.data.default_collate([]),
     raises(IndexError, "default_collate", "empty")),
    ("Dataset()[0]", lambda m: m.utils.data.Dataset()[0],
     raises(NotImplementedError, "Dataset", "__getitem__")),
    ("len(Dataset())", lambda m: len(m.utils.data.Dataset()), raises(TypeError, "Dataset", "len")),
]


# --- files: save and load ------------------------------------------------------------

FILES = [
    ("load(a missing file)", lambda m: m.load(_path("missing.pt")),
     raises(FileNotFoundError, "load", "no such file")),
    ("load(a folder)", lambda m: m.load(_TMP), raises(IsADirectoryError, "load", "directory")),
    ("load(None)", lambda m: m.load(None),
     raises(TypeError, "load", "'f'", deviation="PyTorch fails in f.seek (AttributeError); "
            "tinyflow says the argument must be a path", torch=AttributeError)),
    ("load(12345)", lambda m: m.load(12345),
     raises(TypeError, "load", "'f'", deviation="PyTorch fails in f.seek (AttributeError); "
            "tinyflow says the argument must be a path", torch=AttributeError)),
    ("load(a text file)", lambda m: _load_file(m, "junk.pt", "not a checkpoint"),
     raises(ValueError, "load", "checkpoint", deviation="tinyflow reads its own data format "
            "(never a pickle): another file is a CheckpointError (a ValueError); PyTorch's "
            "unpickler raises UnpicklingError", torch=Exception)),
    ("load(an empty file)", lambda m: _load_file(m, "empty.pt", ""),
     raises(ValueError, "load", "checkpoint", deviation="a CheckpointError (a ValueError); "
            "PyTorch's unpickler raises EOFError", torch=EOFError)),
    ("save(obj, 5)", lambda m: m.save({"a": m.ones(2)}, 5),
     raises(TypeError, "save", "'f'", deviation="PyTorch raises AttributeError (\"expected 'f' to "
            "be string, path, or a file-like object\"); tinyflow a TypeError", torch=AttributeError)),
    ("save(obj, None)", lambda m: m.save({"a": m.ones(2)}, None),
     raises(TypeError, "save", "'f'", deviation="PyTorch raises AttributeError; tinyflow a "
            "TypeError", torch=AttributeError)),
    ("save(obj, a folder)", lambda m: m.save({"a": m.ones(2)}, _TMP),
     raises(IsADirectoryError, "save", "directory", deviation="PyTorch's C++ writer raises a "
            "RuntimeError; tinyflow Python's IsADirectoryError (and a CheckpointError)",
            torch=RuntimeError)),
    ("save(obj, a path in a missing folder)",
     lambda m: m.save({"a": m.ones(2)}, os.path.join(tempfile.mkdtemp(dir=_TMP), "new", "x.pt")),
     returns(None, deviation="tinyflow.save makes the missing folders (it writes atomically "
             "through a temporary file beside the target); PyTorch refuses", torch=RuntimeError)),
    ("save(a lambda)", lambda m: m.save(lambda: 1, _path("l.pt")),
     raises(TypeError, "save", "function", deviation="tinyflow's checkpoints are data, never "
            "pickles: a function cannot be stored (TypeError); PyTorch's pickler fails with an "
            "AttributeError", torch=AttributeError)),
    ("save(object())", lambda m: m.save(object(), _path("o.pt")),
     raises(TypeError, "save", "object", deviation="tinyflow's checkpoints are data, never "
            "pickles: an arbitrary object cannot be stored; PyTorch pickles it", torch="accepts")),
    ("save then load a state dict", lambda m: (lambda lin: (
        m.save(lin.state_dict(), _path("sd.pt")),
        tuple(lin.load_state_dict(m.load(_path("sd.pt")))))[1])(m.nn.Linear(2, 3)),
     returns(("tuple", [("list", []), ("list", [])]))),
]


# --- drawings (tinyflow only) --------------------------------------------------------

DRAWINGS = [
    ("draw(None)", lambda m: tinyflow.draw(None), tinyflow_only(TypeError, "draw", "NoneType")),
    ("draw('model')", lambda m: tinyflow.draw("model"), tinyflow_only(TypeError, "draw", "str")),
    ("draw([])", lambda m: tinyflow.draw([]), tinyflow_only(TypeError, "draw", "empty list")),
    ("draw(['a'])", lambda m: tinyflow.draw(["a"]), tinyflow_only(TypeError, "draw", "str")),
    ("draw(ndarray)", lambda m: tinyflow.draw(np.ones(2)), tinyflow_only(TypeError, "draw",
                                                                        "ndarray")),
    ("draw(nn.Linear)", lambda m: tinyflow.draw(tinyflow.nn.Linear),
     tinyflow_only(TypeError, "draw", "type")),
    ("draw(model.forward)", lambda m: tinyflow.draw(tinyflow.nn.Linear(2, 3).forward),
     tinyflow_only(TypeError, "draw", "method")),
    ("draw(rankdir='XY')", lambda m: tinyflow.draw(_graph_loss(), rankdir="XY"),
     tinyflow_only(ValueError, "draw", "rankdir")),
    ("draw(max_depth='a')", lambda m: tinyflow.draw(_graph_loss(), max_depth="a"),
     tinyflow_only(TypeError, "draw", "max_depth")),
    ("draw(max_depth=-1)", lambda m: tinyflow.draw(_graph_loss(), max_depth=-1),
     tinyflow_only(ValueError, "draw", "max_depth")),
    ("draw(collapse=5)", lambda m: tinyflow.draw(_graph_loss(), collapse=5),
     tinyflow_only(TypeError, "draw", "collapse")),
    ("draw(highlight=5)", lambda m: tinyflow.draw(_graph_loss(), highlight=5),
     tinyflow_only(KeyError, "highlight", "5")),
    ("draw(tensor, input=x)", lambda m: tinyflow.draw(_graph_loss(), input=tinyflow.ones(2)),
     tinyflow_only(ValueError, "draw", "input")),
    ("draw(tensor, fetches=[1])", lambda m: tinyflow.draw(_graph_loss(), fetches=[1]),
     tinyflow_only(ValueError, "draw", "fetches")),
    ("draw(color='red')", lambda m: tinyflow.draw(_graph_loss(), color="red"),
     tinyflow_only(TypeError, "draw", "color")),
    ("draw(model, input of the wrong shape)",
     lambda m: tinyflow.draw(tinyflow.nn.Linear(2, 3), input=tinyflow.ones(4, 5)),
     tinyflow_only(RuntimeError, "linear", "input")),
    ("draw(model, input='x')", lambda m: tinyflow.draw(tinyflow.nn.Linear(2, 3), input="x"),
     tinyflow_only(TypeError, "linear", "input")),
    ("draw(untraced function)", lambda m: tinyflow.draw(tinyflow.function(lambda x: x * 2)),
     tinyflow_only(ValueError, "draw", "traced")),
]

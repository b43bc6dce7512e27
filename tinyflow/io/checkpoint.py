"""``save`` and ``load``: checkpoints as data, never pickle.

A checkpoint is an ``.npz`` archive (written with ``allow_pickle=False``, read
with ``np.load(..., allow_pickle=False)``): one numeric array per tensor, plus
a JSON document for everything else -- nesting, numbers, strings and, for a
saved model, its architecture (registered class names and constructor
arguments). Loading never imports or calls anything named by the file except
Module classes registered with ``@tinyflow.nn.register_module``.

Files go through ``files.py``, the one place tinyflow reads and writes
them: writes are atomic (a temporary file in the same directory, fsynced, then
renamed over the old one, so an interrupted save leaves the previous
checkpoint whole), and reads refuse pickles, truncated and foreign files.

>>> import os, tempfile
>>> import tinyflow as tf, tinyflow.nn as nn
>>> from tinyflow.io.checkpoint import save, load
>>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
>>> path = os.path.join(tempfile.mkdtemp(), "model.npz")
>>> save(model, path)
>>> same = load(path)
>>> x = tf.randn(3, 4)
>>> bool((same(x) == model(x)).all())
True
"""
import json
import os

import numpy as np

from ..eager.tensor import Tensor
from ..base.device import check_device
from ..base.errors import CheckpointError
from .files import DirectoryGivenError, load_npz, path_arg, save_npz
from .registry import registered_module, registered_name

FORMAT = "tinyflow-checkpoint"
VERSION = 1
META = "__tinyflow__"        # the archive member holding the JSON document
_STORABLE = "biuf"           # array dtypes that go in as data


# --- writing ------------------------------------------------------------------------

class _Encoder:
    """Python objects -> JSON-able values, with arrays set aside by key."""

    def __init__(self):
        self.arrays = {}

    def array(self, a, where):
        a = np.asarray(a)
        if a.dtype.kind not in _STORABLE:
            raise TypeError(f"tinyflow.save: cannot store an array of dtype {a.dtype} (at "
                            f"{where}); only bool, integer and float arrays are stored as data")
        key = f"a{len(self.arrays)}"
        self.arrays[key] = a
        return key

    def encode(self, obj, where="obj", state=True):
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return obj
        if isinstance(obj, np.generic) and obj.dtype.kind in _STORABLE:
            return obj.item()
        if isinstance(obj, Tensor):
            return {"$tensor": self.array(obj.array, where)}
        if isinstance(obj, np.ndarray):
            return {"$array": self.array(obj, where)}
        if isinstance(obj, np.dtype):
            return {"$dtype": obj.name}
        if _is_module(obj):
            return {"$module": self.module(obj, where, state)}
        if isinstance(obj, tuple):
            return {"$tuple": [self.encode(v, f"{where}[{i}]", state) for i, v in enumerate(obj)]}
        if isinstance(obj, list):
            return [self.encode(v, f"{where}[{i}]", state) for i, v in enumerate(obj)]
        if isinstance(obj, dict):
            if all(isinstance(k, str) and not k.startswith("$") for k in obj):
                return {k: self.encode(v, f"{where}[{k!r}]", state) for k, v in obj.items()}
            return {"$dict": [[self.encode(k, f"{where} key", state),
                               self.encode(v, f"{where}[{k!r}]", state)] for k, v in obj.items()]}
        raise TypeError(f"tinyflow.save: cannot store a {type(obj).__name__} (at {where}); it "
                        f"stores modules, tensors, numpy arrays, numbers, strings, None, and "
                        f"lists, tuples and dicts of them")

    def module(self, m, where, state):
        name = registered_name(type(m))
        if name is None:
            raise TypeError(f"tinyflow.save: cannot save the architecture of "
                            f"{type(m).__name__} (at {where}): its class is not registered. "
                            f"Decorate it with @tinyflow.nn.register_module so it can be rebuilt "
                            f"by name, or save model.state_dict() instead")
        args, kwargs = m._config()
        spec = {"class": name,
                # constructor arguments: sub-modules in them carry no weights (ours do)
                "args": self.encode(list(args), f"{where} ({name} args)", state=False),
                "kwargs": self.encode(dict(kwargs), f"{where} ({name} kwargs)", state=False),
                "training": m.training}
        if state:
            spec["state"] = self.encode(m.state_dict(), f"{where}.state_dict()")
        return spec


def _is_module(obj):
    """A Module, as checkpoints see one: it can give its state and the arguments it
    was built with (``nn.Module`` can; this file sits below ``nn``, so it asks)."""
    return callable(getattr(obj, "state_dict", None)) and callable(getattr(obj, "_config", None))


def save(obj, path, pickle_module=None, pickle_protocol=None, **kwargs):
    """Write ``obj`` to ``path`` as a tinyflow checkpoint (an npz archive, whatever
    the file's extension).

    ``obj`` may be a state dict (``model.state_dict()``, ``optimizer.state_dict()``:
    nested dicts, lists and tuples of tensors, arrays, numbers and strings) or a
    whole model built from registered Module classes (tinyflow's layers, or
    yours with ``@tinyflow.nn.register_module``).
    """
    path = path_arg("tinyflow.save", "f", path)
    if os.path.isdir(path):
        raise DirectoryGivenError(f"tinyflow.save(): argument 'f' must be a file's path, but "
                                  f"{path!r} is a directory: give a file name inside it")
    enc = _Encoder()
    doc = {"format": FORMAT, "version": VERSION, "tree": enc.encode(obj)}
    text = json.dumps(doc)
    arrays = dict(enc.arrays)
    arrays[META] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    save_npz(path, arrays)


# --- reading -------------------------------------------------------------------------

def load(path, map_location=None, pickle_module=None, *, weights_only=None, mmap=None):
    """Read a checkpoint written by ``save``: the state dict as it was saved
    (tensors come back as tensors, arrays as arrays), or a rebuilt model.

    PyTorch's arguments are accepted: ``map_location`` may name the CPU (a
    tinyflow tensor lives nowhere else); ``weights_only`` changes nothing, since
    tinyflow never unpickles (a checkpoint is data, as ``weights_only=True`` asks).

    Raises ``CheckpointError`` for anything else: a pickle, a truncated or
    damaged archive, another program's npz, or a model whose class is not
    registered in this process.
    """
    if map_location is not None and not callable(map_location) and not isinstance(
            map_location, dict):
        check_device("load", map_location)
    path = path_arg("tinyflow.load", "f", path)
    arrays = load_npz(path, "tinyflow.load")       # refuses pickles, truncated and foreign files
    if META not in arrays:
        names = sorted(arrays)
        pickled = [n for n in names if n.endswith(".pkl")]
        what = (f"it holds pickled data ({pickled[0]}), e.g. a torch.save file, which tinyflow "
                f"never loads" if pickled else f"it holds {names[:5]}")
        raise CheckpointError(f"tinyflow.load: {path} is an npz archive but not a tinyflow "
                              f"checkpoint: {what}")
    try:
        doc = json.loads(np.asarray(arrays.pop(META)).tobytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise CheckpointError(f"{path}: the checkpoint's JSON document is damaged: {e}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise CheckpointError(f"{path} is not a tinyflow checkpoint (no {FORMAT!r} header)")
    if doc.get("version") != VERSION:
        raise CheckpointError(f"{path} is a version {doc.get('version')} checkpoint; this "
                              f"tinyflow reads version {VERSION}")
    try:
        return _Decoder(arrays).decode(doc["tree"])
    except CheckpointError as e:
        raise CheckpointError(f"{path}: {e}") from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError) as e:
        raise CheckpointError(f"{path}: the checkpoint is damaged ({type(e).__name__}: "
                              f"{e})") from None


class _Decoder:
    """JSON-able values -> Python objects; the inverse of ``_Encoder``."""

    def __init__(self, arrays):
        self.arrays = arrays

    def decode(self, x):
        if isinstance(x, list):
            return [self.decode(v) for v in x]
        if not isinstance(x, dict):
            return x
        if "$tensor" in x:
            return Tensor(self.arrays[x["$tensor"]])
        if "$array" in x:
            return self.arrays[x["$array"]]
        if "$dtype" in x:
            return np.dtype(x["$dtype"])
        if "$tuple" in x:
            return tuple(self.decode(v) for v in x["$tuple"])
        if "$dict" in x:
            return {_hashable(self.decode(k)): self.decode(v) for k, v in x["$dict"]}
        if "$module" in x:
            return self.module(x["$module"])
        return {k: self.decode(v) for k, v in x.items()}

    def module(self, spec):
        name = spec["class"]
        cls = registered_module(name)
        if cls is None:
            raise CheckpointError(f"the checkpoint holds a model of class {name!r}, which is not "
                                  f"registered in this process. Define it with "
                                  f"@tinyflow.nn.register_module (and import it) before loading")
        args, kwargs = self.decode(spec["args"]), self.decode(spec["kwargs"])
        try:
            module = cls(*args, **kwargs)
        except Exception as e:
            raise CheckpointError(f"rebuilding {name} from its saved constructor arguments "
                                  f"failed: {type(e).__name__}: {e}") from None
        if "state" in spec:
            _restore(module, self.decode(spec["state"]), name)
        module.train(bool(spec["training"]))
        return module


def _hashable(k):
    if isinstance(k, list):
        raise TypeError("a dict key in the checkpoint is a list")
    return k


def _restore(module, state, name):
    """Load the saved weights, keeping their saved dtype (a float64 model stays float64)."""
    try:
        module.load_state_dict(state, strict=True)
    except RuntimeError as e:
        raise CheckpointError(f"the saved weights do not fit the rebuilt {name}: {e}") from None
    for key, t in module._state_entries().items():
        saved = state[key].array
        if saved.dtype != t.dtype:
            t.array = saved.copy()

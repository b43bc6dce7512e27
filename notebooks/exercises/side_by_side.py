"""The real thing beside tinyflow: run a lesson's code in real PyTorch and compare.

A side-by-side cell defines a function that takes the ``torch`` module (and plain
inputs: numbers, lists, numpy arrays) and returns plain results, and hands it to
:func:`pytorch`::

    def in_pytorch(torch, x):
        w = torch.tensor([0.5, -1.0], requires_grad=True)
        loss = (w * torch.tensor(x)).sum()
        loss.backward()
        return {"loss": loss.item(), "w.grad": w.grad.tolist()}

    theirs = pytorch("lesson02/example", in_pytorch, [1.0, 2.0])
    compare({"loss": ..., "w.grad": ...}, theirs)

The cell must print the same text whether PyTorch is installed or not (nbval compares
every output strictly, and ``make test`` does not install PyTorch). So PyTorch's results
are stored, in ``pytorch_results.json`` next to this file, together with a fingerprint
of the function's source code and of its inputs:

* **PyTorch installed**: the function runs in real PyTorch, now. If its results agree
  with the stored ones (within a tolerance: another machine may round the last bits
  differently) the stored ones are shown, so the output is the same everywhere. If they
  do not agree, or the code or inputs changed, the live results are shown and a warning
  says so -- under nbval that warning is an extra output, so the lesson fails, which is
  what CI should do; a learner who edits the code just sees PyTorch's new numbers.
* **PyTorch not installed**: the stored results are shown, provided they were made by
  exactly this code and these inputs; otherwise the cell raises and says how to store
  new ones.
* ``TINYFLOW_UPDATE_PYTORCH_RESULTS=1`` (with PyTorch installed) stores the live results:
  ``TINYFLOW_UPDATE_PYTORCH_RESULTS=1 python tools/run_notebooks.py notebooks/NN_x.ipynb``.

``tests/test_lessons.py`` checks, without running anything, that every side-by-side
cell of every lesson has a stored result made from the code the cell shows.
"""
import ast
import hashlib
import inspect
import json
import linecache
import math
import os
import textwrap
import warnings
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).with_name("pytorch_results.json")
UPDATE = "TINYFLOW_UPDATE_PYTORCH_RESULTS"


class StoredResultError(RuntimeError):
    """No stored PyTorch result fits this code, and PyTorch is not here to make one."""


class PyTorchDisagrees(UserWarning):
    """PyTorch, run now, computed something else than the stored result."""


def import_torch():
    """Real PyTorch, or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    return torch


def function_source(fn):
    """The source of a function, exactly as written (decorators excluded), found in the
    file or notebook cell that defined it. The same text ``cell_function_source`` finds
    in a stored notebook, so the two fingerprints agree."""
    filename = fn.__code__.co_filename
    lines = linecache.getlines(filename)
    if lines:
        text = "".join(lines)
        for node in ast.walk(ast.parse(text)):
            if (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == fn.__name__
                    and node.lineno <= fn.__code__.co_firstlineno <= node.end_lineno):
                return textwrap.dedent(ast.get_source_segment(text, node, padded=True))
    return textwrap.dedent(inspect.getsource(fn))


def cell_function_source(cell_source, name):
    """The source of the function ``name`` defined in a notebook cell's text."""
    for node in ast.walk(ast.parse(cell_source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return textwrap.dedent(ast.get_source_segment(cell_source, node, padded=True))
    raise LookupError(f"no function {name!r} in this cell")


def fingerprint(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _canonical(x):
    """A text that identifies an input exactly (arrays by dtype, shape and bytes)."""
    if isinstance(x, np.ndarray):
        data = np.ascontiguousarray(x)
        return f"ndarray({data.dtype.str},{data.shape},{hashlib.sha256(data.tobytes()).hexdigest()})"
    if isinstance(x, (list, tuple)):
        return type(x).__name__ + "[" + ",".join(_canonical(v) for v in x) + "]"
    if isinstance(x, dict):
        return "{" + ",".join(f"{k!r}:{_canonical(v)}" for k, v in sorted(x.items())) + "}"
    if isinstance(x, (float, np.floating)):
        return repr(float(x))
    if isinstance(x, (bool, int, str, type(None), np.integer)):
        return repr(x)
    raise TypeError(f"side_by_side: inputs must be numbers, strings, numpy arrays, lists or "
                    f"dicts of them, not {type(x).__name__}")


def plain(x):
    """Results as JSON data: tensors and arrays become (nested) lists."""
    if hasattr(x, "detach") and hasattr(x, "tolist"):          # a torch tensor
        return x.detach().tolist()
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):        # torch.Size too
        return [plain(v) for v in x]
    if isinstance(x, (bool, int, float, str, type(None))):
        return x
    return str(x)


def close(a, b, rtol=1e-5, atol=1e-6):
    """Are two plain results the same, numbers within a tolerance?"""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if math.isinf(a) or math.isinf(b):
            return a == b
        return abs(a - b) <= atol + rtol * abs(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y, rtol, atol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], rtol, atol) for k in a)
    return a == b


def _load():
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def _store(key, entry):
    results = _load()
    results[key] = entry
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")


def pytorch(key, fn, *inputs, rtol=1e-5, atol=1e-6):
    """PyTorch's results for ``fn(torch, *inputs)``: computed now when PyTorch is
    installed, otherwise the stored ones made by this same code (see the module's text).
    ``key`` names the cell's entry in ``pytorch_results.json``, e.g. "lesson02/tape"."""
    code = fingerprint(function_source(fn))
    given = fingerprint(_canonical(list(inputs)))
    stored = _load().get(key)
    fits = stored is not None and stored["code"] == code and stored["inputs"] == given
    torch = import_torch()
    if torch is None:
        if not fits:
            why = ("there is none" if stored is None else
                   "the code of the function changed since it was stored" if stored["code"] != code
                   else "its inputs changed since it was stored")
            raise StoredResultError(
                f"{key}: PyTorch is not installed here, and no stored PyTorch result fits this "
                f"cell ({why}). Install PyTorch (make parity) and run the lesson once with "
                f"{UPDATE}=1 to store one.")
        return stored["result"]
    live = plain(fn(torch, *inputs))
    if os.environ.get(UPDATE) == "1":
        if not (fits and close(live, stored["result"], rtol, atol)):
            _store(key, {"code": code, "inputs": given, "pytorch": torch.__version__.split("+")[0],
                         "result": live})
        return _load()[key]["result"]
    if fits and close(live, stored["result"], rtol, atol):
        return stored["result"]          # the same text on every machine
    why = ("there is no stored result" if stored is None else
           "the code of the function changed" if stored["code"] != code else
           "its inputs changed" if stored["inputs"] != given else
           f"PyTorch {torch.__version__} computes something else than PyTorch "
           f"{stored['pytorch']} did when the result was stored")
    warnings.warn(f"{key}: showing what PyTorch computes now: {why}. To store it, run the lesson "
                  f"with {UPDATE}=1.", PyTorchDisagrees, stacklevel=2)
    return live


def _fmt(v):
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list):
        flat = list(_flatten(v))
        if flat and all(isinstance(x, str) for x in flat):
            return " ".join(flat)
        if len(flat) > 4 or len(flat) != len(v):
            return f"{_shape(v)} values" if flat else "[]"
        return "[" + ", ".join(_fmt(x) for x in flat) + "]"
    return str(v)


def _flatten(v):
    if isinstance(v, list):
        for x in v:
            yield from _flatten(x)
    else:
        yield v


def _shape(v):
    dims = []
    while isinstance(v, list):
        dims.append(len(v))
        v = v[0] if v else None
    return "(" + ", ".join(map(str, dims)) + ("," if len(dims) == 1 else "") + ")"


WIDE = 24      # a value wider than this gets lines of its own, under its row


def compare(ours, theirs, names=("tinyflow", "PyTorch"), rtol=1e-5, atol=1e-6):
    """Print tinyflow's and PyTorch's results side by side, one row per key, and whether
    they agree (numbers within rtol/atol; lists of numbers longer than 4 are shown by
    their shape, and compared element by element)."""
    ours, theirs = plain(ours), plain(theirs)
    keys = list(ours) + [k for k in theirs if k not in ours]
    key_w = max(len(k) for k in keys) + 2
    col_w = max(len(n) for n in names) + 2
    for k in keys:
        for d in (ours, theirs):
            if len(_fmt(d.get(k))) <= WIDE:
                col_w = max(col_w, len(_fmt(d.get(k))) + 2)
    print(" " * key_w + names[0].ljust(col_w) + names[1].ljust(col_w) + "same?")
    for k in keys:
        a, b = ours.get(k), theirs.get(k)
        same = close(a, b, rtol, atol)
        fa, fb = _fmt(a), _fmt(b)
        verdict = "yes" if same else "no"
        if len(fa) <= WIDE and len(fb) <= WIDE:
            print(k.ljust(key_w) + fa.ljust(col_w) + fb.ljust(col_w) + verdict)
        else:
            print(k.ljust(key_w + 2 * col_w) + verdict)
            for name, f in zip(names, (fa, fb)):
                print("    " + name.ljust(col_w) + f)

"""Running the same call on real PyTorch and on tinyflow, and comparing what comes
back: values, dtypes, shapes, devices, and the type of the error when there is one.

A case is a function of the module (``torch`` or ``tinyflow``) spelled the way a
PyTorch program spells it; ``outcome(case, module)`` turns whatever it returns
(tensors, sizes, dtypes, devices, numbers, nested tuples) into plain data, or
into ("raises", the error type's name).
"""
import os
import warnings

import numpy as np
import pytest

# Error types that count as the same (tinyflow's own subclasses print their names).
SAME_ERRORS = {"ShapeError": "ValueError"}


def plain(x, mod):
    """What a value *is*, as plain data comparable across the two libraries."""
    name = type(x).__name__
    if hasattr(x, "detach") and hasattr(x, "shape") and hasattr(x, "dtype"):    # a tensor
        arr = np.asarray(x.detach().numpy() if hasattr(x, "numpy") else x)
        return ("tensor", tuple(arr.shape), dtype_name(x.dtype), arr.tolist(),
                bool(getattr(x, "requires_grad", False)))
    if name == "Size":
        return ("Size", tuple(x))
    if name == "device":
        return ("device", str(x))
    if name == "dtype" or isinstance(x, np.dtype):
        return ("dtype", dtype_name(x))
    if isinstance(x, (tuple, list)):
        return (type(x).__name__ if name in ("tuple", "list") else "namedtuple",
                [plain(v, mod) for v in x])
    if isinstance(x, dict):
        return ("dict", {k: plain(v, mod) for k, v in x.items()})
    if isinstance(x, str):
        return x.replace("torch.", "tinyflow.")       # tinyflow's names are the module's own
    if isinstance(x, (bool, int, float, type(None))):
        return x
    if isinstance(x, np.generic):
        return x.item()
    return ("object", name)


def dtype_name(d):
    """'float32' for torch.float32, tinyflow.float32 and numpy's float32 alike."""
    return str(d).replace("torch.", "").replace("tinyflow.", "")


def outcome(case, mod):
    try:
        return plain(case(mod), mod)
    except Exception as e:        # noqa: BLE001 -- the error's type is the outcome
        kind = type(e).__name__
        return ("raises", SAME_ERRORS.get(kind, kind))


def close(a, b, rtol=1e-6, atol=1e-7):
    """Are two outcomes the same, numbers compared with a tolerance?"""
    if isinstance(a, float) and isinstance(b, float):
        return (np.isnan(a) and np.isnan(b)) or abs(a - b) <= atol + rtol * abs(b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(close(x, y, rtol, atol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], rtol, atol) for k in a)
    return a == b


def assert_same_outcome(name, case, torch, tinyflow):
    """``case`` gives the same outcome (values, dtypes, error type) in both libraries."""
    want = outcome(case, torch)
    got = outcome(case, tinyflow)
    assert close(got, want), f"{name}: tinyflow gave {got}, PyTorch {want}"


def assert_raises_like_pytorch(call, theirs, ours, subclass=False):
    """``call(*theirs)`` (PyTorch's modules) and ``call(*ours)`` both raise, the same
    error type (or, with ``subclass``, ours a subclass of PyTorch's)."""
    with pytest.raises(Exception) as their_error, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        call(*theirs)
    with pytest.raises(Exception) as our_error, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        call(*ours)
    same = issubclass(our_error.type, their_error.type) if subclass else \
        our_error.type is their_error.type
    assert same, f"tinyflow raised {our_error.value!r}, PyTorch {their_error.value!r}"


def torch_twins(nn, torch, kind, **kwargs):
    """(ours, theirs): the module ``kind`` in float64 from tinyflow's ``nn`` and from
    PyTorch, ours holding PyTorch's initial parameters (through load_state_dict)."""
    theirs = getattr(torch.nn, kind)(**kwargs).double()
    ours = getattr(nn, kind)(**kwargs).double()
    result = ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    assert not result.missing_keys and not result.unexpected_keys
    return ours, theirs


def import_torch():
    """Real PyTorch, or a skip that says why -- except under ``make parity`` (which
    sets TINYFLOW_REQUIRE_TORCH=1): there a missing PyTorch is an error, so CI never
    skips a comparison in silence."""
    try:
        import torch
    except ImportError:
        if os.environ.get("TINYFLOW_REQUIRE_TORCH"):
            raise
        pytest.skip("PyTorch is not installed: `make parity` installs it and runs the "
                    "comparisons with PyTorch", allow_module_level=True)
    return torch

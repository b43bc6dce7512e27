"""Parity with real PyTorch for wrong calls: every case of ``test_bad_input.py``
(but the tinyflow-only ones, like ``tinyflow.draw``) runs on ``torch`` and on
``tinyflow``.

* Where PyTorch raises, tinyflow raises an error that an ``except`` clause for
  PyTorch's type catches (PyTorch's own subclasses count as the built-in type
  they derive from; tinyflow's ``ShapeError`` is a ValueError and a RuntimeError,
  its ``AxisError`` an IndexError as well), and the table names that type.
* Where PyTorch accepts the call, tinyflow accepts it and gives the same result,
  and the table holds that result.
* Where the table records a deviation, PyTorch still does what the table says
  it does (so the record stays true), and tinyflow does what the table says
  (``test_bad_input.py`` checks its message too).

Runs where PyTorch is installed (``make parity`` installs it; CI always runs it);
without PyTorch each test says it was skipped and why.
"""
import warnings

import pytest

import tinyflow
from _parity import close, import_torch, plain
from test_bad_input import CASES

torch = import_torch()


def builtin_type(error_type):
    """The built-in exception a PyTorch error is (``torch.OutOfMemoryError`` is a
    RuntimeError; ``pickle.UnpicklingError`` is as near as Exception)."""
    return next(c for c in error_type.__mro__ if c.__module__ == "builtins")


def run(call, module):
    """("raises", the exception) or ("returns", the result as plain data)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "returns", plain(call(module), module)
        except Exception as e:  # noqa: BLE001 -- the error is the outcome
            return "raises", e


def shown(result):
    kind, value = result
    return f"{type(value).__name__}: {value}" if kind == "raises" else f"returned {value}"


def params():
    out = []
    for name, (_, expect) in CASES.items():
        if expect.only_tinyflow:
            continue
        reason = expect.parity_xfail
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(name, marks=marks, id=name))
    return out


@pytest.mark.parametrize("name", params())
def test_same_as_pytorch(name):
    call, expect = CASES[name]
    theirs = run(call, torch)
    ours = run(call, tinyflow)
    if expect.deviation:
        if expect.torch == "accepts":
            assert theirs[0] == "returns", \
                f"{name}: the table says PyTorch accepts this call, but it {shown(theirs)}"
        else:
            assert theirs[0] == "raises" and isinstance(theirs[1], expect.torch), \
                f"{name}: the table says PyTorch raises {expect.torch.__name__}, but it " \
                f"{shown(theirs)}"
        if expect.error is not None:
            assert ours[0] == "raises" and isinstance(ours[1], expect.error), \
                f"{name}: tinyflow {shown(ours)}; the table says {expect.error.__name__}"
        else:
            assert ours[0] == "returns" and close(ours[1], expect.value), \
                f"{name}: tinyflow {shown(ours)}; the table says {expect.value}"
        return
    if theirs[0] == "raises":
        want = builtin_type(type(theirs[1]))
        assert expect.error is want, \
            f"{name}: PyTorch raises {want.__name__} ({theirs[1]}), the table says " \
            f"{'returns' if expect.error is None else expect.error.__name__}"
        assert ours[0] == "raises" and isinstance(ours[1], want), \
            f"{name}: PyTorch raises {want.__name__} ({theirs[1]}), tinyflow {shown(ours)}"
    else:
        assert expect.error is None and close(theirs[1], expect.value), \
            f"{name}: PyTorch {shown(theirs)}, the table says " \
            f"{expect.error.__name__ if expect.error else expect.value}"
        assert ours[0] == "returns" and close(ours[1], theirs[1]), \
            f"{name}: PyTorch {shown(theirs)}, tinyflow {shown(ours)}"

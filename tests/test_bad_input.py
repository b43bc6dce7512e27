"""Wrong calls, from tables: what a learner's mistake gets from tinyflow.

Each case is one call spelled as a PyTorch program spells it -- a function of the
module, ``torch`` or ``tinyflow`` -- and what tinyflow must do with it:

* ``raises(Error, *names)``: raise PyTorch's error type (or a tinyflow subclass of
  it: ``ShapeError`` is a ValueError and a RuntimeError, ``AxisError`` also an
  IndexError), at once, with a message that names the function and the argument
  (each name may be a tuple of spellings, any one will do; case is ignored);
* ``returns(value)``: PyTorch accepts the call, so tinyflow does too, and gives
  PyTorch's result (compared as plain data, see ``_parity.plain``).

Most tables are products -- functions x bad arguments -- so a whole family of
functions is held to the same rule. ``tests/test_parity_bad_input.py`` runs every
case on real PyTorch as well and checks that it still does what the table says.

A case marked ``xfail`` is a known failure whose fix belongs in a file outside
this change (the reason says what is wrong and where the fix goes): it is strict,
so it fails loudly once fixed. A case with ``deviation`` is one where tinyflow
chose not to do what PyTorch does, and ``torch=`` records what PyTorch does
(the parity test checks it still does).

The tables, one module per area: ``_bad_input_tensors.py`` (creation, methods),
``_bad_input_ops.py`` (operators, op functions, autograd), ``_bad_input_nn.py``
(layers, Modules), ``_bad_input_training.py`` (losses, optimizers, schedulers),
``_bad_input_data.py`` (data, files, drawings); ``_bad_input.py`` holds ``raises``,
``returns`` and the reasons of the xfails.
"""
import warnings

import pytest

import tinyflow
from _parity import close, outcome
from _bad_input_tensors import (CREATION_SIZES, CREATION_LIKE, CREATION_OTHER, METHOD_DIMS,
                                METHOD_SHAPES, TENSOR_METHODS, INDEXING)
from _bad_input_ops import ARITHMETIC, FUNCTIONS, AUTOGRAD
from _bad_input_nn import LAYERS, MODULES
from _bad_input_training import LOSSES, OPTIM, SCHEDULERS
from _bad_input_data import DATA, FILES, DRAWINGS


# --- all of them ---------------------------------------------------------------------

TABLES = [CREATION_SIZES, CREATION_LIKE, CREATION_OTHER, METHOD_DIMS, METHOD_SHAPES,
          TENSOR_METHODS, INDEXING, ARITHMETIC, FUNCTIONS, AUTOGRAD, LAYERS, MODULES, LOSSES,
          OPTIM, SCHEDULERS, DATA, FILES, DRAWINGS]
CASES = {}
for _table in TABLES:
    for _name, _call, _expect in _table:
        assert _name not in CASES, f"two cases are named {_name!r}"
        CASES[_name] = (_call, _expect)


def params(which):
    """pytest params for every case, with a strict xfail where the table expects one:
    ``which`` is "xfail" (tinyflow alone) or "parity_xfail" (against PyTorch)."""
    out = []
    for name, (_, expect) in CASES.items():
        reason = getattr(expect, which)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(name, marks=marks, id=name))
    return out


def message_names(message, names):
    """The names the message lacks (each name: a string, or a tuple of spellings)."""
    text = message.lower()
    return [n for n in names
            if not any(s.lower() in text for s in ((n,) if isinstance(n, str) else n))]


def check(name, module):
    """Run case ``name`` on ``module`` and check what it does against the table."""
    call, expect = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if expect.error is None:
            got = outcome(call, module)
            assert close(got, expect.value), f"{name}: gave {got}, the table says {expect.value}"
            return
        with pytest.raises(Exception) as info:
            call(module)
    assert isinstance(info.value, expect.error), \
        f"{name}: raised {type(info.value).__name__}: {info.value}; the table says {expect.error.__name__}"
    missing = message_names(str(info.value), expect.names)
    assert not missing, f"{name}: the message does not name {missing}: {info.value}"


def test_the_tables_are_big_enough():
    assert len(CASES) >= 220
    assert all(e.error is None or issubclass(e.error, Exception) for _, e in CASES.values())


@pytest.mark.parametrize("name", params("xfail"))
def test_bad_input(name):
    check(name, tinyflow)

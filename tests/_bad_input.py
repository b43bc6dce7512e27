"""What the bad-input tables say about a call (``raises``, ``returns``), why some of
their cases fail today (the fix is in a file outside the change that wrote them), and
the helpers more than one table uses. The tables: ``_bad_input_*.py``; the tests:
``test_bad_input.py`` and ``test_parity_bad_input.py``."""


class Expect:
    """What tinyflow must do with a call (``test_bad_input.py`` says what each field means)."""

    def __init__(self, error=None, names=(), value=None, xfail=None, parity_xfail=None,
                 deviation=None, torch=None, only_tinyflow=False):
        self.error, self.names, self.value = error, names, value
        self.xfail = xfail          # why tinyflow fails this case today, and where the fix goes
        # ...when its outcome differs from PyTorch's too (True: for the same reason)
        self.parity_xfail = xfail if parity_xfail is True else parity_xfail
        self.deviation, self.torch = deviation, torch
        self.only_tinyflow = only_tinyflow     # PyTorch has no such function (tinyflow.draw)


def raises(error, *names, **kw):
    return Expect(error=error, names=names, **kw)


def returns(value, **kw):
    return Expect(value=value, **kw)


def tinyflow_only(error, *names, **kw):
    return Expect(error=error, names=names, only_tinyflow=True, **kw)


# --- why some cases fail today: the fix is in a file outside this change ----------------

CREATION = ("eager/creation.py: check the argument (dtype must be a tinyflow.dtype or a Python "
            "type, requires_grad a bool, size a tuple) before making the tensor")
DIM_METHOD = ("ops/methods.py: the method should check its dims against the tensor's (with "
              "base/args.dim_arg, naming itself and the argument) instead of taking them "
              "modulo ndim")
NAMES_METHOD = ("ops/methods.py: the method passes the call to an op function whose error "
                "names that op (reshape, expand_dims, transpose), not the method the user called")
OPERAND = ("eager/tape.py (or ops/methods.py's operators): an operand that is not a number, an "
           "array or a tensor should be refused before numpy sees it, with a TypeError naming "
           "the operator and the operand's type")
FACADE = ("compat/functions.py: tinyflow.cat/stack/where turn every element into a tensor "
          "first (lists, numbers, strings, a tensor's rows) instead of refusing what is not a "
          "tensor; not one of this change's files")
RNG = ("base/rng.py: manual_seed(seed) should take what int(seed) takes (a float, a numeric "
       "string, a 0-d tensor), as PyTorch does; not one of this change's files")
GRAD_FLAG = ("eager/: a flag like requires_grad or keepdim should be a bool (TypeError naming "
             "the function and the argument), not any truthy value")


def _leaf(m):
    return m.ones(2, requires_grad=True)

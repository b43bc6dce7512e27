"""What the bad-input tables say about a call (``raises``, ``returns``), and the
helpers more than one table uses. A case that fails for a known reason takes
``xfail="what is wrong, and the file the fix goes in"`` (none does today). The
tables: ``_bad_input_*.py``; the tests: ``test_bad_input.py`` and
``test_parity_bad_input.py``."""


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


def _leaf(m):
    return m.ones(2, requires_grad=True)

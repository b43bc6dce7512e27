"""The values of variables that have no value yet.

Converted code passes a statement's variables to the runtime as arguments,
so a variable must exist before the statement -- even one that the
statement is about to assign for the first time. It gets a placeholder,
``ag__.Undefined('y')``, which remembers the name: if a ``cond`` branch
leaves ``y`` undefined, or later code reads it, the error can say so.

>>> y = Undefined("y")
>>> y + 1                                   # doctest: +ELLIPSIS
Traceback (most recent call last):
...
UnboundLocalError: local variable 'y' is used before it is assigned (it is assigned only on ...)
"""


class Undefined:
    """A variable with no value yet: every use of it raises, naming it."""
    __slots__ = ("symbol_name",)

    def __init__(self, symbol_name):
        self.symbol_name = symbol_name

    def read(self):
        raise UnboundLocalError(f"local variable '{self.symbol_name}' is used before it is "
                                f"assigned (it is assigned only on some paths through the control "
                                f"flow above)")

    def __repr__(self):
        return f"Undefined({self.symbol_name!r})"

    def __getattr__(self, attr):
        if attr.startswith("_"):                     # Python's and numpy's probes stay quiet
            raise AttributeError(attr)
        self.read()

    def _use(self, *args, **kwargs):
        self.read()

    __bool__ = __iter__ = __len__ = __call__ = __getitem__ = __setitem__ = _use
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = _use
    __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = _use
    __rpow__ = __matmul__ = __rmatmul__ = __neg__ = __pos__ = __abs__ = _use
    __lt__ = __le__ = __gt__ = __ge__ = __int__ = __float__ = __index__ = _use


class UndefinedReturnValue:
    """``retval_`` before a ``return`` has run (see converters/returns.py)."""
    __slots__ = ()

    def __repr__(self):
        return "UndefinedReturnValue()"


def return_value(value):
    """What the converted function returns: None if no ``return`` ran."""
    return None if isinstance(value, UndefinedReturnValue) else value


def is_undefined(value):
    return isinstance(value, (Undefined, UndefinedReturnValue))

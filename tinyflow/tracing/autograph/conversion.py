"""Converting one function: source in, a new function out.

1. Read the function's source (``inspect``) and parse it (``ast``), keeping
   the file's line numbers and columns.
2. Run the converters (converters/__init__.py), in order.
3. Compile the new syntax tree *with the user's file name and lines*, so a
   traceback through converted code shows the user's own lines.
4. Make a function of it that shares the original's globals (the live module
   dict: later changes are seen) and its closure cells (the same cells: a
   ``nonlocal`` write, or a later change to a captured variable, is shared).

Step 4 is TensorFlow's trick: the converted function is defined inside a
factory function whose locals have the names of the original's free
variables, so the compiler makes them free variables of the new code too;
the new function object is then built from that code with the original's
cells (and one more cell, ``ag__``, holding the runtime).
"""
import __future__
import ast
import builtins
import functools
import inspect
import types
import warnings

from ...eager.tensor import Tensor
from ...graph.tensor import SymbolicTensor
from . import runtime
from .converters import PASSES, ControlFlow
from .converters import syntax as S
from .converters.names import Namer, bound, contains, parameters
from .runtime.calls import would_convert

# x.sum(), x.reshape(...): method calls that are taken for tensor methods, not converted
TENSOR_METHODS = frozenset(n for cls in (Tensor, SymbolicTensor) for n in dir(cls)
                           if not n.startswith("_"))

_FUTURE = 0
for _f in __future__.all_feature_names:
    _FUTURE |= getattr(__future__, _f).compiler_flag


class ConversionError(Exception):
    """A function AutoGraph cannot convert (no source, a generator...)."""


class AutoGraphWarning(UserWarning):
    """A function ran unconverted."""


class Converted:
    """What conversion made of one code object: the new code and its source."""

    def __init__(self, code, source, runtime_cell):
        self.code, self.source, self.runtime_cell = code, source, runtime_cell


_CACHE = {}           # code object -> Converted (a function is converted once)
_FAILED = {}          # code object -> why it could not be (warned once)


def convert(fn):
    """``fn`` with its control flow converted: a new function (or bound method)."""
    if isinstance(fn, types.MethodType):
        return types.MethodType(convert(fn.__func__), fn.__self__)
    done = converted_code(fn)
    original = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
    cells = tuple(done.runtime_cell if name == S.AG else original[name]
                  for name in done.code.co_freevars)
    new = types.FunctionType(done.code, fn.__globals__, fn.__name__, fn.__defaults__, cells)
    new.__kwdefaults__ = dict(fn.__kwdefaults__) if fn.__kwdefaults__ else None
    functools.update_wrapper(new, fn)
    new.__ag_converted__ = True
    return new


def convert_or_warn(fn):
    """``convert(fn)``, or ``fn`` itself with a warning (once) if it cannot be."""
    try:
        return convert(fn)
    except ConversionError as e:
        if fn.__code__ not in _FAILED:
            _FAILED[fn.__code__] = e
            warnings.warn(f"AutoGraph could not transform {fn!r} and will run it as-is "
                          f"(its Python if/while/for stay Python).\nCause: {e}",
                          AutoGraphWarning, stacklevel=3)
        return fn


def converted_code(fn):
    """The Converted entry of ``fn``'s code (converting it the first time)."""
    done = _CACHE.get(fn.__code__)
    if done is None:
        fdef = _parse(fn)
        context = Context(fn, fdef)
        for converter in PASSES:
            fdef = converter(context).visit(fdef)
        ControlFlow(context).convert_function(fdef)
        ast.fix_missing_locations(fdef)
        source = _readable(fdef)
        code, cell = _compile(fdef, fn)
        done = _CACHE[fn.__code__] = Converted(code, source, cell)
    return done


class Context:
    """What the converters may ask about the function being converted."""

    def __init__(self, fn, fdef):
        self.fn = fn
        self.namer = Namer(fdef)
        self.local_names = set(parameters(fdef)) | set(bound(list(ast.walk(fdef))))
        self.would_convert = would_convert
        self.tensor_methods = TENSOR_METHODS

    def resolve(self, name):
        """(found, value) of ``name`` in the function's closure, globals or builtins."""
        fn = self.fn
        cells = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
        if name in cells:
            try:
                return True, cells[name].cell_contents
            except ValueError:                   # an empty cell: not assigned yet
                return False, None
        if name in fn.__globals__:
            return True, fn.__globals__[name]
        b = fn.__globals__.get("__builtins__", builtins)
        b = b if isinstance(b, dict) else vars(b)
        return (True, b[name]) if name in b else (False, None)


def _parse(fn):
    if not isinstance(fn, types.FunctionType):
        raise ConversionError(f"{fn!r} is not a Python function")
    if fn.__name__ == "<lambda>":
        raise ConversionError("lambda functions are not converted (they hold no statements)")
    try:
        lines, first = inspect.getsourcelines(fn)
    except (OSError, TypeError) as e:
        raise ConversionError(f"its source code is not available ({e}); functions typed at a "
                              f"plain Python prompt have none (a file, a notebook or IPython "
                              f"keeps it)") from None
    source = "".join(lines)
    indented = source[:1].isspace()
    if indented:                  # a method or nested def: parse it inside a block, columns kept
        source = "if True:\n" + source
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        raise ConversionError(f"its source could not be parsed on its own ({e})") from None
    fdef = tree.body[0].body[0] if indented else tree.body[0]
    if not isinstance(fdef, ast.FunctionDef) or fdef.name != fn.__name__:
        raise ConversionError(f"the source of {fn.__name__} is not a plain def statement")
    if contains(fdef.body, (ast.Yield, ast.YieldFrom, ast.Await, ast.AsyncFor, ast.AsyncWith)):
        raise ConversionError("generators and coroutines are not converted")
    ast.increment_lineno(tree, first - 1 - indented)
    fdef.decorator_list = []                     # @tinyflow.function would wrap it again
    return fdef


def _compile(fdef, fn):
    """Compile inside the factory; return the converted code and the ag__ cell."""
    free = fn.__code__.co_freevars
    if "__class__" in free:                # super() needs the class cell: keep a use of it
        fdef.body.insert(0, S.located(S.expr(S.name("__class__")), fdef.body[0]))
    factory = S.function("ag__factory", [S.AG],
                         [S.assign(v, S.const(None)) for v in free] +
                         [fdef, ast.Return(value=S.name(fdef.name))])
    module = ast.Module(body=[S.located(factory, fdef)], type_ignores=[])
    ast.fix_missing_locations(module)
    code = compile(module, fn.__code__.co_filename, "exec",
                   flags=fn.__code__.co_flags & _FUTURE, dont_inherit=True)
    namespace = {}
    exec(code, fn.__globals__, namespace)
    inner = namespace["ag__factory"](runtime)
    cells = dict(zip(inner.__code__.co_freevars, inner.__closure__ or ()))
    return inner.__code__, cells.get(S.AG)


def _readable(fdef):
    """The converted function as source, a blank line before each nested def."""
    lines = ast.unparse(fdef).split("\n")
    out = []
    for line in lines:
        if line.lstrip().startswith("def ") and out and out[-1].strip() and \
                not out[-1].rstrip().endswith(":"):
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"

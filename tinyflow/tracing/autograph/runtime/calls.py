"""``ag__.converted_call``: a user function called from converted code is
converted too (recursively, as TensorFlow's AutoGraph does).

What counts as the user's: a Python function (or a method, or a
``functools.partial`` of one) whose code is not in tinyflow, the standard
library or an installed package, is not a lambda or a generator, and is not
marked with ``do_not_convert``. Anything else -- builtins, classes, callable
objects, numpy, tinyflow's own ops -- is called as it is. A function whose
source cannot be read (typed at a plain Python prompt) runs unconverted,
with a warning naming it.

>>> converted_call(len, [1, 2, 3])
3
"""
import functools
import inspect
import os
import sysconfig
import types

_HERE = os.path.dirname(os.path.abspath(__file__))
_TINYFLOW = os.path.dirname(os.path.dirname(os.path.dirname(_HERE)))
_LIBRARY = tuple(sorted({os.path.realpath(p) + os.sep for p in
                         [_TINYFLOW] + [sysconfig.get_paths().get(k) for k in
                                        ("stdlib", "platstdlib", "purelib", "platlib")] if p}))


def do_not_convert(fn):
    """Decorator: never convert ``fn`` (TensorFlow's
    ``tf.autograph.experimental.do_not_convert``): its Python ``if``s stay Python."""
    if isinstance(fn, types.FunctionType):
        fn.__ag_do_not_convert__ = True
        return fn

    @functools.wraps(fn)
    def plain(*args, **kwargs):
        return fn(*args, **kwargs)
    plain.__ag_do_not_convert__ = True
    return plain


def is_user_function(fn):
    """Would AutoGraph convert this function?"""
    if not isinstance(fn, types.FunctionType) or fn.__name__ == "<lambda>":
        return False
    if getattr(fn, "__ag_do_not_convert__", False) or getattr(fn, "__ag_converted__", False):
        return False
    if inspect.isgeneratorfunction(fn) or inspect.iscoroutinefunction(fn):
        return False
    filename = fn.__code__.co_filename
    if filename.startswith("<frozen"):
        return False                     # the standard library's own frozen modules
    return not os.path.realpath(filename).startswith(_LIBRARY)


def would_convert(obj):
    """Would ``converted_call(obj, ...)`` convert it?"""
    if isinstance(obj, types.MethodType):
        obj = obj.__func__
    elif isinstance(obj, functools.partial):
        obj = obj.func
    return is_user_function(obj)


def converted_call(fn, /, *args, **kwargs):
    """``fn(*args, **kwargs)``, converting ``fn`` first if it is the user's."""
    return converted(fn)(*args, **kwargs)


def converted(fn):
    """``fn`` converted (or itself, with a warning if it could not be)."""
    from ..conversion import convert_or_warn          # the converter uses this module too
    if isinstance(fn, types.MethodType) and is_user_function(fn.__func__):
        return types.MethodType(convert_or_warn(fn.__func__), fn.__self__)
    if isinstance(fn, functools.partial) and would_convert(fn.func):
        return functools.partial(converted(fn.func), *fn.args, **fn.keywords)
    return convert_or_warn(fn) if is_user_function(fn) else fn

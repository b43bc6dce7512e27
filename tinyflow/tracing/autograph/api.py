"""The user's handles on AutoGraph (re-exported as ``tinyflow.autograph``)."""
from .conversion import ConversionError, convert, converted_code
from .runtime.calls import do_not_convert, would_convert  # noqa: F401


def to_code(fn):
    """The source of ``fn`` as AutoGraph converts it: a string of valid Python
    (TensorFlow's ``tf.autograph.to_code``). ``ag__`` in it is
    ``tinyflow.tracing.autograph.runtime``.

    The shape is TensorFlow's -- ``if_body``/``else_body``, ``loop_test``/``loop_body``,
    ``ag__.if_stmt``, ``ag__.while_stmt``, ``ag__.for_stmt``, ``break_``, ``retval_`` --
    written more plainly: TensorFlow 2.21 wraps the body in ``ag__.FunctionScope``, reads
    every name through ``ag__.ld(...)``, and passes the variables by ``nonlocal`` and a
    ``get_state``/``set_state`` pair; here each generated function takes the variables as
    arguments and returns their new values as a tuple."""
    if hasattr(fn, "python_function"):              # a tinyflow.function
        fn = fn.python_function
    fn = _checked(fn, "to_code")
    return (f"# {fn.__name__} as converted by tinyflow.autograph "
            f"(ag__ is tinyflow.tracing.autograph.runtime)\n" + converted_code(fn).source)


def to_graph(fn):
    """``fn`` converted: a Python function whose ``if``/``while``/``for`` build
    ``cond``/``while_loop`` ops when given symbolic tensors, and run as plain
    Python when given Python values or eager tensors (TensorFlow's
    ``tf.autograph.to_graph``)."""
    if hasattr(fn, "python_function"):
        fn = fn.python_function
    return convert(_checked(fn, "to_graph"))


def _checked(fn, caller):
    if getattr(fn, "__ag_converted__", False):
        raise ConversionError(f"{caller}: {fn.__name__} is already converted")
    if not callable(fn):
        raise TypeError(f"{caller}: expected a function, got {type(fn).__name__}")
    return getattr(fn, "__func__", fn)


def set_loop_options(parallel_iterations=None, swap_memory=None, maximum_iterations=None,
                     shape_invariants=None):
    """As the first statement of a loop body, options for the loop when it is
    staged as a ``while_loop`` (TensorFlow's
    ``tf.autograph.experimental.set_loop_options``): ``maximum_iterations``,
    ``shape_invariants=[(variable, shape), ...]`` (``None`` for a size that
    may change). The converter reads it from the source; called, it does nothing."""
    return None

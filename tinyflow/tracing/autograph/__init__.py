"""AutoGraph: Python ``if``/``while``/``for`` on tensors, rewritten into
``cond`` and ``while_loop`` when ``tinyflow.function`` traces a function.

Tracing runs the Python function once with symbolic tensors. A Python ``if``
on one of them cannot run -- the tensor has no value yet. So, as TensorFlow
2's AutoGraph does, ``tinyflow.function`` first *rewrites the function's
source*: every ``if``, ``while`` and ``for`` becomes small functions and a
call into a runtime that decides when the function is traced --

* a Python condition (a flag, a number, a list, an eager tensor): plain
  Python control flow, exactly as written;
* a symbolic tensor condition: a ``cond`` or ``while_loop`` op, with the
  variables the statement assigns as its outputs or loop variables.

A worked example (``to_code`` shows the rewritten source)::

    >>> import tinyflow as tf
    >>> def relu_sum(x, n):
    ...     total = 0.0
    ...     for i in range(n):
    ...         if x[i] > 0:
    ...             total += x[i]
    ...     return total
    >>> print(tf.autograph.to_code(relu_sum))   # doctest: +NORMALIZE_WHITESPACE
    # relu_sum as converted by tinyflow.autograph (ag__ is tinyflow.tracing.autograph.runtime)
    def relu_sum(x, n):
        total = 0.0
    <BLANKLINE>
        def loop_body(i, total):
    <BLANKLINE>
            def if_body(total):
                total += x[i]
                return (total,)
    <BLANKLINE>
            def else_body(total):
                return (total,)
            total, = ag__.if_stmt(x[i] > 0, if_body, else_body, (total,), ('total',))
            return (total,)
        total, = ag__.for_stmt(ag__.range_(n), None, loop_body, (total,), ('total',))
        return total
    >>> f = tf.function(relu_sum)
    >>> f(tf.tensor([1.0, -2.0, 3.0]), tf.tensor(3))     # n is a tensor: one while_loop
    tensor(4.)
    >>> [op.type for op in f.concrete_functions[0].graph.get_operations() if op.type == "While"]
    ['While']

The pieces, each a short file: ``conversion.py`` (source in, function out),
``converters/`` (the six rewriting passes, in order), ``runtime/`` (what the
rewritten code calls: ``ag__``), ``effects.py`` (prints and updates run in a
traced function, branches and loop bodies included), ``api.py``
(``to_code``, ``to_graph``, ``do_not_convert``, ``set_loop_options``).

What is converted: the traced function, and -- recursively, when they are
called -- the user's functions and methods it calls (``helper(x)``,
``self.step(x)``, ``model.run(x)``; see converters/calls.py). Not converted:
lambdas, functions of tinyflow, numpy, the standard library or installed
packages, methods named like a tensor method (``x.sum()``), a module's
``forward`` reached through ``module(x)``, and functions marked
``do_not_convert``. A function whose source cannot be read runs as it is,
with a warning. Not supported inside control flow staged as ops: ``return``
inside a loop on a tensor, a ``break``/``return`` that depends on a tensor
inside a Python loop, attributes or list items as state (``self.n += 1`` and
``xs.append(v)`` happen once, while tracing: only plain variables are
carried), ``for`` over ``zip``/``enumerate`` of symbolic tensors, and
zero-argument ``super()`` inside an ``if`` or loop body (it runs in a
generated function).
"""
from .api import to_code, to_graph, do_not_convert, set_loop_options  # noqa: F401
from .conversion import convert, convert_or_warn, ConversionError, AutoGraphWarning  # noqa: F401
from .runtime.variables import Undefined  # noqa: F401

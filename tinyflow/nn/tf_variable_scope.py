"""TensorFlow 1's variable sharing: ``variable_scope`` and ``get_variable``.

A variable scope names the variables ``get_variable`` makes (``"layer/w"``), and
says whether it may *reuse* existing ones: ``reuse=True`` (they must exist),
``AUTO_REUSE`` (made once, then shared), or not (a second ``get_variable`` of one
name is an error, the mistake TF1 guards against). Ops built inside go into a
name scope of the same name, uniquified (``"layer_1/"`` the second time), while
variables keep the scope's own name -- which is how two calls share weights.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> def layer(x):
...     with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
...         w = tf.get_variable("w", [2, 3])
...         return tf.matmul(x, w)
>>> x = tf.placeholder(tf.float32, [None, 2])
>>> a, b = layer(x), layer(x)
>>> [v.name for v in tf.global_variables()], a.name, b.name
(['shared/w:0'], 'shared/MatMul:0', 'shared_1/MatMul:0')
"""
import contextlib

import numpy as np

from ..base.source import user_site
from ..graph.feeds import as_dtype
from ..graph.graph import get_default_graph
from ..graph.variables import Variable
from .tf_initializers import glorot_uniform_initializer, zeros_initializer


class _ReuseMode:
    """``tf.AUTO_REUSE``: make the variable if it is missing, else share it."""

    def __repr__(self):
        return "<_ReuseMode.AUTO_REUSE: 1>"


AUTO_REUSE = _ReuseMode()


class VariableScope:
    """A variable scope: its ``name``, whether it ``reuse``s variables, and the
    defaults (``initializer``, ``dtype``) its ``get_variable`` calls use."""

    def __init__(self, name, reuse=False, initializer=None, dtype=np.float32,
                 original_name_scope=""):
        self.name = name
        self.reuse = reuse
        self.initializer = initializer
        self.dtype = dtype
        self.original_name_scope = original_name_scope

    def reuse_variables(self):
        """From now on, ``get_variable`` in this scope shares existing variables."""
        self.reuse = True

    def __repr__(self):
        return f"<VariableScope '{self.name}' reuse={self.reuse}>"


class _Store:
    """A graph's variable scopes (the stack of entered ones), its ``get_variable``
    variables by full name, and how often each default name was used."""

    def __init__(self):
        self.stack = [VariableScope("")]
        self.variables = {}
        self.defaults = {}


def _store(graph=None):
    """The graph's variable store, kept by the graph itself (``Graph.store``): a
    table beside it (even a WeakKeyDictionary, whose values point back at the
    graph) would keep every reset graph alive."""
    return (graph or get_default_graph()).store("tf.variable_scope", _Store)


def get_variable_scope():
    """The innermost variable scope (the root one, named "", outside any)."""
    return _store().stack[-1]


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None,
                   regularizer=None, caching_device=None, partitioner=None,
                   custom_getter=None, reuse=None, dtype=None, use_resource=None,
                   constraint=None, auxiliary_name_scope=True):
    """Enter a variable scope (a name, a ``VariableScope``, or None with
    ``default_name``, made unique: "dense", "dense_1"...); yields it."""
    g = get_default_graph()
    store = _store(g)
    parent = store.stack[-1]
    if isinstance(name_or_scope, VariableScope):
        full = name_or_scope.name
        reuse = name_or_scope.reuse if reuse is None else reuse
        initializer = initializer or name_or_scope.initializer
    elif name_or_scope is not None:
        full = _join(parent.name, str(name_or_scope))
    elif default_name is not None:          # the first of base, base_1... not yet taken
        base = _join(parent.name, default_name)
        n = store.defaults.get(base, 0)
        while True:
            full = base if n == 0 else f"{base}_{n}"
            n += 1
            if not any(k.startswith(full + "/") for k in store.variables):
                break
        store.defaults[base] = n
    else:
        raise ValueError("variable_scope: name_or_scope and default_name are both None; "
                         "give the scope a name")
    if not reuse:                  # None or False: the parent's (True stays True below)
        reuse = parent.reuse
    scope = VariableScope(full, reuse, initializer or parent.initializer, dtype or parent.dtype)
    short = full.rsplit("/", 1)[-1]
    with g.name_scope(short if auxiliary_name_scope else None) as ns:
        scope.original_name_scope = ns
        store.stack.append(scope)
        try:
            yield scope
        finally:
            store.stack.pop()


def _join(parent, name):
    return f"{parent}/{name}" if parent else name


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None, constraint=None):
    """The variable ``scope/name``: made with ``initializer`` (default: the scope's,
    else glorot_uniform for floats and zeros for integers), or -- when the scope
    reuses -- the one already made, its shape and dtype checked."""
    g = get_default_graph()
    store = _store(g)
    scope = store.stack[-1]
    full = _join(scope.name, name)
    found = store.variables.get(full)
    want = as_dtype(dtype if dtype is not None else scope.dtype).base_dtype
    if found is not None:
        if scope.reuse is False:
            var, site = found
            raise ValueError(f"Variable {full} already exists, disallowed. Did you mean to set "
                             f"reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally defined "
                             f"at:\n\n  {site or '(unknown)'}")
        var = found[0]
        if shape is not None and tuple(shape) != tuple(var.shape.as_list()):
            raise ValueError(f"Trying to share variable {full}, but specified shape "
                             f"{tuple(shape)} and found shape {tuple(var.shape.as_list())}.")
        if dtype is not None and want != var.dtype.base_dtype:
            raise ValueError(f"Trying to share variable {full}, but specified dtype {want.name} "
                             f"and found dtype {var.dtype.name}.")
        return var
    if scope.reuse is True:
        raise ValueError(f"Variable {full} does not exist, or was not created with "
                         f"tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                         f"VarScope?")
    init = initializer if initializer is not None else scope.initializer
    if init is None:
        init = glorot_uniform_initializer() if want.is_floating else zeros_initializer()
    if callable(init):
        if shape is None:
            raise ValueError(f"Variable {full} did not get an initializer, so its `shape` "
                             f"argument must be specified.")
        value = lambda: init(tuple(int(d) for d in shape), want.dtype)   # noqa: E731
    else:
        value = np.asarray(init, want.dtype)
    with g.name_scope(None):                 # the variable's name is the scope's, not the ops'
        var = Variable(value, name=full, trainable=True if trainable is None else trainable,
                       dtype=want.dtype, collections=collections)
    if var.node.name != full:
        raise ValueError(f"get_variable: the name {full} is taken by an op that is not a "
                         f"get_variable variable (it became {var.node.name})")
    store.variables[full] = (var, user_site())
    return var

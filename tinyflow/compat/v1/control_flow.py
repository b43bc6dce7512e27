"""TensorFlow 1's control flow: ``tf.cond``, ``tf.case``, ``tf.while_loop``,
``tf.map_fn``, ``tf.scan``, building into the default graph.

They are the ops of ``tinyflow/graph/control_flow``, with TensorFlow 1's
conventions for results: a one-element list of results comes back as the
element itself (``cond`` unless ``strict=True``; ``while_loop`` unless
``return_same_structure=True``).

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> i = tf.while_loop(lambda i: i < 10, lambda i: i + 3, [0])
>>> i
<tf.Tensor 'while:0' shape=() dtype=int32>
>>> tf.Session().run(i)
np.int32(12)
"""
from ...graph.control_flow import cond as _cond
from ...graph.control_flow import case as _case
from ...graph.control_flow import map_fn as _map_fn
from ...graph.control_flow import scan as _scan
from ...graph.control_flow import while_loop as _while_loop
from ...graph.graph import building


def in_graph(fn):
    """``fn`` building into the default graph (its ``name=`` names the op itself)."""
    def wrapper(*args, **kwargs):
        with building():
            return fn(*args, **kwargs)
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


def _unpack_if_singleton(result):
    return result[0] if isinstance(result, (list, tuple)) and len(result) == 1 else result


@in_graph
def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``true_fn()`` if ``pred`` else ``false_fn()``, as one op of the graph
    (TF1's ``tf.cond``; ``fn1``/``fn2`` are its old names for the two functions)."""
    true_fn = true_fn if true_fn is not None else fn1
    false_fn = false_fn if false_fn is not None else fn2
    if isinstance(pred, bool):        # TF1 builds a Switch on pred: it must be a tensor
        raise TypeError("'pred' must not be a Python bool.")
    out = _cond(pred, true_fn, false_fn, name=name)
    return out if strict else _unpack_if_singleton(out)


@in_graph
def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The function of the first true predicate (TF1's ``tf.case``)."""
    out = _case(pred_fn_pairs, default=default, exclusive=exclusive, name=name)
    return out if strict else _unpack_if_singleton(out)


@in_graph
def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """Repeat ``body`` while ``cond`` holds, as one op of the graph (TF1's
    ``tf.while_loop``: one loop variable comes back as a tensor, not a list)."""
    out = _while_loop(cond, body, loop_vars, shape_invariants=shape_invariants,
                      parallel_iterations=parallel_iterations, back_prop=back_prop,
                      maximum_iterations=maximum_iterations, name=name)
    if return_same_structure:
        return out
    from ...base.nest import flatten
    leaves, _ = flatten(out)
    return leaves[0] if len(leaves) == 1 else out


map_fn = in_graph(_map_fn)
scan = in_graph(_scan)

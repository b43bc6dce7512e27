"""``draw``: one function that draws whatever you hand it.

>>> import tinyflow as tf
>>> from tinyflow.viz import draw
>>> x = tf.tensor([1.0, 2.0, 3.0], requires_grad=True); x.name = "x"
>>> b = tf.tensor(1.0, requires_grad=True); b.name = "b"
>>> d = draw((x + b).sum())
>>> "sum to ()" in d.source          # b's gradient is summed over x's shape
True
"""
from ..eager.tensor import Tensor
from ..graph.graph import Graph, Operation
from ..graph.tensor import SymbolicTensor
from ..tracing.function import ConcreteFunction, Function
from .draw_eager import eager_picture
from .draw_graph import graph_picture
from .draw_module import module_picture, traced_module_picture


def draw(obj, input=None, *, fetches=None, show_values=False, show_grads=False, backward=None,
         max_depth=None, collapse=None, highlight=None, rankdir=None, title=None):
    """Draw a computation as a ``Drawing`` (a ``graphviz.Digraph`` that shows
    itself as SVG in Jupyter).

    ``obj`` can be:

    * an eager tensor (or a list of them): the autograd graph that made it --
      ops, leaves with their parameter names, shapes and dtypes;
      ``show_values``/``show_grads`` add numbers, ``backward=True`` draws the
      "...Backward" nodes of the backward pass beside the forward ones;
    * a ``Graph`` (``fetches=[loss]``: only what they need), a symbolic tensor
      or an Operation, a traced ``tinyflow.function`` or ``ConcreteFunction``
      (``input=x`` picks the trace for that input); name scopes are clusters and
      ``backward=True`` shows the ``gradients`` ops;
    * an ``nn.Module``: its layers and parameters, or with ``input=x`` the tape
      of one forward pass with each op inside its module's cluster.

    Layout: ``max_depth=k`` draws clusters nested deeper than k as single
    boxes (0: every layer/scope is one box), ``collapse=True`` does that for all
    clusters, ``collapse=["fc1"]`` for some. ``highlight={obj: "gold"}`` (or a
    list of objects) colours nodes: tape Nodes, tensors, Operations, names.
    ``rankdir="LR"`` lays it out left to right instead of top to bottom; with
    no ``rankdir`` a drawing too wide for the notebook is shown left to right
    when that is narrower.

    Node ids (``n0``, ``n1``...) follow the walk order, so the same
    computation always gives the same DOT text; ``drawing.node_id(obj)`` says
    which id an object got.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    >>> draw(model, input=tf.zeros(5, 4), collapse=True)
    <tinyflow drawing: 5 nodes, 4 edges>
    """
    _check_layout(rankdir, max_depth, collapse)
    eager = dict(show_values=show_values, show_grads=show_grads, backward=bool(backward))
    if isinstance(obj, Tensor) or _tensor_list(obj):
        for name, value in (("input", input), ("fetches", fetches)):
            if value is not None:
                raise ValueError(f"draw(): argument '{name}' is for a Module, a Graph or a "
                                 f"tinyflow.function; a tensor's drawing is the tape that made "
                                 f"it, so leave {name} out")
        pic = eager_picture([obj] if isinstance(obj, Tensor) else list(obj), **eager)
    elif isinstance(obj, (Graph, SymbolicTensor, Operation, Function, ConcreteFunction)):
        graph, fetches, name = _graph_of(obj, input, fetches)
        pic = graph_picture(graph, fetches, backward)
        title = title or name
    elif _is_module(obj):
        if input is None:
            pic = module_picture(obj)
        else:
            args = input if isinstance(input, tuple) else (input,)
            pic = traced_module_picture(obj, args, **eager)
    elif isinstance(getattr(obj, "graph", None), Graph):      # a jit trace, a session, a bundle...
        graph, fetches, name = _graph_of(obj.graph, input, fetches)
        pic = graph_picture(graph, fetches, backward)
        title = title or name
    else:
        what = "an empty list" if isinstance(obj, (list, tuple)) and not obj else (
            f"a {type(obj).__name__} holding {type(_first_non_tensor(obj)).__name__}"
            if isinstance(obj, (list, tuple)) else type(obj).__name__)
        raise TypeError(f"draw() takes an eager tensor, a Graph, a symbolic tensor or op, a "
                        f"tinyflow.function, an nn.Module or anything with a .graph; got "
                        f"{what} (argument 'obj')")
    if title:
        pic.title = title
    return pic.to_dot(highlight=highlight, max_depth=max_depth, collapse=collapse,
                      rankdir=rankdir)


RANKDIRS = ("TB", "LR", "BT", "RL")


def _check_layout(rankdir, max_depth, collapse):
    """The layout arguments, refused early with what was expected (graphviz would
    otherwise draw something else, or fail much later)."""
    if rankdir is not None and rankdir not in RANKDIRS:
        raise ValueError(f"draw(): argument 'rankdir' must be one of {', '.join(RANKDIRS)}, "
                         f"got {rankdir!r}")
    if max_depth is not None:
        if isinstance(max_depth, bool) or not isinstance(max_depth, int):
            raise TypeError(f"draw(): argument 'max_depth' must be an int or None, got "
                            f"{type(max_depth).__name__} {max_depth!r}")
        if max_depth < 0:
            raise ValueError(f"draw(): argument 'max_depth' must be >= 0, got {max_depth}")
    if collapse is not None and not isinstance(collapse, (bool, list, tuple, set)):
        raise TypeError(f"draw(): argument 'collapse' must be True, False or a list of "
                        f"cluster names, got {type(collapse).__name__} {collapse!r}")


def _first_non_tensor(items):
    return next((t for t in items if not isinstance(t, Tensor)), None)


def _tensor_list(obj):
    return isinstance(obj, (list, tuple)) and obj and all(isinstance(t, Tensor) for t in obj)


def _is_module(obj):
    from ..nn.module import Module
    return isinstance(obj, Module)


def _graph_of(obj, input, fetches):
    """(graph, fetches, title) for the graph-like things draw accepts."""
    if isinstance(obj, (SymbolicTensor, Operation)):
        return obj.graph, fetches if fetches is not None else [obj], None
    if isinstance(obj, Function):
        if input is not None:
            args = input if isinstance(input, tuple) else (input,)
            obj = obj.get_concrete_function(*args)
        elif obj._concrete:
            obj = list(obj._concrete.values())[-1]     # the latest trace
        else:
            raise ValueError(f"draw(): the tinyflow.function {obj.name!r} has not been traced "
                             f"yet; call it once, or pass an example: draw(f, input=x)")
    if isinstance(obj, ConcreteFunction):
        return obj.graph, fetches, getattr(obj.graph, "name", None)
    return obj, fetches, None

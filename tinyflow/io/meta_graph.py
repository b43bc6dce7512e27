"""A graph as plain data (JSON), and back: what ``export_meta_graph`` writes and
``import_meta_graph`` reads. Ops are looked up by type in the primitive
registry -- nothing named in a file is ever imported or executed.

Control flow: an ``If`` or ``While`` op (and their gradients ``IfGrad``,
``WhileGrad``) holds function graphs -- its branches, its condition and body. They
are stored once each in the file's ``functions`` (as TensorFlow's FunctionDefLibrary),
with their nodes, inputs and outputs, and the values their gradient reads; an op's
attribute names its function (``{"function": "f0"}``).

A ``tf.data`` iterator's ops keep their element's shapes and dtypes, not the
dataset: a pipeline is Python code (its ``map`` functions), and no code is
stored. (TensorFlow stores the dataset's graph.) An imported iterator says so
when it runs; its ``get_next()`` tensors can be fed through ``feed_dict``.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [], name="x")
>>> y = tf.cond(x > 0, lambda: x * 2.0, lambda: -x, name="c")
>>> data = graph_to_dict(tf.get_default_graph())
>>> sorted(f["name"] for f in data["functions"].values())
['c/false', 'c/true']
>>> g = tf.Graph()
>>> made = dict_to_graph(data, g)
>>> with tf.Session(graph=g) as sess:
...     float(sess.run("c:0", {"x:0": 3.0}))
6.0
"""
import base64
import math

import numpy as np

from ..base.errors import CheckpointError
from ..ops.primitive import PRIMITIVES, is_eager
from ..ops.indexing import Arg
from ..ops.debug import Counter
from ..graph.graph import Graph
from ..graph.iterator_ops import Source
from ..graph.feeds import STRING, DType
from ..graph.control_flow.cond import VARIANT
from ..graph.control_flow.function_graph import FunctionGraph
from ..ops import state as S

FORMAT = "tinyflow.meta_graph/1"


def encode_attr(v, library=None):
    """An attribute value as JSON-ready data; a function graph goes into ``library``
    (a Library) and is named by its key."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, FunctionGraph):
        if library is None:
            raise TypeError("cannot serialize a function graph outside a meta graph")
        return {"function": library.add(v)}
    if v is VARIANT:               # what a control-flow op keeps for its gradient
        return {"dtype": "variant"}
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return v if math.isfinite(v) else {"float": repr(v)}
    if isinstance(v, (np.dtype, DType)):
        return {"dtype": _dtype_name(v)}
    if isinstance(v, type) and issubclass(v, np.generic):
        return {"dtype": np.dtype(v).name}
    if isinstance(v, np.ndarray) and v.dtype.kind == "O":      # strings: bytes, as base64
        return {"strings": [base64.b64encode(b).decode() for b in v.reshape(-1)],
                "shape": list(v.shape)}
    if isinstance(v, np.ndarray):
        a = np.array(v, order="C")          # (np.ascontiguousarray makes a 0-d array 1-d)
        return {"array": base64.b64encode(a.tobytes()).decode(), "dtype": a.dtype.str,
                "shape": list(a.shape)}
    if isinstance(v, tuple):
        return {"tuple": [encode_attr(x, library) for x in v]}
    if isinstance(v, list):
        return [encode_attr(x, library) for x in v]
    if isinstance(v, slice):
        return {"slice": [encode_attr(v.start), encode_attr(v.stop), encode_attr(v.step)]}
    if v is Ellipsis:
        return {"ellipsis": True}
    if isinstance(v, Arg):
        return {"arg": v.k, "mask": v.mask}
    if isinstance(v, Counter):
        return {"counter": 0}
    if is_eager(v):           # a captured eager tensor: its value now
        return encode_attr(np.array(v.array))
    if isinstance(v, Source):  # a tf.data iterator: its element's shapes and dtypes, not its pipeline
        return {"iterator": v.name, "one_shot": v.one_shot,
                "shapes": [encode_attr(tuple(s)) for s in v.shapes],
                "dtypes": [_dtype_name(d) for d in v.dtypes]}
    raise TypeError(f"cannot serialize attribute value of type {type(v).__name__}")


def decode_attr(v, functions=None):
    """The inverse of encode_attr; ``functions(key)`` gives a stored function graph."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, list):
        return [decode_attr(x, functions) for x in v]
    if not isinstance(v, dict) or len(v) == 0:
        raise CheckpointError(f"corrupt meta graph: bad attribute {v!r}")
    if "function" in v:
        if functions is None:
            raise CheckpointError("corrupt meta graph: a function graph outside a meta graph")
        return functions(v["function"])
    if "float" in v:
        return float(v["float"]) if v["float"] in ("inf", "-inf", "nan") else _bad(v)
    if "dtype" in v and "array" not in v:
        return _dtype(v["dtype"])
    if "array" in v:
        dtype = _dtype(v["dtype"])
        shape = v["shape"]
        if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool)
                                                  and d >= 0 for d in shape):
            raise CheckpointError(f"corrupt meta graph: bad array shape {shape!r}")
        shape = tuple(shape)
        raw = base64.b64decode(v["array"], validate=True)
        # Python ints (no int64 overflow), and the bytes are counted before anything is made
        if len(raw) != math.prod(shape) * dtype.itemsize:
            raise CheckpointError(f"corrupt meta graph: array of shape {shape} and dtype {dtype} "
                                  f"has {len(raw)} bytes")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if "strings" in v:
        shape = tuple(v["shape"])
        items = [base64.b64decode(b, validate=True) for b in v["strings"]]
        if math.prod(shape) != len(items):
            raise CheckpointError(f"corrupt meta graph: {len(items)} strings for shape {shape}")
        return np.array(items + [None], dtype=object)[:-1].reshape(shape)
    if "tuple" in v:
        return tuple(decode_attr(x, functions) for x in v["tuple"])
    if "slice" in v:
        return slice(*[decode_attr(x) for x in v["slice"]])
    if "ellipsis" in v:
        return Ellipsis
    if "arg" in v:
        return Arg(int(v["arg"]), bool(v["mask"]))
    if "counter" in v:
        return Counter()
    if "iterator" in v:
        return _iterator_source(v)
    return _bad(v)


def _iterator_source(v):
    shapes, dtypes = v.get("shapes"), v.get("dtypes")
    if not (isinstance(shapes, list) and isinstance(dtypes, list) and len(shapes) == len(dtypes)
            and isinstance(v["iterator"], str) and isinstance(v.get("one_shot"), bool)):
        _bad(v)
    shapes = [decode_attr(s) for s in shapes]
    if not all(isinstance(s, tuple) and all(d is None or type(d) is int for d in s)
               for s in shapes):
        _bad(v)
    return Source.not_saved(shapes, [_dtype(d) for d in dtypes], v["one_shot"], v["iterator"])


def _bad(v):
    raise CheckpointError(f"corrupt meta graph: unknown attribute encoding {v!r}")


def _dtype_name(dtype):
    """A tensor's dtype as stored: numpy's name ("float32" for a float32_ref
    variable too), or "string"."""
    return "string" if np.dtype(dtype).kind in "OS" else np.dtype(dtype).name


def _dtype(name):
    if name == "string":
        return STRING
    if name == "variant":
        return VARIANT
    try:
        d = np.dtype(name)
    except TypeError:
        raise CheckpointError(f"corrupt meta graph: unknown dtype {name!r}") from None
    if d.kind not in "biuf":
        raise CheckpointError(f"corrupt meta graph: dtype {d} is not allowed")
    return d


def graph_to_dict(graph):
    """The graph as JSON-ready data (Capture nodes are frozen into constants)."""
    library = Library()
    nodes = _nodes(graph, library)
    variables = [{"variable": v.node.name, "initializer": v.initializer.name,
                  "initial_value": v.initial_value.name, "trainable": v.trainable}
                 for v in graph.get_collection("variables")]
    return {"format": FORMAT, "nodes": nodes, "variables": variables,
            "functions": library.functions}


def _nodes(graph, library):
    nodes = []
    for op in graph.get_operations():
        out = op.outputs[0] if op.outputs else None
        typ = op.type
        attrs = dict(op.attrs)
        if typ == "Capture":
            typ = "Const"
            attrs = {"value": np.array(attrs["tensor"].array), "dtype": attrs["dtype"],
                     "shape": attrs["shape"]}
        elif typ == "GradHook":            # Python hooks are not data: saved as a plain identity
            typ, attrs = "Identity", {}
        nodes.append({
            "name": op.name, "op": typ,
            "inputs": [t.name for t in op.inputs],
            "control_inputs": [c.name for c in op.control_inputs],
            "attrs": {k: encode_attr(v, library) for k, v in attrs.items()},
            "shape": None if out is None or out._shape is None else list(out._shape),
            "dtype": None if out is None else _dtype_name(out.dtype),
        })
    return nodes


class Library:
    """The function graphs of a graph's control-flow ops, each stored once (a cond's
    branches serve its If op and its IfGrad op alike), inner functions first."""

    def __init__(self):
        self.functions = {}
        self._keys = {}

    def add(self, fg):
        key = self._keys.get(id(fg))
        if key is None:
            nodes = _nodes(fg, self)                  # its own inner functions first
            key = self._keys[id(fg)] = f"f{len(self.functions)}"
            grad = fg.gradient
            self.functions[key] = {
                "name": fg.name, "nodes": nodes,
                "inputs": [t.name for t in fg.inputs],
                "outputs": [t.name for t in fg.outputs],
                "saved": [t.name for t in fg.saved],
                "gradient": None if grad is None else {
                    "output_grads": [t.name for t in grad[0]],
                    "input_grads": [None if t is None else t.name for t in grad[1]]},
            }
        return key


def dict_to_graph(data, graph=None, import_scope=None):
    """Rebuild ops from ``graph_to_dict`` data into ``graph``. Returns the new
    ops by their saved names."""
    from ..graph.variables import Variable
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CheckpointError(f"not a tinyflow meta graph (expected format {FORMAT!r})")
    graph = graph or Graph()
    prefix = f"{import_scope}/" if import_scope else ""
    try:
        made = _build(data["nodes"], graph, prefix, _Functions(data.get("functions") or {}))
        for v in data.get("variables", []):
            op = made[v["variable"]]
            var = Variable.from_op(op, made[v["initializer"]],
                                    _lookup(made, v["initial_value"]), bool(v["trainable"]))
            graph.add_to_collection("variables", var)
            if var.trainable:
                graph.add_to_collection("trainable_variables", var)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError,
            RecursionError) as e:
        if isinstance(e, CheckpointError):
            raise
        raise CheckpointError(f"corrupt meta graph: {type(e).__name__}: {e}") from None
    return made


def _build(nodes, graph, prefix, functions):
    """Create the ``nodes`` in ``graph``; returns them by their saved names."""
    made = {}
    for n in nodes:
        prim = PRIMITIVES.get(n["op"])
        if prim is None:
            raise CheckpointError(f"meta graph node {n['name']!r} has unknown op type "
                                  f"{n['op']!r}; refusing to load it")
        inputs = [_lookup(made, name) for name in n["inputs"]]
        control = [made[c] for c in n["control_inputs"]]
        attrs = {k: decode_attr(v, lambda key: functions.get(key, graph))
                 for k, v in n["attrs"].items()}
        if prim.multi_output:            # cond, while_loop: one shape and dtype per output
            shape, dtype = attrs["shapes"], attrs["dtypes"]
        else:
            shape, dtype = _shape(n), _dtype(n["dtype"]) if n["dtype"] else np.dtype(bool)
        with graph.control_dependencies(control):
            op = graph.create_op(prim, inputs, attrs, shape, dtype,
                                 name=prefix + str(n["name"]), exact=True, site=False)
        made[n["name"]] = op
    return made


def _shape(n):
    shape = n["shape"]
    if shape is None:
        return None
    if not isinstance(shape, list) or not all(
            d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= 0)
            for d in shape):
        raise CheckpointError(f"corrupt meta graph: node {n['name']!r} has the shape {shape!r}")
    return tuple(shape)


class _Functions:
    """The stored function graphs, each rebuilt once, inside the graph of the first
    op that names it (an If and its IfGrad live in one graph)."""

    def __init__(self, stored):
        self.stored, self.built = stored, {}

    def get(self, key, outer):
        fg = self.built.get(key)
        if fg is None:
            f = self.stored[key]
            fg = FunctionGraph(str(f["name"]), outer)
            made = _build(f["nodes"], fg, "", self)
            fg.inputs = [_lookup(made, t) for t in f["inputs"]]
            if any(t.node.prim is not S.Placeholder for t in fg.inputs):
                raise CheckpointError(f"corrupt meta graph: function {key} has an input that "
                                      f"is not a placeholder")
            fg.outputs = [_lookup(made, t) for t in f["outputs"]]
            fg.saved = tuple(_lookup(made, t) for t in f["saved"])
            grad = f["gradient"]
            if grad is not None:
                fg.gradient = ([_lookup(made, t) for t in grad["output_grads"]],
                               [None if t is None else _lookup(made, t)
                                for t in grad["input_grads"]])
            fg.n_args = len(fg.inputs)
            self.built[key] = fg
        return fg


def _lookup(made, tensor_name):
    op_name, _, index = str(tensor_name).rpartition(":")
    op = made[op_name]
    return op.outputs[int(index)]

"""A graph as plain data (JSON), and back: what ``export_meta_graph`` writes and
``import_meta_graph`` reads. Ops are looked up by type in the primitive
registry -- nothing named in a file is ever imported or executed.
"""
import base64
import math

import numpy as np

from ..base.errors import CheckpointError
from ..ops.primitive import PRIMITIVES, is_eager
from ..ops.indexing import Arg
from ..ops.debug import Counter
from ..graph.graph import Graph
from ..graph.feeds import STRING

FORMAT = "tinyflow.meta_graph/1"


def encode_attr(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return v if math.isfinite(v) else {"float": repr(v)}
    if isinstance(v, np.dtype) or v is STRING:
        return {"dtype": _dtype_name(v)}
    if isinstance(v, type) and issubclass(v, np.generic):
        return {"dtype": np.dtype(v).name}
    if isinstance(v, np.ndarray) and v.dtype.kind == "O":      # strings: bytes, as base64
        return {"strings": [base64.b64encode(b).decode() for b in v.reshape(-1)],
                "shape": list(v.shape)}
    if isinstance(v, np.ndarray):
        a = np.ascontiguousarray(v)
        return {"array": base64.b64encode(a.tobytes()).decode(), "dtype": a.dtype.str,
                "shape": list(a.shape)}
    if isinstance(v, tuple):
        return {"tuple": [encode_attr(x) for x in v]}
    if isinstance(v, list):
        return [encode_attr(x) for x in v]
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
    raise TypeError(f"cannot serialize attribute value of type {type(v).__name__}")


def decode_attr(v):
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, list):
        return [decode_attr(x) for x in v]
    if not isinstance(v, dict) or len(v) == 0:
        raise CheckpointError(f"corrupt meta graph: bad attribute {v!r}")
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
        return tuple(decode_attr(x) for x in v["tuple"])
    if "slice" in v:
        return slice(*[decode_attr(x) for x in v["slice"]])
    if "ellipsis" in v:
        return Ellipsis
    if "arg" in v:
        return Arg(int(v["arg"]), bool(v["mask"]))
    if "counter" in v:
        return Counter()
    return _bad(v)


def _bad(v):
    raise CheckpointError(f"corrupt meta graph: unknown attribute encoding {v!r}")


def _dtype_name(dtype):
    """A tensor's dtype as stored: numpy's name ("float32" for a float32_ref
    variable too), or "string"."""
    return "string" if np.dtype(dtype).kind in "OS" else np.dtype(dtype).name


def _dtype(name):
    if name == "string":
        return STRING
    try:
        d = np.dtype(name)
    except TypeError:
        raise CheckpointError(f"corrupt meta graph: unknown dtype {name!r}") from None
    if d.kind not in "biuf":
        raise CheckpointError(f"corrupt meta graph: dtype {d} is not allowed")
    return d


def graph_to_dict(graph):
    """The graph as JSON-ready data (Capture nodes are frozen into constants)."""
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
            "attrs": {k: encode_attr(v) for k, v in attrs.items()},
            "shape": None if out is None or out._shape is None else list(out._shape),
            "dtype": None if out is None else _dtype_name(out.dtype),
        })
    variables = [{"variable": v.node.name, "initializer": v.initializer.name,
                  "initial_value": v.initial_value.name, "trainable": v.trainable}
                 for v in graph.get_collection("variables")]
    return {"format": FORMAT, "nodes": nodes, "variables": variables}


def dict_to_graph(data, graph=None, import_scope=None):
    """Rebuild ops from ``graph_to_dict`` data into ``graph``. Returns the new
    ops by their saved names."""
    from ..graph.variables import Variable
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CheckpointError(f"not a tinyflow meta graph (expected format {FORMAT!r})")
    graph = graph or Graph()
    prefix = f"{import_scope}/" if import_scope else ""
    made = {}
    try:
        for n in data["nodes"]:
            prim = PRIMITIVES.get(n["op"])
            if prim is None:
                raise CheckpointError(f"meta graph node {n['name']!r} has unknown op type "
                                      f"{n['op']!r}; refusing to load it")
            inputs = [_lookup(made, name) for name in n["inputs"]]
            control = [made[c] for c in n["control_inputs"]]
            attrs = {k: decode_attr(v) for k, v in n["attrs"].items()}
            shape = n["shape"]
            if shape is not None:
                if not isinstance(shape, list) or not all(
                        d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= 0)
                        for d in shape):
                    raise CheckpointError(f"corrupt meta graph: node {n['name']!r} has the "
                                          f"shape {shape!r}")
                shape = tuple(shape)
            dtype = _dtype(n["dtype"]) if n["dtype"] else np.dtype(bool)
            with graph.control_dependencies(control):
                op = graph.create_op(prim, inputs, attrs, shape, dtype,
                                     name=prefix + str(n["name"]), exact=True, site=False)
            made[n["name"]] = op
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


def _lookup(made, tensor_name):
    op_name, _, index = str(tensor_name).rpartition(":")
    op = made[op_name]
    return op.outputs[int(index)]

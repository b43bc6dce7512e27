"""Summary ops (TensorFlow 1): graph nodes whose value is a serialized ``Summary``.

``scalar`` and ``histogram`` add a node that, when a session runs it, turns
its input into the bytes of a ``Summary`` protocol buffer; ``merge_all``
concatenates them all. A ``FileWriter`` then writes those bytes to the event
file. They are primitives like any other (pure numpy-in, bytes-out forwards)
that never need a gradient.

>>> import tinyflow.compat.v1 as tf
>>> from tinyflow import summary
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [], name="x")
>>> s = summary.scalar("x", x * 2)
>>> merged = summary.merge_all()
>>> with tf.Session() as sess:
...     data = sess.run(merged, {x: 1.5})
>>> summary.parse(data).value[0].simple_value
3.0
"""
import functools
import re

import numpy as np

from ..eager.tensor import Tensor
from ..graph.tensor import SymbolicTensor
from ..graph.build import build
from ..graph.feeds import STRING
from ..graph.graph import building, get_default_graph
from ..ops.primitive import Primitive
from ..base.errors import ShapeError
from ..ops.shape_rules import fmt
from .graph_def import protos



# --- encoding -------------------------------------------------------------------

def encode(tag, value):
    """The bytes of a ``Summary`` holding ``value`` (a ``Summary.Value`` without tag).

    They travel through ``sess.run`` as a 0-d string tensor (a numpy object array
    holding the bytes, as TensorFlow's strings are); the session hands back the bytes.
    """
    value.tag = tag
    return protos().Summary(value=[value]).SerializeToString()


def to_bytes(summary):
    """A summary as bytes: bytes, a 0-d bytes array (what a session returns) or a proto."""
    if isinstance(summary, np.ndarray) and summary.dtype.kind == "S":
        return summary.tobytes()          # exact: trailing NULs included
    if isinstance(summary, np.ndarray) and summary.dtype.kind == "O" and summary.ndim == 0:
        return to_bytes(summary[()])
    if isinstance(summary, (bytes, np.bytes_)):
        return bytes(summary)
    if hasattr(summary, "SerializeToString"):
        return summary.SerializeToString()
    raise TypeError(f"expected a serialized Summary (the bytes sess.run returns for a summary "
                    f"op) or a Summary proto, got {type(summary).__name__}")


def parse(summary):
    """A ``Summary`` proto from bytes (or pass a proto through)."""
    p = protos()
    if isinstance(summary, p.Summary):
        return summary
    data = to_bytes(summary)
    try:
        return p.Summary.FromString(data)
    except p.DecodeError as e:
        raise ValueError(f"could not parse {len(data)} bytes as a Summary protocol buffer "
                         f"({e}); pass what sess.run returned for a summary op") from None


def numbers(what, values, hint):
    """``values`` (an eager tensor, an array, numbers) as an array of numbers; a
    symbolic tensor or anything else is refused, ``what`` naming the caller."""
    if isinstance(values, SymbolicTensor):
        raise TypeError(f"{what}: {values.name} is a symbolic tensor with no value yet; {hint}")
    arr = np.asarray(values.array if isinstance(values, Tensor) else values)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{what}: expected numbers, got {type(values).__name__} "
                        f"{values!r:.40} (dtype {arr.dtype})")
    return arr


def histogram_proto(tag, values):
    """A HistogramProto for ``values`` (TensorFlow's exponential buckets).

    Each value's bucket is computed, not searched for: the edges grow by 10%, so a
    logarithm gives it, and one comparison with the edge on each side corrects
    rounding. Then ``np.bincount`` counts: O(n), where ``np.histogram`` sorts every
    value (its edges are not evenly spaced). The result is tensorboardX's
    ``make_histogram``'s: np.histogram's buckets (the last one closed), trimmed to
    the first and last non-empty ones, with an empty bucket kept on the left."""
    arr = numbers(f"histogram '{tag}'", values,
                  "run it in a session first, or use summary.histogram in the graph")
    if arr.size == 0:
        raise ValueError(f"histogram '{tag}': got an empty array of shape {arr.shape}")
    arr = arr.astype(np.float64).reshape(-1)
    if not np.isfinite(arr).all():
        raise ValueError(f"histogram '{tag}': values contain nan or inf "
                         f"({int((~np.isfinite(arr)).sum())} of {arr.size})")
    edges = default_bins()
    counts = np.bincount(_buckets(arr, edges), minlength=len(edges))[:len(edges) - 1]
    nonzero = np.flatnonzero(counts)
    start, end = int(nonzero[0]), int(nonzero[-1]) + 1
    counts = counts[start - 1:end] if start > 0 else np.concatenate([[0], counts[:end]])
    return protos().Summary.Value().histo.__class__(
        min=arr.min(), max=arr.max(), num=arr.size, sum=arr.sum(), sum_squares=arr.dot(arr),
        bucket_limit=edges[start:end + 1].tolist(), bucket=counts.tolist())


def _buckets(arr, edges):
    """Each value's bucket i, edges[i] <= v < edges[i + 1] (the last bucket closed);
    len(edges) - 1 for values outside every bucket (dropped by the caller)."""
    k_all = (len(edges) - 1) // 2            # edges: -pos[::-1], 0, pos (k_all of them)
    pos = np.concatenate([[0.0], edges[k_all + 1:], [np.inf]])   # pos[k + 1] is edge k
    a = np.abs(arr)
    with np.errstate(divide="ignore"):
        k = np.log(a / pos[1]) / np.log(1.1)
    k = np.clip(np.nan_to_num(np.floor(k), neginf=-1), -1, k_all - 1).astype(np.int64)
    k -= a < pos[k + 1]                      # now pos[k + 1] <= a ...
    k += a >= pos[k + 2]                     # ... < pos[k + 2]
    out = np.where(arr >= 0, k_all + 1 + k,  # v >= 0: in [edge k, edge k+1) (or [0, edge 0))
                   k_all - 1 - k - (a > pos[k + 1]))    # v < 0: -v in (edge j-1, edge j]
    out[arr == edges[-1]] = len(edges) - 2   # the last bucket is closed
    out[(arr > edges[-1]) | (arr < edges[0])] = len(edges) - 1
    return out


@functools.lru_cache(maxsize=None)
def default_bins():
    """TensorFlow's histogram buckets: +-1e-12 growing by 10% up to 1e20, and 0."""
    pos = 1e-12 * 1.1 ** np.arange(int(np.ceil(np.log(1e32) / np.log(1.1))))
    return np.concatenate([-pos[::-1], [0.0], pos])


# --- primitives -----------------------------------------------------------------

def _scalar_forward(value, tag):
    arr = np.asarray(value)
    if arr.size != 1 or arr.dtype.kind not in "biuf":
        raise ValueError(f"scalar summary '{tag}' needs one number, got an array of shape "
                         f"{arr.shape} and dtype {arr.dtype}")
    return _string(encode(tag, protos().Summary.Value(simple_value=float(arr.reshape(())))))


def _histogram_forward(values, tag):
    return _string(encode(tag, protos().Summary.Value(histo=histogram_proto(tag, values))))


def _merge_forward(*summaries):
    return _string(b"".join(to_bytes(s) for s in summaries))   # Summary bytes concatenate


def _scalar_shape(shape, tag):
    if shape is not None and any(d is not None and d != 1 for d in shape):
        raise ShapeError(f"scalar summary '{tag}' needs a scalar, got shape {fmt(shape)}")
    return ()


def _string(data):
    """bytes as a 0-d string tensor's value (an object array: no NUL is ever lost)."""
    out = np.empty((), object)
    out[()] = data
    return out


def _string_dtype(*dtypes, **attrs):
    return STRING


ScalarSummary = Primitive("ScalarSummary", _scalar_forward, _scalar_shape, dtype=_string_dtype,
                          nondiff=True, family="summary", doc="a Summary holding one number")
HistogramSummary = Primitive("HistogramSummary", _histogram_forward, lambda s, tag: (),
                             dtype=_string_dtype, nondiff=True, family="summary",
                             doc="a Summary holding a histogram of the values")
MergeSummary = Primitive("MergeSummary", _merge_forward, lambda *s: (), dtype=_string_dtype,
                         nondiff=True, family="summary", doc="several Summaries as one")


# --- TensorFlow 1 spellings -----------------------------------------------------

_BAD = re.compile(r"[^A-Za-z0-9_.\-/]")


def _summary_op(prim, name, value, collections, family):
    if not isinstance(name, str) or not name.strip("/"):
        raise ValueError(f"a summary needs a non-empty name, got {name!r}")
    protos()                      # fail here, at the user's line, if tensorboardX is missing
    name = _BAD.sub("_", name.strip("/"))      # TensorFlow cleans illegal names the same way
    if family:
        name = f"{family}/{name}"
    graph = value.graph if isinstance(value, SymbolicTensor) else get_default_graph()
    with building(graph):
        out = build(prim, (value,), {"tag": name}, name=name)
    out.op.attrs["tag"] = out.op.name     # the tag is the unique, scoped op name (as in TF1)
    for key in ["summaries"] if collections is None else collections:
        graph.add_to_collection(key, out)
    return out


def _write_now(name, value, step):
    """TF2's form (a value, and a step or a default writer): write it now?"""
    from .writer import default_writer
    if isinstance(value, SymbolicTensor):
        if step is not None:
            raise TypeError(f"summary '{name}': step= writes a value now, but {value.name} is "
                            f"symbolic (inside a graph or a traced function); return it and log "
                            f"the result, or drop step= to build a TF1 summary op")
        return False
    return step is not None or default_writer() is not None


def _tf2(method, name, value, step):
    from .writer import default_writer
    writer = default_writer()
    if writer is None:
        return False                 # TF2 writes nothing without a default writer
    if step is None:
        raise ValueError(f"summary '{name}': no step given; pass step=")
    getattr(writer, method)(name, value, step)
    return True


def scalar(name, tensor, collections=None, family=None, step=None):
    """A summary op for one number; run it and pass the result to ``add_summary``.

    >>> import tinyflow.compat.v1 as tf
    >>> tf.reset_default_graph()
    >>> scalar("loss", tf.constant(0.5))
    <tf.Tensor 'loss:0' shape=() dtype=string>

    TF2's form writes a value now: ``with writer.as_default(): scalar("loss",
    0.5, step=3)`` (returns True when written).
    """
    if _write_now(name, tensor, step):
        return _tf2("add_scalar", name, tensor, step)
    return _summary_op(ScalarSummary, name, tensor, collections, family)


def histogram(name, values, collections=None, family=None, step=None):
    """A summary op for the distribution of ``values`` (any shape); TF2's form
    (``step=``, under ``writer.as_default()``) writes now, like ``scalar``."""
    if _write_now(name, values, step):
        return _tf2("add_histogram", name, values, step)
    return _summary_op(HistogramSummary, name, values, collections, family)


def text(name, data, step=None):
    """TF2: write text to the default writer now (there are no string tensors in graphs)."""
    return _tf2("add_text", name, data, step)


def merge(inputs, collections=None, name=None):
    """One summary op that runs all of ``inputs`` and concatenates their Summaries."""
    inputs = list(inputs)
    if not inputs:
        raise ValueError("merge() needs at least one summary tensor")
    for t in inputs:
        if not isinstance(t, SymbolicTensor) or t.dtype != STRING:
            raise TypeError(f"merge() takes summary tensors (from summary.scalar, "
                            f"summary.histogram...), got {t!r}")
    graph = inputs[0].graph
    with building(graph):
        out = build(MergeSummary, tuple(inputs), {}, name=name or "Merge/MergeSummary")
    for key in collections or ():
        graph.add_to_collection(key, out)
    return out


def merge_all(key="summaries", scope=None, name=None):
    """Merge every summary op of the default graph (None if there is none, as in TF1)."""
    inputs = get_default_graph().get_collection(key, scope)
    return merge(inputs, name=name) if inputs else None

"""The tape: recording eager ops so that backward can replay them in reverse.

``apply`` is the eager interpreter of the primitive registry: run the numpy
forward now, and -- when some input requires grad and recording is on --
remember a ``Node`` with the primitive, its inputs and its output.
"""
import numpy as np

from ..base.anomaly import check as _anomaly_check
from ..base.args import is_operand, operand_error
from ..autodiff import next_seq
from ..base.config import Config, notify
from ..ops.primitive import RAW, SYMBOLIC, _kinds, interpreters, kind_of
from ..base.errors import ShapeError
from ..base.source import user_site
from .promotion import promoted
from .tensor import Tensor

_PYTHON_NUMBERS = (float, int, bool)

_ndarray = np.ndarray
_wrap = Tensor._wrap


class Node:
    """One recorded op: PyTorch's ``grad_fn``. It keeps what backward needs --
    the input arrays its vjp rules read (of the others, ``Unsaved`` shapes) and the
    output -- until backward has used them."""
    __slots__ = ("prim", "inputs", "vals", "parents", "attrs", "out", "vsum", "stamp", "hooks",
                 "retained", "site", "out_modified", "meta", "seq", "__weakref__")

    def __init__(self, prim, inputs, vals, parents, attrs, out, vsum):
        self.prim = prim
        self.inputs = inputs       # the arguments as given (tensors, constants); None once freed
        self.vals = vals           # their arrays (or Unsaved): what backward feeds the vjp rules
        self.parents = parents     # per input: its Node, the leaf Tensor itself, or None (no grad)
        self.attrs = attrs
        self.out = out
        self.vsum = vsum           # sum of input versions: detects in-place edits
        self.stamp = Config.inplace_ops
        self.hooks = None          # tensor hooks of the (non-leaf) output
        self.retained = None       # weakref to the output, if it retains grad
        self.site = None           # the user's line, in anomaly mode
        self.out_modified = False
        self.meta = None           # (shape, dtype) of the output, kept when out is freed
        self.seq = next_seq()      # creation order: a topological order of the tape

    def name(self):
        return type(self).__name__

    def __repr__(self):
        return f"<{self.name()}>"

    @property
    def freed(self):
        return self.vals is None

    def input_nodes(self):
        """For each input: its Node, the leaf Tensor itself, or None."""
        return self.parents

    @property
    def next_functions(self):
        """PyTorch's view of the graph: ((node or AccumulateGrad, 0), ...)."""
        return tuple((AccumulateGrad(p) if isinstance(p, Tensor) else p, 0)
                     for p in self.parents)

    @property
    def out_shape(self):
        return self.out.shape if self.out is not None else self.meta[0]

    @property
    def out_dtype(self):
        return self.out.dtype if self.out is not None else self.meta[1]

    def free(self, *_):
        """Let go of the saved values. (Extra arguments are ignored, so the reverse
        walk can call this directly as its ``done(node, g, made)`` step.)"""
        if self.out is not None:
            self.meta = (self.out.shape, self.out.dtype)
        self.inputs = self.vals = self.out = None


# PyTorch names a grad_fn after the function that made it ("MulBackward0"). Each
# primitive gets a Node subclass of that name; the table holds PyTorch's names where
# they differ from the registry's (which are TensorFlow's op names).
GRAD_FN_NAMES = {
    "RealDiv": "Div", "MatMul": "Mm", "Select": "Where", "Reshape": "View",
    "Transpose": "Permute", "ExpandDims": "Unsqueeze", "BroadcastTo": "Expand",
    "ConcatV2": "Cat", "GetItem": "Index", "GatherElements": "Gather", "ClipByValue": "Clamp",
    "Identity": "Clone", "Cast": "ToCopy", "LogSumExp": "Logsumexp", "Conv2D": "Convolution",
    "MaxPool": "MaxPool2DWithIndices", "SparseSoftmaxCrossEntropyWithLogits": "NllLoss",
    "Log1p": "Log1P", "AvgPool": "AvgPool2D", "BiasAdd": "Add",
    "CumSum": "Cumsum", "CumProd": "Cumprod", "ScatterElements": "Scatter"}
_node_classes = {}


def node_class(prim):
    """The Node subclass for ``prim``'s tape entries, named as PyTorch names its grad_fn."""
    cls = _node_classes.get(prim)
    if cls is None:
        if prim.family == "function":            # a custom autograd.Function: "MyReLUBackward"
            name = prim.name + "Backward"
        else:
            name = GRAD_FN_NAMES.get(prim.name, prim.name) + "Backward0"
        cls = _node_classes[prim] = type(name, (Node,), {"__slots__": (),
                                                          "__module__": "tinyflow.autograd"})
    return cls


class AccumulateGrad:
    """Where a leaf's gradient ends up (shown in ``next_functions``)."""

    def __init__(self, variable):
        self.variable = variable

    def name(self):
        return "AccumulateGrad"

    def __repr__(self):
        return "<AccumulateGrad>"


def _op_error(prim, vals, attrs, err):
    """A numpy failure, reported as a tinyflow error naming the op and shapes."""
    if prim.family == "debug":
        return err                       # check_numerics and friends already say what and where
    shapes = [np.shape(v) for v in vals]
    try:
        prim.shape_rule(*shapes, **attrs)
    except ShapeError as e:
        return ShapeError(str(e))
    except Exception:
        pass
    for kind in (IndexError, ValueError, TypeError):
        if isinstance(err, kind):
            # numpy's own subclasses (UFuncTypeError...) cannot be built from a message alone
            listed = ", ".join(str(s) for s in shapes)
            dtypes = ", ".join(str(np.result_type(v)) for v in vals)
            return kind(f"{prim.name} failed on inputs of shapes {listed} (dtypes {dtypes}): {err}")
    return err


class Unsaved:
    """An input that no vjp rule of its op reads, in the place of its value: only its
    shape and dtype are kept (to sum a broadcast gradient back and to cast it), so
    the array can be freed as soon as nothing else holds it."""
    __slots__ = ("shape", "dtype")

    def __init__(self, array):
        self.shape = array.shape
        self.dtype = array.dtype

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<not saved: shape {self.shape}, {self.dtype}>"


def _save_only_read(unread, args, vals, parents, vsum):
    """What PyTorch does with its "saved tensors": backward keeps only the inputs its
    rules read. The others leave the version check (changing one in place before
    backward is no error), and one that carries a gradient is kept by shape and
    dtype only. (While a tool watches the tape -- a stepping session, the Stepper --
    it keeps them all, to show their values.)"""
    args = list(args)
    for i in unread:
        a = args[i]
        if isinstance(a, Tensor):
            vsum -= a._version
            if parents[i] is not None and not Config.observers:
                args[i] = vals[i] = Unsaved(a.array)
    return args, vals, vsum


def apply(prim, args, attrs):
    """Run ``prim`` eagerly on ``args``; record a tape node if it needs one.

    Eager tensors' operators call this directly, not through ``bind``, so it
    hands the op to the graph builder itself when a graph is being built or an
    argument is symbolic."""
    __tracebackhide__ = True
    if interpreters.building is not None:
        return interpreters.graph(prim, args, attrs)
    vals = []
    parents = []
    grad = False
    vsum = 0
    dtype = None            # the first tensor's dtype, and whether another's differs:
    mixed = False           # together they tell when PyTorch's promotion must step in
    for a in args:
        if isinstance(a, Tensor):
            v = a.array
            vals.append(v)
            if dtype is None:
                dtype = v.dtype
            elif v.dtype is not dtype:
                mixed = True
            vsum += a._version
            if a._requires_grad:         # the slot, not the checked property: every operand
                grad = True
                n = a.node
                parents.append(a if n is None else n)
                continue
        elif _kinds.get(a.__class__) == RAW or kind_of(a) != SYMBOLIC:    # a number or an array
            vals.append(a)
            if a.__class__ not in _PYTHON_NUMBERS:
                if not is_operand(a):           # 'a', None, [1, 2]: refused before numpy sees it
                    raise operand_error(prim.name, a)
                mixed = True                                    # an array or a numpy scalar
        else:                                                   # a symbolic tensor: a graph op
            return interpreters.graph(prim, args, attrs)
        parents.append(None)
    inputs = vals
    if prim.promotion is not None and (mixed or dtype is None or dtype.kind != "f"):
        inputs = promoted(prim, vals)          # PyTorch's dtypes, not numpy's (promotion.py)
    try:
        out = prim.forward(*inputs, **attrs) if attrs else prim.forward(*inputs)
    except Exception as e:
        raise _op_error(prim, vals, attrs, e) from None
    if out.__class__ is not _ndarray:
        out = np.asarray(out)
    # Only floating point results carry gradients (x.long() is a constant, as in PyTorch).
    if grad and Config.grad_enabled and prim.differentiable and out.dtype.kind == "f":
        if prim.unread:                         # a + b: backward reads neither input
            args, vals, vsum = _save_only_read(prim.unread, args, vals, parents, vsum)
        node = (_node_classes.get(prim) or node_class(prim))(prim, args, vals, parents, attrs,
                                                             out, vsum)
        t = _wrap(out, node)
    else:
        node = None
        t = _wrap(out)
    if Config.anomaly:
        site = user_site()
        if node is not None:
            node.site = site
        _anomaly_check(out, "the output", prim.name, site)
    if Config.observers:
        notify("op", prim=prim, inputs=args, output=t, node=node, mode="eager")
    return t


interpreters.register(eager=apply)

"""Backward on the tape: ``Tensor.backward`` and ``tinyflow.grad``.

Ordinary backward feeds the vjp rules raw numpy arrays, so it runs at numpy
speed and records nothing. ``create_graph=True`` feeds them the Tensors
themselves with recording on, so the gradient is itself on the tape and can be
differentiated again.
"""
import numpy as np

from ..base.anomaly import check as _anomaly_check
from ..base.args import bool_arg
from ..autodiff import Walk, reverse_walk
from ..base.config import Config, notify
from ..ops import cast, sum_to
from ..ops.primitive import interpreters
from ..ops.reduce import sum_to_shape
from .grad_mode import set_grad_enabled
from .size import Size
from .tensor import Tensor
from .tape import Node

_wrap = Tensor._wrap

FREED = ("Trying to backward through the graph a second time (or to use values it saved after "
         "they were freed) at {name}. Saved values are freed by .backward() and tinyflow.grad(); "
         "pass retain_graph=True to the first call if you need to go through the graph again.")


class TapeWalk(Walk):
    """The eager tape's answers to the reverse walk's questions."""

    node_class = Node                     # the other keys are leaf Tensors

    def __init__(self, retain_graph, create_graph, targets=None):
        self.retain = retain_graph
        self.create = create_graph
        self.targets = targets            # {node: index} for tinyflow.grad on non-leaf inputs
        self.captured = {}
        self.seen = set()                 # gradient arrays already stored in some .grad
        self.anomaly = Config.anomaly
        self.observe = bool(Config.observers)
        if not (self.anomaly or self.observe or self.retain):
            self.done = Node.free         # the usual case: a node's work ends with freeing it

    def key(self, t):
        return t if t.node is None else t.node

    def begin(self, node, g):
        if node.vals is None:
            raise RuntimeError(FREED.format(name=node.name()))
        if node.stamp != Config.inplace_ops:
            _check_versions(node)
        if node.hooks:
            g = _run_hooks(node.hooks, g, self.create)
        if node.retained is not None:
            t = node.retained()
            if t is not None:
                _accumulate(t, g, self.create, self.seen)
        if self.targets is not None and node in self.targets:
            self.captured[node] = g
        if self.create:
            return g, node.parents, node.inputs, _wrap(node.out, node)
        return g, node.parents, node.vals, node.out

    def fit(self, g, node, i):
        if self.create:
            t = node.inputs[i]
            v = node.vals[i]                   # its array, or an Unsaved's shape and dtype
            if g.shape != v.shape:
                g = sum_to(g, t if isinstance(t, Tensor) else np.broadcast_to(
                    np.zeros((), v.dtype), v.shape))       # a stand-in of that shape
            if g.dtype != v.dtype:
                g = cast(g, v.dtype)
            return g
        v = node.vals[i]
        shape = v.shape
        if g.shape != shape:
            g = sum_to_shape(g if g.__class__ is np.ndarray else np.asarray(g), shape)
        dtype = v.dtype
        if g.dtype is not dtype and g.dtype != dtype:
            g = np.asarray(g).astype(dtype)
        return g

    def done(self, node, g, made):
        if self.anomaly:
            for i, gi in made:
                _anomaly_check(gi.array if self.create else gi,
                               f"the gradient for input {i}", node.name(), node.site)
        if self.observe:
            notify("backward", node=node, grad_out=g, grads=made, mode="eager")
        if not self.retain:
            node.free()


def _check_versions(node):
    if node.inputs is None:
        return
    if node.out_modified and node.prim.reads_out:
        raise RuntimeError(f"one of the values needed for gradient computation has been modified "
                           f"by an in-place operation: the output of {node.name()} was changed "
                           f"after it was computed; compute with a copy (.clone()) instead")
    unread = node.prim.unread              # inputs backward does not read are not checked
    vsum = 0
    for i, t in enumerate(node.inputs):
        if isinstance(t, Tensor) and i not in unread:
            vsum += t._version
    if vsum != node.vsum:
        changed = [f"input {i} (shape {tuple(t.shape)}, now at version {t._version})"
                   for i, t in enumerate(node.inputs)
                   if isinstance(t, Tensor) and t._version and i not in unread]
        raise RuntimeError(f"one of the values needed for gradient computation has been modified "
                           f"by an in-place operation: {' or '.join(changed)} of {node.name()} "
                           f"was changed after {node.name()} was recorded; use an out-of-place "
                           f"op (x = x + 1, not x += 1) or .clone() the input first")


def _run_hooks(hooks, g, create):
    for fn in list(hooks.values()):
        r = fn(g if create else _wrap(np.asarray(g)))
        if r is not None:
            if not isinstance(r, Tensor):
                r = Tensor(r)
            g = r if create else r.array
    return g


def _accumulate(t, g, create, seen):
    if create:
        if t.grad is not None:
            t.grad = t.grad + g
            return
        if id(g) in seen:                 # already some tensor's .grad: give t its own
            g = g.clone()
        seen.add(id(g))
        t.grad = g
    elif t.grad is None:
        # .grad gets an array no other tensor shares, so later backwards can add into it
        if g.__class__ is not np.ndarray:
            g = np.asarray(g)
        if g.base is not None or id(g) in seen or not g.flags.writeable:
            g = g.copy()
        seen.add(id(g))
        t.grad = _wrap(g)
    else:
        acc = t.grad.array
        if acc.flags.writeable and acc.shape == np.shape(g):
            acc += g
        else:
            t.grad = _wrap(acc + g)


def _seed(t, gradient, k=0):
    if gradient is None:
        if t.array.size != 1:
            raise RuntimeError(f"grad can be implicitly created only for scalar outputs; this "
                               f"tensor has shape {t.array.shape}: pass gradient= (a tensor of that "
                               f"shape) to backward")
        one = np.empty(t.array.shape, t.array.dtype)     # numpy.ones, minus its Python wrapper
        one.fill(1)
        return one
    g = gradient.array                   # a Tensor: _gradients refused anything else
    if g.shape != t.array.shape:
        raise RuntimeError(f"Mismatch in shape: grad_output[{k}] has a shape of {Size(g.shape)} "
                           f"and output[{k}] has a shape of {Size(t.array.shape)}.")
    return np.array(g, dtype=t.array.dtype)


def _gradients(grads, n, fn, name):
    """``grad_tensors`` of backward, ``grad_outputs`` of grad: None, one gradient or a
    sequence of them, one per output. Each is a tensor or None, as in PyTorch (which
    reads a numpy array as a sequence of numbers, and so refuses it naming its first
    element's type)."""
    if grads is None:
        return [None] * n
    grads = list(grads) if isinstance(grads, (list, tuple, np.ndarray)) else [grads]
    for g in grads:
        if g is not None and not isinstance(g, Tensor):
            raise TypeError(f"{fn}(): gradients can be either Tensors or None, but got "
                            f"{type(g).__name__} (argument '{name}')")
    if len(grads) != n:
        raise RuntimeError(f"{fn}(): got {n} tensors and {len(grads)} gradients: argument "
                           f"'{name}' needs one per output")
    return grads


def _retain(fn, retain_graph, create_graph):
    """retain_graph: a bool, or None for create_graph's value."""
    if retain_graph is None:
        return bool_arg(fn, "create_graph", create_graph)
    return bool_arg(fn, "retain_graph", retain_graph)


def _run(outputs, seeds, walk):
    # create_graph: the vjp rules run on Tensors with recording on, so the gradient is on the tape
    with set_grad_enabled(walk.create):
        pairs = [(o, _wrap(s) if walk.create else s) for o, s in zip(outputs, seeds)]
        return reverse_walk(pairs, walk)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(tensors)/d(leaf) into ``leaf.grad`` for every leaf that requires
    grad (``Tensor.backward`` and ``torch.autograd.backward``; ``tensors`` may be one
    tensor or several, each with its gradient in ``grad_tensors``)."""
    tensors = _as_list(tensors, "backward", "tensors")
    grad_tensors = _gradients(grad_tensors, len(tensors), "backward", "gradient")
    retain_graph = _retain("backward", retain_graph, create_graph)
    for k, t in enumerate(tensors):
        if not t.requires_grad:
            raise RuntimeError(f"element {k} of tensors does not require grad and does not have "
                               f"a grad_fn: nothing that requires grad was used to compute it")
    seeds = [_seed(t, g, k) for k, (t, g) in enumerate(zip(tensors, grad_tensors))]
    targets = only = None
    if inputs is not None:
        inputs = _as_list(inputs, "backward", "inputs")
        for i, t in enumerate(inputs):
            if not isinstance(t, Tensor) or not t.requires_grad:
                raise RuntimeError(f"backward: inputs[{i}] does not require grad; every tensor "
                                   f"in inputs= must have requires_grad=True")
        only = {id(t) for t in inputs}
        targets = {t.node: i for i, t in enumerate(inputs) if t.node is not None}
    walk = TapeWalk(retain_graph or create_graph, create_graph, targets)
    leaves = _run(tensors, seeds, walk)
    seen = walk.seen
    for leaf, g in leaves.items():
        if only is not None and id(leaf) not in only:
            continue
        hooks = leaf._meta.get("hooks") if leaf._meta else None
        if hooks:
            g = _run_hooks(hooks, g, create_graph)
        _accumulate(leaf, g, create_graph, seen)
    if targets:                           # non-leaf inputs get .grad too, as in PyTorch
        for t in inputs:
            g = walk.captured.get(t.node) if t.node is not None else None
            if g is not None and not t.retains_grad:      # retained ones already have it
                _accumulate(t, g, create_graph, seen)


def _as_list(x, fn="grad", name="inputs"):
    """One tensor or a sequence of them -> a list of tensors, with PyTorch's errors: the
    outputs (``tensors`` of backward) not tensors is an AssertionError; inputs that are
    no sequence (``5``) a TypeError, a sequence with something else in it a RuntimeError."""
    if isinstance(x, Tensor):
        return [x]
    if isinstance(x, (list, tuple)):
        items = list(x)
    elif name == "inputs" and not isinstance(x, str) and not hasattr(x, "__iter__"):
        raise TypeError(f"{fn}(): argument '{name}' must be a tensor or a sequence of tensors, "
                        f"not {type(x).__name__}")
    else:
        items = [x]
    for t in items:
        if not isinstance(t, Tensor):
            if name in ("outputs", "tensors"):
                raise AssertionError(f"{fn}(): expected the {name} to be tensors, got "
                                     f"{type(t).__name__}")
            raise RuntimeError(f"{fn}(): all {name} have to be Tensors, but got "
                               f"{type(t).__name__}")
    return items


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """The gradients of ``outputs`` with respect to ``inputs``, returned as a
    tuple (``.grad`` fields are left alone).

    >>> import tinyflow as tf
    >>> x = tf.tensor(3.0, requires_grad=True)
    >>> tf.grad(x ** 2, x)
    (tensor(6.),)
    """
    outputs, inputs = _as_list(outputs, "grad", "outputs"), _as_list(inputs, "grad", "inputs")
    if not inputs:
        raise RuntimeError("grad(): argument 'inputs' cannot be empty: say which tensors to "
                           "differentiate with respect to")
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError(f"grad: input {i} does not require grad; only tensors with "
                               f"requires_grad=True can be differentiated with respect to")
    grad_outputs = _gradients(grad_outputs, len(outputs), "grad", "grad_outputs")
    retain_graph = _retain("grad", retain_graph, create_graph)
    seeds = []
    for o, g in zip(outputs, grad_outputs):
        if not o.requires_grad:
            raise RuntimeError("grad: an output does not require grad and does not have a "
                               "grad_fn: it does not depend on anything that requires grad")
        seeds.append(_seed(o, g))
    targets = {t.node: i for i, t in enumerate(inputs) if t.node is not None}
    walk = TapeWalk(retain_graph, create_graph, targets)
    leaves = _run(outputs, seeds, walk)
    result = []
    for i, t in enumerate(inputs):
        g = walk.captured.get(t.node) if t.node is not None else leaves.get(t)
        if g is None:
            if not allow_unused:
                raise RuntimeError(f"grad: input {i} (shape {tuple(t.shape)}) appears not to have been "
                                   f"used in the graph; pass allow_unused=True to get None for it")
            result.append(None)
        else:
            result.append(g if create_graph else _wrap(np.array(g)))
    return tuple(result)


interpreters.register(eager_backward=backward)       # Tensor.backward() comes here

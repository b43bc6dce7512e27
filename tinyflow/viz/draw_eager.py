"""Drawing an eager tensor's autograd graph: the tape nodes that made it.

Walk back from the output through each ``Node``'s inputs (``input_nodes()``
still works after backward freed them). Ops are rounded boxes, leaves that
get a gradient are blue ellipses named after their parameter ("fc1.weight"),
data that does not (the input batch, constants) yellow or grey. Where an
input is smaller than the op's output it was broadcast, so backward sums its
gradient back: that edge says "sum to (3,)".

Shapes of intermediate results are only known while the tape still holds
them: draw before ``backward()`` (or call it with ``retain_graph=True``).

>>> import tinyflow as tf
>>> from tinyflow.viz.draw_eager import eager_picture
>>> w = tf.tensor([1.0, 2.0], requires_grad=True); w.name = "w"
>>> p = eager_picture([(w * 3.0).sum()])
>>> [v.title for v in p.vertices]
['w', '3', 'Mul', 'Sum', 'output']
"""
import numpy as np

from ..autodiff import topo_order
from ..eager.tape import Node
from ..eager.tensor import Tensor
from . import style


def eager_picture(outputs, show_values=False, show_grads=False, backward=False, places=None):
    """A ``Picture`` of the tape behind ``outputs`` (a list of tensors).

    ``places`` says which cluster (module) each node and leaf belongs to; by
    default leaves are grouped by their dotted parameter names ("fc1.weight"
    goes in "fc1") together with the ops that use them directly.
    """
    from .picture import Picture
    pic = Picture(sep=".")
    nodes = topo_order([t.node for t in outputs if t.node is not None],
                       lambda n: [p for p in n.input_nodes() if isinstance(p, Node)])
    places = places or ParameterPlaces(nodes)
    drawer = _EagerDrawer(pic, show_values, show_grads, places)
    for node in nodes:
        drawer.node(node)
    for t in outputs:
        drawer.output(t)
    if backward:
        drawer.mirror(nodes, outputs)
    places.describe(pic)
    return pic


class _EagerDrawer:
    def __init__(self, pic, show_values, show_grads, places):
        self.pic, self.values, self.grads, self.places = pic, show_values, show_grads, places
        self.broadcast_edges = {}           # (node, input index) -> label

    def leaf(self, t):
        """The vertex of a leaf tensor (made on first use)."""
        key = self.pic.find(t)
        if key is not None:
            return key
        name = self.places.leaf_name(t)
        lines = [style.shape_line(t.shape, t.dtype)]
        if t.requires_grad:
            kind, title = "param", name or "leaf"
        elif t.array.size == 1 and not name:
            kind, title, lines = "input", style.fmt_value(t.array), [t.dtype.name]
        else:
            kind, title = "input", name or "input"
        lines += self._numbers(t.array, t.grad)
        hooks = t._meta.get("hooks") if t._meta else None
        return self.pic.add(t, kind, title, lines, path=self.places.leaf_path(t, name),
                            marks=_hook_marks(hooks), names=[name] if name else ())

    def constant(self, value):
        """A Python number or numpy array an op was given (never shared)."""
        a = np.asarray(value)
        if a.size == 1:
            return self.pic.add(None, "const", style.fmt_value(a))
        return self.pic.add(None, "const", "constant", [style.shape_line(a.shape, a.dtype)])

    def node(self, node):
        inputs = node.inputs                    # None once backward has freed them (shapes stay)
        out_shape = node.out_shape
        edges = []
        for i, parent in enumerate(node.input_nodes()):
            given = None if inputs is None else inputs[i]
            if isinstance(parent, Node):
                key = self.pic.find(parent)
            elif isinstance(parent, Tensor):
                key = self.leaf(parent)
            elif isinstance(given, Tensor):
                key = self.leaf(given)
            elif inputs is not None:
                key = self.constant(given)
            else:
                continue                        # freed: no record of what it was
            note = None
            if parent is not None:
                note = _broadcast(node.prim, _shape_of(given, parent), out_shape)
                if note:
                    self.broadcast_edges[(node, i)] = note
            edges.append((key, note))
        lines = [style.shape_line(out_shape, node.out_dtype)]
        kept = node.retained() if node.retained is not None else None
        lines += self._numbers(node.out, None if kept is None else kept.grad)
        kind = node.prim.name if node.prim.name in style.DEBUG_TYPES else "op"
        key = self.pic.add(node, kind, node.prim.name, lines, path=self.places.node_path(node),
                           marks=_hook_marks(node.hooks))
        for src, note in edges:
            self.pic.edge(src, key, label=note)

    def output(self, t):
        if t.node is None:
            self.leaf(t)
            return
        lines = [style.shape_line(t.shape, t.dtype)] + self._numbers(t.array, t.grad)
        key = self.pic.add(t, "output", t.name or "output", lines, names=[t.name] if t.name else ())
        self.pic.edge(self.pic.find(t.node), key)

    def mirror(self, nodes, outputs):
        """The backward pass beside the forward one: a "…Backward" node per op.

        Edges are written producer -> consumer (as in the forward drawing, so
        each gradient node sits level with its op) but drawn with the arrow
        reversed: gradients flow from the output back to the leaves.
        """
        pic = self.pic
        pic.cluster(("backward",), label="backward (gradients flow up)", kind="backward")
        mirror = {}
        for node in nodes:
            mirror[node] = key = pic.add(None, "backward", node.name(), path=("backward",))
            pic.register(node, key, backward=True)
            pic.edge(pic.find(node), key, kind="link")
            for i, parent in enumerate(node.input_nodes()):
                note = self.broadcast_edges.get((node, i))
                if isinstance(parent, Node):
                    pic.edge(mirror[parent], key, kind="backward", label=note)
                elif isinstance(parent, Tensor):
                    pic.edge(pic.find(parent), key, kind="backward", label=note)
        for t in outputs:
            if t.node is not None:
                pic.edge(mirror[t.node], pic.find(t), kind="backward")

    def _numbers(self, value, grad):
        lines = []
        if self.values and value is not None:
            lines.append(style.fmt_value(value))
        if self.grads and grad is not None:
            lines.append(("grad " + style.fmt_value(grad.array), style.GRAD))
        return lines


def _hook_marks(hooks):
    if not hooks:
        return ()
    return ("hook" if len(hooks) == 1 else f"{len(hooks)} hooks",)


def _shape_of(given, parent):
    if isinstance(given, Tensor):
        return given.shape
    if isinstance(parent, Tensor):
        return parent.shape
    if isinstance(parent, Node):
        return parent.out_shape
    return None


def broadcasts(prim):
    """Does ``prim`` broadcast its inputs, so that backward sums gradients back?"""
    return prim.family == "elementwise" or prim.name == "BiasAdd"


def _broadcast(prim, in_shape, out_shape):
    if in_shape is None or out_shape is None or not broadcasts(prim):
        return None
    if tuple(in_shape) == tuple(out_shape):
        return None
    return style.broadcast_note(in_shape)


class ParameterPlaces:
    """Clusters from parameter names: "fc1.weight" goes in "fc1", and so does
    an op fed by it (or by an op computed from fc1's parameters alone, such as
    ``fc1.weight.T``). Used when no module says where nodes came from."""

    def __init__(self, nodes):
        self.paths = {}
        derived = {}                       # node -> the path it is a pure function of
        for node in nodes:
            inputs = node.inputs
            pure, seen = True, set()
            for i, parent in enumerate(node.input_nodes()):
                given = None if inputs is None else inputs[i]
                if isinstance(parent, Tensor) and parent.name and "." in parent.name:
                    seen.add(self.leaf_path(parent, parent.name))
                elif isinstance(parent, Node) and parent in derived:
                    seen.add(derived[parent])
                elif parent is not None or isinstance(given, Tensor) or inputs is None:
                    pure = False           # data, or an op of no single layer
            if len(seen) == 1:
                path = seen.pop()
                self.paths[node] = path
                if pure:
                    derived[node] = path

    def leaf_name(self, t):
        return t.name

    def leaf_path(self, t, name):
        return tuple(name.split(".")[:-1]) if name and "." in name else ()

    def node_path(self, node):
        return self.paths.get(node, ())

    def describe(self, pic):
        pass

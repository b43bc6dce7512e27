"""``Drawing``: a ``graphviz.Digraph`` that shows itself in Jupyter the same way
on every machine.

In a notebook a drawing displays as SVG (rendered by graphviz-pure, see
``render.py``) with a plain-text line such as ``<tinyflow drawing: 7 nodes,
6 edges>`` -- no memory address, so a re-executed notebook gives the same
outputs. With no renderer installed you still get the DOT text (``.source``)
and a note saying how to install one.

>>> import tinyflow as tf
>>> from tinyflow.viz import draw
>>> x = tf.tensor([1.0, 2.0], requires_grad=True)
>>> d = draw((x * x).sum())
>>> d
<tinyflow drawing: 4 nodes, 4 edges>
>>> d.node_id(x)
'n0'
"""
import subprocess
import weakref

import graphviz

from . import render


class Backward:
    """Names the gradient node drawn for ``node`` (``draw(..., backward=True)``):
    ``highlight={Backward(node): "gold"}``, ``drawing.node_id(Backward(node))``."""
    __slots__ = ("node",)

    def __init__(self, node):
        self.node = node

    def __repr__(self):
        return f"Backward({self.node!r})"


class Drawing(graphviz.Digraph):
    """The DOT source of one drawing, plus which node id each drawn object got."""

    _objects = {}
    _names = {}
    node_count = 0
    edge_count = 0

    def _setup(self, table, node_count, edge_count):
        self._objects, self._names = table
        self.node_count, self.edge_count = node_count, edge_count

    def node_id(self, obj):
        """The DOT node id (``"n3"``) that ``obj`` is drawn as: a tape Node, a
        tensor, a graph Operation, or a name (op name, parameter name). A
        stepping widget uses it to find the node it is at."""
        found = lookup(obj, self._objects, self._names)
        if found is None:
            raise KeyError(f"node_id: {obj!r} is not in this drawing")
        return found

    def svg(self):
        """The drawing as SVG text (raises ``graphviz.ExecutableNotFound`` if no
        renderer is installed)."""
        # quiet: dot's warnings must not land on a notebook's stderr (nbval compares it)
        return self.pipe(format="svg", encoding="utf-8", quiet=True)

    def __repr__(self):
        return f"<tinyflow drawing: {self.node_count} nodes, {self.edge_count} edges>"

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        text = repr(self)
        bundle = {}
        try:
            bundle["image/svg+xml"] = self.svg()
        except graphviz.ExecutableNotFound:
            text += (f"\n(no Graphviz renderer found, so no picture: {render.INSTALL_HINT}; "
                     f"the DOT text is in .source)")
        except (subprocess.CalledProcessError, graphviz.CalledProcessError) as e:
            text += f"\n(Graphviz could not render this drawing: {e}; the DOT text is in .source)"
        bundle["text/plain"] = text
        if include is not None:
            bundle = {k: v for k, v in bundle.items() if k in set(include)}
        if exclude is not None:
            bundle = {k: v for k, v in bundle.items() if k not in set(exclude)}
        return bundle


def weak(obj):
    """A weak reference where possible: a drawing should not keep a tape alive."""
    try:
        return weakref.ref(obj)
    except TypeError:
        return lambda: obj


def lookup(obj, objects, names):
    """Find ``obj`` in a table made by ``Picture.register``: by identity, a
    tensor by the op that made it, ``Backward(node)`` among gradient nodes, a
    string by name."""
    if isinstance(obj, str):
        return names.get(obj)
    backward = isinstance(obj, Backward)
    target = obj.node if backward else obj
    hit = objects.get((backward, id(target)))
    if hit is not None and hit[0]() is target:
        return hit[1]
    node = getattr(target, "node", None)     # a tensor: drawn as the op that made it
    if node is not None and node is not target:
        return lookup(Backward(node) if backward else node, objects, names)
    return None

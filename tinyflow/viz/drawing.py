"""``Drawing``: a ``graphviz.Digraph`` that shows itself in Jupyter the same way
on every machine.

In a notebook a drawing displays as SVG and PNG (both rendered by
graphviz-pure, see ``render.py``) with a plain-text line such as ``<tinyflow
drawing: 7 nodes, 6 edges>`` -- no memory address, so a re-executed notebook
gives the same outputs. The PNG is there because JupyterLab does not show the
SVG of a notebook it does not trust (any lesson you just opened without
running it); a PNG it always shows. With no renderer installed you still get
the DOT text (``.source``) and a note saying how to install one.

Wide drawings are made to fit the page: a top-to-bottom drawing wider than a
notebook's output area is laid out left to right instead when that is
narrower (unless you asked for a ``rankdir``), and one that is still too wide
is shown at a readable size with a sideways scroll bar rather than shrunk until
its labels cannot be read.

>>> import tinyflow as tf
>>> from tinyflow.viz import draw
>>> x = tf.tensor([1.0, 2.0], requires_grad=True)
>>> d = draw((x * x).sum())
>>> d
<tinyflow drawing: 4 nodes, 4 edges>
>>> d.node_id(x)
'n0'
"""
import base64
import io
import re
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
    _relayout = None          # rankdir -> the same drawing laid out that way (see fitted)

    def _setup(self, table, node_count, edge_count, relayout=None):
        self._objects, self._names = table
        self.node_count, self.edge_count = node_count, edge_count
        self._relayout = relayout

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
        # kept while the DOT text is unchanged: showing a wide drawing measures it first
        cached = getattr(self, "_svg", None)
        if cached is not None and cached[0] == self.source:
            return cached[1]
        # quiet: dot's warnings must not land on a notebook's stderr (nbval compares it)
        svg = self.pipe(format="svg", encoding="utf-8", quiet=True)
        self._svg = (self.source, svg)
        return svg

    def png(self):
        """The drawing as PNG bytes, the same bytes on every run (see ``small_png``)."""
        return small_png(self.pipe(format="png", quiet=True))

    def fitted(self):
        """The drawing as it is shown: this one, or -- when it is wider than a
        notebook's output area and no ``rankdir`` was asked for -- the same
        drawing laid out left to right, if that is narrower."""
        width, _ = svg_size(self.svg())
        if width <= PAGE_WIDTH_PT or self._relayout is None:
            return self
        other = self._relayout("LR")
        return other if svg_size(other.svg())[0] < width else self

    def __repr__(self):
        return f"<tinyflow drawing: {self.node_count} nodes, {self.edge_count} edges>"

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        text = repr(self)
        bundle, metadata = {}, {}
        try:
            shown = self.fitted()
            svg = shown.svg()
            bundle["image/svg+xml"] = svg
            # base64 text: what a notebook file stores for an image
            bundle["image/png"] = base64.b64encode(shown.png()).decode("ascii")
            metadata = readable_size(svg)
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
        return bundle, metadata


# About the width of a notebook's output area in JupyterLab (960 px: 1 pt = 4/3 px).
PAGE_WIDTH_PT = 720
# A drawing may be shrunk to 3/4 of its size at most: its small 11 pt lines are
# then 11 px high on screen, still readable.
MIN_SCALE = 0.75


def svg_size(svg):
    """(width, height) in points of a Graphviz SVG."""
    m = re.search(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', svg)
    return (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)


def readable_size(svg):
    """Display metadata for a drawing too wide for the page: JupyterLab
    normally shrinks an image to the output area's width, which would make its
    labels unreadable; "unconfined" with a width keeps it at a readable size
    and the output area scrolls sideways instead."""
    width, _ = svg_size(svg)
    if width <= PAGE_WIDTH_PT:
        return {}
    shown = {"width": round(max(PAGE_WIDTH_PT, width * MIN_SCALE) * 4 / 3), "unconfined": True}
    return {"image/svg+xml": dict(shown), "image/png": dict(shown)}


def small_png(data):
    """Graphviz's PNG with its colours reduced to a palette of 64: about a
    third of the bytes (lessons store every picture), the same look. Pillow
    (which matplotlib needs) does it deterministically: the same bytes each
    run. Without Pillow the PNG is kept as it is."""
    try:
        from PIL import Image
    except ImportError:
        return data
    picture = Image.open(io.BytesIO(data)).convert("RGB")
    # no dithering: flat fills and crisp text, and no noise that changes bytes
    fewer = picture.quantize(colors=64, method=Image.Quantize.MEDIANCUT,
                             dither=Image.Dither.NONE)
    out = io.BytesIO()
    fewer.save(out, format="PNG", compress_level=9)
    return out.getvalue()


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

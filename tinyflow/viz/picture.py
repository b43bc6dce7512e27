"""A picture: the vertices, edges and clusters a drawer collected, turned into DOT.

The three drawers (eager tape, graph, module) only say *what* is there, in the
order they walked it. This file decides how it is laid out: which clusters are
collapsed into one box (``max_depth``, ``collapse``), what is highlighted,
and the node ids -- ``n0``, ``n1``... in walk order, so drawing the same thing
twice gives the same DOT text (never ``id()`` or a memory address).

>>> p = Picture()
>>> a = p.add("x", "input", "x", ["(3,)"])
>>> b = p.add("y", "op", "Relu", path=("layer",))
>>> p.edge(a, b)
>>> d = p.to_dot()
>>> d.node_id("x"), d.node_id("y")
('n0', 'n1')
"""
from . import style
from .drawing import Drawing, lookup, weak


class Vertex:
    __slots__ = ("kind", "title", "lines", "path", "marks", "attrs")

    def __init__(self, kind, title, lines, path, marks, attrs):
        self.kind, self.title, self.lines = kind, title, list(lines)
        self.path, self.marks, self.attrs = tuple(path), list(marks), dict(attrs)


class Picture:
    """What to draw, before layout decisions. ``sep`` joins cluster names
    ("/" for graph scopes, "." for modules)."""

    def __init__(self, sep="/"):
        self.sep = sep
        self.vertices = []               # Vertex, in walk order; a vertex's key is its index
        self.edges = []                  # (tail, head, kind, label)
        self.clusters = {}               # path -> {"label": ..., "kind": "scope" or "backward"}
        self.title = None                # shown above the drawing
        self.note = None                 # a small line under the title
        self._objects = {}               # (is backward?, id(obj)) -> (weakref, key)
        self._names = {}                 # display name -> key

    # --- what drawers call ---------------------------------------------------

    def add(self, obj, kind, title, lines=(), path=(), marks=(), names=(), **attrs):
        """A new vertex drawing ``obj``; returns its key."""
        key = len(self.vertices)
        self.vertices.append(Vertex(kind, title, lines, path, marks, attrs))
        if obj is not None:
            self.register(obj, key)
        for n in names:
            self._names.setdefault(n, key)
        return key

    def register(self, obj, key, backward=False):
        """Make ``obj`` (a Node, Operation, Tensor or name) findable as vertex
        ``key``; ``backward``: as the gradient node drawn for it."""
        if isinstance(obj, str):
            self._names.setdefault(obj, key)
            return
        self._objects[(backward, id(obj))] = (weak(obj), key)

    def find(self, obj):
        """The key ``obj`` is drawn as, or None."""
        return lookup(obj, self._objects, self._names)

    def edge(self, tail, head, kind="data", label=None):
        self.edges.append((tail, head, kind, label))

    def cluster(self, path, label=None, kind="scope"):
        """Describe cluster ``path``: its label (also the title of its box when
        collapsed) and its style, "scope" or "backward"."""
        self.clusters[tuple(path)] = {"label": label, "kind": kind}

    # --- layout decisions ----------------------------------------------------

    def _name(self, path):
        return self.sep.join(path)

    def _effective_paths(self):
        """Each vertex's cluster path, with one-vertex clusters dissolved (a
        frame around a single box says nothing)."""
        paths = [v.path for v in self.vertices]
        while True:
            members = {}
            nested = set()
            for p in paths:
                if p:
                    members[p] = members.get(p, 0) + 1
                for i in range(1, len(p)):
                    nested.add(p[:i])
            lone = {p for p, n in members.items() if n == 1 and p not in nested}
            if not lone:
                return paths
            paths = [p[:-1] if p in lone else p for p in paths]

    def _cut(self, path, max_depth, collapse):
        """The collapsed cluster that ``path`` falls in, or None."""
        for i in range(1, len(path) + 1):
            prefix = path[:i]
            if collapse is True or (max_depth is not None and i > max_depth) or \
                    (collapse and self._name(prefix) in collapse):
                return prefix
        return None

    def to_dot(self, highlight=None, max_depth=None, collapse=None, rankdir=None):
        """Lay out and write the DOT text; returns a ``Drawing``. With no
        ``rankdir`` it is top to bottom, and may be shown left to right when
        that fits the page better (``Drawing.fitted``)."""
        if collapse and collapse is not True:
            collapse = {collapse} if isinstance(collapse, str) else set(collapse)
        paths = self._effective_paths()
        visible = []                       # per vertex: ("v", key) or ("box", path)
        for key, p in enumerate(paths):
            cut = self._cut(p, max_depth, collapse)
            visible.append(("v", key) if cut is None else ("box", cut))
        ids = {}
        for vis in visible:
            if vis not in ids:
                ids[vis] = f"n{len(ids)}"
        colours, frame_colours = self._highlights(highlight, visible, paths, ids)

        d = Drawing()
        d.graph_attr.update(style.GRAPH, rankdir=rankdir or "TB")
        if self.title:
            d.graph_attr.update(label=style.label(self.title, [self.note] if self.note else []),
                                labelloc="t")
        elif self.note:
            d.graph_attr.update(label=style.label(self.note, bold=False), labelloc="t")
        d.node_attr.update(style.NODE)
        d.edge_attr.update(style.EDGE)
        tree = self._tree(visible, paths)
        self._emit(d, tree, (), visible, ids, colours, frame_colours)
        n_edges = self._emit_edges(d, visible, ids)
        relayout = None if rankdir is not None else \
            (lambda other: self.to_dot(highlight, max_depth, collapse, other))
        d._setup(self._lookup_table(visible, ids), len(ids), n_edges, relayout)
        return d

    def _highlights(self, highlight, visible, paths, ids):
        colours, frames = {}, {}
        if not highlight:
            return colours, frames
        if isinstance(highlight, dict):
            pairs = list(highlight.items())
        elif isinstance(highlight, (list, tuple)):     # objects, or (object, colour) pairs
            pairs = [h if isinstance(h, tuple) else (h, "gold") for h in highlight]
        else:
            pairs = [(highlight, "gold")]
        for obj, colour in pairs:
            key = self.find(obj)
            if key is not None:
                colours.setdefault(visible[key], colour)
                continue
            if isinstance(obj, str):             # a scope or module name
                path = tuple(obj.split(self.sep))
                if ("box", path) in ids:
                    colours.setdefault(("box", path), colour)
                    continue
                if any(p[:len(path)] == path for p in paths):
                    frames.setdefault(path, colour)
                    continue
                inside = [k for k, v in enumerate(self.vertices) if v.path[:len(path)] == path]
                if inside:                       # a one-node cluster drawn without its frame
                    for k in inside:
                        colours.setdefault(visible[k], colour)
                    continue
            raise KeyError(f"highlight: {obj!r} is not in this drawing")
        return colours, frames

    def _tree(self, visible, paths):
        """Where each visible thing goes: {"items": [("v", vis) or ("c", name, subtree)]},
        in walk order, a cluster at the place of its first member."""
        root = {"items": [], "sub": {}}
        placed = set()
        for key, vis in enumerate(visible):
            if vis in placed:
                continue
            placed.add(vis)
            where = vis[1][:-1] if vis[0] == "box" else paths[key]
            t = root
            for part in where:
                if part not in t["sub"]:
                    t["sub"][part] = {"items": [], "sub": {}}
                    t["items"].append(("c", part, t["sub"][part]))
                t = t["sub"][part]
            t["items"].append(("v", vis))
        return root

    def _emit(self, d, tree, path, visible, ids, colours, frames):
        for item in tree["items"]:
            if item[0] == "v":
                self._emit_vertex(d, item[1], visible, ids, colours)
                continue
            p = path + (item[1],)
            info = self.clusters.get(p, {})
            attrs = dict(style.CLUSTERS[info.get("kind", "scope")])
            if p in frames:
                attrs.update(color=frames[p], penwidth=style.HIGHLIGHT_WIDTH)
            with d.subgraph(name=f"cluster_{self._name(p)}") as c:
                c.attr(label=info.get("label") or self._name(p), **attrs)
                self._emit(c, item[2], p, visible, ids, colours, frames)

    def _emit_vertex(self, d, vis, visible, ids, colours):
        if vis[0] == "v":
            v = self.vertices[vis[1]]
            attrs = dict(style.KINDS[v.kind])
            attrs.update(v.attrs)
            attrs["label"] = style.label(v.title, v.lines, v.marks)
            if v.marks:
                attrs.update(style.HOOK)
        else:
            attrs = self._box(vis[1], visible)
        colour = colours.get(vis)
        if colour is not None:
            attrs.update(fillcolor=colour, penwidth=style.HIGHLIGHT_WIDTH)
            if "filled" not in attrs.get("style", ""):
                attrs["style"] = (attrs.get("style", "") + ",filled").strip(",")
        d.node(ids[vis], **attrs)

    def _box(self, path, visible):
        """A collapsed cluster drawn as one box: its name, what it holds, its marks."""
        members = [self.vertices[k] for k, vis in enumerate(visible) if vis == ("box", path)]
        info = self.clusters.get(path, {})
        counts = {"op": 0, "layer": 0, "param": 0}
        for v in members:
            if v.kind in ("param", "module"):
                counts["param" if v.kind == "param" else "layer"] += 1
            elif v.kind not in ("input", "const", "output"):
                counts["op"] += 1
        if counts["layer"] == 1:
            counts["layer"] = 0                  # the box is that layer
        summary = ", ".join(f"{n} {what}{'s' * (n != 1)}" for what, n in counts.items() if n)
        lines = [summary] if summary else []
        marks = sorted({m for v in members for m in v.marks})
        attrs = dict(style.KINDS["collapsed"])
        if info.get("kind") == "backward":
            attrs.update(fillcolor=style.KINDS["backward"]["fillcolor"],
                         color=style.KINDS["backward"]["color"])
        attrs["label"] = style.label(info.get("label") or self._name(path), lines, marks)
        if marks:
            attrs.update(style.HOOK)
        return attrs

    def _emit_edges(self, d, visible, ids):
        seen = set()
        count = 0
        for tail, head, kind, text in self.edges:
            a, b = visible[tail], visible[head]
            if a == b:
                continue                     # inside one collapsed box
            if a[0] == "box" or b[0] == "box":
                if (a, b, kind) in seen:
                    continue                 # many edges into a box: draw one
                seen.add((a, b, kind))
            attrs = dict(style.EDGES[kind])
            if text:
                attrs.update(label=text, fontcolor=style.BROADCAST_COLOR)
            d.edge(ids[a], ids[b], **attrs)
            count += 1
        return count

    def _lookup_table(self, visible, ids):
        """What ``Drawing.node_id`` answers: every registered object and name."""
        objects = {k: (ref, ids[visible[key]]) for k, (ref, key) in self._objects.items()}
        names = {n: ids[visible[key]] for n, key in self._names.items()}
        return objects, names


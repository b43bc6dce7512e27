"""Drawing an ``nn.Module``: its layers as clusters, its parameters as leaves.

Without an input we only know the structure: each layer is a box with its
parameters beside it, inside one cluster per module (a ``Sequential`` is
chained in order). With an example input (``draw(model, input=x)``) the model
runs once and the tape is drawn, each op inside the cluster of the module
whose ``forward`` made it -- found with a forward pre-hook and a forward hook
on every sub-module plus an observer of the ops being recorded.

>>> import tinyflow.nn as nn
>>> from tinyflow.viz.draw_module import module_picture
>>> p = module_picture(nn.Sequential(nn.Linear(2, 3), nn.ReLU()))
>>> [v.title for v in p.vertices]
['0.weight', '0.bias', 'Linear', '1: ReLU']
"""
from ..base.config import Config
from ..eager.grad_mode import enable_grad
from ..eager.tensor import Tensor
from . import style
from .draw_eager import eager_picture


def _path(name):
    return tuple(name.split(".")) if name else ()


def _describe(pic, model):
    """Cluster labels and collapsed-box text: "fc1: Linear"."""
    for name, m in model.named_modules():
        if name:
            pic.cluster(_path(name), label=f"{name}: {type(m).__name__}")


# --- structure only -------------------------------------------------------------

def module_picture(model):
    """A ``Picture`` of ``model``'s layers and parameters (no data flow needed)."""
    from .picture import Picture
    pic = Picture(sep=".")
    params = {id(p): n for n, p in model.named_parameters()}

    def add_params(m, path):
        keys = []
        for pname, p in m._parameters.items():
            if p is not None:
                name = params.get(id(p), pname)
                keys.append(pic.add(p, "param", name, [style.shape_line(p.shape, p.dtype)],
                                    path=path, names=[name]))
        return keys

    def walk(m, name):
        """Add m; return the keys where data enters and leaves it."""
        path = _path(name)
        children = [(f"{name}.{n}" if name else n, c) for n, c in m.named_children()]
        if not children:
            extra = m.extra_repr()
            params = add_params(m, path)
            title = type(m).__name__
            if name and not params:          # no cluster around it to carry its name
                title = f"{name}: {title}"
            box = pic.add(m, "module", title, extra.split(", ") if extra else [],
                          path=path, names=[name] if name else ())
            for k in params:
                pic.edge(k, box)
            return box, box
        add_params(m, path)
        ends = [walk(c, n) for n, c in children]
        kind = "data" if type(m).__name__ == "Sequential" else "invisible"
        for (_, exit_), (entry, _) in zip(ends, ends[1:]):
            pic.edge(exit_, entry, kind=kind)   # invisible: only keeps the layers in order
        return ends[0][0], ends[-1][1]

    walk(model, "")
    _describe(pic, model)
    return pic


# --- traced with an example input ---------------------------------------------

class ModulePlaces:
    """Which module made each tape node, recorded while the model runs."""

    def __init__(self, model):
        self.model = model
        self.names = {id(m): n for n, m in model.named_modules()}
        self.params = {id(p): n for n, p in model.named_parameters()}
        self.paths = {}                    # id(node) -> (node, module path)
        self._stack = []

    def run(self, args):
        """Call ``model(*args)`` with recording on; returns its output."""
        handles = []
        for m in self.model.modules():
            handles.append(m.register_forward_pre_hook(self._enter))
            handles.append(m.register_forward_hook(self._leave))
        Config.observers.append(self._observe)
        try:
            with enable_grad():
                return self.model(*args)
        finally:
            Config.observers.remove(self._observe)
            for h in handles:
                h.remove()
            self._stack.clear()

    def _enter(self, module, args):
        self._stack.append(self.names.get(id(module), ""))

    def _leave(self, module, args, out):
        self._stack.pop()

    def _observe(self, event, info):
        node = info.get("node")
        if event == "op" and node is not None and self._stack:
            self.paths[id(node)] = (node, _path(self._stack[-1]))

    def leaf_name(self, t):
        return self.params.get(id(t)) or t.name

    def leaf_path(self, t, name):
        if id(t) in self.params:
            return _path(self.params[id(t)])[:-1]
        return ()

    def node_path(self, node):
        hit = self.paths.get(id(node))
        return hit[1] if hit is not None and hit[0] is node else ()

    def describe(self, pic):
        _describe(pic, self.model)


def traced_module_picture(model, args, **options):
    """Run ``model(*args)`` and draw its tape, clustered by module."""
    args = tuple(a if isinstance(a, Tensor) or not hasattr(a, "shape") else Tensor(a)
                 for a in args)
    places = ModulePlaces(model)
    out = places.run(args)
    outputs = [out] if isinstance(out, Tensor) else [t for t in _flat(out) if isinstance(t, Tensor)]
    return eager_picture(outputs, places=places, **options)


def _flat(x):
    if isinstance(x, dict):
        x = list(x.values())
    if isinstance(x, (list, tuple)):
        return [t for v in x for t in _flat(v)]
    return [x]

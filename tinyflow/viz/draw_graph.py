"""Drawing a ``Graph``: its ops, grouped into clusters by name scope.

``fc1/MatMul`` goes in the cluster ``fc1``. An op named after another op
(``fc1/kernel/Assign`` beside the variable ``fc1/kernel``) stays next to it.
Ops that ``tf.gradients`` (or an optimizer's ``minimize``) built live under
the ``gradients`` scope: they are left out unless asked for (``backward``), and
then drawn in their own orange cluster. Control dependencies are dashed.
A cond or a while loop is drawn as a blue box holding its branches, or its
condition and body.

>>> import tinyflow.compat.v1 as tf
>>> from tinyflow.viz.draw_graph import graph_picture
>>> g = tf.Graph()
>>> with g.as_default():
...     x = tf.placeholder(tf.float32, [None, 3], name="x")
...     y = tf.nn.relu(x, name="y")
>>> [v.title for v in graph_picture(g).vertices]
['x', 'y']
"""
import re

from . import style
from .draw_eager import broadcasts

_GRADIENT_SCOPE = re.compile(r"^(gradients|hessians)(_\d+)?$")
_LEAF_KINDS = {"Placeholder": "input", "PlaceholderWithDefault": "input", "VariableV2": "param",
               "Capture": "param", "VarHandleOp": "param", "Const": "const"}


def is_gradient_op(op):
    """Was ``op`` built by ``gradients`` (its name starts with ``gradients/``)?"""
    return bool(_GRADIENT_SCOPE.match(op.name.split("/", 1)[0])) and "/" in op.name


def needed_ops(fetches):
    """Every op that running ``fetches`` needs (inputs and control inputs)."""
    stack = [f if hasattr(f, "control_inputs") else f.node for f in fetches]
    seen = set()
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        stack.extend(t.node for t in op.inputs)
        stack.extend(op.control_inputs)
    return seen


def graph_picture(graph, fetches=None, backward=None):
    """A ``Picture`` of ``graph`` (or just what ``fetches`` need).

    ``backward``: True draws the gradient ops, False leaves them (and the
    optimizer updates built from them) out; None (default) draws them only
    when the fetches need them.
    """
    from .picture import Picture
    ops = graph.get_operations()
    if fetches is not None:
        fetches = [graph.as_graph_element(f) for f in
                   (fetches if isinstance(fetches, (list, tuple)) else [fetches])]
        needed = needed_ops(fetches)
        ops = [op for op in ops if op in needed]
    if backward is None:
        backward = fetches is not None
    hidden = 0
    if not backward:
        gone = _gradient_part(ops)
        hidden = len(gone)
        ops = [op for op in ops if op not in gone]

    pic = Picture(sep="/")
    names = {op.name for op in graph.get_operations()}
    for op in ops:
        path, title = _place(op.name, names)
        if path and _GRADIENT_SCOPE.match(path[0]):
            pic.cluster(path[:1], label=f"{path[0]} (backward)", kind="backward")
        if op.type in ("If", "While"):          # drawn in a box with the graphs it holds
            path = path + (title,)
        key = _draw_op(pic, op, path, title, names=[op.name])
        if op.type in ("If", "While"):
            _draw_inside(pic, op, path, key)
    if hidden:
        pic.note = f"{hidden} gradient and update ops not shown: draw(..., backward=True)"
    return pic


def _draw_op(pic, op, path, title, kind=None, lines=None, names=()):
    """One op as a vertex, with edges from its inputs already drawn."""
    key = pic.add(op, kind or _kind(op), title, _lines(op, title) if lines is None else lines,
                  path=path, marks=_marks(op), names=names)
    inputs = op.inputs
    if op.type in ("If", "While"):      # the other inputs go to the placeholders inside
        inputs = inputs[:1] if op.type == "If" else ()
    for t in inputs:
        src = pic.find(t.node)
        if src is not None:
            feed = is_gradient_op(op) and not is_gradient_op(t.node)
            pic.edge(src, key, kind="feed" if feed else "data", label=_broadcast(op, t))
    for c in op.control_inputs:
        src = pic.find(c)
        if src is not None:
            pic.edge(src, key, kind="control")
    return key


# --- a cond or while_loop: a box holding the graphs inside it ---------------------------
# A cond is its If op in a box with two smaller boxes, the true and the false branch; a
# while loop its While op with a box for the condition and one for the body, whose
# results go round (dashed) to its inputs for the next iteration. A tensor of the outer
# graph that a branch or body uses arrives (a grey line) at the placeholder standing for it.

def _inner_graphs(op):
    if op.type == "If":
        false_b, true_b = op.attrs["branches"]
        return [("true branch", true_b), ("false branch", false_b)]
    return [("condition", op.attrs["cond"]), ("body", op.attrs["body"])]


def _draw_inside(pic, op, path, key):
    pic.cluster(path, label=f"{path[-1]} ({op.type})", kind="control")
    n_vars = op.attrs.get("n_vars", 0)
    first = 1 if op.type == "If" else 0            # an If's input 0 is its predicate
    for label, fg in _inner_graphs(op):
        inner = path + (label.split()[0],)
        pic.cluster(inner, label=label, kind="control")
        names = {o.name for o in fg.get_operations()}
        outer_of = {inside: outside for outside, inside in fg.captures.items()}
        position = {id(t): k for k, t in enumerate(fg.inputs)}
        used = {id(t) for o in fg.get_operations() if not is_gradient_op(o) for t in o.inputs}
        used.update(id(t) for t in fg.outputs)
        for o in fg.get_operations():
            if is_gradient_op(o) or (o.type == "Placeholder" and id(o.outputs[0]) not in used):
                continue        # its gradient (built in the same graph), an input it ignores
            sub, title = _place(o.name, names)
            k = position.get(id(o.outputs[0])) if o.outputs else None
            kind = lines = None
            if k is not None:           # an input: a loop variable or an outer tensor
                lines = _lines(o, title)[-1:]
                if k < n_vars:
                    title = f"loop variable {k}"
                elif o.outputs[0] in outer_of:
                    outer = outer_of[o.outputs[0]]
                    title, kind = outer.name.replace(":0", "") if outer.name.endswith(
                        ":0") else outer.name, "input"
            v = _draw_op(pic, o, inner + sub, title, kind, lines)
            if k is not None and first + k < len(op.inputs):
                src = pic.find(op.inputs[first + k].node)
                if src is not None:
                    pic.edge(src, v, kind="feed")
        for k, t in enumerate(fg.outputs):
            src = pic.find(t.node)
            if src is None:
                continue
            if label == "body":         # round to the next iteration, and out at the end
                back = pic.find(fg.inputs[k].node)
                if back is not None:
                    pic.edge(src, back, kind="loop")
            pic.edge(src, key)


def _gradient_part(ops):
    """The gradient ops, what is built from them (an optimizer's updates), and
    the inputs that only feed those (a learning-rate constant)."""
    gone = set()
    for op in ops:                           # graph order: producers come first
        if is_gradient_op(op) or any(t.node in gone for t in op.inputs) or \
                any(c in gone for c in op.control_inputs):
            gone.add(op)
    users = {}
    for op in ops:
        for src in [t.node for t in op.inputs] + list(op.control_inputs):
            users.setdefault(src, []).append(op)
    for op in ops:
        if not op.inputs and op in users and all(u in gone for u in users[op]):
            gone.add(op)
    return gone


def _place(name, names):
    """(cluster path, label) of an op: ``fc1/kernel/Assign`` -> (("fc1",), "kernel/Assign")."""
    parts = name.split("/")
    n = len(parts) - 1
    while n and "/".join(parts[:n]) in names:
        n -= 1
    return tuple(parts[:n]), "/".join(parts[n:])


def _kind(op):
    if op.type in style.DEBUG_TYPES:
        return op.type
    if op.type in _LEAF_KINDS:
        return _LEAF_KINDS[op.type]
    return "backward" if is_gradient_op(op) else "op"


def _lines(op, title):
    lines = []
    if re.sub(r"_\d+$", "", title.rsplit("/", 1)[-1]) != op.type:
        lines.append(op.type)
    if op.type == "Print" and op.attrs.get("message"):
        lines.append(repr(op.attrs["message"]))
    if op.type == "Const":
        value = op.attrs.get("value")
        if value is not None and value.size == 1:
            lines.append("= " + style.fmt_value(value))
    if op.prim.multi_output:            # cond, while_loop: each output but the kept values
        lines.extend(style.shape_line(t._shape, t.dtype) for t in op.outputs[:-1])
    elif op.outputs:
        t = op.outputs[0]
        lines.append(style.shape_line(t._shape, t.dtype))
    return lines


def _marks(op):
    """A red "hook" note if any hook (forward, pre, grad) is registered on op."""
    hooks = op.hooks or {}
    n = sum(len(h) if isinstance(h, dict) else 1 for h in hooks.values())
    if not n:
        return ()
    return ("hook" if n == 1 else f"{n} hooks",)


def _broadcast(op, t):
    """'sum to (8,)' where t's gradient would be summed back from a bigger shape."""
    if not broadcasts(op.prim) or not op.outputs or t.dtype.kind != "f" or t.node.type == "Const":
        return None
    out = op.outputs[0]._shape
    if t._shape is None or out is None or tuple(t._shape) == tuple(out):
        return None
    lead = len(out) - len(t._shape)
    # An unknown dim next to a known one is not a broadcast: at run time they are equal.
    if lead == 0 and all(a == b or a is None or (b is None and a != 1)
                         for a, b in zip(t._shape, out)):
        return None
    return style.broadcast_note(t._shape)

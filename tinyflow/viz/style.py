"""How drawings look: one style per kind of node, and the text of labels.

Kinds: ``op`` (rounded box), ``param`` (a leaf that gets a gradient: an
ellipse), ``input`` (data fed in), ``const``, ``output``, ``backward`` (gradient
nodes), ``collapsed`` (a whole layer or scope as one box) and the debugging ops
``Print``, ``Breakpoint``, ``CheckNumerics``, ``GradHook``. Fonts are large
enough to read on a projector.

>>> label("MatMul", ["(?, 8) float32"])
'<<B>MatMul</B><BR/><FONT POINT-SIZE="11" COLOR="#555555">(?, 8) float32</FONT>>'
"""
import html

import numpy as np

FONT = "Helvetica"

GRAPH = {"rankdir": "TB", "fontname": FONT, "fontsize": "14", "nodesep": "0.3",
         "ranksep": "0.35", "bgcolor": "white"}
NODE = {"fontname": FONT, "fontsize": "14", "margin": "0.12,0.05", "color": "#4d4d4d"}
EDGE = {"fontname": FONT, "fontsize": "11", "color": "#4d4d4d", "arrowsize": "0.7"}

KINDS = {
    "op": {"shape": "box", "style": "rounded,filled", "fillcolor": "#e8eef9", "color": "#4a6fa5"},
    "param": {"shape": "ellipse", "style": "filled", "fillcolor": "#cfe8ff", "color": "#2c6fbb"},
    "input": {"shape": "ellipse", "style": "filled", "fillcolor": "#fff7cc", "color": "#a08a2c"},
    "const": {"shape": "ellipse", "style": "filled,dashed", "fillcolor": "#f4f4f4",
              "color": "#8c8c8c", "fontsize": "12"},
    "output": {"shape": "ellipse", "style": "filled", "fillcolor": "#d4f0c4", "color": "#3c8c2c",
               "peripheries": "2"},
    "backward": {"shape": "box", "style": "rounded,filled", "fillcolor": "#fde2d2",
                 "color": "#d9822b"},
    "collapsed": {"shape": "box3d", "style": "filled", "fillcolor": "#e4e9f2", "color": "#4a6fa5"},
    "module": {"shape": "box", "style": "rounded,filled", "fillcolor": "#e8eef9",
               "color": "#4a6fa5"},
    # Debugging ops stand out: a note that prints, a stop sign that stops.
    "Print": {"shape": "note", "style": "filled", "fillcolor": "#fff3b0", "color": "#b8860b"},
    "Breakpoint": {"shape": "octagon", "style": "filled", "fillcolor": "#ffd6d6",
                   "color": "#c0392b"},
    "CheckNumerics": {"shape": "box", "style": "rounded,filled", "fillcolor": "#fff3b0",
                      "color": "#b8860b"},
    "GradHook": {"shape": "box", "style": "rounded,filled", "fillcolor": "#fff3b0",
                 "color": "#b8860b"},
}
DEBUG_TYPES = ("Print", "Breakpoint", "CheckNumerics", "GradHook")

HOOK = {"color": "#d62728", "penwidth": "2.5"}
HIGHLIGHT_WIDTH = "3"

CLUSTERS = {
    "scope": {"style": "rounded,filled", "fillcolor": "#f6f7f9", "color": "#9aa5b1",
              "fontcolor": "#33415c"},
    "backward": {"style": "rounded,filled,dashed", "fillcolor": "#fff4ec", "color": "#d9822b",
                 "fontcolor": "#a0521b"},
    # a cond's branch, a while loop's condition or body: a graph inside one op
    "control": {"style": "rounded,filled", "fillcolor": "#eef5fc", "color": "#4a7fb5",
                "fontcolor": "#1f4e79"},
}

EDGES = {
    "data": {},
    "control": {"style": "dashed", "color": "#9a9a9a", "arrowhead": "odot"},
    "backward": {"color": "#d9822b", "dir": "back", "style": "dashed"},
    # a forward value that a gradient op reads: drawn, but not allowed to pull
    # the forward part out of shape
    "feed": {"color": "#b0b0b0", "constraint": "false"},
    "link": {"style": "dotted", "color": "#c8c8c8", "arrowhead": "none", "constraint": "false"},
    "invisible": {"style": "invis"},
    # a loop body's results going round to its inputs for the next iteration
    "loop": {"style": "dashed", "color": "#4a7fb5", "constraint": "false"},
}
BROADCAST_COLOR = "#b35900"

SUB = "#555555"        # shapes and dtypes
GRAD = "#b35900"       # gradient values
MARK = "#d62728"       # "hook" notes


def esc(text):
    """Text made safe inside an HTML-like label."""
    return html.escape(str(text), quote=True)


def label(title, lines=(), marks=(), bold=True):
    """An HTML-like graphviz label: a bold title, then small grey lines.

    ``lines`` are strings, or ``(text, colour)`` pairs; multi-line text is kept
    left-aligned. ``marks`` are short red notes such as ``"hook"``.
    """
    head = f"<B>{esc(title)}</B>" if bold else esc(title)
    parts = [head]
    for line in lines:
        text, colour = (line, SUB) if isinstance(line, str) else line
        body = '<BR ALIGN="LEFT"/>'.join(esc(t) for t in str(text).split("\n"))
        if "\n" in str(text):
            body += '<BR ALIGN="LEFT"/>'
        parts.append(f'<FONT POINT-SIZE="11" COLOR="{colour}">{body}</FONT>')
    for m in marks:
        parts.append(f'<FONT POINT-SIZE="11" COLOR="{MARK}"><B>{esc(m)}</B></FONT>')
    return "<" + "<BR/>".join(parts) + ">"


def fmt_shape(shape):
    """``(None, 8)`` -> ``'(?, 8)'``; an unknown rank is ``'<unknown>'``."""
    if shape is None:
        return "<unknown>"
    dims = ", ".join("?" if d is None else str(d) for d in shape)
    return f"({dims},)" if len(shape) == 1 else f"({dims})"


def shape_line(shape, dtype=None):
    s = fmt_shape(shape)
    return s if dtype is None else f"{s} {np.dtype(dtype).name}"


def fmt_value(array, width=36, precision=3):
    """A few numbers of ``array``: small arrays whole, big ones summarized;
    ``precision`` digits after the point (one more for a single number)."""
    a = np.asarray(array)
    if a.size == 1:
        return np.format_float_positional(a.item(), precision=precision + 1, trim="-") \
            if a.dtype.kind == "f" else str(a.item())
    return np.array2string(a, precision=precision, threshold=8, edgeitems=2,
                           max_line_width=width, suppress_small=True)


def digits_to_see_change(before, after, width=36, most=8):
    """The precision at which ``fmt_value`` shows ``before`` and ``after``
    differently (3 if they already differ, or are equal): a small update step
    must not look like no change at all."""
    for precision in range(3, most + 1):
        if fmt_value(before, width, precision) != fmt_value(after, width, precision):
            return precision
    return 3


def broadcast_note(in_shape):
    """The label on an edge whose gradient is summed back to a smaller shape."""
    return f"sum to {fmt_shape(in_shape)}"

"""The Stepper's picture: a focus view of a big drawing, or the whole of it.

A training graph drawn whole and shrunk to the width of a notebook has labels
a few pixels high. The focus view is a window of the full-size drawing
centred on one node (the op that just ran) and, where they fit, its
neighbours; it only changes the SVG's ``viewBox``, so nothing is laid out
again and the picture does not jump between steps.

>>> svg = ('<svg width="1000pt" height="800pt" viewBox="0.00 0.00 1000.00 800.00">'
...        '<g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 796)">'
...        '<g id="node1" class="node"><title>n0</title>'
...        '<polygon points="700,-400 800,-400 800,-360 700,-360 700,-400"/></g></g></svg>')
>>> head = focus(svg, "n0")[:90]
>>> head
'<svg class="tf-focus" viewBox="460.00 206.00 540.00 420.00" width="720px" height="560px" s'
"""
import html
import re

from .drawing import svg_size

# The focus view's window on the drawing, in points (1 pt = 4/3 px): about the
# width of the picture pane beside the values panel in a notebook.
FOCUS_PT = (540, 420)
# Shrink the window at most to 3/4 when the pane is narrower (then it scrolls):
# the 11 pt lines of a label stay 11 px high on screen.
MIN_SCALE = 0.75


def whole(svg):
    """The whole drawing, shrunk to the width of the pane."""
    svg = svg[svg.index("<svg"):]
    return re.sub(r"^<svg ", '<svg class="tf-whole-graph" style="max-width:100%;height:auto" ',
                  svg, count=1)


def focus(svg, node):
    """The part of the drawing around ``node`` (a DOT id such as ``"n12"``) at
    full size: a window of ``FOCUS_PT`` centred on the node and, where they
    fit, its neighbours. A drawing smaller than the window is shown whole."""
    svg = svg[svg.index("<svg"):]
    width, height = svg_size(svg)
    win_w, win_h = min(FOCUS_PT[0], width), min(FOCUS_PT[1], height)
    x, y = 0.0, 0.0
    boxes = _node_boxes(svg)
    if node in boxes and (win_w, win_h) != (width, height):
        near = [boxes[n] for n in _neighbours(svg, node) | {node} if n in boxes]
        around = _union(near)
        # the neighbourhood if it fits in the window, else the node itself
        fits = around[2] - around[0] <= win_w and around[3] - around[1] <= win_h
        x0, y0, x1, y1 = around if fits else boxes[node]
        x = min(max((x0 + x1 - win_w) / 2, 0.0), width - win_w)
        y = min(max((y0 + y1 - win_h) / 2, 0.0), height - win_h)
    return _viewing(svg, x, y, win_w, win_h)


def _viewing(svg, x, y, w, h):
    """The SVG showing only the window (x, y, w, h) of the drawing, at full
    size, shrunk at most to ``MIN_SCALE`` in a narrow pane."""
    head = (f'<svg class="tf-focus" viewBox="{x:.2f} {y:.2f} {w:.2f} {h:.2f}" '
            f'width="{w * 4 / 3:.0f}px" height="{h * 4 / 3:.0f}px" '
            f'style="max-width:100%;min-width:{w * 4 / 3 * MIN_SCALE:.0f}px;height:auto"')
    # drop Graphviz's own size and viewBox from the <svg> tag, keep the rest
    tag_end = svg.index(">")
    rest = re.sub(r'\s(width|height|viewBox)="[^"]*"', "", svg[4:tag_end])
    return head + rest + svg[tag_end:]


def _graph_offset(svg):
    """Graphviz draws inside <g transform="scale(s) ... translate(tx ty)">:
    how to turn the coordinates in it into the SVG's own."""
    m = re.search(r'class="graph" transform="scale\(([\d.]+)[^)]*\)[^"]*?'
                  r'translate\((-?[\d.]+) (-?[\d.]+)\)', svg)
    return (float(m.group(1)), float(m.group(2)), float(m.group(3))) if m else (1.0, 0.0, 0.0)


def _node_boxes(svg):
    """DOT id -> (x0, y0, x1, y1) of that node's shape, in the SVG's coordinates."""
    scale, tx, ty = _graph_offset(svg)
    boxes = {}
    for m in re.finditer(r'<g id="[^"]*" class="node">\s*<title>([^<]*)</title>(.*?)</g>',
                         svg, re.S):
        body = m.group(2)
        points = [(float(a), float(b)) for a, b in re.findall(r"(-?[\d.]+),(-?[\d.]+)", body)]
        for cx, cy, rx, ry in re.findall(r'<ellipse[^>]*cx="(-?[\d.]+)" cy="(-?[\d.]+)" '
                                         r'rx="([\d.]+)" ry="([\d.]+)"', body):
            cx, cy, rx, ry = map(float, (cx, cy, rx, ry))
            points += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
        if points:
            xs = [scale * (px + tx) for px, _ in points]
            ys = [scale * (py + ty) for _, py in points]
            boxes[html.unescape(m.group(1))] = (min(xs), min(ys), max(xs), max(ys))
    return boxes


def _neighbours(svg, node):
    """The DOT ids joined to ``node`` by an edge (Graphviz titles an edge "a->b")."""
    found = set()
    for title in re.findall(r'class="edge">\s*<title>([^<]*)</title>', svg):
        tail, _, head = html.unescape(title).partition("->")
        tail, head = tail.split(":")[0], head.split(":")[0]        # no ports
        if tail == node:
            found.add(head)
        elif head == node:
            found.add(tail)
    return found


def _union(boxes):
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))

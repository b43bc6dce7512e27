"""``Stepper``: a Jupyter widget that walks a computation one op at a time.

The picture is the computation's drawing with the op that just ran in gold.
A training graph is far too big to read when shrunk to the width of a
notebook, so the picture is a *focus view*: a window on the full-size drawing,
centred on the op that just ran and showing its neighbours; the "whole graph"
toggle shows everything, shrunk to fit. Beside it a panel shows that op's
inputs and output, and going backward the gradient it just computed and the
total so far; an update shows the variable before and after, with as many
digits as it takes to see the change. Buttons: Prev, Next, Run to end, Reset;
the slider jumps to any step.

The stepping itself is done by ``tinyflow.debug`` (``StepSession`` for a
Session run, ``trace`` for an eager function), so the same steps are there
without widgets; this file only shows them.

>>> import tinyflow as tf
>>> from tinyflow.viz import Stepper
>>> w = tf.tensor([1.0, -2.0], requires_grad=True); w.name = "w"
>>> s = Stepper.eager(lambda: (w * w).sum())
>>> s
<tinyflow Stepper: eager trace, 4 steps>
>>> s.next().name, s.next().name, s.next().name
('Mul', 'Sum', 'SumBackward0')
>>> s.step.phase
'backward'
"""
import html
from concurrent.futures import ThreadPoolExecutor

import graphviz
import ipywidgets as W
import numpy as np

from ..debug.stepping import EagerTrace, StepSession, trace
from ..eager.tape import Node
from ..eager.tensor import Tensor
from ..graph.session import Session
from . import render, style
from .draw_any import draw
from .draw_graph import is_gradient_op
from .drawing import Backward
from .focus import focus as _focus, whole as _whole
from .panel import box as _box, esc as _e, value_row as _value_row, where as _where

HIGHLIGHT = "gold"
PHASE_COLOURS = {"forward": "#4a6fa5", "backward": "#d9822b", "update": "#3c8c2c"}


class Stepper:
    """Step through a computation in Jupyter.

    * ``Stepper(sess, fetches, feed_dict)``: a Session run (graph mode), or
      ``Stepper(tf.debug.StepSession(...))``;
    * ``Stepper.eager(fn, *args)`` or ``Stepper(tf.debug.trace(fn, *args))``:
      an eager function, forward and then backward.

    ``draw_options`` go to ``draw`` (``rankdir="LR"``, ``collapse=...``).
    The same moves work from Python: ``next()``, ``prev()``, ``go(k)``,
    ``run_to_end()``, ``reset()``; ``step`` is the step shown (None at 0).
    """

    def __init__(self, run, fetches=None, feed_dict=None, **draw_options):
        self._restart, self._note = None, ""
        if isinstance(run, StepSession):
            self.session = run
            self._restart = lambda: StepSession(run.session, run.fetches, run.feed_dict)
        elif isinstance(run, EagerTrace):
            self.session = run
        elif isinstance(run, Session):
            self.session = StepSession(run, fetches, feed_dict)
            self._restart = lambda: StepSession(run, fetches, feed_dict)
        else:
            raise TypeError(f"Stepper() takes a Session (with fetches and a feed_dict), a "
                            f"tf.debug.StepSession or a tf.debug.trace; got "
                            f"{type(run).__name__}. For an eager function use "
                            f"Stepper.eager(fn, *args).")
        self.eager = isinstance(self.session, EagerTrace)
        self.draw_options = draw_options
        self.position = 0              # steps shown as done: 0 .. total
        self._svgs = {}                # position -> Future of its SVG
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._base = None              # the drawing without highlight (to look up node ids)
        self._names = {s.node: s.name for s in getattr(self.session, "all_steps", ())
                       if s.phase == "forward" and s.node is not None}
        self._build()
        self.go(len(self.session.history))

    @classmethod
    def eager(cls, fn, *args, **kwargs):
        """Record ``fn(*args)`` (and its backward pass) and step through it."""
        return cls(trace(fn, *args, **kwargs))

    # --- moving -------------------------------------------------------------------

    @property
    def total(self):
        return self.session.total

    @property
    def step(self):
        """The step shown: the op that ran last (None before the first)."""
        return self.session.history[self.position - 1] if self.position else None

    def go(self, position):
        """Show the state after ``position`` steps (running them if needed)."""
        position = max(0, min(self.total, int(position)))
        s = self.session
        while len(s.history) < position:
            s.step()
        if self.eager:                 # a replay can be rewound
            while len(s.history) > position:
                s.back()
        # A session run cannot be undone, but every step's values are recorded,
        # so going back just shows an earlier step of the history.
        self.position = position
        self._show()
        return self.step

    def next(self):
        return self.go(self.position + 1)

    def prev(self):
        return self.go(self.position - 1)

    def run_to_end(self):
        self.session.continue_()      # (a cond or loop shows its inner steps once it has run)
        return self.go(self.total)

    def reset(self):
        """Back to the start. A Session run starts again for real: after an
        update the variables keep their new values, so the numbers change."""
        self._note = ""
        if self.eager:
            self.session.reset()
        elif self._restart is not None:
            if any(s.phase == "update" for s in self.session.history):
                self._note = ("<i>A new run: the variables keep the values the last "
                              "update gave them.</i><br>")
            self.session = self._restart()
        return self.go(0)

    # --- the picture ----------------------------------------------------------------

    def svg(self, position=None, whole=None):
        """The picture after ``position`` steps (default: now) as SVG text,
        with that step's op highlighted: the focus view, or with
        ``whole=True`` the whole graph (default: what the toggle says). Each
        one is drawn once and kept."""
        position = self.position if position is None else position
        whole = self.whole_button.value if whole is None else whole
        return self._job(position).result()[1 if whole else 0]

    def _job(self, position):
        """The (maybe still running) drawing job for ``position``."""
        if position not in self._svgs:
            self._svgs[position] = self._pool.submit(self._render, position)
        return self._svgs[position]

    def _draw(self, highlight=None):
        opts = dict(self.draw_options, highlight=highlight)
        if not self.eager:
            s = self.session
            return draw(s.session.graph, fetches=list(s.plan.ops), backward=True, **opts)
        if self.session.tape_output is not None:
            return draw(self.session.tape_output, backward=True, **opts)
        return draw(self.session.output, **opts)

    def highlighted(self, position=None):
        """What is highlighted after ``position`` steps: a tape Node,
        ``Backward(node)`` or an Operation; None if nothing is."""
        position = self.position if position is None else position
        if position == 0:
            return None
        if self.eager:
            s = self.session.all_steps[position - 1]
            target = Backward(s.node) if s.phase == "backward" else s.node
        else:
            target = self.session.op_at(position)
            if target is None:
                return None
        if self._base is None:
            self._base = self._draw()
        try:
            self._base.node_id(target)      # ops that are not drawn stay unhighlighted
        except KeyError:
            return None
        return target

    def _render(self, position):
        """(focus view, whole graph) as HTML for the step at ``position``."""
        try:
            target = self.highlighted(position)
            d = self._draw({target: HIGHLIGHT}) if target is not None else self._draw()
            svg = d.svg()
            node = d.node_id(target) if target is not None else None
            return _focus(svg, node), _whole(svg)
        except graphviz.ExecutableNotFound:
            text = f"<p>(no Graphviz renderer, so no picture: {render.INSTALL_HINT})</p>"
        except TypeError as e:
            text = f"<p>(nothing to draw: {html.escape(str(e))})</p>"
        return text, text

    # --- the widgets ------------------------------------------------------------------

    def _build(self):
        self.prev_button = _button("◀ Prev", "tf-prev", "Show the step before")
        self.next_button = _button("Next ▶", "tf-next", "Run the next op")
        self.run_button = _button("Run to end ▶▶", "tf-run", "Run every op that is left")
        self.reset_button = _button("Reset", "tf-reset", "Back to the start")
        self.slider = W.IntSlider(value=0, min=0, max=self.total, description="step",
                                  continuous_update=False, layout=W.Layout(width="320px"))
        self.slider.add_class("tf-slider")
        self.whole_button = W.ToggleButton(value=False, description="whole graph",
                                           tooltip="Show the whole graph, shrunk to fit "
                                                   "(or only the part around this step)",
                                           layout=W.Layout(width="auto"))
        self.whole_button.add_class("tf-whole")
        self.whole_button.observe(lambda _: self._show_picture(), names="value")
        self.phase = W.HTML().add_class("tf-phase")
        self.graph = W.HTML(layout=W.Layout(flex="3 1 0%", min_width="0")).add_class("tf-graph")
        self.panel = W.HTML(layout=W.Layout(flex="2 1 0%", min_width="0")).add_class("tf-panel")
        self.prev_button.on_click(lambda _: self.prev())
        self.next_button.on_click(lambda _: self.next())
        self.run_button.on_click(lambda _: self.run_to_end())
        self.reset_button.on_click(lambda _: self.reset())
        self.slider.observe(self._slid, names="value")
        buttons = [self.prev_button, self.next_button, self.run_button, self.reset_button]
        self.widget = W.VBox([W.HBox(buttons + [self.slider, self.whole_button]), self.phase,
                              W.HBox([self.graph, self.panel])])
        self.widget.add_class("tf-stepper")
        self._phases = self._phases_used()

    def _slid(self, change):
        if change["new"] != self.position:
            self.go(change["new"])

    def _show(self):
        p, end = self.position, self.total
        self.slider.max = end
        self.slider.value = p           # set before the rest: _slid then sees no move
        self.prev_button.disabled = p == 0
        self.next_button.disabled = self.run_button.disabled = p == end
        self.phase.value = self._phase_html()
        self._show_picture()
        self.panel.value = self._panel_html()
        if p < end and self._next_known():
            # dot needs ~0.2 s for a big graph: draw the next step now, so that
            # Next feels instant.
            self._job(p + 1)

    def _show_picture(self):
        self.graph.value = ('<div class="tf-picture" style="overflow:auto;max-height:640px">'
                            f"{self.svg()}</div>")

    def _next_known(self):
        """Is the next step's op known before it runs? (Not when it is a cond or a
        loop: the steps inside it come first.)"""
        return self.eager or self.session.op_at(self.position + 1) is not None

    def _phases_used(self):
        if self.eager:
            used = {s.phase for s in self.session.all_steps}
        else:
            ops = self.session.plan.ops
            used = {"forward"}
            used |= {"backward"} if any(is_gradient_op(op) for op in ops) else set()
            used |= {"update"} if any(op.type.startswith("Assign") for op in ops) else set()
        return [ph for ph in PHASE_COLOURS if ph in used]

    def _phase_html(self):
        now = self.step.phase if self.step else None
        chips = []
        for ph in self._phases:
            c = PHASE_COLOURS[ph]
            look = (f"background:{c};color:white;font-weight:bold" if ph == now
                    else f"color:{c};border:1px solid {c}")
            mark = ' class="now"' if ph == now else ""
            chips.append(f'<span{mark} style="padding:2px 12px;border-radius:12px;{look}">'
                         f"{ph}</span>")
        return (f'<div style="font-size:16px;margin:4px 0">{" → ".join(chips)}'
                f"&emsp;step {self.position} of {self.total}</div>")

    # --- the panel ----------------------------------------------------------------------

    def _panel_html(self):
        s = self.step
        if s is None:
            return _box(self._start_text())
        rows = [f'<div style="font-size:18px"><b>{_e(s.name)}</b>'
                f'&ensp;<span style="color:#555">op {_e(s.op_type)}</span></div>']
        site = s.site or self._forward_site(s)
        if site is not None:
            rows.append(f'<div style="color:#555">{_e(_where(site))}</div>'
                        f"<pre>{_e(site[3])}</pre>")
        if s.phase == "backward" and self.eager:
            rows += self._eager_backward_rows(s)
        else:
            names = _Names(self._input_names(s))
            if s.inputs:
                rows.append("<b>inputs</b>")
                rows += [_value_row(names[i], v) for i, v in enumerate(s.inputs)]
            if s.op_type.startswith("Assign") and s.output is not None:
                rows += self._update_rows(s)
            elif s.phase == "backward" and s.grad_of:
                rows.append(f"<b>gradient with respect to {_e(s.grad_of)}</b> "
                            f"(all paths added up)")
                rows.append(_value_row("", s.output))
            elif s.output is not None:
                rows.append("<b>output</b>" + (" (a piece of the gradient computation)"
                                               if s.phase == "backward" else ""))
                rows.append(_value_row("", s.output))
            else:
                rows.append("<b>output</b>: none (this op only makes others run)")
        return _box("".join(f"<div>{r}</div>" for r in rows))

    def _eager_backward_rows(self, s):
        names = _Names(self._input_names(s))
        if len(set(names)) < len(names):          # x * x: say which input is which
            names = _Names(f"{n} (input {i})" for i, n in enumerate(names))
        rows = [f"Backward through <b>{_e(s.grad_of)}</b>: the gradient arriving at its "
                f"result is passed on to its inputs.",
                "<b>gradient arriving</b>", _value_row("", s.inputs[0]),
                "<b>gradient just computed</b>"]
        rows += [_value_row(f"for {names[i]}", g) for i, g in sorted(s.grads.items())]
        rows.append("<b>accumulated so far</b> (every path added up)")
        rows += [_value_row(f"for {names[i]}", g) for i, g in sorted(s.accumulated.items())]
        return rows

    def _update_rows(self, s):
        """An update (Assign, AssignSub...): the variable before and after, with
        as many digits as it takes to see the change."""
        var = s.node.inputs[0].node.name
        before = next((h.output for h in reversed(self.session.history[:s.index])
                       if h.name == var and h.phase == "forward"), None)
        if before is None:                        # the variable was not read in this run
            return [f"<b>{_e(var)} after</b>", _value_row("", s.output)]
        after = np.asarray(s.output)
        digits = style.digits_to_see_change(before, after, width=60)
        change = np.abs(after - before).max() if after.size else 0.0
        return [f"<b>{_e(var)} before</b>", _value_row("", before, digits),
                f"<b>{_e(var)} after</b>", _value_row("", after, digits),
                f'<span class="tf-change">largest change: {change:.3g}</span>']

    def _start_text(self):
        nxt = self.session.next
        if nxt is None:
            return "Nothing to step through."
        what = nxt.op_type if self.eager else nxt.type
        return (f"{self._note}<b>Ready.</b> {self.total} ops to run.<br>Press <b>Next ▶</b> "
                f"to run the first one: <b>{_e(nxt.name)}</b> ({_e(what)}).")

    def _forward_site(self, s):
        """A backward step has no line of its own: show the forward line."""
        for f in self.session.history:
            if f.phase == "forward" and f.name == s.grad_of:
                return f.site
        return None

    def _input_names(self, s):
        """What fed each input of the op: a step's name, a parameter's name..."""
        node = s.node
        if isinstance(node, Node):
            given = node.inputs or [None] * len(node.input_nodes())
            return [self._names.get(p, p.prim.name) if isinstance(p, Node)
                    else p.name or "input" if isinstance(p, Tensor)
                    else g.name or "input" if isinstance(g, Tensor) else "a constant"
                    for p, g in zip(node.input_nodes(), given)]
        if node is None or self.eager:
            return []
        names = [t.node.name for t in node.inputs]
        if len(names) != len(s.inputs):      # an Assign op is also given the variable itself
            names = [t.node.name for t in node.inputs if not t.node.type.startswith("Var")]
        return names

    # --- display ----------------------------------------------------------------------

    def __repr__(self):
        kind = "eager trace" if self.eager else "session run"
        return f"<tinyflow Stepper: {kind}, {self.total} steps>"

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)       # no memory address: nbval compares this
        return bundle


class _Names(list):
    """Input names; "input 2" where a name is not known."""
    def __getitem__(self, i):
        return super().__getitem__(i) if i < len(self) else f"input {i}"


def _button(text, css, tip):
    b = W.Button(description=text, tooltip=tip, layout=W.Layout(width="auto"))
    b.add_class(css)
    return b

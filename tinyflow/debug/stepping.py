"""Walking a computation one node at a time, forward and then backward.

``StepSession`` executes a Session run step by step, in the order the
session would use; ``trace`` records an eager function's forward ops and its
backward pass so they can be replayed the same way. Both give the same
interface -- ``step()``, ``continue_()``, ``run_to(name)``, ``current``,
``values`` -- usable from a script, from pdb, or by the Stepper widget.

>>> import tinyflow
>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float64, [], name="x")
>>> y = tf.exp(x) * 2
>>> s = tinyflow.debug.StepSession(tf.Session(), y, {x: 0.0})
>>> s.step().name, s.step().name
('Exp', 'Mul')
>>> float(s.values["Mul"])
2.0
"""
import numpy as np

from ..base.config import Config
from ..base.source import user_site


class Step:
    """One executed op: what ran, on what, giving what."""
    __slots__ = ("index", "phase", "name", "op_type", "inputs", "output", "site", "node",
                 "grad_of", "grads", "accumulated")

    def __init__(self, index, phase, name, op_type, inputs, output, site=None, node=None):
        self.index = index
        self.phase = phase            # "forward", "backward" or "update"
        self.name = name
        self.op_type = op_type
        self.inputs = inputs          # input values (numpy)
        self.output = output          # output value (numpy), or None
        self.site = site              # the user's line that made the op
        self.node = node              # the tape Node or graph Operation (for drawing)
        self.grad_of = None           # backward: the forward step whose gradient this is
        self.grads = None             # eager backward: {input index: gradient just computed}
        self.accumulated = None       # eager backward: {input index: total so far}

    def __repr__(self):
        return f"<Step {self.index} {self.phase} {self.name} ({self.op_type})>"


class _Stepping:
    """Navigation shared by both kinds: a cursor over a list of steps."""

    def __init__(self):
        self.history = []

    def _advance(self):
        raise NotImplementedError

    @property
    def done(self):
        raise NotImplementedError

    def step(self):
        """Run (or replay) the next op; returns its Step, or None at the end."""
        if self.done:
            return None
        return self._advance()

    def continue_(self):
        """Run everything that is left."""
        while not self.done:
            self._advance()
        return self.result()

    def run_to(self, name):
        """Step until the op called ``name`` has run; returns its Step."""
        for s in self.history:
            if s.name == name:
                return s
        while not self.done:
            s = self._advance()
            if s.name == name:
                return s
        raise KeyError(f"run_to: no op named {name!r} in this run (names: "
                       f"{', '.join(s.name for s in self.history[-10:])}...)")

    @property
    def current(self):
        """The step that ran last (None before the first step)."""
        return self.history[-1] if self.history else None

    @property
    def values(self):
        """name -> output value of every op run so far."""
        return {s.name: s.output for s in self.history}

    @property
    def position(self):
        return len(self.history)

    def result(self):
        return None


def _phase(op, after_backward):
    parts = op.name.split("/")
    if any(p == "gradients" or p.startswith("gradients_") for p in parts[:-1]):
        return "backward"
    # What runs after the gradients (an optimizer's arithmetic and assigns) is the update.
    if after_backward or op.type.startswith("Assign"):
        return "update"
    return "forward"


class StepSession(_Stepping):
    """A Session run, executed one op at a time, in the session's order.

    A cond or while_loop op runs the graphs inside it: stepping onto one runs
    it whole, and the ops it ran -- the taken branch; the condition and the
    body of every iteration, ``while/body[2]/Mul`` -- come next, one step
    each, before the op itself."""

    def __init__(self, session, fetches, feed_dict=None):
        super().__init__()
        self.session = session
        self.fetches, self.feed_dict = fetches, feed_dict      # to start the same run again
        self.plan, values, self._rebuild = session.prepare(fetches, feed_dict)
        self._vals = self.plan.start(values)
        self._grad_of = getattr(session.graph, "_grad_of", {})
        self._ran = 0                  # plan steps run
        self._pending = []             # steps of the last control-flow op, not yet shown

    @property
    def total(self):
        """Steps in this run (a cond or loop adds its inner steps once it has run)."""
        return len(self.history) + len(self._pending) + len(self.plan.steps) - self._ran

    @property
    def done(self):
        return self._ran == len(self.plan.steps) and not self._pending

    @property
    def next(self):
        """The op that will run (or be shown) at the next ``step()``."""
        if self._pending:
            return self._pending[0].node
        return None if self.done else self.plan.steps[self._ran].op

    def op_at(self, position):
        """The op of step ``position`` (1-based) -- run already or still to run --
        or None when that is not known yet (after a cond or loop that has not run:
        its inner steps come first)."""
        if position <= len(self.history):
            return self.history[position - 1].node
        k = position - len(self.history) - 1
        if k < len(self._pending):
            return self._pending[k].node
        k -= len(self._pending)
        ahead = self.plan.steps[self._ran:self._ran + k + 1]
        if len(ahead) <= k or any(st.op.prim.family == "control" for st in ahead):
            return None
        return ahead[k].op

    def _advance(self):
        if not self._pending:
            step = self.plan.steps[self._ran]
            self._ran += 1
            inner = []
            if step.op.prim.family == "control":
                with _recording_inner_ops(inner):
                    args, value = self.session.run_step(step, self._vals)
            else:
                args, value = self.session.run_step(step, self._vals)
            op = step.op
            if op.type in ("If", "While"):
                value = value[:-1]        # its outputs, without the values kept for gradients
            after = any(h.phase == "backward" for h in self.history[-1:]) or \
                (self.history and self.history[-1].phase == "update")
            # Copies: a variable's value is its storage, which a later Assign
            # changes in place; the history must keep what each step saw.
            s = Step(0, _phase(op, after), op.name, op.type,
                     [_snapshot(a) for a in args if not hasattr(a, "graph")],
                     _snapshot(value), op.site, op)
            fwd = self._grad_of.get(op)
            if fwd is not None:
                s.grad_of = fwd.name
            for i in inner:
                if s.phase == "backward":
                    i.phase = "backward"
            self._pending = inner + [s]
        s = self._pending.pop(0)
        s.index = len(self.history)
        self.history.append(s)
        return s

    def result(self):
        """The fetched values, once every step has run."""
        if not self.done:
            raise RuntimeError(f"result(): {self.total - len(self.history)} steps are "
                               f"still to run; call continue_()")
        return self._rebuild(self.session._results(self.plan.fetched(self._vals)))


def _snapshot(value):
    """A copy of an array (or a tuple of them) as it is now."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if type(value) is tuple:
        return tuple(_snapshot(v) for v in value)
    return value


class _recording_inner_ops:
    """Collect a Step for each op that a control-flow op runs inside, named after
    where it ran: ``cond/true/Mul``, ``while/body[2]/Mul``, and for a loop's
    gradient ``while/body_grad[2]/...`` (iteration 2's gradient, which runs first
    when the loop had three iterations)."""

    def __init__(self, steps):
        self.steps = steps
        self.calls = {}                # (graph, gradient?) -> calls so far
        self.frame = None              # (graph, gradient?, call number) of the ops running now
        self.frames = []               # per step: its frame

    def __call__(self, event, info):
        if event == "function_call":
            key = (info["graph"], info["gradient"])
            k = self.calls.get(key, 0)
            self.calls[key] = k + 1
            self.frame = key + (k,)
        elif event == "op" and info.get("mode") == "session" and self.frame is not None:
            op = info["op"]
            if op.type == "Placeholder" or getattr(op.graph, "outer", None) is None:
                return                 # an input of the branch or body, or the op itself
            s = Step(0, "backward" if self.frame[1] else "forward", op.name, op.type,
                     [a for a in info["inputs"] if not hasattr(a, "graph")],
                     info["output"], op.site, op)
            self.steps.append(s)
            self.frames.append(self.frame)

    def __enter__(self):
        Config.observers.append(self)
        return self

    def __exit__(self, *exc):
        Config.observers.remove(self)
        for s, (graph, grad, k) in zip(self.steps, self.frames):
            loop = graph.name.rsplit("/", 1)[-1] not in ("true", "false")
            if grad and loop:          # the gradient replays the iterations last first
                k = self.calls[(graph, grad)] - 1 - k
            frame = graph.name + ("_grad" if grad else "") + (f"[{k}]" if loop else "")
            s.name = f"{frame}/{s.name}"


class EagerTrace(_Stepping):
    """An eager computation recorded op by op (forward, then backward), for replay."""

    def __init__(self, steps, output, tape_output=None):
        super().__init__()
        self.all_steps = steps
        self.output = output          # what the function returned
        self.tape_output = tape_output  # the tensor whose tape was walked backward

    @property
    def total(self):
        return len(self.all_steps)

    @property
    def done(self):
        return len(self.history) == len(self.all_steps)

    @property
    def next(self):
        return None if self.done else self.all_steps[len(self.history)]

    def _advance(self):
        s = self.all_steps[len(self.history)]
        self.history.append(s)
        return s

    def back(self):
        """Undo the last step of the replay (the widget's Prev button)."""
        if self.history:
            self.history.pop()
        return self.current

    def reset(self):
        self.history = []

    def result(self):
        return self.output


def trace(fn, *args, backward=True, **kwargs):
    """Run ``fn(*args)`` eagerly, recording every op; if ``backward`` and the
    result is a scalar that requires grad, also run ``result.backward()`` and
    record each backward node. Returns an ``EagerTrace`` to step through."""
    steps, names, counts = [], {}, {}
    totals = {}

    def record(event, info):
        if event == "op" and info.get("mode") == "eager":
            prim = info["prim"]
            n = counts.get(prim.name, 0)
            counts[prim.name] = n + 1
            name = prim.name if n == 0 else f"{prim.name}_{n}"
            node = info["node"]
            if node is not None:
                names[node] = name
            ins = [a.array if hasattr(a, "array") else np.asarray(a) for a in info["inputs"]]
            steps.append(Step(len(steps), "forward", name, prim.name, ins, info["output"].array,
                              user_site(), node))
        elif event == "backward":
            node = info["node"]
            fwd = names.get(node, node.prim.name)
            grads, acc = {}, {}
            for i, g in info["grads"]:
                g = np.array(g.array if hasattr(g, "array") else g)   # a copy: w.grad grows in place
                grads[i] = g
                t = node.inputs[i] if node.inputs is not None else None
                key = id(t.node if t is not None and t.node is not None else t)
                totals[key] = g if key not in totals else totals[key] + g
                acc[i] = totals[key]
            g_out = info["grad_out"]
            s = Step(len(steps), "backward", node.name(), node.prim.name,
                     [np.asarray(g_out.array if hasattr(g_out, "array") else g_out)], None,
                     node.site, node)
            s.grad_of, s.grads, s.accumulated = fwd, grads, acc
            steps.append(s)

    Config.observers.append(record)
    try:
        out = fn(*args, **kwargs)
        tape_out = None
        if backward and hasattr(out, "requires_grad") and out.requires_grad and out.numel() == 1:
            tape_out = out
            out.backward(retain_graph=True)
    finally:
        Config.observers.remove(record)
    return EagerTrace(steps, out, tape_out)

"""Plans: what a ``Session.run`` executes, worked out once per (fetches, feeds).

Running a graph means running only the ops that the fetches need -- *pruning*
everything else -- each after the ops it depends on. A fed tensor cuts the
graph there: its op need not run, and neither need the ops behind it.

A ``Plan`` lists those ops as ``Step``s in run order. Values live in numbered
*slots* (a list): the fed values first, then one slot per op output. Constants
and the variables that assign ops update are in their slots before the run
starts; every other slot is filled by its step. Each step also names the slots
that no later step reads, so the run can let go of them early.

>>> import tinyflow.compat.v1 as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     x = tf.placeholder(tf.float32, [None], name="x")
...     y = tf.exp(x, name="y")
...     unused = tf.log(x, name="unused")
>>> plan = make_plan([y], [x])
>>> [step.op.name for step in plan.steps]        # 'unused' is pruned, 'x' is fed
['y']
"""
from ..autodiff import topo_order
from .tensor import SymbolicTensor


class Step:
    """One op of a plan: ``values[output] = fn(*[values[i] for i in inputs], **attrs)``."""
    __slots__ = ("fn", "inputs", "output", "attrs", "op", "free")

    def __init__(self, fn, inputs, output, attrs, op):
        self.fn = fn              # the primitive's forward (bound to the run context if stateful)
        self.inputs = inputs      # the slots of its input values
        self.output = output      # the slot of its output (None for an op with no output;
                                  # a tuple of slots for an op with several)
        self.attrs = attrs
        self.op = op
        self.free = ()            # slots no later step reads: let go of them after this step

    def __repr__(self):
        return f"<Step {self.op.name} ({self.op.type}): {list(self.inputs)} -> {self.output}>"


class Plan:
    """The ops that one (fetches, feeds) pair runs, in order, with their slots."""

    def __init__(self, ops, steps, initial, n_feeds, fetch_slots):
        self.ops = ops                   # the ops that run, in order
        self.needed = set(ops)
        self.steps = steps
        self.initial = initial           # per slot: its constant (or variable op), else None
        self.n_feeds = n_feeds           # the fed values take the first slots
        self.fetch_slots = fetch_slots   # per fetch: its slot (None for an op)
        self.compiled = None             # the plan as Python (compile.py), made on first use

    def start(self, feed_values):
        """The slot values at the start of a run."""
        values = self.initial.copy()
        values[:len(feed_values)] = feed_values
        return values

    def fetched(self, values):
        """The fetched values, out of the slots at the end of a run."""
        return [None if s is None else values[s] for s in self.fetch_slots]


def make_plan(fetches, feed_keys, bind_stateful=None):
    """The plan that computes ``fetches`` (tensors and ops) given ``feed_keys``.

    ``bind_stateful(op)`` gives the forward of a stateful op (a variable read,
    an assign, a random op) bound to the session that runs it; without it (as
    in the example above) the plan can be looked at but not run."""
    fed = set(feed_keys)

    def parents(op):
        refs = op.prim.ref_inputs
        deps = [t.node for i, t in enumerate(op.inputs) if i not in refs and t not in fed]
        return deps + list(op.control_inputs)

    targets = [f.node if isinstance(f, SymbolicTensor) else f for f in fetches]
    ops = [op for op in topo_order(targets, parents) if not (op.outputs and op.outputs[0] in fed)]
    slot = {}
    for t in feed_keys:
        slot[t] = len(slot)
    for op in ops:
        for t in op.outputs:
            slot[t] = len(slot)
    # Constants need no step: their values are in place before the run starts. So are the
    # variables that assign ops update (an assign is given the variable's op, not its value).
    initial = {slot[op.outputs[0]]: op.attrs["value"] for op in ops if op.type == "Const"}
    steps = []
    for op in ops:
        if op.type == "Const":
            continue
        prim = op.prim
        inputs = []
        for i, t in enumerate(op.inputs):
            if i in prim.ref_inputs:
                slot[("ref", op, i)] = k = len(slot)
                initial[k] = t.node
                inputs.append(k)
            else:
                inputs.append(slot[t])
        fn = bind_stateful(op) if prim.stateful and bind_stateful else prim.forward
        if prim.multi_output:          # cond, while_loop: a tuple of slots, one per output
            output = tuple(slot[t] for t in op.outputs)
        else:
            output = slot[op.outputs[0]] if op.outputs else None
        steps.append(Step(fn, tuple(inputs), output, op.attrs, op))
    for t in fetches:
        if isinstance(t, SymbolicTensor) and t not in slot:
            slot[t] = len(slot)
    fetch_slots = [slot[f] if isinstance(f, SymbolicTensor) else None for f in fetches]
    _free_after_last_use(steps, set(fetch_slots) | set(initial))
    return Plan(ops, steps, [initial.get(i) for i in range(len(slot))], len(feed_keys),
                fetch_slots)


def _free_after_last_use(steps, keep):
    """Give each step the value slots that no later step reads (fetches are kept)."""
    last = {}
    for k, step in enumerate(steps):
        for i in step.inputs:
            last[i] = k
    for i, k in last.items():
        if i not in keep:
            steps[k].free += (i,)

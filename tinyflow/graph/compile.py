"""Compiling a plan to Python: the Session's one speed trick, in one place.

The Session's interpreter (session.py) runs a plan's steps in a loop, reading
and writing value slots in a list. This module writes the same steps as one
straight-line Python function instead -- one line per op, a ``del`` after each
value's last use so numpy can reuse its memory -- and compiles it once::

    def run(feeds):
        v0, v1, = feeds
        v2 = f0(**a0)            # fc1/kernel (VariableV2)
        v3 = f1(v0, v2)          # fc1/MatMul (MatMul)
        del v2
        ...
        return (None, v17, )

(``f3`` is a step's numpy forward, ``v5`` a value slot; constants and variable
references are the function's globals.) It computes exactly what the loop
computes, without the loop's list building and indexing: about half a
microsecond per op, which took the graph-mode MLP step (bench W2) from 1.14x
to 1.03x of hand-written numpy. Writing the function costs ~25 us per op, once.

Switch it off with ``tinyflow.base.config.using_config(compile_plans=False)``
(or ``Config.compile_plans = False``): every run then goes through the loop.
Runs that hooks, observers or anomaly mode watch always use the loop.
``Session.plan_source(fetches, feed_dict)`` shows the compiled text.
"""


def compiled(plan):
    """``plan`` as a Python function ``run(feed values) -> fetched values``,
    written and compiled on first use."""
    if plan.compiled is None:
        plan.compiled = _write(plan)
    return plan.compiled


class CompiledPlan:
    """The compiled function, its source text, and which step each line runs."""

    def __init__(self, run, source, line_step):
        self.run = run
        self.source = source
        self.line_step = line_step          # line of source -> index of its step

    def step_that_raised(self, plan, tb):
        """The step whose line of ``run`` raised (from the exception's traceback), or None."""
        code = self.run.__code__
        while tb is not None:
            if tb.tb_frame.f_code is code:
                k = self.line_step.get(tb.tb_lineno)
                return None if k is None else plan.steps[k]
            tb = tb.tb_next
        return None


def run_compiled(plan, feed_values, run_error):
    """Run ``plan`` compiled; an op's failure is reported as ``run_error(op, err)``."""
    code = compiled(plan)
    try:
        return code.run(feed_values)
    except Exception as e:
        step = code.step_that_raised(plan, e.__traceback__)
        if step is None:
            raise
        raise run_error(step.op, e) from None


def _write(plan):
    env = {"__name__": __name__}         # numpy warnings from it count as tinyflow's own
    lines = ["def run(feeds):"]
    line_step = {}
    n_feeds = plan.n_feeds
    if n_feeds:
        lines.append("    " + "".join(f"v{i}, " for i in range(n_feeds)) + "= feeds")
    local = set(range(n_feeds))

    def name(i):
        if i not in local:                # a constant or a variable reference
            env[f"v{i}"] = plan.initial[i]
        return f"v{i}"

    for k, step in enumerate(plan.steps):
        env[f"f{k}"] = step.fn
        args = [name(i) for i in step.inputs]
        if step.attrs:
            env[f"a{k}"] = step.attrs
            args.append(f"**a{k}")
        call = f"f{k}({', '.join(args)})"
        if isinstance(step.output, tuple):           # several outputs: unpack them
            outs = step.output
            code = f"{''.join(f'v{i}, ' for i in outs)}= {call}"
        else:
            outs = () if step.output is None else (step.output,)
            code = call if step.output is None else f"v{step.output} = {call}"
        if step.op.type == "NoOp":        # nothing to compute: it only orders its control inputs
            code = "pass"
        label = " ".join(f"{step.op.name} ({step.op.type})".split())
        lines.append(f"    {code:<24} # {label}")
        line_step[len(lines)] = k
        local.update(outs)
        dead = [f"v{i}" for i in step.free if i in local]
        if dead:
            lines.append(f"    del {', '.join(dead)}")
    fetched = ["None" if s is None else name(s) for s in plan.fetch_slots]
    lines.append(f"    return ({''.join(f + ', ' for f in fetched)})")
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<tinyflow plan: {len(plan.steps)} ops>", "exec"), env)
    return CompiledPlan(env["run"], source, line_step)

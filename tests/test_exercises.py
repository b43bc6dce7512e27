"""The checkers of the lessons' build-it-yourself exercises (notebooks/exercises/) pass a
right answer and fail wrong ones, each with the check and the hint that says what is wrong.

Each checker prints one line per check ("  yes  ..." or "  no   <check>: <why>") and a last
line "k of n checks pass". A learner trusts that line, so a checker that passes a broken
tape, Session or tracer would teach the wrong thing.
"""
import itertools
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "notebooks"))

from exercises.session import check_session, compute_op  # noqa: E402
from exercises.tape import check_tape  # noqa: E402
from exercises.tracer import check_tracer, run_op  # noqa: E402


def _report(capsys, check, answer):
    check(answer)
    out = capsys.readouterr().out
    failed = {line.split(":")[0].strip()[len("no"):].strip()
              for line in out.splitlines() if line.startswith("  no ")}
    return out, failed


def _all_pass(out):
    last = out.strip().splitlines()[-1]
    k, _, n = last.split(" checks pass")[0].partition(" of ")
    return k == n


# --- lesson 2: a tape ------------------------------------------------------------------------

def _unbroadcast(g, shape):
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return g


def _make_value(add_into_grad=True, order_by_seq=True, unbroadcast=True, wrap_numbers=True):
    counter = itertools.count()

    class Value:
        def __init__(self, data, parents=(), rules=()):
            self.data = np.asarray(data, dtype=np.float64)
            self.grad = None
            self.parents = parents
            self.rules = rules
            self.seq = next(counter)

        def _wrap(self, other):
            if isinstance(other, Value):
                return other
            return Value(other) if wrap_numbers else other

        def __add__(self, other):
            other = self._wrap(other)
            return Value(self.data + other.data, (self, other), (lambda g: g, lambda g: g))

        def __mul__(self, other):
            other = self._wrap(other)
            return Value(self.data * other.data, (self, other),
                         (lambda g: g * other.data, lambda g: g * self.data))

        __radd__, __rmul__ = __add__, __mul__

        def tanh(self):
            t = np.tanh(self.data)
            return Value(t, (self,), (lambda g: g * (1 - t * t),))

        def sum(self):
            return Value(self.data.sum(), (self,), (lambda g: g * np.ones_like(self.data),))

        def backward(self):
            reachable, stack = {}, [self]
            while stack:
                v = stack.pop()
                if id(v) not in reachable:
                    reachable[id(v)] = v
                    stack.extend(v.parents)
            order = sorted(reachable.values(), key=lambda v: v.seq, reverse=True)
            if not order_by_seq:                 # breadth-first from the loss, each Value once:
                order, seen, queue = [], set(), [self]      # a Value may pass its gradient on
                while queue:                                # before all its consumers sent theirs
                    v = queue.pop(0)
                    if id(v) not in seen:
                        seen.add(id(v))
                        order.append(v)
                        queue.extend(v.parents)
            grads = {id(self): np.ones_like(self.data)}
            for v in order:
                g = grads.pop(id(v), None)
                if g is None:
                    continue
                v.grad = g if (v.grad is None or not add_into_grad) else v.grad + g
                for parent, rule in zip(v.parents, v.rules):
                    gp = np.asarray(rule(g))
                    if unbroadcast:
                        gp = _unbroadcast(gp, parent.data.shape)
                    grads[id(parent)] = grads.get(id(parent), 0) + gp

    return Value


def test_tape_checker_passes_a_right_tape(capsys):
    out, failed = _report(capsys, check_tape, _make_value())
    assert _all_pass(out) and not failed, out


@pytest.mark.parametrize("wrong, fails", [
    (dict(add_into_grad=False), "accumulates"),
    (dict(unbroadcast=False), "lesson example"),
    (dict(order_by_seq=False), "order"),
    (dict(wrap_numbers=False), "forward"),
])
def test_tape_checker_fails_a_wrong_tape(capsys, wrong, fails):
    out, failed = _report(capsys, check_tape, _make_value(**wrong))
    assert not _all_pass(out), out
    assert fails in failed, out


# --- lesson 4: a Session with pruning --------------------------------------------------------

def _mini_run(prune=True, stop_at_feeds=True, cache=True):
    def mini_run(fetch, feed_dict):
        needed, stack = set(), [fetch.op]
        while stack:
            op = stack.pop()
            if op not in needed:
                needed.add(op)
                stack.extend(t.op for t in op.inputs if not (stop_at_feeds and t in feed_dict))
        values = dict(feed_dict)
        for op in fetch.graph.get_operations():
            if not prune and op.type == "Placeholder":
                continue
            if (op in needed or not prune) and (op.outputs[0] not in values or not cache):
                if not stop_at_feeds and op.type == "Placeholder" and op.outputs[0] not in values:
                    continue
                if all(t in values for t in op.inputs):
                    values[op.outputs[0]] = compute_op(op, [values[t] for t in op.inputs])
        return values[fetch]
    return mini_run


def _mini_run_recomputes_feeds(fetch, feed_dict):
    """Walks through fed tensors and computes them anyway: a fed intermediate is recomputed
    from its inputs, which need their own feeds."""
    needed, stack = set(), [fetch.op]
    while stack:
        op = stack.pop()
        if op not in needed:
            needed.add(op)
            stack.extend(t.op for t in op.inputs)
    values = dict(feed_dict)
    for op in fetch.graph.get_operations():
        if op in needed:
            if op.type == "Placeholder" and op.outputs[0] in values:
                continue
            values[op.outputs[0]] = compute_op(op, [values[t] for t in op.inputs])
    return values[fetch]


def _mini_run_twice(fetch, feed_dict):
    """Recursive evaluation with no memo: an op read by two others runs twice."""
    def value(t):
        if t in feed_dict:
            return feed_dict[t]
        return compute_op(t.op, [value(i) for i in t.op.inputs])
    return value(fetch)


def _mini_run_no_feeds_check(fetch, feed_dict):
    return np.zeros(())


def test_session_checker_passes_a_right_session(capsys):
    out, failed = _report(capsys, check_session, _mini_run())
    assert _all_pass(out) and not failed, out


@pytest.mark.parametrize("wrong, fails", [
    (_mini_run(prune=False), "prunes"),
    (_mini_run_twice, "once"),
    (_mini_run_recomputes_feeds, "feeds intermediate"),
    (_mini_run_no_feeds_check, "missing feed"),
])
def test_session_checker_fails_a_wrong_session(capsys, wrong, fails):
    out, failed = _report(capsys, check_session, wrong)
    assert not _all_pass(out), out
    assert fails in failed, out


# --- lesson 9: a tracer ----------------------------------------------------------------------

def _tiny_function_maker(prune=True, memo=True, retrace_on_shape=True, trace=True):
    class Sym:
        def __init__(self, nodes, op, inputs=(), value=None):
            self.nodes, self.op, self.inputs, self.value = nodes, op, inputs, value
            nodes.append(self)

        def _wrap(self, other):
            return other if isinstance(other, Sym) else Sym(self.nodes, "const", value=other)

        def __add__(self, other):
            return Sym(self.nodes, "add", (self, self._wrap(other)))

        def __mul__(self, other):
            return Sym(self.nodes, "mul", (self, self._wrap(other)))

        __radd__, __rmul__ = __add__, __mul__

        def tanh(self):
            return Sym(self.nodes, "tanh", (self,))

        def sum(self):
            return Sym(self.nodes, "sum", (self,))

    def tiny_function(fn):
        graphs = {}

        def call(*args):
            if not trace:
                return fn(*args)
            key = tuple(np.shape(a) for a in args) if retrace_on_shape else len(args)
            if key not in graphs:
                nodes = []
                inputs = [Sym(nodes, "input") for _ in args]
                graphs[key] = (nodes, inputs, fn(*inputs))
                call.tracing_count += 1
            nodes, inputs, output = graphs[key]
            needed, stack = set(), [output]
            while stack:
                n = stack.pop()
                if n not in needed:
                    needed.add(n)
                    stack.extend(n.inputs)
            values = dict(zip(inputs, args))

            def value(n):                        # without memo: recompute shared nodes
                if n in values:
                    return values[n]
                return n.value if n.op == "const" else run_op(n.op, *[value(i) for i in n.inputs])

            if not memo:
                return value(output)
            for n in nodes:
                if (n in needed or not prune) and n.op != "input":
                    values[n] = n.value if n.op == "const" else run_op(
                        n.op, *[values[i] for i in n.inputs])
            return values[output]

        call.tracing_count = 0
        return call

    return tiny_function


class _EagerArray(np.ndarray):
    """numpy arrays with tanh() and sum(): a 'tracer' that never traces, just runs eagerly."""
    def tanh(self):
        return np.tanh(self)


def _eager_function(fn):
    def call(*args):
        call.tracing_count += 1
        return np.asarray(fn(*[np.asarray(a).view(_EagerArray) for a in args]))
    call.tracing_count = 0
    return call


def test_tracer_checker_passes_a_right_tracer(capsys):
    out, failed = _report(capsys, check_tracer, _tiny_function_maker())
    assert _all_pass(out) and not failed, out


@pytest.mark.parametrize("wrong, fails", [
    (_tiny_function_maker(prune=False), "prunes"),
    (_tiny_function_maker(memo=False), "once"),
    (_tiny_function_maker(retrace_on_shape=False), "retraces"),
    (_eager_function, "symbols"),
])
def test_tracer_checker_fails_a_wrong_tracer(capsys, wrong, fails):
    out, failed = _report(capsys, check_tracer, wrong)
    assert not _all_pass(out), out
    assert fails in failed, out


def test_tracer_checker_says_what_a_stub_lacks(capsys):
    out, failed = _report(capsys, check_tracer, lambda fn: (lambda *args: None))
    assert "returned None" in out and not _all_pass(out), out

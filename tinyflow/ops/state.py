"""Primitives that only make sense inside a graph run by a session: inputs
(placeholders, constants, variables), variable updates, control (no-op) and
random number ops.

Their forward takes a run context first, ``forward(ctx, *values, **attrs)``:
``ctx.variables`` maps variable ops to their current arrays, ``ctx.op`` is the
op being run, ``ctx.random(op)`` its random generator. Eager mode never runs
them: an eager tensor *is* its value.
"""
import numpy as np

from . import shape_rules
from .primitive import Primitive
from ..base.errors import FailedPreconditionError, InvalidArgumentError



def _stateful(name, forward, shape, dtype, doc, nondiff=True, ref_inputs=()):
    return Primitive(name, forward, shape, dtype=dtype, nondiff=nondiff, family="state", doc=doc,
                     stateful=True, ref_inputs=ref_inputs)


def _attr_shape(*shapes_, shape=None, **attrs):
    return None if shape is None else tuple(shape)


def _attr_dtype(*dtypes, dtype, **attrs):
    return np.dtype(dtype)



def _placeholder(ctx, shape=None, dtype=None):
    raise InvalidArgumentError(f"You must feed a value for placeholder tensor '{ctx.op.name}' with dtype "
                       f"{np.dtype(dtype).name} and shape {shape_rules.fmt(shape)}")


def _const(ctx, value, dtype=None, shape=None):
    return value


def _variable(ctx, shape=None, dtype=None):
    try:
        return ctx.variables[ctx.op]
    except KeyError:
        raise FailedPreconditionError(
            f"Attempting to use uninitialized value {ctx.op.name}: run its initializer first "
            f"(sess.run(tinyflow.global_variables_initializer()))") from None


def _capture(ctx, tensor=None, shape=None, dtype=None):
    return tensor.array          # the eager tensor's value *now*: it may have been trained


Placeholder = _stateful("Placeholder", _placeholder, _attr_shape, _attr_dtype,
                        "a value fed at run time through feed_dict")
Const = _stateful("Const", _const, _attr_shape, _attr_dtype, "a constant value")
VariableV2 = _stateful("VariableV2", _variable, _attr_shape, _attr_dtype,
                       "a value that lives in the session and persists across runs")
Capture = _stateful("Capture", _capture, _attr_shape, _attr_dtype,
                    "an eager tensor used inside a graph, read when the graph runs")


# The session owns each variable's array (fetches get copies), so updates can
# write into it in place, as the hand-written ``W -= lr * dW`` does: no new
# memory per step.

def _assign(ctx, ref, value):
    cur = ctx.variables.get(ref)
    if cur is not None and cur.shape == np.shape(value):
        np.copyto(cur, value, casting="unsafe")
        return cur
    value = np.array(value, dtype=ctx.op.outputs[0].dtype)
    ctx.variables[ref] = value
    return value


def _update(ufunc):
    def forward(ctx, ref, value):
        cur = _variable_of(ctx, ref)
        try:
            return ufunc(cur, value, out=cur)
        except (ValueError, TypeError):       # a shape or dtype in-place can't take: a new array
            out = ctx.variables[ref] = ufunc(cur, value).astype(cur.dtype)
            return out
    return forward


_assign_add = _update(np.add)
_assign_sub = _update(np.subtract)


def _variable_of(ctx, ref):
    try:
        return ctx.variables[ref]
    except KeyError:
        raise FailedPreconditionError(f"Attempting to use uninitialized value {ref.name}: run its "
                                      f"initializer first") from None


def _assign_shape(ref, value):
    if ref is not None and value is not None:
        shape_rules.broadcast("Assign", ref, value)
    return ref


# Input 0 of an assign is the variable itself (a reference), not its value.
Assign = _stateful("Assign", _assign, _assign_shape, lambda r, v: r,
                   "store a new value in a variable (returns it)", ref_inputs=(0,))
AssignAdd = _stateful("AssignAdd", _assign_add, _assign_shape, lambda r, v: r,
                      "add to a variable in place (returns the new value)", ref_inputs=(0,))
AssignSub = _stateful("AssignSub", _assign_sub, _assign_shape, lambda r, v: r,
                      "subtract from a variable in place (returns the new value)",
                      ref_inputs=(0,))


def _no_op(ctx, *inputs):
    return None


NoOp = _stateful("NoOp", _no_op, lambda *s: (), lambda *d: np.dtype(bool),
                 "does nothing; used to group control dependencies")


def _random_normal(ctx, shape, mean=0.0, stddev=1.0, dtype=np.float32, seed=None):
    return (ctx.random(ctx.op).standard_normal(shape) * stddev + mean).astype(dtype)


def _random_uniform(ctx, shape, minval=0.0, maxval=1.0, dtype=np.float32, seed=None):
    return ctx.random(ctx.op).uniform(minval, maxval, shape).astype(dtype)


def _truncated_normal(ctx, shape, mean=0.0, stddev=1.0, dtype=np.float32, seed=None):
    g = ctx.random(ctx.op)
    x = g.standard_normal(shape)
    bad = np.abs(x) > 2
    while bad.any():          # redraw the few samples beyond two standard deviations
        x[bad] = g.standard_normal(int(bad.sum()))
        bad = np.abs(x) > 2
    return (x * stddev + mean).astype(dtype)


RandomNormal = _stateful("RandomStandardNormal", _random_normal, _attr_shape, _attr_dtype,
                         "normal samples, new ones at every run")
RandomUniform = _stateful("RandomUniform", _random_uniform, _attr_shape, _attr_dtype,
                          "uniform samples in [minval, maxval), new ones at every run")
TruncatedNormal = _stateful("TruncatedNormal", _truncated_normal, _attr_shape, _attr_dtype,
                            "normal samples redrawn beyond two standard deviations")


def _capture_update(ufunc):
    """Write ufunc(old, value) -- or value itself, for ufunc None -- into the eager
    tensor's own array, in place (as the session's AssignSub does for variables)."""
    def forward(ctx, ref, value):
        t = ref.attrs["tensor"]          # the eager tensor behind the Capture op
        if ufunc is None:
            np.copyto(t.array, value, casting="same_kind")
        else:
            ufunc(t.array, value, out=t.array, casting="same_kind")
        t.increment_version()
        return t.array
    return forward


CaptureAssign = _stateful("AssignVariableOp", _capture_update(None), _assign_shape,
                          lambda r, v: r, "write a new value into an eager tensor used by the graph",
                          ref_inputs=(0,))
CaptureAssignAdd = _stateful("AssignAddVariableOp", _capture_update(np.add),
                             _assign_shape, lambda r, v: r, "add into an eager tensor, in place",
                             ref_inputs=(0,))
CaptureAssignSub = _stateful("AssignSubVariableOp", _capture_update(np.subtract),
                             _assign_shape, lambda r, v: r, "subtract from an eager tensor, in place",
                             ref_inputs=(0,))

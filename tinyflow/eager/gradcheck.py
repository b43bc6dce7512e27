"""Numerical gradient checks: compare backward with central differences.

>>> import tinyflow as tf
>>> x = tf.randn(3, dtype=tf.float64, requires_grad=True)
>>> tf.gradcheck(lambda x: (x.tanh() * x).sum(), [x])
True
"""
import numpy as np

from .tensor import Tensor
from .backward import grad


class GradcheckError(AssertionError):
    """Backward and central differences disagree; the message says where."""


def _outputs(fn, inputs):
    out = fn(*inputs)
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _check_inputs(inputs):
    for i, x in enumerate(inputs):
        if not isinstance(x, Tensor):
            raise TypeError(f"gradcheck: input {i} is a {type(x).__name__}, expected a Tensor")
        if x.requires_grad and x.dtype != np.float64:
            raise TypeError(f"gradcheck: input {i} has dtype {x.dtype}; use float64 "
                            f"(central differences in float32 are too coarse to compare)")


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0, raise_exception=True):
    """Check ``fn``'s gradients for every input that requires grad.

    The outputs are projected on a random direction ``v`` (seeded), so one
    backward pass gives ``v . J``; each input element is then nudged by
    ``+-eps`` and the same product is measured numerically. Fails by raising
    ``GradcheckError`` naming the worst element and both values. An output
    that does not require grad must not depend on the inputs (its analytic
    gradient is zero); integer and boolean outputs are not checked.
    """
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    _check_inputs(inputs)
    wrt = [i for i, x in enumerate(inputs) if x.requires_grad]
    if not wrt:
        raise TypeError("gradcheck: no input requires grad; pass at least one float64 tensor "
                        "with requires_grad=True")
    rng = np.random.default_rng(seed)
    outs = _outputs(fn, inputs)
    # One scalar output: check the derivative itself. Several values: check the
    # derivative of sum(v * output) for a fixed random direction v (one backward pass).
    scalar = len(outs) == 1 and np.size(outs[0].array) == 1
    vs = [(np.ones(o.shape) if scalar else rng.standard_normal(o.shape)) if _checked(o) else None
          for o in outs]

    def project(outputs):
        return sum(float(np.sum(o.array * v)) for o, v in zip(outputs, vs) if v is not None)

    diff = [(o, v) for o, v in zip(outs, vs) if v is not None and o.requires_grad]
    if diff:
        analytic = grad([o for o, v in diff], [inputs[i] for i in wrt],
                        grad_outputs=[Tensor(v) for o, v in diff], allow_unused=True)
    else:                                   # nothing recorded: the gradient is zero
        analytic = [None] * len(wrt)
    for i, a in zip(wrt, analytic):
        x = inputs[i]
        a = np.zeros(x.shape) if a is None else a.array
        numeric = np.zeros(x.shape)
        for j in np.ndindex(x.shape):       # one element at a time: this is the slow, sure way
            old = x.array[j]
            x.array[j] = old + eps
            up = project(_outputs(fn, inputs))
            x.array[j] = old - eps
            down = project(_outputs(fn, inputs))
            x.array[j] = old
            numeric[j] = (up - down) / (2 * eps)
        err = np.abs(a - numeric)
        bad = ~(err <= atol + rtol * np.abs(numeric))       # nan counts as bad
        if bad.any():
            excess = np.where(np.isnan(err), np.inf, err - (atol + rtol * np.abs(numeric)))
            idx = np.unravel_index(np.argmax(excess), x.shape)
            msg = (f"gradcheck: gradient mismatch for input {i} (shape {tuple(x.shape)}) "
                   f"at index {tuple(int(k) for k in idx)}: backward gave {a[idx]:.10g}, "
                   f"central differences gave {numeric[idx]:.10g} (abs error {err[idx]:.3g}, "
                   f"{int(bad.sum())} of {bad.size} elements out of tolerance)"
                   + ("" if scalar else "; both are derivatives of sum(v * output) for a "
                      "fixed random direction v"))
            if raise_exception:
                raise GradcheckError(msg)
            return False
    return True


def _checked(out):
    return out.dtype.kind == "f"


def gradgradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0, raise_exception=True):
    """Check second derivatives: gradcheck of the (create_graph) gradient of ``fn``."""
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    _check_inputs(inputs)
    rng = np.random.default_rng(seed + 1)
    outs = _outputs(fn, inputs)
    vs = [Tensor(rng.standard_normal(o.shape)) for o in outs]
    wrt_idx = [i for i, x in enumerate(inputs) if x.requires_grad]

    def first_grads(*xs):
        outs = _outputs(fn, xs)
        gs = grad(outs, [xs[i] for i in wrt_idx], grad_outputs=vs, create_graph=True,
                  allow_unused=True)
        return [g for g in gs if g is not None]

    return gradcheck(first_grads, inputs, eps, atol, rtol, seed, raise_exception)

"""Which replica is running now: the hook through which optimizers take part in
a distribution strategy.

``strategy.run(fn)`` calls ``fn`` once per replica; while a replica runs, its
*replica context* is current here. An optimizer's ``apply_gradients`` asks
``current()``: with no replica context it applies the gradients itself; inside
one it hands them over (``context.sum_and_apply``), and the context sums the
gradients of all replicas and applies them once -- TensorFlow's ``merge_call``.

The optimizers live in layers below the strategies (``optim/``, ``keras/``),
so they cannot import them; they only ask this small registry, and the
strategies (``distributed/replica_context.py``) fill it in.

>>> current() is None                  # outside strategy.run: no replica context
True
"""
import contextlib

_contexts = []          # the stack of replica contexts; None marks a cross-replica block


def current():
    """The replica context of the replica running now, or None (no strategy.run,
    or inside a cross-replica block such as the one that applies the sum)."""
    return _contexts[-1] if _contexts else None


@contextlib.contextmanager
def entered(context):
    """Make ``context`` current for the block (``None``: leave the replica context
    for a cross-replica block, where the summed gradients are applied once)."""
    _contexts.append(context)
    try:
        yield context
    finally:
        _contexts.pop()

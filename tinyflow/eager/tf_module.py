"""TensorFlow 2's ``tf.Module``: a named container of ``tf.Variable``s and other
modules, which finds them by walking its attributes (lists, tuples and dicts too).
TF2's custom-model guides build on it:

>>> import tinyflow.compat.v2 as tf
>>> class Dense(tf.Module):
...     def __init__(self, n_in, n_out, name=None):
...         super().__init__(name=name)
...         self.w = tf.Variable(tf.ones([n_in, n_out]), name="w")
...         self.b = tf.Variable(tf.zeros([n_out]), name="b", trainable=False)
>>> class MLP(tf.Module):
...     def __init__(self):
...         super().__init__()
...         self.layers = [Dense(2, 3), Dense(3, 1, name="out")]
>>> m = MLP()
>>> m.name, [s.name for s in m.submodules], [v.name for v in m.trainable_variables]
('mlp', ['dense', 'out'], ['w:0', 'w:0'])
"""
from ..base.names import to_snake_case
from .variable import Variable


class Module:
    """Variables and sub-modules found through the attributes, in TensorFlow's order:
    attributes sorted by name, a module's own before its sub-modules', each
    sub-module's in full before the next one's."""

    def __init__(self, name=None):
        name = to_snake_case(type(self).__name__) if name is None else name
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"{name!r} is not a valid module name. Module names must be valid "
                             f"Python identifiers (e.g. a valid class name).")
        self._tf_module_name = name

    @property
    def name(self):
        return self._tf_module_name

    @property
    def variables(self):
        """Every tf.Variable this module and its sub-modules hold."""
        return tuple(self._walk(lambda v: isinstance(v, Variable)))

    @property
    def trainable_variables(self):
        """The variables with ``trainable=True``."""
        return tuple(self._walk(lambda v: isinstance(v, Variable) and v.trainable))

    @property
    def submodules(self):
        """Every module below this one, nearest first."""
        return tuple(self._walk(lambda v: isinstance(v, Module)))

    def _walk(self, wanted, seen=None):
        """What ``wanted`` picks among this module's attributes, then -- module by
        module, in the same order -- among each sub-module's (as TensorFlow walks)."""
        seen = {id(self)} if seen is None else seen
        found, below = [], []
        for value in _leaves(vars(self)):
            if id(value) in seen:
                continue
            seen.add(id(value))
            if wanted(value):
                found.append(value)
            if isinstance(value, Module):
                below.append(value)
        for module in below:
            found += module._walk(wanted, seen)
        return found


def _leaves(attributes):
    """The values of ``attributes`` (sorted by name), lists, tuples and dicts opened."""
    for key in sorted(attributes):
        yield from _open(attributes[key])


def _open(value):
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            yield from _open(value[key])
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _open(item)
    else:
        yield value

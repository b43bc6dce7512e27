"""TensorFlow 2's ``tf.Variable`` (and every Keras weight): an eager tensor with
a name and a trainable flag.

In TensorFlow 2 a variable is a ``ResourceVariable``, a handle to state that
tapes watch automatically. Here it *is* a ``tinyflow.Tensor``, so
``GradientTape`` watches it, ops use it, and ``tinyflow.function`` captures it
into a traced graph (where ``assign_sub`` updates it in place). Trainable
floating-point variables require grad; the others (BatchNormalization's moving
statistics, optimizer slots, metric totals) do not. As in TensorFlow,
``numpy()`` needs no ``detach()``.

>>> import numpy as np
>>> v = Variable(np.zeros((2, 3), "float32"), "dense/kernel")
>>> v
<tf.Variable 'dense/kernel:0' shape=(2, 3) dtype=float32, numpy=
array([[0., 0., 0.],
       [0., 0., 0.]], dtype=float32)>
>>> v.name, v.trainable, v.numpy().sum()
('dense/kernel:0', True, np.float32(0.0))
>>> Variable(np.float32(2.0))
<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=2.0>
"""
import numpy as np

from .tensor import Tensor


class Variable(Tensor):
    """A named, possibly trainable, eager tensor.

    ``name`` is TensorFlow's: the given name and the output index, "dense/kernel:0",
    fixed when the variable is made (setting it is an AttributeError, as in
    TensorFlow). ``path`` is where it belongs, without ":0" (Keras 3's spelling):
    the name, unless its owner gives a longer one (a metric's "total:0" has the
    path "accuracy/total"). A traced graph names the captured node after the path,
    so it sits in its owner's scope in a drawing (graph op names hold no colon)."""
    __slots__ = ("trainable", "path", "_tf_name")
    __module__ = "tinyflow"

    def __init__(self, value, name="Variable", trainable=True, dtype=None, path=None):
        arr = np.array(value, dtype=dtype)            # always a copy: the variable owns it
        super().__init__(arr, requires_grad=bool(trainable) and arr.dtype.kind == "f")
        self.array = arr
        self.trainable = bool(trainable)
        self._tf_name = f"{name}:0"
        self.path = path or name

    @property
    def name(self):
        """TensorFlow's name for it: 'dense/kernel:0'."""
        return self._tf_name

    def numpy(self, force=False):
        """A copy of the value (TensorFlow's ``variable.numpy()``; no detach needed)."""
        return self.array.copy()

    def value(self):
        return Tensor._wrap(self.array)

    read_value = value

    def __repr__(self):
        value = repr(self.array) if self.array.ndim else repr(self.array.item())
        sep = "\n" if self.array.ndim else ""
        return (f"<tf.Variable '{self.name}' shape={tuple(self.array.shape)} "
                f"dtype={self.array.dtype.name}, numpy={sep}{value}>")

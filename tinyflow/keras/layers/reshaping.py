"""Keras's reshaping layers over (batch, height, width, channels) images and
(batch, features) vectors: ``UpSampling2D`` (repeat or bilinear resize, by
``F.interpolate`` on the channels-first image), ``ZeroPadding2D`` (zero rows and
columns concatenated), ``Cropping2D`` (a slice), ``RepeatVector`` and ``Permute``.

>>> import numpy as np
>>> from tinyflow import keras
>>> keras.layers.UpSampling2D(size=(2, 3))(np.zeros((1, 2, 2, 3))).shape
tinyflow.Size([1, 4, 6, 3])
>>> keras.layers.ZeroPadding2D(((1, 0), (2, 3)))(np.ones((1, 2, 2, 1))).shape
tinyflow.Size([1, 3, 7, 1])
>>> keras.layers.RepeatVector(3)(np.ones((2, 4))).shape
tinyflow.Size([2, 3, 4])
>>> keras.layers.Permute((2, 1))(np.ones((2, 4, 5))).shape
tinyflow.Size([2, 5, 4])
"""
import numpy as np

from ... import ops
from ...nn import functional as F
from .base import Layer
from .conv import pair
from .input_spec import InputSpec, shape_of


def _channels_last_only(layer, data_format):
    if data_format not in (None, "channels_last"):
        raise NotImplementedError(f"tinyflow's {layer} supports data_format='channels_last' "
                                  f"only")
    return "channels_last"


def pairs(value, name):
    """Keras's 2-D padding/cropping argument: an int, 2 ints (symmetric), or 2 pairs."""
    if isinstance(value, (int, np.integer)):
        return ((int(value),) * 2,) * 2
    if not hasattr(value, "__len__") or len(value) != 2:
        raise ValueError(f"`{name}` should have two elements. Received: {value}.")
    if all(isinstance(v, (int, np.integer)) for v in value):
        return tuple((int(v), int(v)) for v in value)
    return tuple(pair(v, f"1st entry of {name}") for v in value)


class UpSampling2D(Layer):
    """Each pixel repeated ``size`` times (or a bilinear resize to that size).

    >>> import numpy as np
    >>> UpSampling2D((1, 2))(np.array([[[[1.0], [2.0]]]])).numpy().ravel()
    array([1., 1., 2., 2.], dtype=float32)
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.data_format = _channels_last_only("UpSampling2D", data_format)
        self.size = pair(size, "size")
        if interpolation in ("bicubic", "area", "lanczos3", "lanczos5", "gaussian",
                             "mitchellcubic"):
            raise NotImplementedError(f"tinyflow's UpSampling2D has interpolation 'nearest' "
                                      f"and 'bilinear' only, got {interpolation!r}")
        if interpolation not in ("nearest", "bilinear"):
            raise ValueError(f'`interpolation` argument should be one of `"nearest"` or '
                             f'`"bilinear"`. Received: "{interpolation}".')
        self.interpolation = interpolation
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        h, w = shape_of(inputs)[1:3]
        x = ops.transpose(inputs, (0, 3, 1, 2))
        y = F.interpolate(x, size=(h * self.size[0], w * self.size[1]),
                          mode=self.interpolation)
        return ops.transpose(y, (0, 2, 3, 1))

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}


class ZeroPadding2D(Layer):
    """Rows of zeros above and below, columns of zeros left and right.

    >>> import numpy as np
    >>> ZeroPadding2D(((0, 0), (1, 0)))(np.ones((1, 1, 2, 1))).numpy().ravel()
    array([0., 1., 1.], dtype=float32)
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = _channels_last_only("ZeroPadding2D", data_format)
        self.padding = pairs(padding, "padding")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        y = inputs
        for axis, (before, after) in zip((1, 2), self.padding):
            key = (slice(None),) * axis + (slice(0, 1),)
            zero = ops.zeros_like(y[key])
            y = ops.concat([zero] * before + [y] + [zero] * after, axis)
        return y

    def get_config(self):
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}


class Cropping2D(Layer):
    """Rows cut from the top and bottom, columns from the left and right.

    >>> import numpy as np
    >>> Cropping2D(((1, 0), (0, 2)))(np.zeros((1, 4, 4, 3))).shape
    tinyflow.Size([1, 3, 2, 3])
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = _channels_last_only("Cropping2D", data_format)
        self.cropping = pairs(cropping, "cropping")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        shape = shape_of(inputs)
        key = [slice(None)] * 4
        for axis, (before, after) in zip((1, 2), self.cropping):
            if shape[axis] is not None and before + after >= shape[axis]:
                raise ValueError(f"Argument `cropping` must be greater than the input shape. "
                                 f"Received: inputs.shape={shape}, and cropping="
                                 f"{self.cropping}")
            key[axis] = slice(before, -after if after else None)
        return inputs[tuple(key)]

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}


class RepeatVector(Layer):
    """(batch, features) -> (batch, n, features): the vector ``n`` times.

    >>> import numpy as np
    >>> RepeatVector(2)(np.array([[1.0, 2.0]])).numpy()
    array([[[1., 2.],
            [1., 2.]]], dtype=float32)
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        self.n = int(n)
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return ops.concat([ops.expand_dims(inputs, 1)] * self.n, 1)

    def get_config(self):
        return {**super().get_config(), "n": self.n}


class Permute(Layer):
    """The non-batch axes reordered: ``dims`` counts them from 1.

    >>> import numpy as np
    >>> Permute((3, 1, 2))(np.zeros((1, 2, 3, 4))).shape
    tinyflow.Size([1, 4, 2, 3])
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(f"Invalid permutation argument `dims` for Permute Layer. The set "
                             f"of indices in `dims` must be consecutive and start from 1. "
                             f"Received dims={dims}")
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs):
        return ops.transpose(inputs, (0,) + self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}

"""The Transformer of "Attention Is All You Need", as PyTorch builds it:
``TransformerEncoderLayer`` / ``TransformerEncoder``, ``TransformerDecoderLayer`` /
``TransformerDecoder`` and the whole ``Transformer``; same sub-modules, parameter
names, defaults, masks and (sequence-first unless ``batch_first=True``) layout.

A layer is self-attention then a feed-forward block (linear1, activation,
dropout, linear2), each wrapped in a residual connection and a LayerNorm
(after it by default; before it with ``norm_first=True``). An encoder holds
``num_layers`` deep copies of the layer it is given.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, batch_first=True)
>>> encoder = nn.TransformerEncoder(layer, num_layers=2)
>>> encoder(tf.randn(3, 5, 8), mask=nn.Transformer.generate_square_subsequent_mask(5)).shape
tinyflow.Size([3, 5, 8])
>>> [name for name, _ in encoder.named_parameters()][:2]
['layers.0.self_attn.in_proj_weight', 'layers.0.self_attn.in_proj_bias']
"""
import copy
import warnings

from . import checks, functional as F, init
from .activation import ReLU, GELU
from .attention import MultiheadAttention
from .attention_functions import canonical_mask, detect_is_causal_mask, square_subsequent_mask
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import LayerNorm
from ..base import dtypes
from ..base.device import check_device
from ..eager.tensor import Tensor
from ..io.registry import register_module


def _activation(activation):
    """'relu' / 'gelu' as the functions; any other callable (a function or a Module) as given."""
    if isinstance(activation, str):
        if activation not in ("relu", "gelu"):
            raise RuntimeError(f"activation should be relu/gelu, not {activation}")
        return F.relu if activation == "relu" else F.gelu
    return activation


def _relu_or_gelu(activation):
    """PyTorch's flag: 1 for ReLU, 2 for GELU, 0 for anything else."""
    if activation is F.relu or isinstance(activation, ReLU):
        return 1
    return 2 if activation is F.gelu or isinstance(activation, GELU) else 0


def _config_naming_activation(module, position):
    """The constructor call with F.relu / F.gelu given by name, so tinyflow.save can
    write it (a function cannot be stored as data)."""
    names = {id(F.relu): "relu", id(F.gelu): "gelu"}
    args, kwargs = module._init_args
    args = tuple(names.get(id(a), a) if i == position else a for i, a in enumerate(args))
    kwargs = {k: names.get(id(v), v) if k == "activation" else v for k, v in kwargs.items()}
    return args, kwargs


def _seq_len(x, batch_first):
    return x.shape[0] if x.ndim == 2 else x.shape[1 if batch_first else 0]


class _Layer(Module):
    """What the encoder and decoder layers share: the feed-forward block and the
    modules around it."""

    def _feed_forward(self, d_model, nhead, dim_feedforward, dropout, activation,
                      layer_norm_eps, batch_first, bias, norms):
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                            batch_first=batch_first)
        if norms == 3:
            self.multihead_attn = MultiheadAttention(d_model, nhead, dropout=dropout,
                                                     bias=bias, batch_first=batch_first)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias)
        for i in range(1, norms + 1):
            setattr(self, f"norm{i}", LayerNorm(d_model, eps=layer_norm_eps, bias=bias))
        for i in range(1, norms + 1):
            setattr(self, f"dropout{i}", Dropout(dropout))
        self.activation = _activation(activation)

    def _ff_block(self, x):
        return self.linear2(self.dropout(self.activation(self.linear1(x))))

    def _attend(self, attn, x, mem, mask, padding, is_causal):
        return attn(x, mem, mem, attn_mask=mask, key_padding_mask=padding,
                    need_weights=False, is_causal=is_causal)[0]

    def _config(self):
        return _config_naming_activation(self, 4)


@register_module
class TransformerEncoderLayer(_Layer):
    """Self-attention and a feed-forward block, each with a residual connection
    and a LayerNorm. ``forward(src, src_mask=None, src_key_padding_mask=None,
    is_causal=False)``; boolean masks are True where attention is blocked.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=8, activation="gelu")
    >>> layer(tf.randn(5, 3, 4)).shape             # (sequence, batch, features)
    tinyflow.Size([5, 3, 4])
    """

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=F.relu,
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True,
                 device=None, dtype=None):
        super().__init__()
        self._feed_forward(d_model, nhead, dim_feedforward, dropout, activation,
                           layer_norm_eps, batch_first, bias, norms=2)
        self.to(device=device, dtype=dtype)
        self.norm_first = norm_first
        self.activation_relu_or_gelu = _relu_or_gelu(self.activation)

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal=False):
        src = checks.tensor("TransformerEncoderLayer", "src", src)
        padding = canonical_mask(src_key_padding_mask, "src_key_padding_mask", src_mask,
                                 "src_mask", src.dtype, owner="TransformerEncoderLayer")
        mask = canonical_mask(src_mask, "src_mask", None, "", src.dtype, check_other=False,
                              owner="TransformerEncoderLayer")
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), mask, padding, is_causal)
            return x + self.dropout2(self._ff_block(self.norm2(x)))
        x = self.norm1(x + self._sa_block(x, mask, padding, is_causal))
        return self.norm2(x + self.dropout2(self._ff_block(x)))

    def _sa_block(self, x, mask, padding, is_causal):
        return self.dropout1(self._attend(self.self_attn, x, x, mask, padding, is_causal))


@register_module
class TransformerDecoderLayer(_Layer):
    """Self-attention over the target, attention to the encoder's output
    (``memory``), and a feed-forward block; each with a residual connection and a
    LayerNorm. ``forward(tgt, memory, tgt_mask=None, memory_mask=None,
    tgt_key_padding_mask=None, memory_key_padding_mask=None, tgt_is_causal=False,
    memory_is_causal=False)``.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> layer = nn.TransformerDecoderLayer(4, 2, dim_feedforward=8, batch_first=True)
    >>> layer(tf.randn(2, 3, 4), tf.randn(2, 5, 4)).shape
    tinyflow.Size([2, 3, 4])
    """

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=F.relu,
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True,
                 device=None, dtype=None):
        super().__init__()
        self._feed_forward(d_model, nhead, dim_feedforward, dropout, activation,
                           layer_norm_eps, batch_first, bias, norms=3)
        self.to(device=device, dtype=dtype)
        self.norm_first = norm_first

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False):
        x = checks.tensor("TransformerDecoderLayer", "tgt", tgt)
        memory = checks.tensor("TransformerDecoderLayer", "memory", memory)
        sa = (tgt_mask, tgt_key_padding_mask, tgt_is_causal)
        mha = (memory_mask, memory_key_padding_mask, memory_is_causal)
        if self.norm_first:
            x = x + self.dropout1(self._attend(self.self_attn, self.norm1(x), None, *sa))
            x = x + self.dropout2(self._attend(self.multihead_attn, self.norm2(x), memory, *mha))
            return x + self.dropout3(self._ff_block(self.norm3(x)))
        x = self.norm1(x + self.dropout1(self._attend(self.self_attn, x, None, *sa)))
        x = self.norm2(x + self.dropout2(self._attend(self.multihead_attn, x, memory, *mha)))
        return self.norm3(x + self.dropout3(self._ff_block(x)))

    def _attend(self, attn, x, mem, mask, padding, is_causal):
        return super()._attend(attn, x, x if mem is None else mem, mask, padding, is_causal)


def _clones(layer, num_layers):
    if not isinstance(num_layers, int) or isinstance(num_layers, bool):
        raise TypeError(f"num_layers must be an int, got {type(num_layers).__name__} "
                        f"{num_layers!r}")
    return ModuleList([copy.deepcopy(layer) for _ in range(num_layers)])


def _why_no_nested_tensor(layer):
    """PyTorch's reason (in its words) for not using nested tensors with this layer."""
    name = "encoder_layer"
    if not isinstance(layer, TransformerEncoderLayer):
        return f"{name} was not TransformerEncoderLayer"
    attn = layer.self_attn
    reasons = [(layer.norm_first, f"{name}.norm_first was True"),
               (not attn.batch_first, f"{name}.self_attn.batch_first was not True(use "
                                      f"batch_first for better inference performance)"),
               (not attn._qkv_same_embed_dim, f"{name}.self_attn._qkv_same_embed_dim was not "
                                              f"True"),
               (attn.in_proj_bias is None, f"{name}.self_attn was passed bias=False"),
               (not layer.activation_relu_or_gelu, f"{name}.activation_relu_or_gelu was not "
                                                   f"True"),
               (layer.norm1.eps != layer.norm2.eps, f"{name}.norm1.eps was not equal to "
                                                    f"{name}.norm2.eps"),
               (attn.num_heads % 2 == 1, f"{name}.self_attn.num_heads is odd")]
    return next((why for bad, why in reasons if bad), "")


@register_module
class TransformerEncoder(Module):
    """``num_layers`` deep copies of ``encoder_layer`` applied in turn (``layers.0``,
    ``layers.1``...), then ``norm`` if given. ``forward(src, mask=None,
    src_key_padding_mask=None, is_causal=None)``.

    ``enable_nested_tensor`` is PyTorch's inference speed-up; tinyflow has no nested
    tensors and always pads, but warns as PyTorch does when the layer rules it out.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=8, batch_first=True)
    >>> enc = nn.TransformerEncoder(layer, num_layers=3, norm=nn.LayerNorm(4))
    >>> enc(tf.randn(2, 5, 4), src_key_padding_mask=tf.zeros(2, 5, dtype=tf.bool)).shape
    tinyflow.Size([2, 5, 4])
    >>> len(enc.layers), enc.layers[0] is layer
    (3, False)
    """

    def __init__(self, encoder_layer, num_layers, norm=None, enable_nested_tensor=True,
                 mask_check=True):
        super().__init__()
        self.layers = _clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.use_nested_tensor = enable_nested_tensor
        self.mask_check = mask_check
        why = _why_no_nested_tensor(encoder_layer)
        if enable_nested_tensor and why:
            warnings.warn(f"enable_nested_tensor is True, but self.use_nested_tensor is False "
                          f"because {why}", UserWarning, stacklevel=2)
            self.use_nested_tensor = False

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=None):
        src = checks.tensor("TransformerEncoder", "src", src)
        padding = canonical_mask(src_key_padding_mask, "src_key_padding_mask", mask, "mask",
                                 src.dtype, owner="TransformerEncoder")
        mask = canonical_mask(mask, "mask", None, "", src.dtype, check_other=False,
                              owner="TransformerEncoder")
        batch_first = self.layers[0].self_attn.batch_first
        is_causal = detect_is_causal_mask(mask, is_causal, _seq_len(src, batch_first))
        out = src
        for layer in self.layers:
            out = layer(out, src_mask=mask, is_causal=is_causal, src_key_padding_mask=padding)
        return out if self.norm is None else self.norm(out)


@register_module
class TransformerDecoder(Module):
    """``num_layers`` deep copies of ``decoder_layer`` applied in turn, each attending
    to ``memory``, then ``norm`` if given.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(4, 2, 8), num_layers=2)
    >>> dec(tf.randn(3, 2, 4), tf.randn(5, 2, 4)).shape
    tinyflow.Size([3, 2, 4])
    """

    def __init__(self, decoder_layer, num_layers, norm=None):
        super().__init__()
        self.layers = _clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=None, memory_is_causal=False):
        tgt = checks.tensor("TransformerDecoder", "tgt", tgt)
        batch_first = self.layers[0].self_attn.batch_first
        tgt_is_causal = detect_is_causal_mask(tgt_mask, tgt_is_causal,
                                              _seq_len(tgt, batch_first))
        out = tgt
        for layer in self.layers:
            out = layer(out, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                        tgt_key_padding_mask=tgt_key_padding_mask,
                        memory_key_padding_mask=memory_key_padding_mask,
                        tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)
        return out if self.norm is None else self.norm(out)


@register_module
class Transformer(Module):
    """An encoder (``num_encoder_layers`` layers and a final LayerNorm) and a decoder
    (``num_decoder_layers`` layers and a final LayerNorm); every weight matrix
    starts from ``xavier_uniform_``. ``forward(src, tgt, src_mask=None,
    tgt_mask=None, memory_mask=None, src_key_padding_mask=None,
    tgt_key_padding_mask=None, memory_key_padding_mask=None, src_is_causal=None,
    tgt_is_causal=None, memory_is_causal=False)``.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> model = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
    ...                        dim_feedforward=16, batch_first=True)
    >>> tgt_mask = nn.Transformer.generate_square_subsequent_mask(4)
    >>> model(tf.randn(2, 6, 8), tf.randn(2, 4, 8), tgt_mask=tgt_mask).shape
    tinyflow.Size([2, 4, 8])
    """

    def __init__(self, d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
                 dim_feedforward=2048, dropout=0.1, activation=F.relu, custom_encoder=None,
                 custom_decoder=None, layer_norm_eps=1e-5, batch_first=False, norm_first=False,
                 bias=True, device=None, dtype=None):
        super().__init__()
        common = (d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                  batch_first, norm_first, bias)
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            self.encoder = TransformerEncoder(TransformerEncoderLayer(*common), num_encoder_layers,
                                              LayerNorm(d_model, eps=layer_norm_eps, bias=bias))
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            self.decoder = TransformerDecoder(TransformerDecoderLayer(*common), num_decoder_layers,
                                              LayerNorm(d_model, eps=layer_norm_eps, bias=bias))
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p)
        self.to(device=device, dtype=dtype)
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def forward(self, src, tgt, src_mask=None, tgt_mask=None, memory_mask=None,
                src_key_padding_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, src_is_causal=None, tgt_is_causal=None,
                memory_is_causal=False):
        src = checks.tensor("Transformer", "src", src)
        tgt = checks.tensor("Transformer", "tgt", tgt)
        batch = 0 if self.batch_first else 1
        if src.ndim == 3 and src.shape[batch] != tgt.shape[batch]:
            raise RuntimeError(f"Transformer: the batch number of src and tgt must be equal "
                               f"(src {tuple(src.shape)}, tgt {tuple(tgt.shape)}, batch "
                               f"dimension {batch})")
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError(f"Transformer: the feature number of src and tgt must be equal to "
                               f"d_model={self.d_model} (src {tuple(src.shape)}, tgt "
                               f"{tuple(tgt.shape)})")
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask,
                              is_causal=src_is_causal)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask,
                            tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)

    @staticmethod
    def generate_square_subsequent_mask(sz, device=None, dtype=None):
        """A (sz, sz) float mask for a decoder: 0 on and below the diagonal, -inf above
        (position i attends to positions 0..i only).

        >>> import tinyflow.nn as nn
        >>> nn.Transformer.generate_square_subsequent_mask(3)
        tensor([[0., -inf, -inf],
                [0., 0., -inf],
                [0., 0., 0.]])
        """
        if device is not None:
            check_device("generate_square_subsequent_mask", device)
        dtype = dtypes.float32 if dtype is None else dtype
        return Tensor(square_subsequent_mask(sz, dtype))

    def _config(self):
        return _config_naming_activation(self, 6)

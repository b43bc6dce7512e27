"""Two patterns that read better (and run faster) as one ONNX node:

* ``x @ W.T + b`` (``nn.Linear`` on a 2-D input) -> ``Gemm(x, W, b, transB=1)``,
  which keeps the weight's own name and layout ("fc1.weight", out x in);
* ``conv2d(x, W) + b.reshape(-1, 1, 1)`` (``nn.Conv2d``) -> ``Conv(x, W, b)``.

``plan(ops, uses)`` looks at the ops to export and returns, for each op that
ends a pattern, a function that emits the fused node, plus the set of ops the
fused node replaces. An op is only folded into a pattern when nothing else
uses its result.
"""
from .onnx_ops import conv_attrs


def plan(ops, uses):
    """``uses[tensor]``: how often the exported graph reads it (outputs count)."""
    fused, absorbed = {}, set()
    for op in ops:
        if op.type in ("Add", "BiasAdd") and len(op.inputs) == 2:
            found = _gemm(op, uses) or _conv_bias(op, uses)
            if found:
                fused[op], parts = found
                absorbed.update(parts)
    return fused, absorbed


def _only_use(t, uses, op_type):
    return t.node.type == op_type and uses.get(t, 0) == 1


def _float_alike(*ts):
    return all(t.dtype == ts[0].dtype for t in ts) and ts[0].dtype.kind == "f"


def _rank(t, n):
    return t._shape is not None and len(t._shape) == n


def _gemm(add, uses):
    for mm, bias in (add.inputs, add.inputs[::-1]):
        if not (_only_use(mm, uses, "MatMul") and _rank(bias, 1)):
            continue
        x, w = mm.node.inputs
        if not (_rank(x, 2) and _rank(w, 2) and _float_alike(x, w, bias, add.outputs[0])):
            continue
        if mm.node.attrs.get("transpose_a"):
            continue
        parts, trans = [mm.node], int(bool(mm.node.attrs.get("transpose_b")))
        if (not trans and _only_use(w, uses, "Transpose")
                and tuple(w.node.attrs["axes"]) == (1, 0)):
            parts.append(w.node)
            w, trans = w.node.inputs[0], 1

        def emit(b, value, out, x=x, w=w, bias=bias, trans=trans):
            b.add("Gemm", [value[x], value[w], value[bias]], out, transB=trans)
        return emit, parts
    return None


def _conv_bias(add, uses):
    for conv, shaped in (add.inputs, add.inputs[::-1]):
        if not (_only_use(conv, uses, "Conv2D") and _only_use(shaped, uses, "Reshape")):
            continue
        bias = shaped.node.inputs[0]
        if tuple(shaped.node.attrs["shape"]) != (-1, 1, 1) or not _rank(bias, 1):
            continue
        x, w = conv.node.inputs
        if conv.node.attrs.get("data_format", "NCHW") != "NCHW" or \
                not _float_alike(x, w, bias, add.outputs[0]):
            continue

        def emit(b, value, out, op=conv.node, x=x, w=w, bias=bias):
            b.add("Conv", [value[x], value[w], value[bias]], out, **conv_attrs(op))
        return emit, [conv.node, shaped.node]
    return None

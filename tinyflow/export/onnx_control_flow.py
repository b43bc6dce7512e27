"""cond and while_loop in ONNX: ``If`` and ``Loop``, whose branches and body are
ONNX graphs of their own.

An ONNX subgraph sees every value of the graph around it by name, so a
tensor that a branch captured is simply the outer value's name inside. The
mapping:

* ``If`` (tinyflow) -> ``If(cond) then_branch else_branch``: each branch a
  graph with no inputs and the branch's results as outputs.
* ``While`` -> ``Loop(M, cond, v...)``: ONNX loops test the condition
  before the first iteration from an input and afterwards from the body's
  first output, so the condition graph is emitted twice: once before the
  loop (on the initial values), once at the end of the body (on the new
  values). ``M`` is ``maximum_iterations`` (empty when there is none).

The values a cond or loop keeps for its gradient are not exported (an ONNX
model computes forward only), and IfGrad and WhileGrad are refused
(onnx_coverage.py).
"""
import numpy as np


def convert_if(b, op, xs, emit):
    """``op`` (an If) as an ONNX If; returns the ONNX names of its outputs."""
    false_b, true_b = op.attrs["branches"]
    outer = dict(zip(map(id, true_b.inputs), xs[1:]))
    outer.update(zip(map(id, false_b.inputs), xs[1:]))
    then_graph = _subgraph(b, true_b, outer, emit, f"{op.name}_then", [], true_b.outputs)
    else_graph = _subgraph(b, false_b, outer, emit, f"{op.name}_else", [], false_b.outputs)
    outs = [b.fresh(f"{op.name}:{k}") for k in range(len(op.outputs) - 1)]
    b.nodes.append(b.helper.make_node("If", [xs[0]], outs, name=b.fresh(op.name),
                                      then_branch=then_graph, else_branch=else_graph))
    return outs + [None]


def convert_while(b, op, xs, emit):
    """``op`` (a While) as an ONNX Loop; returns the ONNX names of its outputs."""
    cond, body, n = op.attrs["cond"], op.attrs["body"], op.attrs["n_vars"]
    init, captured = xs[:n], xs[n:n + len(body.inputs) - n]
    limit = op.attrs["maximum_iterations"]
    if limit == "input":                       # a tensor: the op's last input
        m = b.cast(xs[-1], op.inputs[-1].dtype, np.int64)
    elif limit is not None:
        m = b.int64s(limit, f"{op.name}/maximum_iterations")
    else:
        m = ""
    # the condition on the initial values, in the outer graph
    first = emit(cond.outputs, dict(zip(map(id, cond.inputs), init + captured)))[0]
    # the body: (iteration, condition, loop variables) -> (condition, new loop variables)
    it = b.fresh(f"{op.name}/iteration")
    go = b.fresh(f"{op.name}/cond_in")
    carried = [b.fresh(f"{op.name}/var{k}") for k in range(n)]
    body_in = dict(zip(map(id, body.inputs), carried + captured))
    saved_nodes, b.nodes = b.nodes, []
    new = emit(body.outputs, body_in)
    again = emit(cond.outputs, dict(zip(map(id, cond.inputs), new + captured)))[0]
    outs = [b.add("Identity", [again], b.fresh(f"{op.name}/cond_out"))] + \
        [b.add("Identity", [v], b.fresh(f"{op.name}/next{k}")) for k, v in enumerate(new)]
    nodes, b.nodes = b.nodes, saved_nodes
    info = b.helper.make_tensor_value_info
    graph = b.helper.make_graph(
        nodes, f"{op.name}_body",
        [info(it, b.onnx_dtype(np.int64), []), info(go, b.onnx_dtype(bool), [])] +
        [_info(b, name, t) for name, t in zip(carried, body.inputs[:n])],
        [info(outs[0], b.onnx_dtype(bool), [])] +
        [_info(b, name, t) for name, t in zip(outs[1:], body.outputs)])
    results = [b.fresh(f"{op.name}:{k}") for k in range(n)]
    b.nodes.append(b.helper.make_node("Loop", [m, first] + init, results, name=b.fresh(op.name),
                                      body=graph))
    return results + [None]


def _subgraph(b, fg, outer, emit, name, inputs, outputs):
    """The ONNX graph of a branch: its ops, reading outer values by name."""
    saved_nodes, b.nodes = b.nodes, []
    got = emit(outputs, outer)
    outs = [b.add("Identity", [g], b.fresh(f"{name}/out{k}")) for k, g in enumerate(got)]
    nodes, b.nodes = b.nodes, saved_nodes
    return b.helper.make_graph(nodes, name, inputs,
                               [_info(b, o, t) for o, t in zip(outs, outputs)])


def _info(b, name, t):
    return b.helper.make_tensor_value_info(name, b.onnx_dtype(t.dtype),
                                           None if t._shape is None else list(t._shape))


MULTI_CONVERTERS = {"If": convert_if, "While": convert_while}

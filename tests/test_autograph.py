"""AutoGraph: Python control flow in ``tinyflow.function`` rewritten into cond and
while_loop. Each function of the table is traced and compared with the same
function run eagerly (plain Python on eager tensors), on inputs that take each
branch and loops that run several times, once and not at all. Behaviour that
mirrors TensorFlow (which variables a cond outputs, the error messages, what a
Python condition does) was checked against TensorFlow 2.21 (noted per test)."""
import ast
import sys
import warnings

import numpy as np
import pytest

import tinyflow as tf
from tinyflow.base.errors import InvalidArgumentError
from tinyflow.tracing.autograph import AutoGraphWarning, Undefined


def f32(v):
    return tf.tensor(np.asarray(v, np.float32))


def i32(v):
    return tf.tensor(np.asarray(v, np.int32))


def op_types(fn):
    """Every op type in the last traced graph, inside branches and bodies too."""
    found = []

    def walk(graph):
        for op in graph.get_operations():
            found.append(op.type)
            for value in op.attrs.values():
                for g in value if isinstance(value, (list, tuple)) else (value,):
                    if isinstance(g, tf.Graph):
                        walk(g)
    walk(fn.concrete_functions[-1].graph)
    return found


# --- the table: Python functions with tensor-dependent control flow -----------------

def if_else(x):
    if x > 0:
        y = x * 2
    else:
        y = -x
    return y + 1


def if_without_else(x):
    y = x
    if x.sum() > 1:
        y = y * 3
    return y


def elif_chain(x):
    if x > 1:
        y = x
    elif x > 0:
        y = 2 * x
    elif x > -1:
        y = 3 * x
    else:
        y = 4 * x
    return y


def nested_ifs(x, z):
    if x > 0:
        if z > 0:
            r = x + z
        else:
            r = x - z
    else:
        r = x * z
        if r > 1:
            r = r / 2
    return r


def early_return(x):
    if x > 0:
        return x * 2
    return -x


def early_returns_elif(x):
    if x > 2:
        return x
    elif x > 0:
        return x * 10
    y = x - 1
    return y * y


def temporaries_in_one_branch(x):
    """TF 2.21: a variable assigned in one branch only and never read after it is
    no output of the cond, so it needs no value in the other branch."""
    if x > 0:
        tmp = x * 2
        x = tmp + 1
    return x


def python_values_in_branches(x):
    """TF 2.21: both branches assign Python ints; the cond outputs an int32 tensor."""
    if x > 0:
        k = 1
    else:
        k = 2
    return k


def while_counter(x, n):
    i = 0
    s = x * 0
    while i < n:
        s += x
        i += 1
    return s, i


def while_data_dependent(x):
    steps = 0
    while x < 100:
        x = x * 2
        steps += 1
    return x, steps


def for_range(x, n):
    s = x * 0
    for i in range(n):
        s = s + x * tf.cast(i, tf.float32)
    return s


def for_range_start_step(n):
    total = 0
    for i in range(2, n, 3):
        total += i
    for j in range(n, 0, -2):
        total = total * 2 + j
    return total


def for_over_tensor(xs):
    s = xs[0] * 0
    for row in xs:
        s = s + row * row
    return s


def break_in_while(x, n):
    i = 0
    s = x[0] * 0
    while i < n:
        if x[i] < 0:
            break
        s += x[i]
        i += 1
    return s, i


def continue_in_for(xs):
    total = xs[0] * 0
    count = 0
    for v in xs:
        if v < 0:
            continue
        total += v
        count += 1
    return total, count


def break_and_else(xs):
    found = xs[0] * 0 - 1
    for v in xs:
        if v > 10:
            found = v
            break
    else:
        found = found * 100
    return found


def nested_loops(n, m):
    s = 0
    for i in range(n):
        j = 0
        while j < m:
            if (i + j) % 2 == 0:
                s += i * j
            j += 1
    return s


def loop_inside_if(x, n):
    if x > 0:
        i = 0
        while i < n:
            x = x * 1.5
            i += 1
    else:
        x = -x
    return x


def fibonacci(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def logical_operators(x):
    if x > 0 and x < 10 or not x > -5:
        y = x
    else:
        y = -x
    return y


def if_expression(x):
    y = x * 3 if x > 0 else x * -2
    return y + (1.0 if x > 5 else 0.0)


def defined_in_loop(x, n):
    """TF 2.21: y is first assigned inside the tensor loop; one iteration is
    traced to learn its dtype and shape."""
    for i in range(n):
        y = x * tf.cast(i + 1, tf.float32)
    return y


def helper_with_if(v):
    if v > 0:
        return v * v
    return v


def calls_helper(x):
    return helper_with_if(x) + helper_with_if(-x)


class Model:
    def __init__(self, scale):
        self.scale = scale

    def step(self, x):
        if x > 1:
            x = x / self.scale
        return x

    def run(self, x, n):
        i = 0
        while i < n:
            x = self.step(x) + 1
            i += 1
        return x


def calls_method(x, n):
    return Model(2.0).run(x, n)


def return_in_python_loop(x):
    for k in range(5):
        if k == 3:
            return x * k
    return x


CASES = [
    (if_else, [(f32(3.0),), (f32(-2.0),)]),
    (if_without_else, [(f32([1.0, 2.0]),), (f32([0.1, 0.2]),)]),
    (elif_chain, [(f32(2.0),), (f32(0.5),), (f32(-0.5),), (f32(-3.0),)]),
    (nested_ifs, [(f32(1.0), f32(2.0)), (f32(1.0), f32(-2.0)), (f32(-1.0), f32(-3.0)),
                  (f32(-1.0), f32(0.5))]),
    (early_return, [(f32(3.0),), (f32(-3.0),)]),
    (early_returns_elif, [(f32(3.0),), (f32(1.0),), (f32(-4.0),)]),
    (temporaries_in_one_branch, [(f32(2.0),), (f32(-2.0),)]),
    (python_values_in_branches, [(f32(2.0),), (f32(-2.0),)]),
    (while_counter, [(f32([1.0, 2.0]), i32(n)) for n in (0, 1, 4)]),
    (while_data_dependent, [(f32(v),) for v in (150.0, 60.0, 0.3)]),
    (for_range, [(f32([1.0, -1.0]), i32(n)) for n in (0, 1, 5)]),
    (for_range_start_step, [(i32(n),) for n in (0, 1, 2, 3, 11)]),
    (for_over_tensor, [(f32([[1.0, 2.0]]),), (f32([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]),)]),
    (break_in_while, [(f32([1.0, 2.0, -1.0, 4.0]), i32(n)) for n in (0, 2, 4)]),
    (continue_in_for, [(f32([1.0, -2.0, 3.0]),), (f32([-1.0, -2.0]),), (f32([5.0]),)]),
    (break_and_else, [(f32([1.0, 20.0, 30.0]),), (f32([1.0, 2.0]),)]),
    (nested_loops, [(i32(n), i32(m)) for n, m in ((0, 3), (3, 0), (3, 4))]),
    (loop_inside_if, [(f32(2.0), i32(3)), (f32(2.0), i32(0)), (f32(-2.0), i32(3))]),
    (fibonacci, [(i32(n),) for n in (0, 1, 2, 10)]),
    (logical_operators, [(f32(v),) for v in (5.0, 20.0, -7.0, -3.0)]),
    (if_expression, [(f32(v),) for v in (6.0, 2.0, -1.0)]),
    (defined_in_loop, [(f32([1.0, 2.0]), i32(n)) for n in (1, 3)]),
    (calls_helper, [(f32(2.0),), (f32(-3.0),)]),
    (calls_method, [(f32(8.0), i32(n)) for n in (0, 1, 3)]),
    (return_in_python_loop, [(f32(2.0),)]),
]


def _values(out):
    leaves = out if isinstance(out, tuple) else (out,)
    return [np.asarray(v.numpy() if hasattr(v, "numpy") else v, dtype=np.float64) for v in leaves]


@pytest.mark.parametrize("fn,arg_sets", CASES, ids=[c[0].__name__ for c in CASES])
def test_traced_function_agrees_with_eager_python(fn, arg_sets):
    traced = tf.function(fn)
    for args in arg_sets:
        expected = _values(fn(*args))                # plain Python on eager tensors
        got = _values(traced(*args))
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            np.testing.assert_allclose(g, e, rtol=1e-6, err_msg=f"{fn.__name__}{args}")


@pytest.mark.parametrize("fn", [while_counter, for_range, for_over_tensor, break_in_while,
                                fibonacci, defined_in_loop, while_data_dependent])
def test_loops_on_tensors_become_one_while_op(fn):
    """However many iterations, the graph holds one loop (the body traced once)."""
    arg_sets = dict(CASES)[fn]
    traced = tf.function(fn)
    traced(*arg_sets[-1])
    top = [op.type for op in traced.concrete_functions[-1].graph.get_operations()]
    assert top.count("While") >= 1


@pytest.mark.parametrize("fn", [if_else, elif_chain, early_return, logical_operators])
def test_ifs_on_tensors_become_cond_ops(fn):
    traced = tf.function(fn)
    traced(*dict(CASES)[fn][0])
    assert "If" in op_types(traced) and "While" not in op_types(traced)


# --- Python control flow on Python values stays Python -------------------------------

def python_flag(x, training):
    if training:
        x = x * 0.5
    else:
        x = x + 1
    return x


def python_range(x):
    for k in range(3):
        x = x * 2 + k
    return x


def python_while(x):
    k = 0
    while k < 4:
        x = x + k
        k += 1
    return x


def python_list(x):
    for w in [x * 2, x * 3]:
        x = x + w
    return x


def python_condition_inside_tensor_loop(x, n, double):
    for i in range(n):
        if double:
            x = x * 2
    return x


@pytest.mark.parametrize("fn,args", [
    (python_flag, (f32(3.0), True)), (python_flag, (f32(3.0), False)),
    (python_range, (f32(1.0),)), (python_while, (f32(1.0),)), (python_list, (f32(1.0),)),
    (return_in_python_loop, (f32(2.0),)),
])
def test_python_control_flow_stays_python(fn, args):
    """As in TensorFlow: a condition or iterable of Python values runs as plain
    Python while tracing -- the graph has no If or While op, only the ops of the
    path taken (a loop is unrolled)."""
    traced = tf.function(fn)
    np.testing.assert_allclose(_values(traced(*args)), _values(fn(*args)))
    types = op_types(traced)
    assert "If" not in types and "While" not in types


def test_python_branch_not_taken_builds_nothing():
    traced = tf.function(python_flag)
    traced(f32(3.0), True)
    types = op_types(traced)
    assert "Mul" in types and "Add" not in types and "AddV2" not in types


def test_python_condition_inside_a_tensor_loop():
    traced = tf.function(python_condition_inside_tensor_loop)
    for double in (True, False):
        got = traced(f32(1.5), i32(3), double)
        np.testing.assert_allclose(got.numpy(), 1.5 * (8 if double else 1))
    assert "If" not in op_types(traced)


# --- gradients through converted code ------------------------------------------------

def f64(v):
    return tf.tensor(np.asarray(v, np.float64))


def numeric_grad(f, x, eps=1e-6):
    """Central differences of the scalar function f at the array x."""
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[idx] = eps
        g[idx] = (f(x + d) - f(x - d)) / (2 * eps)
    return g


def damped_power(x, n):
    y = x
    i = 0
    while i < n:
        if y.sum() > 10:
            y = y * 0.5
        else:
            y = y * y
        i += 1
    return y.sum()


def rows_with_break(x, limit):
    total = x[0] * 0
    for row in x:
        if row.sum() > limit:
            break
        total = total + tf.sin(row) * row
    return total.sum()


def piecewise_return(x, n):
    if x.sum() > 0:
        return (x * x).sum() * n
    return tf.exp(x).sum()


@pytest.mark.parametrize("fn,x,extra", [
    (damped_power, [1.5, 2.0], 4), (damped_power, [0.5, 0.25], 3), (damped_power, [1.2, 0.7], 0),
    (rows_with_break, [[0.5, 1.0], [0.2, -0.3], [4.0, 4.0], [1.0, 1.0]], 3.0),
    (rows_with_break, [[5.0, 1.0], [0.2, -0.3]], 3.0),
    (piecewise_return, [0.5, 1.0], 3.0), (piecewise_return, [-0.5, -1.0], 3.0),
])
def test_gradients_through_converted_code(fn, x, extra):
    """GradientTape inside the traced function differentiates the If and While ops
    AutoGraph built; the result equals the eager tape's gradient of the Python
    version, and central differences of the traced function itself."""
    extra_t = i32(extra) if isinstance(extra, int) else f64(extra)

    @tf.function
    def value_and_grad(x, extra):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x, extra)
        return y, tape.gradient(y, x)

    y, g = value_and_grad(f64(x), extra_t)
    xe = tf.tensor(np.asarray(x, np.float64), requires_grad=True)
    ye = fn(xe, extra if isinstance(extra, int) else f64(extra))
    ye.backward()
    np.testing.assert_allclose(y.numpy(), ye.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(g.numpy(), xe.grad.numpy(), rtol=1e-10, atol=1e-12)
    traced = tf.function(fn)
    num = numeric_grad(lambda v: float(traced(f64(v), extra_t).numpy()), x)
    np.testing.assert_allclose(g.numpy(), num, rtol=1e-5, atol=1e-7)
    assert {"If", "While"} & set(op_types(value_and_grad))


def _is_float(a):
    return hasattr(a, "dtype") and np.dtype(a.dtype).kind == "f"


def _float_sum(out):
    """The scalar a gradient is taken of: the sum of every float tensor the function
    returned (None when it returns no float tensor)."""
    leaves = out if isinstance(out, tuple) else (out,)
    floats = [v.sum() for v in leaves if _is_float(v)]
    return sum(floats[1:], floats[0]) if floats else None


GRADIENT_CASES = [(fn, arg_sets) for fn, arg_sets in CASES     # a float input, a float result
                  if any(_is_float(a) for a in arg_sets[0])
                  and _float_sum(fn(*arg_sets[0])) is not None]


@pytest.mark.parametrize("fn,arg_sets", GRADIENT_CASES,
                         ids=[c[0].__name__ for c in GRADIENT_CASES])
def test_table_gradients_agree_with_eager_and_central_differences(fn, arg_sets):
    """Every function of the table, in float64: GradientTape inside the traced
    function (through the If and While ops AutoGraph built) gives the eager tape's
    gradient of the plain Python, and central differences of the traced function."""
    def objective(*xs):
        return _float_sum(fn(*xs))

    @tf.function
    def value_and_grads(*xs):
        with tf.GradientTape() as tape:
            watched = [x for x in xs if x.dtype == tf.float64]
            for x in watched:
                tape.watch(x)
            y = objective(*xs)
        return y, tape.gradient(y, watched)

    traced = tf.function(objective)
    for args in arg_sets:
        args = tuple(f64(a.numpy()) if _is_float(a) else a for a in args)
        floats = [k for k, a in enumerate(args) if _is_float(a)]
        y, grads = value_and_grads(*args)
        eager = [tf.tensor(a.numpy(), requires_grad=True) if k in floats else a
                 for k, a in enumerate(args)]
        ye = objective(*eager)
        ye.backward()
        np.testing.assert_allclose(y.numpy(), ye.detach().numpy(), rtol=1e-12)
        for k, g in zip(floats, grads):
            g = np.zeros(args[k].shape) if g is None else g.numpy()
            ge = eager[k].grad
            ge = np.zeros(args[k].shape) if ge is None else ge.numpy()
            np.testing.assert_allclose(g, ge, rtol=1e-10, atol=1e-12, err_msg=f"{fn.__name__}")

            def at(v, k=k):
                moved = list(args)
                moved[k] = f64(v)
                return float(traced(*moved).numpy())
            num = numeric_grad(at, args[k].numpy())
            np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-6, err_msg=f"{fn.__name__}")


# --- to_code ------------------------------------------------------------------------

@pytest.mark.parametrize("fn,calls", [
    (if_else, ["ag__.if_stmt(x > 0, if_body, else_body, (y,), ('y',))"]),
    (while_counter, ["ag__.while_stmt(loop_test, loop_body, (s, i), ('s', 'i'))"]),
    (for_range, ["ag__.for_stmt(ag__.range_(n), None, loop_body, (s,), ('s',))"]),
    (break_in_while, ["break_ = False", "ag__.and_(lambda: ag__.not_(break_), lambda: i < n)"]),
    (continue_in_for, ["ag__.for_stmt(xs, None, loop_body"]),
    (early_return, ["retval_ = ag__.UndefinedReturnValue()", "return retval_"]),
    (logical_operators, ["ag__.or_(lambda: ag__.and_(lambda: x > 0, lambda: x < 10), "
                         "lambda: ag__.not_(x > -5))"]),
    (if_expression, ["ag__.if_exp(x > 0, lambda: x * 3, lambda: x * -2)"]),
    (calls_helper, ["ag__.converted_call(helper_with_if, x)"]),
    (defined_in_loop, ["y = ag__.Undefined('y')"]),
])
def test_to_code_shows_the_rewritten_calls_and_compiles(fn, calls):
    code = tf.autograph.to_code(fn)
    for call in calls:
        assert call in code, code
    compile(code, "<to_code>", "exec")          # valid Python
    tree = ast.parse(code)
    assert isinstance(tree.body[0], ast.FunctionDef) and tree.body[0].name == fn.__name__
    assert not any(isinstance(n, (ast.Break, ast.Continue)) for n in ast.walk(tree))


def test_to_code_of_a_function_with_no_control_flow_is_the_function():
    def plain(x):
        y = x * 2
        return y + 1
    code = tf.autograph.to_code(plain)
    assert "ag__" not in code.split("\n", 1)[1]
    assert "y = x * 2" in code


def test_to_code_accepts_a_tinyflow_function_and_a_method():
    assert "ag__.if_stmt" in tf.autograph.to_code(tf.function(if_else))
    assert "ag__.if_stmt(x > 1" in tf.autograph.to_code(Model(2.0).step)


def test_to_graph_runs_python_eagerly_and_builds_ops_on_symbolic_tensors():
    """TF's to_graph: the converted function, usable directly (here inside a
    TF1-style graph, where the if becomes a cond op)."""
    import tinyflow.compat.v1 as v1
    converted = tf.autograph.to_graph(if_else)
    assert float(converted(f32(3.0))) == 7.0           # eager: plain Python
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float32, [], name="x")
        y = converted(x)
    assert "If" in [op.type for op in g.get_operations()]
    with v1.Session(graph=g) as sess:
        assert sess.run(y, {x: 3.0}) == 7.0 and sess.run(y, {x: -2.0}) == 3.0


# --- errors, as TensorFlow 2.21 reports them (with the file and line) -----------------

def line_of(fn, text):
    """The file line of the first line of fn's source containing ``text``."""
    import inspect
    lines, first = inspect.getsourcelines(fn)
    return first + next(k for k, line in enumerate(lines) if text in line)


def assigned_in_one_branch(x):
    if x > 0:
        y = x * 2
    return y


def returns_in_one_branch(x):
    if x > 0:
        return x


def dtype_differs_between_branches(x):
    if x > 0:
        y = 1
    else:
        y = 2.0
    return y


def none_in_else(x):
    y = None
    if x > 0:
        y = x
    return y


def structure_differs(x):
    if x > 0:
        pair = [x, x]
    else:
        pair = [x]
    return pair


def dtype_changes_in_loop(x, n):
    s = 0
    i = 0
    while i < n:
        s = s + x
        i += 1
    return s


def shape_changes_in_loop(x, n):
    s = x[:1]
    i = 0
    while i < n:
        s = tf.concat([s, x[:1]], 0)
        i += 1
    return s


def read_before_defined_in_loop(x, n):
    i = 0
    while i < n:
        y = y + x
        i += 1
    return y


def return_inside_tensor_loop(x, n):
    for i in range(n):
        if x > 5.0:
            return x
        x = x * 2
    return x


def break_on_tensor_in_python_loop(x):
    while True:
        x = x + 1
        if x > 10:
            break
    return x


def float_condition(x):
    if x:
        x = x - 1
    return x


def vector_condition(x):
    if x > 0:
        x = x - 1
    return x


def python_path_leaves_undefined(x, flag):
    if flag:
        y = x
    return y


def none_at_end_of_iteration(x, n):
    y = x
    for i in range(n):
        y = None
    return y


@pytest.mark.parametrize("fn,args,error,message,statement", [
    (assigned_in_one_branch, (f32(1.0),), ValueError,
     "'y' must also be initialized in the else branch", "if x > 0:"),
    (returns_in_one_branch, (f32(1.0),), ValueError,
     "the else branch must also have a return statement.", "if x > 0:"),
    (dtype_differs_between_branches, (f32(1.0),), TypeError,
     "'y' has dtype int32 in the main branch, but dtype float32 in the else branch", "if x > 0:"),
    (none_in_else, (f32(1.0),), ValueError, "'y' is None at the end of the else branch.",
     "if x > 0:"),
    (structure_differs, (f32(1.0),), TypeError,
     "'pair' must have the same nested structure in the main and else branches", "if x > 0:"),
    (dtype_changes_in_loop, (f32(1.0), i32(3)), TypeError,
     "'s' has dtype int32 before the loop, but dtype float", "while i < n:"),
    (shape_changes_in_loop, (f32([1.0, 2.0]), i32(3)), ValueError,
     "'s' has shape (1,) before the loop, but shape (2,) after one iteration", "while i < n:"),
    (read_before_defined_in_loop, (f32(1.0), i32(3)), ValueError,
     "'y' must be defined before the loop\nNote: AutoGraph tried to define it automatically, "
     "but ran into a UnboundLocalError", "while i < n:"),
    (return_inside_tensor_loop, (f32(1.0), i32(10)), NotImplementedError,
     "a return statement cannot be placed inside this TensorFlow loop", "for i in range(n):"),
    (break_on_tensor_in_python_loop, (f32(1.0),), NotImplementedError,
     "the condition of a while loop that started in Python", "while True:"),
    (float_condition, (f32(1.0),), ValueError,
     "condition of if statement expected to be a boolean scalar tensor", "if x:"),
    (vector_condition, (f32([1.0, 2.0]),), ValueError,
     "condition of if statement expected to be a boolean scalar tensor", "if x > 0:"),
    (none_at_end_of_iteration, (f32(1.0), i32(2)), ValueError,
     "'y' is None at the end of the iteration.", "for i in range(n):"),
])
def test_errors_name_the_variable_and_the_line(fn, args, error, message, statement):
    """The same conditions and messages as TensorFlow 2.21's AutoGraph (checked by
    running each function under tf.function), plus the file, line and statement."""
    with pytest.raises(error) as info:
        tf.function(fn)(*args)
    text = str(info.value)
    assert message in text
    assert f'line {line_of(fn, statement)}, in {fn.__name__}: {statement}' in text


def test_a_variable_left_undefined_by_python_control_flow():
    """TF 2.21: UnboundLocalError "'y' is used before assignment"."""
    with pytest.raises(UnboundLocalError, match="'y' is used before it is assigned"):
        tf.function(python_path_leaves_undefined)(f32(1.0), False)
    assert float(tf.function(python_path_leaves_undefined)(f32(1.0), True)) == 1.0
    with pytest.raises(UnboundLocalError, match="'y'"):
        Undefined("y") * 2


def test_a_loop_that_must_define_a_variable_and_runs_zero_times():
    """TF 2.21: the loop traces fine; running it zero times fails with
    "loop must iterate at least once to initialize y"."""
    traced = tf.function(defined_in_loop)
    np.testing.assert_allclose(traced(f32([1.0, 2.0]), i32(2)).numpy(), [2.0, 4.0])
    with pytest.raises(InvalidArgumentError, match="loop must iterate at least once to "
                                                   "initialize y"):
        traced(f32([1.0, 2.0]), i32(0))


def test_tracebacks_show_the_users_lines():
    """The converted code is compiled with the user's file and line numbers."""
    def fails_inside_a_branch(x):
        if x > 0:
            y = x * undefined_name     # noqa: F821
        else:
            y = x
        return y
    with pytest.raises(NameError) as info:
        tf.function(fails_inside_a_branch)(f32(1.0))
    frames = [(f.filename, f.lineno) for f in __import__("traceback").extract_tb(
        info.value.__traceback__)]
    assert (__file__, line_of(fails_inside_a_branch, "undefined_name")) in frames


# --- switches: autograph=False, do_not_convert, functions with no source ---------------

def test_autograph_false_traces_python_as_written():
    """tinyflow.function(fn, autograph=False): a Python if on a symbolic tensor
    fails with the tensor's error, which says AutoGraph is off."""
    with pytest.raises(TypeError, match="as a Python bool is not allowed") as info:
        tf.function(if_else, autograph=False)(f32(1.0))
    assert "AutoGraph is off" in str(info.value)
    # Python control flow on Python values still works, and no cond is built
    traced = tf.function(python_flag, autograph=False)
    assert float(traced(f32(3.0), True)) == 1.5
    with pytest.raises(TypeError):
        tf.function(autograph=False)(while_counter)(f32(1.0), i32(2))


def test_do_not_convert_keeps_a_function_as_written():
    @tf.autograph.experimental.do_not_convert
    def helper(v):
        if v > 0:
            return v
        return -v

    def calls(x):
        return helper(x)
    assert "converted_call" not in tf.autograph.to_code(calls)
    with pytest.raises(TypeError, match="as a Python bool is not allowed"):
        tf.function(calls)(f32(1.0))
    with pytest.raises(TypeError, match="as a Python bool is not allowed"):
        tf.function(helper)(f32(1.0))


def test_a_function_without_source_runs_unconverted_with_a_warning():
    """As TensorFlow: "AutoGraph could not transform <function ...> and will run it as-is"."""
    namespace = {}
    exec("def no_source(x):\n    return x * 2\n", namespace)
    with pytest.warns(AutoGraphWarning, match="could not transform .*no_source.* run it as-is"):
        out = tf.function(namespace["no_source"])(f32(3.0))
    assert float(out) == 6.0


def test_lambdas_and_library_functions_are_not_converted():
    assert float(tf.function(lambda x: x * 2)(f32(2.0))) == 4.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(tf.function(tf.exp)(f32(0.0))) == 1.0


def test_closures_and_globals_are_read_when_called():
    """The converted function shares the original's closure cells and globals."""
    scale = 2.0

    def scaled(x):
        if x > 0:
            x = x * scale
        return x
    converted = tf.autograph.to_graph(scaled)
    assert float(converted(f32(3.0))) == 6.0
    scale = 10.0
    assert float(converted(f32(3.0))) == 30.0
    assert float(tf.autograph.to_graph(if_else)(f32(1.0))) == 3.0   # f32 is a global


def test_nonlocal_and_global_writes_reach_the_original_variables():
    count = 0

    def counting(x):
        nonlocal count
        for k in range(3):
            count += 1
            x = x + k
        return x
    assert float(tf.function(counting)(f32(0.0))) == 3.0
    assert count == 3


def test_recursive_python_function():
    def power(x, k):
        if k == 0:
            return x * 0 + 1
        return x * power(x, k - 1)
    assert float(tf.function(power)(f32(2.0), 5)) == 32.0
    assert "ag__.converted_call(power, x, k - 1)" in tf.autograph.to_code(power)


def test_methods_and_super_in_converted_methods():
    class Base:
        def forward(self, x):
            return x + 1

    class Child(Base):
        def forward(self, x):
            y = super().forward(x)
            if y > 2:
                y = y * 10
            return y

        @tf.function
        def __call__(self, x):
            return self.forward(x)
    m = Child()
    assert float(m(f32(3.0))) == 40.0 and float(m(f32(0.5))) == 1.5


# --- loop options (TensorFlow's set_loop_options directive) ----------------------------

def grow(x, n):
    s = x[:1]
    i = 0
    while i < n:
        tf.autograph.experimental.set_loop_options(shape_invariants=[(s, (None,))])
        s = tf.concat([s, x[:1] * tf.cast(i, tf.float32)], 0)
        i += 1
    return s


def capped(x):
    while x < 1000:
        tf.autograph.experimental.set_loop_options(maximum_iterations=3)
        x = x * 2
    return x


def test_set_loop_options_shape_invariants_and_maximum_iterations():
    """TF 2.21: the first statement of a loop body; shape_invariants lets a loop
    variable change shape; maximum_iterations caps the loop."""
    traced = tf.function(grow)
    np.testing.assert_allclose(traced(f32([2.0, 5.0]), i32(3)).numpy(), [2.0, 0.0, 2.0, 4.0])
    np.testing.assert_allclose(traced(f32([2.0, 5.0]), i32(0)).numpy(), [2.0])
    assert "set_loop_options" not in tf.autograph.to_code(grow)
    assert float(tf.function(capped)(f32(1.0))) == 8.0
    assert float(capped(f32(1.0))) == 1024.0            # eagerly it is a directive only


# --- tf.print and effects inside traced functions ----------------------------------

def test_print_writes_to_stderr_as_tensorflow(capsys):
    """Output checked against TensorFlow 2.21's tf.print: standard error, no
    commas, summarize=3 first and last entries, floats in their shortest form."""
    tf.print("hello", 1, 2.5, tf.tensor(3.0), tf.tensor([1, 2, 3, 4, 5]),
             tf.tensor([[1.5, 2.0], [3.0, 4.0]]))
    tf.print(tf.arange(10), summarize=2)
    tf.print(tf.tensor(np.arange(24).reshape(2, 3, 4)))
    tf.print("a", "b", sep="|", end="!\n")
    tf.print(tf.tensor(True), [1, tf.tensor(2)], {"k": tf.tensor(1.0)}, None)
    tf.print(tf.tensor(1e-8), tf.tensor(123456789.0), tf.tensor([0.1, 0.2]),
             tf.tensor(1 / 3, dtype=tf.float64))
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == (
        "hello 1 2.5 3 [1 2 3 4 5] [[1.5 2]\n [3 4]]\n"
        "[0 1 ... 8 9]\n"
        "[[[0 1 2 3]\n  [4 5 6 7]\n  [8 9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n"
        "  [20 21 22 23]]]\n"
        "a|b!\n"
        "1 [1, 2] {'k': 1} None\n"
        "1e-08 123456792 [0.1 0.2] 0.33333333333333331\n")


def test_print_summarize_and_streams(capsys, tmp_path):
    tf.print(tf.tensor(np.arange(100).reshape(10, 10)), summarize=1, output_stream=sys.stdout)
    path = tmp_path / "log.txt"
    tf.print("to a file", tf.tensor([1.0, -0.0, np.inf, np.nan]), output_stream=f"file://{path}")
    assert capsys.readouterr().out == "[[0 ... 9]\n ...\n [90 ... 99]]\n"
    assert path.read_text() == "to a file [1 -0 inf nan]\n"
    with pytest.raises(ValueError, match="output_stream"):
        tf.print("x", output_stream="stdout")


def printing_branches(x):
    tf.print("start", x)
    if x > 0:
        tf.print("positive", x)
    else:
        tf.print("not positive")
    i = 0
    while i < 2:
        tf.print("iteration", i)
        i += 1
    return x * 2


def test_print_in_a_function_runs_every_call_in_the_branch_taken(capsys):
    """TF 2.21: tf.print inside tf.function always runs (automatic control
    dependencies), in the branch taken, once per loop iteration; Python's print
    runs only while tracing."""
    traced = tf.function(printing_branches)
    traced(f32(1.0))
    traced(f32(-1.0))
    assert capsys.readouterr().err == ("start 1\npositive 1\niteration 0\niteration 1\n"
                                       "start -1\nnot positive\niteration 0\niteration 1\n")
    n = tf.tensor(3)

    @tf.function
    def tensor_loop(x):
        i = 0
        while i < n:
            tf.print("step", i)
            i += 1
        return x
    tensor_loop(f32(0.0))
    assert capsys.readouterr().err == "step 0\nstep 1\nstep 2\n"
    assert tf.print("eager") is None


def test_unused_print_ops_run_in_functions_and_are_pruned_in_sessions(capsys):
    """TF 2.21 runs an unused tf.compat.v1.Print inside tf.function; a TF1
    session prunes it (nothing fetched needs it)."""
    import tinyflow.compat.v1 as v1

    @tf.function
    def f(x):
        tf.Print(x, [x], "unused: ")
        return x + 1
    f(f32(1.0))
    out = capsys.readouterr()
    assert "unused: [1]" in out.out + out.err
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float32, [])
        tf.Print(x, [x], "unused: ")
        y = x + 1
    with v1.Session(graph=g) as sess:
        sess.run(y, {x: 1.0})
    out = capsys.readouterr()
    assert "unused" not in out.out + out.err


def test_a_cond_without_effects_whose_results_are_unused_does_not_run():
    """TF2's StatelessIf: a cond with no prints or updates inside is pruned when
    nothing uses it; one with a print inside runs (TF2's If)."""
    @tf.function
    def f(x, k):
        # would fail if it ran: index 5 of a 2-vector
        unused = tf.cond(k > 0, lambda: x[k + 4], lambda: x[k + 5])     # noqa: F841
        return x.sum()
    assert float(f(f32([1.0, 2.0]), i32(1))) == 3.0
    cf = f.concrete_functions[0]
    assert "If" in [op.type for op in cf.graph.get_operations()]

    @tf.function
    def g(x):
        if x.sum() > 0:
            tf.print("inside")
        return x
    g(f32([1.0]))
    assert any(getattr(t, "type", None) == "If" for t in g.concrete_functions[0]._fetch)

"""Lesson 8's exercise checkers (notebooks/exercises/control_flow.py) pass right answers
and fail wrong ones with a hint: a learner trusts the last line, "k of n checks pass"."""
import contextlib
import io
import sys
from pathlib import Path

import numpy as np

import tinyflow as tf
import tinyflow.compat.v1 as tf1

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "notebooks"))

from exercises.control_flow import check_collatz, check_halvings, check_piecewise  # noqa: E402


def _failed(capsys):
    out = capsys.readouterr().out
    return out, [line for line in out.splitlines() if line.startswith("  no ")]


def _passes(check, answer):
    """Run a checker (it returns nothing); did every check pass? Its output is printed on."""
    with contextlib.redirect_stdout(io.StringIO()) as buffer:
        assert check(answer) is None
    out = buffer.getvalue()
    k, _, n = out.strip().splitlines()[-1].split(" checks pass")[0].partition(" of ")
    print(out, end="")                 # back for the test's own _failed(capsys)
    return k == n


# --- exercise 1: Collatz ---------------------------------------------------------------------

def collatz(odd_rule=lambda m: 3 * m + 1, test=lambda m, s: m > 1):
    def build():
        n = tf1.placeholder(tf1.int32, [], name="n")

        def step(m, steps):
            odd = tf1.equal(tf1.floormod(m, 2), 1)
            return tf1.cond(odd, lambda: odd_rule(m), lambda: m // 2), steps + 1
        _, steps = tf1.while_loop(test, step, [n, 0])
        return n, steps
    return build


def test_collatz_right_answer_passes(capsys):
    assert _passes(check_collatz, collatz())
    out, failed = _failed(capsys)
    assert not failed and out.strip().endswith("4 of 4 checks pass")


def test_collatz_wrong_answers_fail_with_a_hint(capsys):
    assert not _passes(check_collatz, collatz(test=lambda m, s: m > 2))     # stops at 2: one short
    out, failed = _failed(capsys)
    assert any("n = 2 gives 0 steps, expected 1" in line for line in failed)
    assert not _passes(check_collatz, collatz(odd_rule=lambda m: 3 * m - 1,
                                     test=lambda m, s: tf1.logical_and(m > 1, s < 200)))
    out, failed = _failed(capsys)
    assert any("steps, expected" in line for line in failed)

    def unrolled():
        n = tf1.placeholder(tf1.int32, [], name="n")
        return n, n * 0 + 3
    assert not _passes(check_collatz, unrolled)
    out, failed = _failed(capsys)
    assert any("no While op" in line for line in failed)
    assert not _passes(check_collatz, lambda: None)
    assert "must return 2 tensors" in capsys.readouterr().out


# --- exercise 2: a cond's gradient ---------------------------------------------------------------

def piecewise(dtype=tf1.float64, other=lambda x: 2.0 * x - 1.0 + tf1.sin(x - 1.0)):
    def build():
        x = tf1.placeholder(dtype, [], name="x")
        y = tf1.cond(x < 1.0, lambda: x * x, lambda: other(x))
        dy, = tf1.gradients(y, [x])
        return x, y, dy
    return build


def test_piecewise_right_answer_passes(capsys):
    assert _passes(check_piecewise, piecewise())
    assert capsys.readouterr().out.strip().endswith("5 of 5 checks pass")


def test_piecewise_wrong_answers_fail(capsys):
    assert not _passes(check_piecewise, piecewise(dtype=tf1.float32))
    assert "make it a float64" in capsys.readouterr().out
    assert not _passes(check_piecewise, piecewise(other=lambda x: 2.0 * x - 1.0))
    out, failed = _failed(capsys)
    assert any("y(2.5)" in line for line in failed)


# --- exercise 3: AutoGraph ------------------------------------------------------------------------

def halvings(x):
    count = 0
    while x > 1:
        x = x / 2
        count += 1
    return x, count


def halvings_without_count(x):
    count = 0
    while x > 1:
        x = x / 2
    return x, count


def halvings_in_numpy(x):
    v = float(np.asarray(x.numpy()))
    count = 0
    while v > 1:
        v /= 2
        count += 1
    return tf.tensor(v), count


def test_halvings_right_answer_passes(capsys):
    assert _passes(check_halvings, halvings)
    assert capsys.readouterr().out.strip().endswith("4 of 4 checks pass")


def test_halvings_wrong_answers_fail(capsys):
    assert not _passes(check_halvings, halvings_without_count)
    out, failed = _failed(capsys)
    assert any("'count' is not a loop variable" in line for line in failed)
    assert not _passes(check_halvings, halvings_in_numpy)
    out, failed = _failed(capsys)
    assert failed

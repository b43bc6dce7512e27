"""Regenerate the images in assets/ from code.

    python tools/make_assets.py        (or: make assets)

* assets/two_paradigms.svg -- the two ways tinyflow runs the same ops, drawn
  with Graphviz (the bundled graphviz-pure, so the bytes are the same everywhere);
* assets/stepper.png -- a screenshot of the Stepper widget in JupyterLab, taken
  by the real-browser test (tests/test_browser.py) in headless Chromium.
"""
import os
import pathlib
import subprocess
import sys

import graphviz

ROOT = pathlib.Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"

DIAGRAM = r"""
digraph paradigms {
  graph [rankdir=TB, fontname="Helvetica", fontsize=13, nodesep=0.35, ranksep=0.35,
         label="one registry of primitives (numpy forward + vjp + shape rule), two interpreters",
         labelloc=b];
  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=12, fillcolor="#ffffff"];
  edge [fontname="Helvetica", fontsize=10];
  ops [label="tinyflow/ops: MatMul, Add, Relu, Softmax, Conv2D ...", fillcolor="#fff3c4"];
  subgraph cluster_eager {
    label="Eager: define by run (PyTorch, TF2)"; style="rounded,filled"; fillcolor="#e8f1fb";
    e1 [label="y = relu(x @ W + b)\nruns now, line by line"];
    e2 [label="the tape records a Node per op"];
    e3 [label="loss.backward()\nwalks the tape in reverse"];
    e1 -> e2 -> e3;
  }
  subgraph cluster_graph {
    label="Graph: define, then run (TensorFlow 1)"; style="rounded,filled"; fillcolor="#eaf6ea";
    g1 [label="y = tf.nn.relu(tf.matmul(x, W) + b)\nadds nodes, computes nothing"];
    g2 [label="tf.gradients adds gradient nodes"];
    g3 [label="sess.run(y, feed_dict={x: data})\nprunes, orders, runs the plan"];
    g1 -> g2 -> g3;
  }
  e1 -> ops [style=dashed, dir=back, label="forward"];
  e3 -> ops [style=dashed, dir=back, label="vjp"];
  g1 -> ops [style=dashed, dir=back, label="shape rule"];
  g3 -> ops [style=dashed, dir=back, label="forward"];
}
"""


def diagram():
    from tinyflow.viz import render
    render.setup()                                   # the bundled graphviz-pure dot
    svg = graphviz.Source(DIAGRAM).pipe(format="svg")
    (ASSETS / "two_paradigms.svg").write_bytes(svg)
    print("wrote assets/two_paradigms.svg")


def stepper_screenshot():
    env = dict(os.environ, TINYFLOW_STEPPER_SCREENSHOT=str(ASSETS / "stepper.png"))
    subprocess.run([sys.executable, "-m", "pytest", "-q", str(ROOT / "tests" / "test_browser.py")],
                   check=True, env=env, cwd=ROOT)
    print("wrote assets/stepper.png")


if __name__ == "__main__":
    ASSETS.mkdir(exist_ok=True)
    diagram()
    stepper_screenshot()

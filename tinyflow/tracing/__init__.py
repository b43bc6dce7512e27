"""Eager Python traced into graphs: the layer between the two interpreters.

* ``function.py``: ``tinyflow.function`` -- run a Python function once on
  symbolic placeholders, keep the graph, and run the graph from then on;
* ``trace_graph.py`` and ``jit.py``: ``tinyflow.jit.trace`` for modules;
* ``endpoints.py``: a model's named inputs and outputs in one graph (for
  bundles and ONNX);
* ``bridge.py``: names that are eager outside a graph and graph ops inside one
  (TF2's ``tf.Variable``, ``tf.constant``, ``tf.random.normal``).
"""

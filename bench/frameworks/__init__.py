"""One small adapter per framework, all with the same three functions:

- ``setup(threads)``: called once per worker process (e.g. torch.set_num_threads);
- ``w1(x)`` -> ``run``: ``run()`` does W1's forward and backward once and returns
  ``(sum, gradient wrt x)``;
- ``mlp(params, x, y, lr)`` -> ``(step, current)``: ``step()`` does one SGD step of
  the MLP and returns the loss; ``current()`` returns the parameters as numpy arrays.

An adapter whose framework is not importable is reported as "not installed".
"""
import importlib

# Display order: the reference first, then tinyflow's modes, the yardstick of a minimal
# Python tape, then the peers.
ORDER = ["numpy_ref", "tinyflow_eager", "tinyflow_graph", "tinyflow_function",
         "minimal_tape", "torch_eager", "hips_autograd"]
PEERS = {"torch_eager": "torch", "hips_autograd": "autograd"}


def load(name):
    """(module, None), or (None, "not installed") when a peer is missing."""
    peer = PEERS.get(name)
    if peer is not None:
        try:
            importlib.import_module(peer)
        except ImportError:
            return None, "not installed"
    return importlib.import_module(f"frameworks.{name}"), None

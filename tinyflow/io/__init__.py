"""Files, in one place: what tinyflow writes and reads, and how it stays safe.

* ``files.py``: atomic writes (an interrupted save never destroys the previous
  file) and npz/JSON readers that check a file before using it and never unpickle;
* ``checkpoint.py``: ``tinyflow.save`` / ``tinyflow.load`` (state dicts and whole
  models, as data), with ``registry.py`` naming the Module classes a file may rebuild;
* ``saver.py`` and ``meta_graph.py``: TensorFlow 1's ``Saver`` checkpoints and
  graphs as JSON (``export_meta_graph`` / ``import_meta_graph``);
* ``bundle.py``, ``signature.py``, ``saved_model_names.py``: SavedModel-style
  bundles -- a graph, its values and its signatures as a folder of data files.
"""

"""Helpers for the lessons in this folder, kept out of the notebooks so that the lessons
stay readable:

- ``side_by_side``: run a cell's code in real PyTorch next to tinyflow, and show that
  the numbers agree -- with the same output whether PyTorch is installed or not;
- ``tape``, ``session``, ``control_flow``, ``tracer``, ``keras``: the checkers of the
  build-it-yourself exercises (lessons 2, 4, 8, 9 and 10; ``checking`` holds what they
  share). Each ``check_...`` function tests the learner's code, prints one line per
  check, and says what is wrong and why.

The notebooks import them as ``from exercises import ...``: a lesson runs with the
``notebooks/`` folder as its working directory (JupyterLab, nbval and
``tools/run_notebooks.py`` all do that).
"""

"""Whole programs written for one framework, run under tinyflow by changing only their
imports (see harness.py). This file makes ``tests/programs`` a package, so pytest puts
``tests/`` (not this folder) on ``sys.path``: the folder ``torch/`` here must never be
importable as a top-level ``torch``.
"""

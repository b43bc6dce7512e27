"""Compatibility facades: ``tinyflow.compat.v1`` speaks TensorFlow 1."""

"""Helpers of the Keras tests (their fixtures are in conftest.py)."""


def summary_text(model):
    """``model.summary()`` as one string, trailing spaces removed (tf_keras pads lines)."""
    lines = []
    model.summary(print_fn=lines.append)
    return "\n".join(line.rstrip() for line in lines)

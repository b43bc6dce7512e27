"""``tinyflow.autograph.experimental``: ``do_not_convert`` and ``set_loop_options``."""
from ..tracing.autograph import do_not_convert, set_loop_options  # noqa: F401

"""Safe files (``atomic_write``, npz/JSON reading that never unpickles), under
the name the lessons use: the code lives in ``tinyflow/io/files.py``."""
from .io.files import *  # noqa: F401,F403
from .io.files import __all__  # noqa: F401

"""Which ``dot`` program turns a drawing's DOT text into SVG.

The ``graphviz`` Python package only writes DOT text; a separate ``dot``
program lays it out. tinyflow depends on ``graphviz-pure`` (a self-contained
port of Graphviz, installed by pip, no system package needed). Its program is
called ``graphviz-pure``, not ``dot``, so at import we point the ``graphviz``
package at it.

We use graphviz-pure **whenever it is installed, even if a system ``dot``
exists**: different dot versions (and the fonts of a machine) give different
SVG bytes, and the notebooks store their SVG outputs, which nbval compares. One
renderer everywhere means a re-executed notebook gives the same bytes on every
machine. ``use_dot("dot")`` switches to another program (e.g. for PDF output,
which graphviz-pure does not write).

>>> import os
>>> from tinyflow.viz import render
>>> os.path.basename(render.dot_binary())
'graphviz-pure'
"""
import os
import shutil
import sys
import sysconfig

from graphviz.backend import dot_command

INSTALL_HINT = "pip install graphviz-pure"


def find_graphviz_pure():
    """The path of the ``graphviz-pure`` program next to this Python, or None."""
    places = [sysconfig.get_path("scripts"), os.path.dirname(sys.executable)]
    for d in places:
        for exe in ("graphviz-pure", "graphviz-pure.exe"):
            p = os.path.join(d, exe)
            if os.path.isfile(p) and os.access(p, os.X_OK):
                return p
    return shutil.which("graphviz-pure")


def use_dot(path):
    """Render with the program at ``path`` (``"dot"``: the one on PATH), e.g. a
    system Graphviz for PDF output: ``render.use_dot("dot")``. Stored notebook
    outputs made this way will differ from CI's; ``render.setup()`` goes back."""
    # The graphviz package reads this module global each time it runs dot
    # (pipe, render, _repr_mimebundle_); it is not public API, hence the pin
    # graphviz>=0.20,<0.22 in pyproject.toml.
    dot_command.DOT_BINARY = path


def dot_binary():
    """The program drawings are rendered with, as a full path; None if there is none."""
    b = str(dot_command.DOT_BINARY)
    if os.path.isabs(b) or os.sep in b:
        return b if os.path.isfile(b) else None
    return shutil.which(b)


def setup():
    """Prefer graphviz-pure; otherwise leave the graphviz package's ``dot``."""
    p = find_graphviz_pure()
    if p is not None:
        use_dot(p)
    return dot_binary()


setup()

"""Find the user's line: the first stack frame outside the tinyflow package."""
import os
import sys

# the tinyflow package folder (this file is tinyflow/base/source.py)
_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class Site(tuple):
    """(filename, lineno, function, code line) of the user's code that made an op."""
    __slots__ = ()

    def __str__(self):
        fname, line, func, text = self
        where = f'File "{fname}", line {line}, in {func}'
        return f"{where}\n    {text}" if text else where


def user_site(skip=1):
    """The creation site of an op, as a ``Site``, or None if there is none."""
    import linecache
    f = sys._getframe(skip)
    while f is not None:
        fname = f.f_code.co_filename
        if not fname.startswith(_PKG) and not fname.startswith("<frozen"):
            text = linecache.getline(fname, f.f_lineno).strip()
            return Site((fname, f.f_lineno, f.f_code.co_name, text))
        f = f.f_back
    return None

"""Where a converted statement is in the user's file, for error messages.

The converted code is compiled with the user's file name and line numbers
(conversion.py), so the frame that calls ``ag__.if_stmt`` *is* the line of
the user's ``if``: its file, line and text name the statement.
"""
import linecache
import re
import sys

# the functions the converter writes: an error names the user's function around them
_GENERATED = re.compile(r"(if_body|else_body|loop_body|loop_test|extra_test)(_\d+)?$")


class Site:
    """A statement of the user's: ``File "f.py", line 12, in fn: if x > 0:``."""
    __slots__ = ("filename", "lineno", "function", "text")

    def __init__(self, filename, lineno, function, text):
        self.filename, self.lineno, self.function, self.text = filename, lineno, function, text

    def __str__(self):
        where = f'File "{self.filename}", line {self.lineno}, in {self.function}'
        return f"{where}: {self.text}" if self.text else where


def caller_site(depth=2):
    """The statement that called the runtime function calling this one."""
    f = sys._getframe(depth)
    text = linecache.getline(f.f_code.co_filename, f.f_lineno).strip()
    names = getattr(f.f_code, "co_qualname", f.f_code.co_name).split(".<locals>.")
    users = [n for n in names if n != "ag__factory" and not _GENERATED.match(n)]
    return Site(f.f_code.co_filename, f.f_lineno, users[-1] if users else names[-1], text)


def at(site, message, kind="statement"):
    """``message``, then where the statement is."""
    return f"{message}\n  (the {kind} at {site})" if site is not None else message

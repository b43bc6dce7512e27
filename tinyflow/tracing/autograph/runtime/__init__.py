"""The runtime of converted code: what ``ag__.<name>`` refers to.

Converted code calls these while it is traced. Each looks at the values it
gets *now* and decides: Python values run Python's own control flow, symbolic
tensors build ``cond`` / ``while_loop`` ops.

* ``if_stmt``, ``if_exp`` (conditionals.py); ``while_stmt``, ``for_stmt``
  (loops.py, staged_loops.py, loop_vars.py); ``range_`` (ranges.py);
* ``and_``, ``or_``, ``not_`` (logical.py);
* ``converted_call`` (calls.py): calling a user function converts it too;
* ``Undefined``, ``UndefinedReturnValue``, ``return_value`` (variables.py).
"""
from .conditionals import if_stmt, if_exp  # noqa: F401
from .loops import while_stmt, for_stmt  # noqa: F401
from .ranges import range_  # noqa: F401
from .logical import and_, or_, not_  # noqa: F401
from .calls import converted_call, do_not_convert  # noqa: F401
from .variables import Undefined, UndefinedReturnValue, return_value  # noqa: F401

"""What the break, continue and return converters share: turning a jump into
a flag, and making the statements after it run only when it did not happen.

A ``cond`` or ``while_loop`` has one way in and one way out, so a jump out of
the middle of a block cannot be staged. AutoGraph removes the jumps first:
the jump sets a flag, and the rest of the block is guarded by the flag::

    for x in xs:                         for x in xs:
        if x < 0:                            continue_ = False
            continue           -->           if x < 0:
        total += x                               continue_ = True
                                             if not continue_:
                                                 total += x

Where one branch of an ``if`` always jumps, the rest of the block moves into
the other branch instead (no flag to test, and an early ``return`` becomes an
``if``/``else`` with a return on each side, which a ``cond`` can stage)::

        if x < 0:                            if x < 0:
            continue           -->               continue_ = True
        total += x                           else:
                                                 total += x

and a flag that no guard ends up reading is dropped again.
"""
import ast

from . import syntax as S
from .names import contains

ALWAYS, MAYBE = "always", "maybe"


class JumpLowering(ast.NodeTransformer):
    """Base of the three converters: ``lower_block`` rewrites a list of
    statements; subclasses say what a jump is (``jump_kinds``), which nested
    statements hide jumps (``stop_kinds``: a nested loop owns its own
    ``continue``), and which flag the guards test (``self.flag``)."""

    jump_kinds = ()
    stop_kinds = ()

    def __init__(self, context):
        self.context = context
        self.flag = None

    # --- the analysis, on statements not yet rewritten ---
    def status(self, node):
        """ALWAYS if the statement jumps on every path, MAYBE on some, else None."""
        if isinstance(node, self.jump_kinds):
            return ALWAYS
        if not contains([node], self.jump_kinds, self.stop_kinds):
            return None
        if isinstance(node, ast.If) and self.block_status(node.body) == ALWAYS == \
                self.block_status(node.orelse):
            return ALWAYS
        if isinstance(node, ast.With):
            return self.block_status(node.body)
        return MAYBE

    def block_status(self, stmts):
        found = None
        for s in stmts:
            st = self.status(s)
            if st == ALWAYS:
                return ALWAYS
            found = found or st
        return found

    # --- the rewrite ---
    def lower_block(self, stmts):
        """The statements with their jumps lowered and what follows a possible
        jump guarded (or moved into the if branch that does not jump)."""
        out = []
        for k, s in enumerate(stmts):
            status, rest = self.status(s), stmts[k + 1:]
            if status == MAYBE and rest and isinstance(s, ast.If):
                if self.block_status(s.body) == ALWAYS:
                    s.orelse, rest = s.orelse + rest, []
                elif self.block_status(s.orelse) == ALWAYS:
                    s.body, rest = s.body + rest, []
            out.extend(self.visit_statement(s))
            if status == MAYBE and rest:
                out.append(S.located(S.if_(S.not_(S.name(self.flag)), self.lower_block(rest)),
                                     rest[0]))
            if status is not None:
                break                  # the rest never runs, or now runs inside a guard or branch
        return out

    def visit_statement(self, s):
        new = self.visit(s)
        return new if isinstance(new, list) else [new]

    def visit_If(self, node):
        node.test = self.visit(node.test)
        node.body = self.lower_block(node.body)
        node.orelse = self.lower_block(node.orelse)
        return node

    def visit_With(self, node):
        node.body = self.lower_block(node.body)
        return node

    def visit_Try(self, node):
        node.body = self.lower_block(node.body)
        for h in node.handlers:
            h.body = self.lower_block(h.body)
        node.orelse = self.lower_block(node.orelse)
        node.finalbody = self.lower_block(node.finalbody)
        return node

    # --- helpers for the subclasses ---
    def set_flag(self, value, line):
        """``flag = value``, marked as written by this converter."""
        return S.mark(S.located(S.assign(self.flag, S.const(value)), line), flag_of=self.flag)

    @staticmethod
    def drop_unread_flag(stmts, flag):
        """Remove the assignments of ``flag`` when nothing reads it; returns
        whether it is read."""
        if any(isinstance(n, ast.Name) and n.id == flag and isinstance(n.ctx, ast.Load)
               for s in stmts for n in ast.walk(s)):
            return True
        for node in [n for s in stmts for n in ast.walk(s)] + [_Root(stmts)]:
            for field in ("body", "orelse", "finalbody", "handlers"):
                block = getattr(node, field, None)
                if isinstance(block, list):
                    kept = [s for s in block if S.marked(s, "flag_of") != flag]
                    block[:] = kept or ([ast.Pass()] if field in ("body",) and block else kept)
        return False


class _Root:
    """Lets ``drop_unread_flag`` treat the top list like any node's body."""

    def __init__(self, stmts):
        self.body = stmts

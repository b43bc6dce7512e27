"""Reverse mode: the one backward walk that both the eager tape and graph-mode
``gradients`` use.

The walk visits nodes from the outputs back to the inputs, latest-made first
(a reverse topological order). At each node it asks the primitive's vjp rules for the
gradient of each input that needs one, sums each gradient back to its input's
shape (the one place where broadcasting is undone) and adds it to what that
input has collected so far. What a "node", an "input" and a "value" are is
left to a small adapter: the tape passes numpy arrays or eager Tensors, the
graph passes symbolic tensors, and the same vjp rules run on all of them.
"""


import itertools
from heapq import heappop, heappush
from operator import attrgetter

# Every node (tape entry or graph op) gets the next number when it is made. A
# node is always made after the nodes that feed it, so sorting by this number
# is a topological order.
next_seq = itertools.count().__next__
_seq = attrgetter("seq")


def topo_order(roots, parents):
    """Every node reachable from ``roots``, each after the nodes it depends on.

    A plain search collects what is reachable (no recursion, so a
    10,000-op chain is fine); creation order then sorts it.
    """
    seen = set(roots)
    stack = list(seen)
    while stack:
        for p in parents(stack.pop()):
            if p is not None and p not in seen:
                seen.add(p)
                stack.append(p)
    return sorted(seen, key=_seq)


class Walk:
    """The adapter: how one mode answers the walk's questions."""

    node_class = None                 # keys of this class (and subclasses) are nodes; others are leaves

    def key(self, t):                 # where t's gradient is collected (its node, or t itself)
        raise NotImplementedError

    def begin(self, node, g):
        """A node's turn, now that g (its output's gradient) is complete. Returns
        (g, keys, inputs, out): g, which hooks may have replaced; per input, the key
        its gradient goes to (None if it needs none); what the vjp rules receive."""
        raise NotImplementedError

    def fit(self, g, node, i):        # g summed back to input i's shape (and cast to its dtype)
        raise NotImplementedError

    def done(self, node, g, made):    # node's input gradients are computed
        pass


def reverse_walk(seeds, walk):
    """Propagate ``seeds`` ([(tensor, grad)]) back through the graph.

    Returns the gradients that reached keys that are not nodes (the leaves).

    Nodes wait in a heap, the most recently made first. A node is taken only
    when every node made after it has been done, so all of its gradient has
    arrived: nothing made earlier can send it more.
    """
    grads = {}
    waiting = []                             # (-seq, node): heapq pops the latest-made node
    node_class = walk.node_class
    for t, g in seeds:
        k = walk.key(t)
        if k in grads:
            grads[k] = grads[k] + g
        else:
            grads[k] = g
            if isinstance(k, node_class):
                heappush(waiting, (-k.seq, k))
    begin, fit, done = walk.begin, walk.fit, walk.done
    while waiting:
        node = heappop(waiting)[1]
        g, keys, vals, out = begin(node, grads.pop(node))
        prim = node.prim
        if not prim.differentiable:          # comparisons, argmax: nothing flows back
            done(node, g, ())
            continue
        rules = prim.vjps
        attrs = node.attrs
        made = []
        for i, k in enumerate(keys):
            if k is None:
                continue
            rule = rules[i]
            if rule is None:
                continue
            # rule(g, *inputs, out, **attrs); out goes by position (cheaper than out=out)
            gi = rule(g, *vals, out, **attrs) if attrs else rule(g, *vals, out)
            if gi is None:
                continue
            gi = fit(gi, node, i)
            made.append((i, gi))
            prev = grads.get(k)
            if prev is None:
                grads[k] = gi
                if isinstance(k, node_class):
                    heappush(waiting, (-k.seq, k))
            else:
                grads[k] = prev + gi
        done(node, g, made)
    return grads

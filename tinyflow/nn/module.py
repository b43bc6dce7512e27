"""``nn.Module``: the base class of every layer and model (PyTorch's spelling).

A Module keeps three ordered dicts -- its parameters, its buffers and its
sub-modules -- filled in by plain attribute assignment, and walks them
recursively for ``parameters()``, ``state_dict()``, ``train()``...

>>> import tinyflow.nn as nn
>>> class Net(nn.Module):
...     def __init__(self):
...         super().__init__()
...         self.fc1 = nn.Linear(4, 3)
...         self.fc2 = nn.Linear(3, 2)
...     def forward(self, x):
...         return self.fc2(self.fc1(x).relu())
>>> [name for name, p in Net().named_parameters()]
['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
"""
from collections import OrderedDict

import numpy as np

from ..base.args import bool_arg
from ..eager.tensor import Tensor
from ..base.hooks import RemovableHandle
from .backward_hooks import wrap_call
from .module_state import IncompatibleKeys, ModuleState  # noqa: F401  (IncompatibleKeys: re-exported)
from .parameter import Parameter

class Module(ModuleState):
    """Base class for layers and models: subclass it, create sub-modules and
    Parameters in ``__init__``, and write ``forward``. Call the module (not
    ``forward``) so that hooks run."""
    __module__ = "tinyflow.nn"      # printed as tinyflow.nn.Module, the name users know

    training = True

    def __new__(cls, *args, **kwargs):
        self = super().__new__(cls)
        # The constructor call, kept so tinyflow.save can write the architecture as data.
        object.__setattr__(self, "_init_args", (args, kwargs))
        return self

    def __init__(self):
        setattr_ = object.__setattr__
        setattr_(self, "training", True)
        setattr_(self, "_parameters", OrderedDict())
        setattr_(self, "_buffers", OrderedDict())
        setattr_(self, "_non_persistent", set())
        setattr_(self, "_modules", OrderedDict())
        setattr_(self, "_forward_pre_hooks", OrderedDict())
        setattr_(self, "_forward_hooks", OrderedDict())
        setattr_(self, "_backward_hooks", OrderedDict())
        setattr_(self, "_backward_pre_hooks", OrderedDict())

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required '
                                  f'"forward" function')

    # --- calling ---------------------------------------------------------------

    def __call__(self, *args, **kwargs):
        """Run ``forward`` between the forward pre-hooks and the forward hooks
        (and, with backward hooks, inside a boundary that catches gradients)."""
        for hook in tuple(self._forward_pre_hooks.values()):
            result = hook(self, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
        if self._backward_hooks or self._backward_pre_hooks:
            out = wrap_call(self, args, lambda *a: self.forward(*a, **kwargs))
        else:
            out = self.forward(*args, **kwargs)
        for hook in tuple(self._forward_hooks.values()):
            result = hook(self, args, out)
            if result is not None:
                out = result
        return out

    def register_forward_pre_hook(self, hook):
        """Call ``hook(module, args)`` before each forward; it may return new args.

        >>> import tinyflow as tf, tinyflow.nn as nn
        >>> relu = nn.ReLU()
        >>> h = relu.register_forward_pre_hook(lambda m, args: (args[0] * 2,))
        >>> relu(tf.tensor([1.0]))
        tensor([2.])
        >>> h.remove()
        """
        return RemovableHandle(self._forward_pre_hooks, hook)

    def register_forward_hook(self, hook):
        """Call ``hook(module, args, output)`` after each forward; it may return a
        replacement output.

        >>> import tinyflow as tf, tinyflow.nn as nn
        >>> shapes = []
        >>> h = nn.Linear(3, 2).register_forward_hook(lambda m, a, out: shapes.append(out.shape))
        """
        return RemovableHandle(self._forward_hooks, hook)

    def register_full_backward_hook(self, hook):
        """Call ``hook(module, grad_input, grad_output)`` during backward, once the
        gradients with respect to the module's tensor inputs are known. It may
        return a replacement ``grad_input`` (for a module with one tensor input)."""
        return RemovableHandle(self._backward_hooks, hook)

    def register_full_backward_pre_hook(self, hook):
        """Call ``hook(module, grad_output)`` when the gradient with respect to the
        module's output arrives, before it flows into the module; it may return
        a replacement ``grad_output``."""
        return RemovableHandle(self._backward_pre_hooks, hook)

    # --- registration ------------------------------------------------------------

    def _check_init(self, what):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {what} before Module.__init__() call (call "
                                 f"super().__init__() first in {type(self).__name__}.__init__)")


    def register_parameter(self, name, param):
        """Add a parameter (or None) under ``name``."""
        self._check_init("parameters")
        _check_name(self, name, "parameter", self._parameters)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' as parameter '{name}' "
                            f"(nn.Parameter or None expected)")
        self._parameters[name] = param
        if param is not None:
            param.name = name

    def register_buffer(self, name, tensor, persistent=True):
        """Add a tensor that is state but not a parameter (BatchNorm's running
        mean). Persistent buffers are saved in ``state_dict``."""
        self._check_init("buffers")
        _check_name(self, name, "buffer", self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{type(tensor).__name__}' as buffer '{name}' "
                            f"(a Tensor or None expected)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent.discard(name)
        else:
            self._non_persistent.add(name)
        if tensor is not None:
            tensor.name = name

    def add_module(self, name, module):
        """Add a sub-module (or None) under ``name``."""
        self._check_init("module")
        _check_name(self, name, "module", self._modules)
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module(): argument 'module' must be a Module (or None): "
                            f"{type(module).__name__} is not a Module subclass")
        self._modules[name] = module
        if module is not None:
            # Parameters are named from the outermost module that holds them: "fc1.weight".
            for sub, t in module._named_tensors():
                t.name = f"{name}.{sub}"

    register_module = add_module

    def __setattr__(self, name, value):
        d = self.__dict__
        params, buffers, modules = d.get("_parameters"), d.get("_buffers"), d.get("_modules")
        if isinstance(value, Parameter):
            self._check_init("parameters")
            _forget(self, name, "_parameters")
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                                f"(nn.Parameter or None expected)")
            params[name] = None
        elif isinstance(value, Module):
            self._check_init("module")
            _forget(self, name, "_modules")
            self.add_module(name, value)
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module '{name}' "
                                f"(nn.Module or None expected)")
            modules[name] = None
        elif buffers is not None and name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                                f"(a Tensor or None expected)")
            buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        # Only called when normal lookup fails: look in the three registries.
        d = self.__dict__
        for key in ("_parameters", "_buffers", "_modules"):
            registry = d.get(key)
            if registry is not None and name in registry:
                return registry[name]
        if "_parameters" not in d:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}' (its "
                                 f"__init__ did not call super().__init__(), which every Module "
                                 f"subclass must call first)")
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                return
        object.__delattr__(self, name)

    # --- walking -------------------------------------------------------------------

    def named_modules(self, prefix="", memo=None):
        """(dotted name, module) for this module and every module below it."""
        memo = set() if memo is None else memo
        if id(self) in memo:
            return
        memo.add(id(self))
        yield prefix, self
        for name, m in self._modules.items():
            if m is not None:
                yield from m.named_modules(f"{prefix}.{name}" if prefix else name, memo)

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def named_children(self):
        """(name, module) for each direct sub-module."""
        seen = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def children(self):
        for _, m in self.named_children():
            yield m

    def _named(self, registry, prefix="", recurse=True):
        seen = set()
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for mod_name, m in modules:
            for name, t in getattr(m, registry).items():
                if t is None or id(t) in seen:
                    continue
                seen.add(id(t))
                yield (f"{mod_name}.{name}" if mod_name else name), t

    def named_parameters(self, prefix="", recurse=True):
        """(dotted name, Parameter) for every parameter, each shared one once.

        >>> import tinyflow.nn as nn
        >>> [n for n, _ in nn.Sequential(nn.Linear(2, 2), nn.ReLU()).named_parameters()]
        ['0.weight', '0.bias']
        """
        return self._named("_parameters", prefix, recurse)

    def parameters(self, recurse=True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix="", recurse=True):
        return self._named("_buffers", prefix, recurse)

    def buffers(self, recurse=True):
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def _named_tensors(self):
        yield from self.named_parameters()
        yield from self.named_buffers()

    def apply(self, fn):
        """Call ``fn(module)`` on every sub-module, then on self (for custom init)."""
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    # --- modes and gradients --------------------------------------------------------------

    def train(self, mode=True):
        """Set training mode (Dropout drops, BatchNorm uses batch statistics) here and below."""
        if not isinstance(mode, bool):
            raise ValueError(f"training mode is expected to be a bool, got {type(mode).__name__}")
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self):
        """Evaluation mode: the same as ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Turn gradients on (or off) for every parameter; returns the module."""
        bool_arg("requires_grad_", "requires_grad", requires_grad)
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    # --- display -----------------------------------------------------------------

    def extra_repr(self):
        """The text inside the parentheses of this module's repr (override it)."""
        return ""

    def __repr__(self):
        extra = self.extra_repr()
        lines = extra.split("\n") if extra else []
        for name, m in self._modules.items():
            body = repr(m).replace("\n", "\n  ")
            lines.append(f"({name}): {body}")
        if not lines:
            return f"{type(self).__name__}()"
        if len(lines) == 1 and not self._modules:
            return f"{type(self).__name__}({lines[0]})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"

    def summary(self, input_shape=None, dtype=np.float32, print_fn=print):
        """Print a table of layers and parameter counts (as torchinfo), with each
        layer's output shape when ``input_shape`` (batch dimension included) is given.
        See ``nn.summary``.
        """
        from .summary import summary
        return summary(self, input_shape, dtype, print_fn)


def _check_name(module, name, kind, registry):
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string, got {type(name).__name__}")
    if not name or "." in name:
        raise KeyError(f"{kind} name can't be empty or contain '.', got {name!r}")
    taken = name in module.__dict__ or any(
        name in module.__dict__[key] for key in ("_parameters", "_buffers", "_modules"))
    if name not in registry and taken:
        raise KeyError(f"attribute '{name}' already exists")


def _forget(module, name, keep):
    """Drop ``name`` from the instance dict and the registries other than ``keep`` (it
    is being re-assigned into ``keep``, where it keeps its place, as in PyTorch: a
    re-assigned parameter stays where it was in ``state_dict``)."""
    for key in ("_parameters", "_buffers", "_modules"):
        if key != keep:
            module.__dict__[key].pop(name, None)
    module.__dict__.pop(name, None)
    module._non_persistent.discard(name)


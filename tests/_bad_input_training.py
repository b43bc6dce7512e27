"""Bad-input tables: losses, optimizers and learning-rate schedulers."""
from _bad_input import raises, returns


def _sgd(m):
    return m.optim.SGD([m.nn.Parameter(m.ones(2))], lr=0.1)


# --- losses --------------------------------------------------------------------------

def _x(m):
    return m.ones(2, 3)


LOSS_CALLS = {                      # loss: (input, a good target) as functions of the module
    "MSELoss": (_x, lambda m: m.zeros(2, 3)),
    "L1Loss": (_x, lambda m: m.zeros(2, 3)),
    "SmoothL1Loss": (_x, lambda m: m.zeros(2, 3)),
    "HuberLoss": (_x, lambda m: m.zeros(2, 3)),
    "BCELoss": (lambda m: m.full((2, 3), 0.5), lambda m: m.zeros(2, 3)),
    "BCEWithLogitsLoss": (_x, lambda m: m.zeros(2, 3)),
    "KLDivLoss": (_x, lambda m: m.full((2, 3), 0.5)),
    "CrossEntropyLoss": (_x, lambda m: m.tensor([0, 1])),
    "NLLLoss": (_x, lambda m: m.tensor([0, 1])),
}
LOSSES = [
    (f"{loss}(reduction={r!r})",
     (lambda loss, r, x, t: lambda m: getattr(m.nn, loss)(reduction=r)(x(m), t(m)))(loss, r, x, t),
     raises(ValueError, loss, "reduction"))
    for loss, (x, t) in LOSS_CALLS.items() for r in ("avg", None)]
LOSSES += [(f"{loss}(target='a')",
            (lambda loss, x: lambda m: getattr(m.nn, loss)()(x(m), "a"))(loss, x),
            raises(TypeError, ("cross_entropy", "nll_loss", "kl_div"), "target") if loss in (
                "CrossEntropyLoss", "NLLLoss", "KLDivLoss") else raises(
                TypeError, ("loss", "entropy", "kl_div"), "target", deviation="PyTorch reads target.size() and fails "
                "with an AttributeError ('str' object has no attribute 'size'); tinyflow says "
                "which argument of which loss must be a tensor", torch=AttributeError))
           for loss, (x, _) in LOSS_CALLS.items()]
SHAPE_MISMATCH = {"MSELoss": RuntimeError, "L1Loss": RuntimeError, "SmoothL1Loss": RuntimeError,
                  "HuberLoss": RuntimeError, "BCELoss": ValueError,
                  "BCEWithLogitsLoss": ValueError, "KLDivLoss": RuntimeError}
LOSSES += [(f"{loss}(input (2, 3), target (3, 2))",
            (lambda loss, x: lambda m: getattr(m.nn, loss)()(x(m), m.full((3, 2), 0.5)))(
                loss, LOSS_CALLS[loss][0]),
            raises(error, ("loss", "entropy", "kl_div"), "target"))
           for loss, error in SHAPE_MISMATCH.items()]
INTEGER_INPUTS = {"MSELoss": NotImplementedError, "L1Loss": RuntimeError,
                  "SmoothL1Loss": NotImplementedError, "HuberLoss": NotImplementedError,
                  "BCELoss": NotImplementedError, "BCEWithLogitsLoss": NotImplementedError,
                  "KLDivLoss": RuntimeError}
LOSSES += [(f"{loss}(int64, int64)",
            (lambda loss: lambda m: getattr(m.nn, loss)()(m.ones(2, dtype=m.int64),
                                                          m.ones(2, dtype=m.int64)))(loss),
            raises(error, ("loss", "entropy", "kl_div"), "input"))
           for loss, error in INTEGER_INPUTS.items()]
LOSSES += [
    ("MSELoss(reduction='avg') alone", lambda m: type(m.nn.MSELoss(reduction="avg")).__name__,
     raises(ValueError, "MSELoss", "reduction", deviation="tinyflow refuses a bad reduction "
            "when the loss is made; PyTorch only when it is called", torch="accepts")),
    ("MSELoss(ones(3), zeros(2, 3)) broadcasts", lambda m: m.nn.MSELoss()(m.ones(3), m.zeros(2, 3)),
     returns(("tensor", (), "float32", 1.0, False))),
    ("MSELoss(float32, int64)", lambda m: m.nn.MSELoss()(m.ones(2), m.ones(2, dtype=m.int64)),
     returns(("tensor", (), "float32", 0.0, False))),
    ("MSELoss(float32, float64)", lambda m: m.nn.MSELoss()(m.ones(2), m.zeros(2, dtype=m.float64)),
     returns(("tensor", (), "float64", 1.0, False))),
    ("MSELoss(input='a')", lambda m: m.nn.MSELoss()("a", m.ones(2)),
     raises(TypeError, "mse_loss", "input", deviation="PyTorch fails in input.size() "
            "(AttributeError); tinyflow says which argument must be a tensor",
            torch=AttributeError)),
    ("MSELoss with one argument", lambda m: m.nn.MSELoss()(m.ones(2)),
     raises(TypeError, "forward", "target")),
    ("SmoothL1Loss(beta=-1)", lambda m: m.nn.SmoothL1Loss(beta=-1.0)(_x(m), _x(m)),
     raises(RuntimeError, "smooth_l1_loss", "beta")),
    ("HuberLoss(delta=-1)", lambda m: m.nn.HuberLoss(delta=-1.0)(_x(m), _x(m)),
     raises(RuntimeError, "huber_loss", "delta")),
    ("HuberLoss(delta=0)", lambda m: m.nn.HuberLoss(delta=0.0)(_x(m), _x(m)),
     raises(RuntimeError, "huber_loss", "delta")),
    ("CrossEntropyLoss(float labels)", lambda m: m.nn.CrossEntropyLoss()(_x(m), m.tensor([0.0, 1.0])),
     raises(RuntimeError, "cross_entropy", "target")),
    ("CrossEntropyLoss(label 3 of 3 classes)",
     lambda m: m.nn.CrossEntropyLoss()(_x(m), m.tensor([0, 3])),
     raises(IndexError, "cross_entropy", "target")),
    ("CrossEntropyLoss(label -1)", lambda m: m.nn.CrossEntropyLoss()(_x(m), m.tensor([0, -1])),
     raises(IndexError, "cross_entropy", "target")),
    ("CrossEntropyLoss(3 labels for 2 rows)",
     lambda m: m.nn.CrossEntropyLoss()(_x(m), m.tensor([0, 1, 2])),
     raises(ValueError, "cross_entropy", "target")),
    ("CrossEntropyLoss(int64 logits)",
     lambda m: m.nn.CrossEntropyLoss()(m.ones(2, 3, dtype=m.int64), m.tensor([0, 1])),
     raises(NotImplementedError, "cross_entropy", "input")),
    ("CrossEntropyLoss(label_smoothing=1.5)",
     lambda m: m.nn.CrossEntropyLoss(label_smoothing=1.5)(_x(m), m.tensor([0, 1])),
     raises(RuntimeError, "cross_entropy", "label_smoothing")),
    ("CrossEntropyLoss(0-d logits)", lambda m: m.nn.CrossEntropyLoss()(m.tensor(1.0), m.tensor(0)),
     raises(RuntimeError, "cross_entropy", "input")),
    ("CrossEntropyLoss(labels (2, 1))", lambda m: m.nn.CrossEntropyLoss()(_x(m), m.tensor([[0], [1]])),
     raises(RuntimeError, "cross_entropy", "target")),
    ("CrossEntropyLoss(int32 labels)",
     lambda m: m.nn.CrossEntropyLoss()(_x(m), m.tensor([0, 1], dtype=m.int32)),
     raises(RuntimeError, "cross_entropy", "target")),
    ("CrossEntropyLoss(bool labels)",
     lambda m: m.nn.CrossEntropyLoss()(_x(m), m.tensor([True, False])),
     raises(RuntimeError, "cross_entropy", "target")),
    ("CrossEntropyLoss(uint8 labels)",
     lambda m: m.nn.CrossEntropyLoss()(_x(m), m.tensor([0, 1], dtype=m.uint8)).item() > 0,
     returns(True)),
    ("CrossEntropyLoss(probabilities of the wrong shape)",
     lambda m: m.nn.CrossEntropyLoss()(_x(m), m.full((2, 4), 0.25)),
     raises(RuntimeError, "cross_entropy", "target")),
    ("CrossEntropyLoss(weight of 4 classes)",
     lambda m: m.nn.CrossEntropyLoss(weight=m.ones(4))(_x(m), m.tensor([0, 1])),
     raises(RuntimeError, "cross_entropy", "weight")),
    ("CrossEntropyLoss(ignore_index=-1)",
     lambda m: m.nn.CrossEntropyLoss(ignore_index=-1)(_x(m), m.tensor([0, -1])).item() > 0,
     returns(True)),
    ("CrossEntropyLoss(list of logits)",
     lambda m: m.nn.CrossEntropyLoss()([[1.0, 2.0]], m.tensor([0])).item() > 0,
     returns(True, deviation="tinyflow's losses take lists and arrays too (they become "
             "tensors)", torch=TypeError)),
    ("NLLLoss(label 3 of 3 classes)", lambda m: m.nn.NLLLoss()(_x(m), m.tensor([0, 3])),
     raises(IndexError, "nll_loss", "target")),
    ("NLLLoss(float labels)", lambda m: m.nn.NLLLoss()(_x(m), m.tensor([0.0, 1.0])),
     raises(RuntimeError, "nll_loss", "target")),
    ("NLLLoss(1 label for 2 rows)", lambda m: m.nn.NLLLoss()(_x(m), m.tensor([0])),
     raises(ValueError, "nll_loss", "target")),
    ("NLLLoss(int64 input)", lambda m: m.nn.NLLLoss()(m.ones(2, 3, dtype=m.int64), m.tensor([0, 1])),
     raises(NotImplementedError, "nll_loss", "input")),
    ("BCELoss(input 1.5)", lambda m: m.nn.BCELoss()(m.full((2,), 1.5), m.full((2,), 0.5)),
     raises(RuntimeError, "binary_cross_entropy", "input")),
    ("BCELoss(input -0.5)", lambda m: m.nn.BCELoss()(m.full((2,), -0.5), m.full((2,), 0.5)),
     raises(RuntimeError, "binary_cross_entropy", "input")),
    ("BCELoss(target 2.0)", lambda m: m.nn.BCELoss()(m.full((2,), 0.5), m.full((2,), 2.0)),
     raises(RuntimeError, "binary_cross_entropy", "target")),
    ("BCELoss(int64 target)", lambda m: m.nn.BCELoss()(m.full((2,), 0.5), m.tensor([1, 0])),
     raises(RuntimeError, "binary_cross_entropy", "target")),
    ("BCELoss(float64 target)",
     lambda m: m.nn.BCELoss()(m.full((2,), 0.5), m.zeros(2, dtype=m.float64)),
     raises(RuntimeError, "binary_cross_entropy", "target")),
    ("BCELoss(weight of 3)", lambda m: m.nn.BCELoss(weight=m.ones(3))(m.full((2,), 0.5),
                                                                      m.full((2,), 0.5)),
     raises(RuntimeError, "binary_cross_entropy", "weight")),
    ("BCEWithLogitsLoss(int64 target)",
     lambda m: m.nn.BCEWithLogitsLoss()(m.ones(2), m.tensor([1, 0])),
     raises(RuntimeError, "binary_cross_entropy_with_logits", "target")),
    ("BCEWithLogitsLoss(pos_weight of 3)",
     lambda m: m.nn.BCEWithLogitsLoss(pos_weight=m.ones(3))(m.ones(2), m.ones(2)),
     raises(RuntimeError, "binary_cross_entropy_with_logits", "weight")),
    ("BCEWithLogitsLoss((2, 1), (2,))", lambda m: m.nn.BCEWithLogitsLoss()(m.ones(2, 1), m.ones(2)),
     raises(ValueError, "binary_cross_entropy_with_logits", "target")),
    ("KLDivLoss(reduction='mean')", lambda m: m.nn.KLDivLoss()(_x(m), _x(m)).item(),
     returns(-1.0)),
]


# --- optimizers and schedulers -------------------------------------------------------

OPTIMIZERS = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta"]
BAD_PARAMS = [
    ("model.parameters (not called)", lambda m: m.nn.Linear(2, 1).parameters, TypeError, "params"),
    ("[]", lambda m: [], ValueError, ("params", "parameter")),
    ("a single tensor", lambda m: m.nn.Parameter(m.ones(2)), TypeError, "params"),
    ("None", lambda m: None, TypeError, "params"),
    ("['a']", lambda m: ["a"], TypeError, "params"),
    ("a non-leaf", lambda m: [m.ones(2, requires_grad=True) * 2], ValueError, "leaf"),
]
OPTIM = [(f"{opt}(params={shown})",
          (lambda opt, p: lambda m: getattr(m.optim, opt)(p(m), lr=0.1))(opt, params),
          raises(error, opt, name))
         for opt in OPTIMIZERS for shown, params, error, name in BAD_PARAMS]
BAD_HYPER = {                       # argument: [(shown, value, PyTorch's error)]
    "lr": [("-1", -1, ValueError), ("'0.1'", "0.1", TypeError), ("None", None, TypeError)],
    "weight_decay": [("-1", -1, ValueError)],
    "eps": [("-1", -1, ValueError)],
    "momentum": [("-1", -1, ValueError), ("'0.9'", "0.9", TypeError)],
    "betas": [("(0.9,)", (0.9,), IndexError), ("(1.0, 0.999)", (1.0, 0.999), ValueError),
              ("(0.9, -0.1)", (0.9, -0.1), ValueError), ("0.9", 0.9, TypeError),
              ("('a', 0.9)", ("a", 0.9), TypeError)],
    "alpha": [("-1", -1, ValueError)],
    "rho": [("1.5", 1.5, ValueError)],
    "lr_decay": [("-1", -1, ValueError)],
    "initial_accumulator_value": [("-1", -1, ValueError)],
}
TAKES = {"SGD": ("lr", "weight_decay", "momentum"),
         "Adam": ("lr", "weight_decay", "eps", "betas"),
         "AdamW": ("lr", "weight_decay", "eps", "betas"),
         "RMSprop": ("lr", "weight_decay", "eps", "momentum", "alpha"),
         "Adagrad": ("lr", "weight_decay", "eps", "lr_decay", "initial_accumulator_value"),
         "Adadelta": ("lr", "weight_decay", "eps", "rho")}
WORDS = {"lr": ("lr", "learning rate"), "eps": ("eps", "epsilon")}
OPTIM += [(f"{opt}({arg}={shown})",
           (lambda opt, kw: lambda m: getattr(m.optim, opt)([m.nn.Parameter(m.ones(2))], **kw))(
               opt, {arg: value}),
           raises(error, opt, WORDS.get(arg, arg)))
          for opt in OPTIMIZERS for arg in TAKES[opt] for shown, value, error in BAD_HYPER[arg]
          if not (opt == "RMSprop" and arg == "momentum" and shown == "'0.9'")]
OPTIM += [
    ("SGD(nesterov=True) without momentum",
     lambda m: m.optim.SGD([m.nn.Parameter(m.ones(2))], lr=0.1, nesterov=True),
     raises(ValueError, "SGD", "momentum")),
    ("SGD(nesterov=True, dampening=0.1)",
     lambda m: m.optim.SGD([m.nn.Parameter(m.ones(2))], lr=0.1, momentum=0.9, dampening=0.1,
                           nesterov=True), raises(ValueError, "SGD", "dampening")),
    ("SGD(params) without lr", lambda m: m.optim.SGD([m.nn.Parameter(m.ones(2))]).defaults["lr"],
     returns(0.001)),
    ("SGD(params twice in two groups)",
     lambda m: (lambda p: m.optim.SGD([{"params": p}, {"params": p}], lr=0.1))(
         [m.nn.Parameter(m.ones(2))]), raises(ValueError, "SGD", "parameter group")),
    ("SGD(group without params)", lambda m: m.optim.SGD([{"lr": 0.1}], lr=0.1),
     raises(KeyError, "SGD", "params")),
    ("SGD(group with lr=-1)",
     lambda m: m.optim.SGD([{"params": [m.nn.Parameter(m.ones(2))], "lr": -1}], lr=0.1),
     raises(ValueError, "SGD", "lr", deviation="tinyflow checks each group's own "
            "hyper-parameters as it checks the defaults; PyTorch checks the defaults only",
            torch="accepts")),
    ("SGD({'w': p})", lambda m: m.optim.SGD({"w": m.nn.Parameter(m.ones(2))}, lr=0.1),
     raises(TypeError, "SGD", "str")),
    ("SGD([[p]])", lambda m: m.optim.SGD([[m.nn.Parameter(m.ones(2))]], lr=0.1),
     raises(TypeError, "SGD", "list")),
    ("SGD(lr=tensor(0.1))",
     lambda m: float(m.optim.SGD([m.nn.Parameter(m.ones(2))], lr=m.tensor(0.1)).defaults["lr"]),
     returns(0.10000000149011612)),
    ("Adam(betas=(0.9, 0.99, 0.9))",
     lambda m: m.optim.Adam([m.nn.Parameter(m.ones(2))], betas=(0.9, 0.99, 0.9)).defaults["betas"],
     returns(("tuple", [0.9, 0.99, 0.9]))),
    ("opt.add_param_group('x')", lambda m: _sgd(m).add_param_group("x"),
     raises(TypeError, "SGD", "param_group")),
    ("opt.add_param_group([p])", lambda m: _sgd(m).add_param_group([m.nn.Parameter(m.ones(1))]),
     raises(TypeError, "SGD", "param_group")),
    ("opt.add_param_group(same params)",
     lambda m: (lambda o: o.add_param_group({"params": o.param_groups[0]["params"]}))(_sgd(m)),
     raises(ValueError, "SGD", "parameter group")),
    ("opt.load_state_dict('x')", lambda m: _sgd(m).load_state_dict("x"),
     raises(TypeError, "load_state_dict", "state_dict", deviation="PyTorch fails in "
            "state_dict.copy() (AttributeError); tinyflow says the argument must be a dict, "
            "and hints at tinyflow.load for a path", torch=AttributeError)),
    ("opt.load_state_dict(no groups)",
     lambda m: _sgd(m).load_state_dict({"state": {}, "param_groups": []}),
     raises(ValueError, "state dict", "parameter group")),
    ("opt.step('x')", lambda m: _sgd(m).step("x"), raises(TypeError, "str", "callable")),
]

SCHEDULERS = [
    ("StepLR('opt', 1)", lambda m: m.optim.lr_scheduler.StepLR("opt", 1),
     raises(TypeError, "StepLR", "optimizer")),
    ("StepLR(model, 1)", lambda m: m.optim.lr_scheduler.StepLR(m.nn.Linear(2, 1), 1),
     raises(TypeError, "StepLR", "optimizer")),
    ("ExponentialLR(None, 0.9)", lambda m: m.optim.lr_scheduler.ExponentialLR(None, gamma=0.9),
     raises(TypeError, "ExponentialLR", "optimizer")),
    ("ReduceLROnPlateau('opt')", lambda m: m.optim.lr_scheduler.ReduceLROnPlateau("opt"),
     raises(TypeError, "ReduceLROnPlateau", "optimizer")),
    ("StepLR(step_size=0)", lambda m: m.optim.lr_scheduler.StepLR(_sgd(m), step_size=0).step_size,
     raises(ValueError, "StepLR", "step_size", deviation="PyTorch takes step_size=0 and fails "
            "at the first step (ZeroDivisionError); tinyflow refuses it where it is given",
            torch="accepts")),
    ("StepLR(step_size=1.5)",
     lambda m: m.optim.lr_scheduler.StepLR(_sgd(m), step_size=1.5).step_size,
     raises(TypeError, "StepLR", "step_size", deviation="PyTorch takes a fractional step_size "
            "(and decays at the epochs that are its multiples); tinyflow wants a count",
            torch="accepts")),
    ("StepLR(step_size='1')", lambda m: m.optim.lr_scheduler.StepLR(_sgd(m), step_size="1"),
     raises(TypeError, "StepLR", "step_size", deviation="PyTorch takes a string step_size and "
            "fails at the first step (TypeError); tinyflow refuses it where it is given",
            torch="accepts")),
    ("StepLR(gamma='x')", lambda m: m.optim.lr_scheduler.StepLR(_sgd(m), 1, gamma="x"),
     raises(TypeError, "StepLR", "gamma", deviation="PyTorch fails at the first step; tinyflow "
            "where gamma is given", torch="accepts")),
    ("ExponentialLR(gamma='x')", lambda m: m.optim.lr_scheduler.ExponentialLR(_sgd(m), gamma="x"),
     raises(TypeError, "ExponentialLR", "gamma", deviation="PyTorch fails at the first step; "
            "tinyflow where gamma is given", torch="accepts")),
    ("MultiStepLR(milestones=3)", lambda m: m.optim.lr_scheduler.MultiStepLR(_sgd(m), milestones=3),
     raises(TypeError, "MultiStepLR", "milestones")),
    ("MultiStepLR(milestones=[3, 1])",
     lambda m: sorted(m.optim.lr_scheduler.MultiStepLR(_sgd(m), milestones=[3, 1]).milestones),
     returns(("list", [1, 3]))),
    ("LambdaLR(lr_lambda=5)", lambda m: m.optim.lr_scheduler.LambdaLR(_sgd(m), lr_lambda=5),
     raises(TypeError, "LambdaLR", "lr_lambda")),
    ("LambdaLR(2 lambdas for 1 group)",
     lambda m: m.optim.lr_scheduler.LambdaLR(_sgd(m), lr_lambda=[lambda e: 1, lambda e: 1]),
     raises(ValueError, "LambdaLR", "lr_lambda")),
    ("CosineAnnealingLR(T_max=0)",
     lambda m: m.optim.lr_scheduler.CosineAnnealingLR(_sgd(m), T_max=0).T_max,
     raises(ValueError, "CosineAnnealingLR", "T_max", deviation="PyTorch takes T_max=0 and "
            "fails at the first step (ZeroDivisionError); tinyflow refuses it where it is "
            "given", torch="accepts")),
    ("CosineAnnealingLR(T_max='a')",
     lambda m: m.optim.lr_scheduler.CosineAnnealingLR(_sgd(m), T_max="a"),
     raises(TypeError, "CosineAnnealingLR", "T_max", deviation="PyTorch fails at the first "
            "step; tinyflow where T_max is given", torch="accepts")),
    ("ReduceLROnPlateau(mode='bad')",
     lambda m: m.optim.lr_scheduler.ReduceLROnPlateau(_sgd(m), mode="bad"),
     raises(ValueError, "ReduceLROnPlateau", "mode")),
    ("ReduceLROnPlateau(factor=1.5)",
     lambda m: m.optim.lr_scheduler.ReduceLROnPlateau(_sgd(m), factor=1.5),
     raises(ValueError, "ReduceLROnPlateau", "factor")),
    ("ReduceLROnPlateau(factor='a')",
     lambda m: m.optim.lr_scheduler.ReduceLROnPlateau(_sgd(m), factor="a"),
     raises(TypeError, "ReduceLROnPlateau", "factor")),
    ("ReduceLROnPlateau(threshold_mode='x')",
     lambda m: m.optim.lr_scheduler.ReduceLROnPlateau(_sgd(m), threshold_mode="x"),
     raises(ValueError, "ReduceLROnPlateau", "threshold mode")),
    ("ReduceLROnPlateau(min_lr=[0, 0]) for 1 group",
     lambda m: m.optim.lr_scheduler.ReduceLROnPlateau(_sgd(m), min_lr=[0, 0]),
     raises(ValueError, "ReduceLROnPlateau", "min_lr")),
    ("ReduceLROnPlateau.step('x')", lambda m: m.optim.lr_scheduler.ReduceLROnPlateau(_sgd(m)).step("x"),
     raises(ValueError, "step", "metrics")),
    ("ReduceLROnPlateau.step()", lambda m: m.optim.lr_scheduler.ReduceLROnPlateau(_sgd(m)).step(),
     raises(TypeError, "step", "metrics")),
    ("StepLR(last_epoch=3) without initial_lr",
     lambda m: m.optim.lr_scheduler.StepLR(_sgd(m), 1, last_epoch=3),
     raises(KeyError, "initial_lr", "last_epoch")),
]

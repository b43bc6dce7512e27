# compare: exact
# The everyday surface of tensors that tutorials print: devices and .to(device), dtypes and
# their conversions (.float(), .long(), .type(torch.FloatTensor)), sizes, f-string formatting
# of losses, torch.normal, and what the default dtypes are.
import numpy as np
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("Using device:", device)

torch.manual_seed(0)
x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).to(device)
ints = torch.tensor([1, 2, 3], device=device)
flags = torch.tensor([True, False])
d = torch.zeros(2, 2, dtype=torch.float64, device=device)

print(x.size(), x.shape, x.size(0), x.size()[1], x.dim(), x.ndim, x.numel())
print(x.dtype, ints.dtype, flags.dtype, d.dtype)

loss = ((x - 2.5) ** 2).mean()
line1 = f"loss: {loss.item():.4f}"
line2 = f"loss: {loss:.4f}"
line3 = "loss {:.3f}".format(loss)
line4 = "%.2f" % loss
print(line1, line2, line3, line4)

half = x.half()
as_float = ints.type(torch.FloatTensor)
as_long = x.long()
as_double = x.double()
back = as_double.to(torch.float32)
same = x.to(device)
moved = x.to(device, torch.float64)
from_np = torch.from_numpy(np.arange(4, dtype=np.int32))

samples = torch.normal(mean=0.0, std=1.0, size=(1000, 3))
shifted = torch.normal(torch.full((500,), 5.0), torch.full((500,), 0.1))
ranged = torch.rand(200, 2) * 4 - 2
randi = torch.randint(0, 10, (50,))

print("x on", x.device, "is_cuda", x.is_cuda, "ints type", ints.type())

RESULTS = {
    "device": str(device),
    "device_type": device.type,
    "x_device": str(x.device),
    "is_cuda": x.is_cuda,
    "cuda_available": torch.cuda.is_available(),
    "size": list(x.size()),
    "size_type_is_tuple": isinstance(x.size(), tuple),
    "size0": x.size(0),
    "size_neg": x.size(-1),
    "shape_eq_size": x.shape == x.size(),
    "dim": x.dim(),
    "ndim": x.ndim,
    "numel": x.numel(),
    "len": len(x),
    "dtypes": [str(t.dtype) for t in (x, ints, flags, d, half, as_float, as_long, as_double,
                                      back, moved, from_np, samples, randi)],
    "type_strings": [x.type(), ints.type(), d.type(), as_float.type()],
    "default_dtype": str(torch.get_default_dtype()),
    "float_is_float32": torch.float == torch.float32,
    "long_is_int64": torch.long == torch.int64,
    "dtype_is_floating": [x.is_floating_point(), ints.is_floating_point(), torch.float64.is_floating_point],
    "line1": line1,
    "line2": line2,
    "line3": line3,
    "line4": line4,
    "item_type": type(loss.item()).__name__,
    "int_item_type": type(ints.sum().item()).__name__,
    "bool_item_type": type(flags[0].item()).__name__,
    "tolist": x.tolist(),
    "ints_tolist_type": type(ints.tolist()[0]).__name__,
    "same_object": same is x,
    "as_long": as_long.tolist(),
    "normal_shape": list(samples.shape),
    "normal_mean_ok": abs(samples.mean().item()) < 0.15,
    "normal_std_ok": abs(samples.std().item() - 1) < 0.15,
    "shifted_mean_ok": abs(shifted.mean().item() - 5.0) < 0.05,
    "ranged_ok": bool(ranged.min() >= -2) and bool(ranged.max() < 2),
    "randint_ok": bool((randi >= 0).all()) and bool((randi < 10).all()),
    "is_tensor": torch.is_tensor(x),
    "repr_x": repr(x),
    "repr_ints": repr(ints),
    "repr_d": repr(d),
    "repr_loss": repr(loss),
    "repr_scalar": repr(torch.tensor(3.5)),
    "str_dtype": str(torch.float32),
    "repr_device": repr(device),
}

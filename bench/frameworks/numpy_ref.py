"""Hand-written numpy: the forward and the backward spelled out, updates in place."""
import numpy as np

from workloads import CHAIN_LENGTH, TANH_EVERY

NAME = "numpy (hand-written)"


def setup(threads):
    pass


def w1(x0):
    def run():
        x, tanhs = x0, []
        for i in range(CHAIN_LENGTH):
            x = x * 1.0001 + 0.001
            if i % TANH_EVERY == TANH_EVERY - 1:
                x = np.tanh(x)
                tanhs.append(x)
        total = x.sum()
        g = np.ones_like(x)
        for i in reversed(range(CHAIN_LENGTH)):
            if i % TANH_EVERY == TANH_EVERY - 1:
                t = tanhs.pop()
                g = g * (1 - t * t)
            g = g * 1.0001
        return total, g
    return run


def mlp(params, x, y, lr):
    params = [p.copy() for p in params]
    layers = list(zip(params[0::2], params[1::2]))
    rows = np.arange(len(x))

    def step():
        hs = [x]
        for W, b in layers[:-1]:
            hs.append(np.maximum(hs[-1] @ W + b, 0))
        W, b = layers[-1]
        z = hs[-1] @ W + b
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.log(s[:, 0]) - z[rows, y])
        g = e / s                      # d loss / d logits = (softmax - onehot) / n
        g[rows, y] -= 1
        g /= len(x)
        for i in reversed(range(len(layers))):
            W, b = layers[i]
            gW, gb = hs[i].T @ g, g.sum(axis=0)
            if i:
                g = (g @ W.T) * (hs[i] > 0)
            W -= lr * gW
            b -= lr * gb
        return loss

    return step, lambda: [p.copy() for p in params]


# --- W4: the CNN, by hand --------------------------------------------------------------
# Activations are (N, H, W, C) inside: the layout in which im2col's matrix product needs
# no transpose. Convolutions are 3x3 with padding 1, pooling 2x2 with stride 2.

def _im2col(h):
    """(N, H, W, C) -> the (N*H*W, 3*3*C) matrix of every 3x3 window, one row per pixel."""
    n, rows, cols, c = h.shape
    hp = np.pad(h, ((0, 0), (1, 1), (1, 1), (0, 0)))
    out = np.empty((n, rows, cols, 3, 3, c), h.dtype)
    for i in range(3):                      # a loop over the kernel's offsets, not the pixels
        for j in range(3):
            out[:, :, :, i, j] = hp[:, i:i + rows, j:j + cols]
    return out.reshape(n * rows * cols, 9 * c)


def _col2im(m, shape):
    """im2col's adjoint: each window's row of m added back where it came from."""
    n, rows, cols, c = shape
    m = m.reshape(n, rows, cols, 3, 3, c)
    hp = np.zeros((n, rows + 2, cols + 2, c), m.dtype)
    for i in range(3):
        for j in range(3):
            hp[:, i:i + rows, j:j + cols] += m[:, :, :, i, j]
    return hp[:, 1:-1, 1:-1]


def _pool(a):
    """2x2 max pooling, and per window offset the mask of the windows whose (first) maximum
    is there: where the gradient goes back."""
    quads = [a[:, i::2, j::2] for i in (0, 1) for j in (0, 1)]
    out = np.maximum(np.maximum(quads[0], quads[1]), np.maximum(quads[2], quads[3]))
    free, masks = np.ones(out.shape, bool), []
    for q in quads:
        hit = (q == out) & free
        free &= ~hit
        masks.append(hit)
    return out, masks


def _unpool(g, masks, shape):
    out = np.empty(shape, g.dtype)
    for (i, j), hit in zip(((0, 0), (0, 1), (1, 0), (1, 1)), masks):
        out[:, i::2, j::2] = g * hit
    return out


def _kernel_matrix(K):
    """(O, C, 3, 3) -> (3*3*C, O): the kernel in im2col's column order."""
    return K.transpose(2, 3, 1, 0).reshape(-1, K.shape[0])


def _kernel_grad(m, K):
    """A (3*3*C, O) gradient back in the kernel's shape (O, C, 3, 3)."""
    o, c, kh, kw = K.shape
    return m.reshape(kh, kw, c, o).transpose(3, 2, 0, 1)


def cnn(params, x, y, lr):
    params = [p.copy() for p in params]
    K1, b1, K2, b2, W, b = params
    x = np.ascontiguousarray(x.transpose(0, 2, 3, 1))          # (N, H, W, C)
    rows = np.arange(len(x))

    def conv(h, K, bias):                   # (N, H, W, C) -> (N, H, W, O), and the columns
        cols = _im2col(h)
        return (cols @ _kernel_matrix(K) + bias).reshape(h.shape[:3] + (K.shape[0],)), cols

    def step():
        z1, cols1 = conv(x, K1, b1)
        p1, masks1 = _pool(np.maximum(z1, 0))
        z2, cols2 = conv(p1, K2, b2)
        p2, masks2 = _pool(np.maximum(z2, 0))
        feats = p2.transpose(0, 3, 1, 2).reshape(len(x), -1)   # PyTorch's order: (C, H, W)
        z = feats @ W + b
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.log(s[:, 0]) - z[rows, y])
        g = e / s                           # d loss / d logits = (softmax - onehot) / n
        g[rows, y] -= 1
        g /= len(x)
        gW, gb = feats.T @ g, g.sum(axis=0)
        n, ph, pw, c = p2.shape
        gp2 = (g @ W.T).reshape(n, c, ph, pw).transpose(0, 2, 3, 1)
        gz2 = (_unpool(gp2, masks2, z2.shape) * (z2 > 0)).reshape(-1, K2.shape[0])
        gK2, gb2 = _kernel_grad(cols2.T @ gz2, K2), gz2.sum(axis=0)
        gp1 = _col2im(gz2 @ _kernel_matrix(K2).T, p1.shape)
        gz1 = (_unpool(gp1, masks1, z1.shape) * (z1 > 0)).reshape(-1, K1.shape[0])
        gK1, gb1 = _kernel_grad(cols1.T @ gz1, K1), gz1.sum(axis=0)
        for p, gp in zip(params, (gK1, gb1, gK2, gb2, gW, gb)):
            p -= lr * gp
        return loss

    return step, lambda: [p.copy() for p in params]

# compare: exact float64
# A DCGAN in miniature, as in the PyTorch DCGAN tutorial: a generator of ConvTranspose2d,
# BatchNorm2d, ReLU and Tanh turning noise into 16x16 images, a discriminator of Conv2d,
# LeakyReLU, BatchNorm2d and Sigmoid, weights_init applied with model.apply, BCELoss, two
# Adam optimizers (betas=(0.5, 0.999)) and a few alternating D and G steps.
# The "real" images are synthetic (a bright square on a dark ground); weights and noise
# come from numpy and everything runs in float64, so both runs compute the same.
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(31)
nz, ngf, ndf, nc = 8, 8, 8, 1           # noise size, feature maps of G and D, channels
batch_size = 6
real_label, fake_label = 1.0, 0.0


def real_batch(n):
    images = np.full((n, nc, 16, 16), -1.0)
    for img in images:
        r, c = rng.integers(0, 10, 2)
        img[:, r:r + 6, c:c + 6] = 1.0
    return torch.from_numpy(images + rng.normal(0, 0.05, images.shape))


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False),     # 16 x 4 x 4
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),    # 8 x 8 x 8
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),         # 1 x 16 x 16
            nn.Tanh(),
        )

    def forward(self, input):
        return self.main(input)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),                  # 8 x 8 x 8
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),             # 16 x 4 x 4
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),               # 1 x 1 x 1
            nn.Sigmoid(),
        )

    def forward(self, input):
        return self.main(input)


def weights_init(m):
    """The tutorial's initialization (N(0, 0.02) convolutions, N(1, 0.02) BatchNorm scales),
    drawn with numpy."""
    classname = m.__class__.__name__
    with torch.no_grad():
        if classname.find("Conv") != -1:
            m.weight.copy_(torch.from_numpy(rng.normal(0.0, 0.02, tuple(m.weight.shape))))
        elif classname.find("BatchNorm") != -1:
            m.weight.copy_(torch.from_numpy(rng.normal(1.0, 0.02, tuple(m.weight.shape))))
            nn.init.constant_(m.bias, 0)


netG = Generator().double()
netG.apply(weights_init)
netD = Discriminator().double()
netD.apply(weights_init)
print(netG)

criterion = nn.BCELoss()
fixed_noise = torch.from_numpy(rng.normal(0, 1, (4, nz, 1, 1)))
optimizerD = torch.optim.Adam(netD.parameters(), lr=0.002, betas=(0.5, 0.999))
optimizerG = torch.optim.Adam(netG.parameters(), lr=0.002, betas=(0.5, 0.999))

G_losses, D_losses, D_x_hist, D_G_z_hist = [], [], [], []
for i in range(8):
    # (1) update D: maximize log(D(x)) + log(1 - D(G(z)))
    netD.zero_grad()
    real = real_batch(batch_size)
    label = torch.full((batch_size,), real_label, dtype=torch.float64)
    output = netD(real).view(-1)
    errD_real = criterion(output, label)
    errD_real.backward()
    D_x = output.mean().item()

    noise = torch.from_numpy(rng.normal(0, 1, (batch_size, nz, 1, 1)))
    fake = netG(noise)
    label.fill_(fake_label)
    output = netD(fake.detach()).view(-1)
    errD_fake = criterion(output, label)
    errD_fake.backward()
    D_G_z1 = output.mean().item()
    errD = errD_real + errD_fake
    optimizerD.step()

    # (2) update G: maximize log(D(G(z)))
    netG.zero_grad()
    label.fill_(real_label)          # fake labels are real for the generator's loss
    output = netD(fake).view(-1)
    errG = criterion(output, label)
    errG.backward()
    D_G_z2 = output.mean().item()
    optimizerG.step()

    print(f"[{i}] Loss_D: {errD.item():.4f} Loss_G: {errG.item():.4f} "
          f"D(x): {D_x:.4f} D(G(z)): {D_G_z1:.4f} / {D_G_z2:.4f}")
    G_losses.append(errG.item())
    D_losses.append(errD.item())
    D_x_hist.append(D_x)
    D_G_z_hist.append([D_G_z1, D_G_z2])

netG.eval()
netD.eval()
with torch.no_grad():
    samples = netG(fixed_noise).detach()
    verdict = netD(samples)
netG.train()
netD.train()

RESULTS = {
    "fake_shape": list(fake.shape),
    "d_output_shape": list(verdict.shape),
    "verdict_on_samples": verdict.view(-1).tolist(),
    "G_params": sum(p.numel() for p in netG.parameters()),
    "D_params": sum(p.numel() for p in netD.parameters()),
    "G_state_keys": list(netG.state_dict().keys()),
    "G_losses": G_losses,
    "D_losses": D_losses,
    "D_x": D_x_hist,
    "D_G_z": D_G_z_hist,
    "G_first_weight_grad_sum": netG.main[0].weight.grad.sum().item(),
    "D_bn_running_mean": netD.main[3].running_mean.tolist(),
    "G_bn_running_var": netG.main[1].running_var.tolist(),
    "samples_range": [samples.min().item(), samples.max().item()],
    "sample_row": samples[0, 0, 7].tolist(),
    "G_repr": repr(netG),
    "D_repr": repr(netD),
}

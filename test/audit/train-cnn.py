#!/usr/bin/env python3
"""Trains the acceptance test's small CNN with PyTorch and exports it as TorchScript and ONNX, with PyTorch's
output and gradient of its `features` block on the first 4 images (OUT_PREFIX-features.npy, -features-grad.npy).
    /usr/bin/python3 train-cnn.py IMAGES.npy LABELS.npy STEPS LR OUT_PREFIX
IMAGES [N, 1, S, S] float32 (already the model's input), LABELS [N] float32 0/1. Seeded; full-batch Adam."""
import sys
from collections import OrderedDict
import numpy as np
import torch

images, labels, steps, lr, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
torch.manual_seed(0)
torch.set_num_threads(1)
x = torch.from_numpy(np.load(images))
y = torch.from_numpy(np.load(labels))
# Named parts, as torchvision's models have: the audit's Grad-CAM reads --cam-layer features.
net = torch.nn.Sequential(OrderedDict(
    features=torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, stride=2, padding=1), torch.nn.ReLU(),
        torch.nn.Conv2d(8, 16, 3, stride=2, padding=1), torch.nn.ReLU()),
    head=torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(16, 1))))
opt = torch.optim.Adam(net.parameters(), lr=lr)
for _ in range(steps):
    opt.zero_grad()
    loss = torch.nn.functional.binary_cross_entropy_with_logits(net(x)[:, 0], y)
    loss.backward()
    opt.step()
net.eval()
with torch.no_grad():
    p = torch.sigmoid(net(x)[:, 0])
# PyTorch's own layer output and gradient, the reference for the addon's capture (Grad-CAM): net.features on the
# first 4 images, and d logit / d that output.
a = net.features(x[:4]).detach().requires_grad_(True)
net.head(a)[:, 0].sum().backward()
np.save(out + '-features.npy', a.detach().numpy())
np.save(out + '-features-grad.npy', a.grad.numpy())
example = torch.zeros(1, 1, x.shape[2], x.shape[3])
torch.jit.trace(net, example).save(out + '.pt')
torch.onnx.export(net, example, out + '.onnx', opset_version=13, input_names=['input'], output_names=['logit'],
                  dynamic_axes={'input': {0: 'N'}, 'logit': {0: 'N'}})
print(f'{loss.item():.4f} {p.min().item():.4f} {p.max().item():.4f}')

#!/usr/bin/env python3
"""Reference fixtures from PyTorch for the audit tests (run with the Debian python3-torch):
    /usr/bin/python3 scripts/make-onnx-fixtures.py
Writes test/fixtures/onnx/torch-tiny.onnx (a small seeded CNN exported with torch.onnx.export) and
test/fixtures/onnx/torch-reference.json: torchvision-style resizing (bilinear, antialias) of formula images and
the exported model's probabilities on them after Resize + 3 channels + ImageNet Normalize."""
import json, os
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'onnx')
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
SIZE = 32

def image(w, h, k):
    # Same formula as the test: exact in float32.
    return torch.tensor([[((x * 7 + y * 13 + k) % 17) / 16 for x in range(w)] for y in range(h)], dtype=torch.float32)

def resize(img, size):
    return F.interpolate(img[None, None], size=(size, size), mode='bilinear', align_corners=False, antialias=True)[0, 0]

torch.manual_seed(0)
net = torch.nn.Sequential(
    torch.nn.Conv2d(3, 4, 3, stride=2, padding=1), torch.nn.ReLU(),
    torch.nn.Conv2d(4, 8, 3, stride=2, padding=1), torch.nn.ReLU(),
    torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(8, 2)).eval()
os.makedirs(OUT, exist_ok=True)
torch.onnx.export(net, torch.zeros(1, 3, SIZE, SIZE), os.path.join(OUT, 'torch-tiny.onnx'), opset_version=13,
                  input_names=['input'], output_names=['logits'], dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}})

cases = []
for (w, h, k) in [(37, 23, 0), (9, 7, 3), (64, 64, 5), (50, 80, 2)]:
    r = resize(image(w, h, k), SIZE)
    x = (r[None].repeat(3, 1, 1) - torch.tensor(MEAN)[:, None, None]) / torch.tensor(STD)[:, None, None]
    with torch.no_grad():
        logits = net(x[None])[0]
    cases.append({'width': w, 'height': h, 'k': k, 'resized': [round(v, 7) for v in r.flatten().tolist()],
                  'softmax1': torch.softmax(logits, 0)[1].item(), 'logits': logits.tolist()})
with open(os.path.join(OUT, 'torch-reference.json'), 'w') as f:
    json.dump({'torch': torch.__version__, 'size': SIZE, 'mean': MEAN, 'std': STD, 'cases': cases}, f)
print('wrote', OUT)

# Centre crop: torchvision Resize(R) (shorter side) + CenterCrop(S), R = round(S / fraction), as the presets do.
import torchvision.transforms.functional as TF
crops = []
for (w, h, k, size, fraction) in [(37, 23, 1, 16, 0.875), (23, 40, 4, 16, 1.0), (50, 31, 6, 24, 0.875), (40, 40, 2, 12, 0.7)]:
    img = image(w, h, k)[None]
    r = TF.resize(img, round(size / fraction), interpolation=TF.InterpolationMode.BILINEAR, antialias=True)
    c = TF.center_crop(r, [size, size])[0]
    crops.append({'width': w, 'height': h, 'k': k, 'size': size, 'fraction': fraction,
                  'cropped': [round(v, 7) for v in c.flatten().tolist()]})
with open(os.path.join(OUT, 'crop-reference.json'), 'w') as f:
    json.dump({'torch': torch.__version__, 'cases': crops}, f)

"""Train the plate recognizer (small CNN + CTC) and export it to ONNX.

    python training/plates/train_recognizer.py --minutes 30 --out src/dearjohn/plates/models/plate_rec.onnx

Data: the openalpr-us-plates crops (80% by file-name hash; the other 20% held
back and only measured) mixed half and half with synthetic plates from
synth.py. Every crop is cut with detector-like box jitter (common.cut_plate).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).parent))
from common import INPUT_H, INPUT_W, cut_plate, detector_cuts, load_crops, photometric, to_input  # noqa: E402
from synth import ALPHABET, render_plate, to_array  # noqa: E402

NUM_CLASSES = len(ALPHABET) + 1  # blank = 0


def conv(cin, cout, k=3, p=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=p, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class PlateRecNet(nn.Module):
    """32x128 grey in, 32 time steps x NUM_CLASSES out."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            conv(1, 16), nn.MaxPool2d(2),  # 16x64
            conv(16, 32), nn.MaxPool2d(2),  # 8x32
            conv(32, 64), conv(64, 64), nn.MaxPool2d((2, 1)),  # 4x32
            conv(64, 128), conv(128, 128), nn.MaxPool2d((2, 1)),  # 2x32
            conv(128, 192, k=(2, 1), p=0),  # 1x32
        )
        self.seq = nn.Sequential(
            nn.Conv1d(192, 192, 3, padding=1), nn.ReLU(inplace=True), nn.Dropout(0.1),
            nn.Conv1d(192, 192, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv1d(192, NUM_CLASSES, 1),
        )

    def forward(self, x):  # (B,1,H,W) -> (B,T,C) logits
        f = self.features(x).squeeze(2)
        return self.seq(f).permute(0, 2, 1)


class Exported(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.softmax(self.net(x), dim=-1)


def encode(text):
    return [ALPHABET.index(c) + 1 for c in text if c in ALPHABET]


def greedy(logits):
    out = []
    for seq in logits.argmax(-1).tolist():
        s, prev = [], 0
        for k in seq:
            if k != prev and k != 0:
                s.append(ALPHABET[k - 1])
            prev = k
        out.append("".join(s))
    return out


class Samples(torch.utils.data.IterableDataset):
    def __init__(self, train, real_fraction, cuts=(), cut_fraction=0.0):
        self.train = train
        self.real_fraction = real_fraction
        self.cuts = list(cuts)
        self.cut_fraction = cut_fraction if self.cuts else 0.0

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        rng = random.Random((info.id if info else 0) * 7919 + int(time.time()))
        pool = []  # rendered plates are reused a few times: rendering costs more than cutting
        while True:
            if rng.random() < self.real_fraction and rng.random() < self.cut_fraction:
                img, text = rng.choice(self.cuts)
                yield torch.from_numpy(to_input(photometric(img, rng)))[None], text
                continue
            if rng.random() < self.real_fraction:
                _, img, text, _ = rng.choice(self.train)
            elif len(pool) < 200 or rng.random() < 0.25:
                pil, text = render_plate(rng)
                img = to_array(pil)
                pool.append((img, text))
                if len(pool) > 3000:
                    pool.pop(rng.randrange(len(pool)))
            else:
                img, text = rng.choice(pool)
            x = to_input(cut_plate(img, rng, strong=True))
            yield torch.from_numpy(x)[None], text


def collate(batch):
    xs = torch.stack([b[0] for b in batch])
    texts = [b[1] for b in batch]
    targets = torch.tensor([k for t in texts for k in encode(t)], dtype=torch.long)
    lengths = torch.tensor([len(encode(t)) for t in texts], dtype=torch.long)
    return xs, targets, lengths, texts


def evaluate(net, held):
    net.eval()
    rng = random.Random(0)
    res = {}
    with torch.no_grad():
        for name, strong in (("whole", False), ("jittered", True)):
            xs = torch.stack([torch.from_numpy(to_input(cut_plate(img, rng, strong=strong)))[None] for _, img, _, _ in held])
            preds = greedy(net(xs))
            res[name] = sum(p == t for p, (_, _, t, _) in zip(preds, held)) / len(held)
    net.train()
    return res


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--real-fraction", type=float, default=0.5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default="src/dearjohn/plates/models/plate_rec.onnx")
    ap.add_argument("--ckpt", default="/tmp/plate_rec.pt")
    ap.add_argument("--export-only", action="store_true", help="evaluate and export --ckpt without training")
    ap.add_argument("--detector-cuts", type=float, default=0.0,
                    help="chance that a sample is first drawn as a crop cut by the reader's own detector, times --real-fraction "
                         "(0.4 x 0.5: one sample in five; common.detector_cuts)")
    ap.add_argument("--seed", type=int, default=0, help="initial weights (train a second model for an ensemble with another seed)")
    ap.add_argument("--resume", default=None, help="start from these weights (a --ckpt file of an earlier run)")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train, held = load_crops()
    print(f"train crops {len(train)}, held back {len(held)}", flush=True)
    net = PlateRecNet()
    if args.resume:
        net.load_state_dict(torch.load(args.resume))
    print("parameters", sum(p.numel() for p in net.parameters()), flush=True)
    cuts = detector_cuts(train, seed=args.seed) if args.detector_cuts and not args.export_only else []
    if cuts:
        print(f"detector cuts {len(cuts)}", flush=True)
    loader = torch.utils.data.DataLoader(Samples(train, args.real_fraction, cuts, args.detector_cuts), batch_size=args.batch, collate_fn=collate, num_workers=1)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    budget = args.minutes * 60
    start = time.time()
    best = -1.0
    step = 0
    log = []
    if args.export_only:
        budget = -1
        net.load_state_dict(torch.load(args.ckpt))
    for xs, targets, lengths, _ in (loader if not args.export_only else []):
        elapsed = time.time() - start
        if elapsed > budget:
            break
        frac = elapsed / budget
        lr = args.lr * min(1.0, (step + 1) / (20 if args.resume else 200)) * (0.5 * (1 + np.cos(np.pi * frac)) * 0.97 + 0.03)
        for g in opt.param_groups:
            g["lr"] = lr
        logits = net(xs)
        logp = logits.log_softmax(-1).permute(1, 0, 2)
        loss = ctc(logp, targets, torch.full((xs.shape[0],), logp.shape[0], dtype=torch.long), lengths)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        opt.step()
        step += 1
        if step % 250 == 0:
            acc = evaluate(net, held)
            score = acc["whole"] + acc["jittered"]
            log.append({"step": step, "minutes": round(elapsed / 60, 1), "loss": round(loss.item(), 4), **acc})
            print(log[-1], flush=True)
            if score > best and frac > 0.5:
                best = score
                torch.save(net.state_dict(), args.ckpt)
    acc = evaluate(net, held)
    score = acc["whole"] + acc["jittered"]
    print("final", step, acc, flush=True)
    if not args.export_only and (score > best or not Path(args.ckpt).exists()):
        torch.save(net.state_dict(), args.ckpt)
    net.load_state_dict(torch.load(args.ckpt))
    acc = evaluate(net, held)
    print("kept", acc, flush=True)
    net.eval()
    torch.onnx.export(Exported(net), torch.zeros(1, 1, INPUT_H, INPUT_W), args.out, input_names=["image"],
                      output_names=["probs"], dynamic_axes={"image": {0: "batch"}, "probs": {0: "batch"}},
                      opset_version=17, dynamo=False)
    Path(args.out).with_suffix(".json").write_text(json.dumps({
        "alphabet": ALPHABET, "blank": 0, "input": [INPUT_H, INPUT_W], "held_back": acc, "steps": step,
        "log": log[-5:]}, indent=1))
    print("wrote", args.out)


if __name__ == "__main__":
    main()

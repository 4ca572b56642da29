"""PyTorch reference for `npm run bench:train` (bench/train.ts runs this; it is never a runtime dependency).

Times the same training step as the project's ONNX training graph: an MLP obs 8 -> 256 -> 256 (ReLU) with
either 4 logits + cross-entropy or a 2-D diagonal Gaussian head (state-independent log-std) + NLL; batch
256 drawn from a shuffled dataset; global-norm gradient clipping at 1.0; AdamW (lr 1e-3, weight decay 1e-4
on weight matrices only). Prints one JSON object per head on stdout.

Usage: python3 bench/train_torch.py --threads N [--steps S]
Set OPENBLAS_NUM_THREADS=N as well (the caller does): torch.set_num_threads does not reach OpenBLAS.
"""
import argparse
import json
import math
import time

import torch
from torch import nn


def make_model(head: str) -> tuple[nn.Module, list[nn.Parameter], list[nn.Parameter]]:
    out = 4 if head == "categorical" else 2
    trunk = nn.Sequential(nn.Linear(8, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, out))
    model = nn.Module()
    model.net = trunk
    if head == "gaussian":
        model.log_std = nn.Parameter(torch.zeros(2))
    decay = [p for n, p in model.named_parameters() if n.endswith("weight")]
    no_decay = [p for n, p in model.named_parameters() if not n.endswith("weight")]
    return model, decay, no_decay


def bench(head: str, steps: int, batch: int = 256, n: int = 16384) -> dict:
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    obs = torch.randn(n, 8, generator=g)
    if head == "categorical":
        act = torch.randint(0, 4, (n,), generator=g)
    else:
        act = torch.rand(n, 2, generator=g) * 2 - 1
    model, decay, no_decay = make_model(head)
    params = decay + no_decay
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 1e-4}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-3)
    half_log_2pi = 0.5 * math.log(2 * math.pi)

    def step(idx: torch.Tensor) -> float:
        x = obs[idx]
        a = act[idx]
        out = model.net(x)
        if head == "categorical":
            loss = nn.functional.cross_entropy(out, a)
        else:
            z = (a - out) * torch.exp(-model.log_std)
            loss = (0.5 * (z * z).sum(1) + model.log_std.sum() + 2 * half_log_2pi).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        return loss

    def run(k: int) -> None:
        done = 0
        while done < k:
            perm = torch.randperm(n, generator=g)
            for i in range(0, n - batch + 1, batch):
                step(perm[i : i + batch])
                done += 1
                if done >= k:
                    break

    run(50)  # warm-up
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        run(steps)
        dt = time.perf_counter() - t0
        best = max(best, steps * batch / dt)
    return {"head": head, "threads": torch.get_num_threads(), "samples_per_s": best, "steps": steps}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=300)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    for head in ("categorical", "gaussian"):
        print(json.dumps(bench(head, args.steps)), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The lesson's PyTorch loop against `gradstep train`, side by side in one run on one machine.

Both train linear regression on 200,000 rows x 10 features (float64), batch 10, one epoch, lr 0.03:
- PyTorch: the lesson's own code (data_iter, linreg, squared_loss, sgd with
  `param -= lr * param.grad / batch_size` and `grad.zero_()`, `l.sum().backward()`, the epoch's
  loss at the end), timed around the epoch loop alone: making the data and importing torch are left out.
- gradstep: `gradstep train` as a whole process (start, making the data, the 20,000 updates, the
  epoch's loss, the report, exit).
Best of 3 each. Without torch it prints gradstep's time and says that no ratio was measured.

Usage: cargo build --release && python3 benches/train_process.py [target/release/gradstep]
(PyTorch: python3 -m venv .venv && .venv/bin/pip install torch, then run it with .venv/bin/python.)"""
import random, subprocess, sys, time

N, D, BATCH, EPOCHS, LR, RUNS = 200_000, 10, 10, 1, 0.03, 3
TRUE_W = list(range(1, D + 1))
TRUE_B = 4.2

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/gradstep"
args = [binary, "train", "--samples", str(N), "--true-w", ",".join(map(str, TRUE_W)),
        "--true-b", str(TRUE_B), "--batch-size", str(BATCH), "--epochs", str(EPOCHS),
        "--lr", str(LR)]


def gradstep_once():
    t0 = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def torch_once(torch):
    # The lesson's code, as it is written there (float64 so both sides compute the same numbers).
    def synthetic_data(w, b, num_examples):
        X = torch.normal(0, 1, (num_examples, len(w)), dtype=torch.float64)
        y = torch.matmul(X, w) + b
        y += torch.normal(0, 0.01, y.shape, dtype=torch.float64)
        return X, y.reshape((-1, 1))

    def data_iter(batch_size, features, labels):
        num_examples = len(features)
        indices = list(range(num_examples))
        random.shuffle(indices)
        for i in range(0, num_examples, batch_size):
            batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
            yield features[batch_indices], labels[batch_indices]

    def linreg(X, w, b):
        return torch.matmul(X, w) + b

    def squared_loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    true_w = torch.tensor(TRUE_W, dtype=torch.float64)
    features, labels = synthetic_data(true_w, TRUE_B, N)
    w = torch.normal(0, 0.01, size=(D, 1), dtype=torch.float64, requires_grad=True)
    b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    net, loss = linreg, squared_loss

    t0 = time.perf_counter()
    for epoch in range(EPOCHS):
        for X, y in data_iter(BATCH, features, labels):
            l = loss(net(X, w, b), y)
            l.sum().backward()
            sgd([w, b], LR, BATCH)
        with torch.no_grad():
            train_l = loss(net(features, w, b), labels)
            float(train_l.mean())
    return time.perf_counter() - t0


shape = f"{N:,} rows x {D} features, batch {BATCH}, {EPOCHS} epoch, float64, best of {RUNS}"
print(f"shape: {shape}")
ours = min(gradstep_once() for _ in range(RUNS))
print(f"gradstep train, whole process:  {ours * 1e3:8.1f} ms")
try:
    import torch
except ImportError as e:
    print(f"PyTorch loop: not measured ({e}); no ratio was measured")
    sys.exit(0)
theirs = min(torch_once(torch) for _ in range(RUNS))
print(f"PyTorch {torch.__version__} loop alone:  {theirs * 1e3:8.1f} ms ({torch.get_num_threads()} threads)")
print(f"ratio: gradstep is {theirs / ours:.0f}x faster")

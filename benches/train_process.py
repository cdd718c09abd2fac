#!/usr/bin/env python3
"""Whole-process time of `gradstep train` on 200,000 rows x 10 features, batch 10, one epoch
(data generation, the divergence estimate, the 20,000 updates, the epoch loss, the report): the
comparison the lesson's PyTorch loop is measured in. Median wall and CPU time over 21 runs.
Usage: cargo build --release && python3 benches/train_process.py [target/release/gradstep]"""
import resource, statistics, subprocess, sys, time

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/gradstep"
args = [binary, "train", "--samples", "200000", "--true-w", "1,2,3,4,5,6,7,8,9,10",
        "--batch-size", "10", "--epochs", "1"]
wall, cpu = [], []
for _ in range(21):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall.append(time.perf_counter() - t0)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
print(f"wall: median {statistics.median(wall) * 1e3:.1f} ms, min {min(wall) * 1e3:.1f} ms")
print(f"cpu:  median {statistics.median(cpu) * 1e3:.1f} ms, min {min(cpu) * 1e3:.1f} ms")

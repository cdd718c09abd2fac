#!/usr/bin/env python3
"""Time from launching gradstep in a pseudo-terminal (120x40) to its first complete frame, and from
a keypress to the redrawn frame: for the lesson's 1,000 rows x 2 features, and for 1,000,000 rows x
100 features (the largest the explainer is measured at). Median, min and max.
Usage: cargo build --release && python3 benches/first_frame.py [target/release/gradstep]"""
import fcntl, os, pty, select, statistics, struct, sys, termios, time

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/gradstep"

def read_until(fd, marker, timeout=5.0):
    buf, deadline = b"", time.monotonic() + timeout
    while marker not in buf:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(marker)
        r, _, _ = select.select([fd], [], [], left)
        if r:
            buf += os.read(fd, 65536)
    return buf

def measure(extra, runs):
    launch, key = [], []
    for _ in range(runs):
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["TERM"] = "xterm-256color"
            os.execv(binary, [binary, "--lang", "en"] + extra)
        os.set_blocking(fd, True)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        t0 = time.monotonic()
        read_until(fd, b"quit", 30.0)      # the key hints are the last line drawn
        launch.append(time.monotonic() - t0)
        time.sleep(0.05)
        t1 = time.monotonic()
        os.write(fd, b"\x1b[C")            # Right arrow
        read_until(fd, b"Predict")         # the new step title (frames are drawn as diffs)
        key.append(time.monotonic() - t1)
        os.write(fd, b"q")
        os.waitpid(pid, 0)
        os.close(fd)
    return launch, key

ms = lambda xs: f"median {statistics.median(xs)*1000:.1f} ms (min {min(xs)*1000:.1f}, max {max(xs)*1000:.1f})"
big = ["--samples", "1000000", "--true-w", ",".join(["1"] * 100)]
for name, extra, runs in [("1,000 x 2 (the lesson's data)", [], 15), ("1,000,000 x 100", big, 5)]:
    launch, key = measure(extra, runs)
    print(f"{name}: launch to first frame: {ms(launch)}")
    print(f"{name}: key to redrawn frame:  {ms(key)}")

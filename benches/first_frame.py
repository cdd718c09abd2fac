#!/usr/bin/env python3
"""Time from launching gradstep in a pseudo-terminal to its first complete frame, and from a
keypress to the redrawn frame. Usage: python3 benches/first_frame.py [target/release/gradstep]"""
import os, pty, select, statistics, sys, time

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

launch, key = [], []
for _ in range(15):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(binary, [binary, "--lang", "en"])
    os.set_blocking(fd, True)
    import fcntl, struct, termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    t0 = time.monotonic()
    read_until(fd, b"quit")            # the key hints are the last line drawn
    launch.append(time.monotonic() - t0)
    time.sleep(0.05)
    t1 = time.monotonic()
    os.write(fd, b"\x1b[C")            # Right arrow
    read_until(fd, b"Predict")         # the new step title (frames are drawn as diffs)
    key.append(time.monotonic() - t1)
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    os.close(fd)

ms = lambda xs: f"median {statistics.median(xs)*1000:.1f} ms (min {min(xs)*1000:.1f}, max {max(xs)*1000:.1f})"
print(f"launch to first frame: {ms(launch)}")
print(f"key to redrawn frame:  {ms(key)}")

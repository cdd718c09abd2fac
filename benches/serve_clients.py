#!/usr/bin/env python3
"""`gradstep serve` with N real OpenSSH clients on 127.0.0.1, each `ssh` in its own
pseudo-terminal (80x24), the teacher in one too (100x30), all driven by this script.

For each of K steps the teacher presses Right; the latency of a student is the time from that
keypress being written to the teacher's terminal to the first bytes of the student's next frame
arriving at the student's terminal (median and p99 over all students and steps). The server's
resident memory (VmRSS from /proc) is read before anyone joins and once all have joined and
followed the steps: the difference over N is the memory per student.

Usage: cargo build --release && python3 benches/serve_clients.py [N] [target/release/gradstep]
Needs the OpenSSH client (`ssh`). Listens on 127.0.0.1 only, on a free port."""
import fcntl, os, pty, shutil, socket, statistics, struct, sys, tempfile, termios, threading, time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 30
BINARY = sys.argv[2] if len(sys.argv) > 2 else "target/release/gradstep"
STEPS, CODE = 20, "314159"


class Term:
    """A program in a pseudo-terminal; a thread reads everything it writes, with times."""

    def __init__(self, argv, size, env=None):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ.update(env or {})
            os.environ["TERM"] = "xterm-256color"
            os.execvp(argv[0], argv)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.text, self.arrivals, self.lock = b"", [], threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            now = time.monotonic()
            with self.lock:
                self.arrivals.append(now)
                self.text = (self.text + chunk)[-200_000:]

    def wait_for(self, marker, timeout=30.0):
        deadline = time.monotonic() + timeout
        while marker not in self.text:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{marker!r} did not appear")
            time.sleep(0.005)

    def last_arrival(self):
        with self.lock:
            return self.arrivals[-1] if self.arrivals else 0.0

    def first_after(self, t):
        with self.lock:
            return next((a for a in self.arrivals if a >= t), None)

    def send(self, data):
        os.write(self.fd, data)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def quiet(terms, for_s=0.15, timeout=10.0):
    """Waits until none of `terms` has written anything for `for_s` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if time.monotonic() - max(t.last_arrival() for t in terms) >= for_s:
            return
        time.sleep(0.02)


def main():
    if shutil.which("ssh") is None:
        sys.exit("error: the OpenSSH client `ssh` is not installed (Debian: apt-get install openssh-client)")
    home = tempfile.mkdtemp(prefix="gradstep-serve-bench-")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    teacher = Term([BINARY, "serve", "--lang", "en", "--listen", f"127.0.0.1:{port}", "--code", CODE,
                    "--host-key", os.path.join(home, "host_key"), "--max-students", str(N)],
                   (100, 30))
    teacher.wait_for(b"0 students")
    teacher.send(b"x")                     # the first key hides the banner
    quiet([teacher])
    before = rss_kib(teacher.pid)

    ssh = ["ssh", "-p", str(port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
           "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password",
           "-o", "NumberOfPasswordPrompts=1", "-o", "LogLevel=ERROR", "-t"]
    env = {"HOME": home, "LANG": "C.UTF-8"}
    students = []
    for i in range(N):
        t = Term(ssh + [f"s{i}@127.0.0.1"], (80, 24), env)
        t.wait_for(b"assword:")
        t.send(CODE.encode() + b"\r")
        students.append(t)
    for t in students:
        t.wait_for(b"following")
    quiet(students + [teacher])

    latencies = []
    for _ in range(STEPS):
        quiet(students + [teacher])
        t0 = time.monotonic()
        teacher.send(b"\x1b[C")            # Right: the next step
        deadline = t0 + 10.0
        while time.monotonic() < deadline:
            firsts = [t.first_after(t0) for t in students]
            if all(f is not None for f in firsts):
                break
            time.sleep(0.002)
        else:
            raise TimeoutError("a student's frame did not arrive within 10 s")
        latencies += [f - t0 for f in firsts]
    quiet(students + [teacher])
    after = rss_kib(teacher.pid)

    teacher.send(b"q")
    for t in students + [teacher]:
        try:
            os.waitpid(t.pid, 0)
        except ChildProcessError:
            pass
    shutil.rmtree(home, ignore_errors=True)

    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    print(f"{N} real ssh clients, {STEPS} steps ({len(latencies)} frames): teacher's key to a student's "
          f"next frame: median {statistics.median(latencies) * 1e3:.1f} ms, p99 {p99 * 1e3:.1f} ms, "
          f"max {latencies[-1] * 1e3:.1f} ms")
    print(f"server resident memory: {before / 1024:.1f} MiB alone, {after / 1024:.1f} MiB with {N} students: "
          f"{(after - before) / N:.0f} KiB per student")


main()

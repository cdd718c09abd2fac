//! The real binary in a pseudo-terminal: first frame, a step forward and back, quit, and the
//! terminal handed back (main screen, cursor shown); signals (SIGTERM, SIGHUP, Ctrl-Z and
//! SIGCONT); a long jump that a key interrupts and the keys it keeps; keys written together;
//! and a terminal that closes. Every wait is for what the screen shows, bounded, never a time.

mod scratch;

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use scratch::{Scratch, scratch_dir};

const ROWS: u16 = 24;
const COLS: u16 = 80;
const SIZE: (NonZeroU16, NonZeroU16) = (
    NonZeroU16::new(ROWS).unwrap(),
    NonZeroU16::new(COLS).unwrap(),
);
const TIMEOUT: Duration = Duration::from_secs(20);

struct Screen {
    parser: vt100::Parser,
    bytes: mpsc::Receiver<Vec<u8>>,
}

impl Screen {
    /// Feeds output until `done` holds and nothing more arrives for a short while.
    fn wait(&mut self, what: &str, done: impl Fn(&vt100::Screen) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let quiet = Duration::from_millis(150);
            match self.bytes.recv_timeout(quiet) {
                Ok(chunk) => self.parser.process(&chunk),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if done(self.parser.screen()) {
                        return self.parser.screen().contents();
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    if done(self.parser.screen()) {
                        return self.parser.screen().contents();
                    }
                    panic!(
                        "program ended while waiting for {what}:\n{}",
                        self.parser.screen().contents()
                    );
                }
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}:\n{}",
                self.parser.screen().contents()
            );
        }
    }
}

impl Screen {
    /// Feeds output until `done` holds, checked after every chunk: for a screen that keeps
    /// changing (a long jump's progress), where [`Screen::wait`] would wait for quiet.
    fn until(&mut self, what: &str, done: impl Fn(&vt100::Screen) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        while !done(self.parser.screen()) {
            match self.bytes.recv_timeout(Duration::from_millis(50)) {
                Ok(chunk) => self.parser.process(&chunk),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => panic!(
                    "program ended while waiting for {what}:\n{}",
                    self.parser.screen().contents()
                ),
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}:\n{}",
                self.parser.screen().contents()
            );
        }
        self.parser.screen().contents()
    }
}

/// A pseudo-terminal of the size every test here uses.
fn open_pty() -> portable_pty::PtyPair {
    native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty")
}

/// The processes a test started, killed (by their id) when the test ends, passing or failing:
/// a failed assertion must not leave a gradstep or a shell running.
struct Running {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    also: Vec<u32>,
    /// The program's home, removed with it: it keeps its place here, never in the user's.
    _home: Scratch,
}

impl Running {
    fn spawn(slave: &dyn portable_pty::SlavePty, mut cmd: CommandBuilder) -> Running {
        let home = scratch_dir("pty-home");
        cmd.env("HOME", &*home);
        if cmd.get_env("XDG_STATE_HOME").is_none() {
            cmd.env("XDG_STATE_HOME", home.join("state"));
        }
        let child = slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("spawn: {e}"));
        Running {
            child,
            also: Vec::new(),
            _home: home,
        }
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("a running child has a pid")
    }

    /// Waits (boundedly) for the child to exit.
    fn exit_code(&mut self, what: &str) -> u32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "gradstep did not exit after {what}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        for pid in &self.also {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `signal` (a name such as "TERM") to `pid`.
fn signal(pid: u32, signal: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal} {pid}");
}

/// gradstep with `args` in a fresh pseudo-terminal, its screen, and a writer for its keys.
fn start(args: &[&str]) -> (Running, Screen, Box<dyn Write + Send>) {
    let pair = open_pty();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gradstep"));
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    let child = Running::spawn(&*pair.slave, cmd);
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let writer = pair.master.take_writer().expect("pty writer");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _master = pair.master;
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let screen = Screen {
        parser: vt100::Parser::new(SIZE.0, SIZE.1, 0),
        bytes: rx,
    };
    (child, screen, writer)
}

fn send(writer: &mut Box<dyn Write + Send>, keys: &[u8]) {
    writer.write_all(keys).expect("send keys");
    writer.flush().expect("flush");
}

/// The one-letter state of process `pid` (R, S, T for stopped, Z), from /proc.
#[cfg(target_os = "linux")]
fn state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(") ").next()?.chars().next()
}

fn restored(s: &vt100::Screen) -> bool {
    !s.alternate_screen() && s.mouse_protocol_mode() == vt100::MouseProtocolMode::None
}

fn first_frame(s: &vt100::Screen) -> bool {
    s.alternate_screen() && s.contents().contains("quit")
}

#[test]
fn sigterm_and_sighup_restore_the_terminal_and_exit_as_shells_expect() {
    for (name, code) in [("TERM", 143), ("HUP", 129)] {
        let (mut child, mut screen, _writer) = start(&["--lang", "en"]);
        screen.wait("the first frame", first_frame);
        assert_ne!(
            screen.parser.screen().mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "clicks are reported while the explainer runs"
        );
        signal(child.pid(), name);
        assert_eq!(child.exit_code(&format!("SIG{name}")), code, "SIG{name}");
        screen.wait("the terminal to be restored", restored);
        assert!(!screen.parser.screen().hide_cursor());
    }
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_z_gives_the_terminal_back_and_sigcont_takes_it_again() {
    let (mut child, mut screen, mut keys) = start(&["--lang", "en"]);
    let first = screen.wait("the first frame", first_frame);
    send(&mut keys, b"\x1a");
    screen.wait("the terminal to be given back", restored);
    let pid = child.pid();
    let deadline = Instant::now() + TIMEOUT;
    while state(pid) != Some('T') {
        assert!(Instant::now() < deadline, "gradstep did not stop on Ctrl-Z");
        std::thread::sleep(Duration::from_millis(20));
    }
    signal(pid, "CONT");
    let again = screen.wait("the redrawn frame", |s| {
        first_frame(s) && s.mouse_protocol_mode() != vt100::MouseProtocolMode::None
    });
    assert_eq!(text(&again), text(&first));
    // Keys reach it again, one at a time (raw mode is back).
    send(&mut keys, b"\x1b[C");
    let second = screen.wait("the next step", |s| s.contents().contains("step 2/"));
    assert!(second.contains("step 2/"), "{second}");
    send(&mut keys, b"q");
    assert_eq!(child.exit_code("q"), 0);
    screen.wait("the terminal to be restored", restored);
}

/// End on a run of twenty million mini-batches of a thousand rows each computes them in slices: its
/// progress shows, Esc stops it where it got to, q or SIGTERM end the program at once, and keys
/// pressed meanwhile are kept and applied after it, in order. (Without slices the first End
/// would hold the program for minutes, deaf to every key and signal.) The jump needs minutes of
/// computing on any machine, and every wait is for what the screen shows, never for a time: the
/// test does not depend on how fast the machine is.
#[test]
fn a_long_jump_shows_its_progress_and_answers_keys_and_signals() {
    // A million rows: an epoch (`n`) takes two slices, so keys are read during it too.
    let args = [
        "--lang",
        "en",
        "--samples",
        "1000000",
        "--batch-size",
        "1000",
        "--epochs",
        "20000",
    ];
    let computing = |s: &vt100::Screen| s.contents().contains("computing batch");
    // End's own progress, told apart from n's by the batch it computes towards.
    let to_the_end = |s: &vt100::Screen| s.contents().contains(" of 19999999 ");
    let (mut child, mut screen, mut keys) = start(&args);
    screen.wait("the first frame", first_frame);
    // n, then End, in one write: End is read while n computes, and its jump starts once n
    // lands; Esc stops that one where it got to.
    send(&mut keys, b"n\x1b[F");
    screen.until("the progress line of End after n", to_the_end);
    send(&mut keys, b"\x1b");
    let stopped = screen.until("the jump to stop", |s| !computing(s));
    assert!(stopped.contains("epoch 2/20000  batch 1/1000"), "{stopped}");
    // A key pressed during a jump waits for it: here, the jump is stopped first.
    send(&mut keys, b"\x1b[F");
    screen.until("the progress line again", to_the_end);
    send(&mut keys, b"\x1b[C\x1b");
    let stepped = screen.until("the kept step", |s| {
        !computing(s) && s.contents().contains("step 2/")
    });
    assert!(stepped.contains("epoch 2/20000  batch 1/1000"), "{stepped}");
    send(&mut keys, b"\x1b[F");
    screen.until("the progress line once more", to_the_end);
    send(&mut keys, b"q");
    assert_eq!(child.exit_code("q during a jump"), 0);
    screen.wait("the terminal to be restored", restored);

    // Fewer rows, as many batches: quicker to start.
    let args = [
        "--lang",
        "en",
        "--samples",
        "100000",
        "--batch-size",
        "1000",
        "--epochs",
        "200000",
    ];
    let (mut child, mut screen, mut keys) = start(&args);
    screen.wait("the first frame", first_frame);
    send(&mut keys, b"\x1b[F");
    screen.until("the progress line", computing);
    signal(child.pid(), "TERM");
    assert_eq!(child.exit_code("SIGTERM during a jump"), 143);
    screen.wait("the terminal to be restored", restored);
}

/// The two-layer explainer's long moves are sliced like the linear one's: End on a run of six
/// million batches of a hundred rows through 16 hidden units (minutes of computing on any
/// machine) shows its progress, Esc stops it where it was, q ends the program at once, and
/// SIGTERM ends it with the terminal given back and the status shells expect.
#[test]
fn a_long_two_layer_jump_shows_its_progress_and_answers_keys_and_signals() {
    let args = [
        "--lang",
        "en",
        "--hidden",
        "16",
        "--samples",
        "100000",
        "--batch-size",
        "100",
        "--epochs",
        "6000",
    ];
    let computing = |s: &vt100::Screen| s.contents().contains("computing batch");
    let (mut child, mut screen, mut keys) = start(&args);
    screen.wait("the first frame", |s| {
        s.alternate_screen() && s.contents().contains("Two layers")
    });
    send(&mut keys, b"\x1b[F");
    screen.until("the progress line", computing);
    send(&mut keys, b"\x1b");
    let stopped = screen.until("the jump to stop", |s| !computing(s));
    assert!(stopped.contains("epoch 1/6000 · batch 1/1000"), "{stopped}");
    send(&mut keys, b"\x1b[F");
    screen.until("the progress line again", computing);
    signal(child.pid(), "TERM");
    assert_eq!(child.exit_code("SIGTERM during a two-layer jump"), 143);
    screen.wait("the terminal to be restored", restored);

    let (mut child, mut screen, mut keys) = start(&args);
    screen.wait("the first frame", |s| s.contents().contains("Two layers"));
    send(&mut keys, b"\x1b[F");
    screen.until("the progress line", computing);
    send(&mut keys, b"q");
    assert_eq!(child.exit_code("q during a two-layer jump"), 0);
    screen.wait("the terminal to be restored", restored);
}

/// An Escape and the key after it, written at once (as when the program is busy, or keys share
/// a packet), are those two keys: not Alt+q, and not Esc with the arrow's `[` read loose as
/// "learning rate down".
#[test]
fn an_escape_and_the_next_key_in_one_write_are_two_keys() {
    let (mut child, mut screen, mut keys) = start(&["--lang", "en"]);
    screen.wait("the first frame", first_frame);
    send(&mut keys, b"\x1b\x1b[C");
    let stepped = screen.wait("step 2", |s| s.contents().contains("step 2/"));
    assert!(stepped.contains("lr 0.03 "), "{stepped}");
    assert!(!stepped.contains("0.03→"), "{stepped}");
    send(&mut keys, b"v");
    screen.wait("the pictures", |s| s.contents().contains("Pictures"));
    send(&mut keys, b"\x1bq");
    assert_eq!(child.exit_code("Esc and q"), 0);
    screen.wait("the terminal to be restored", restored);
}

fn text(screen: &str) -> Vec<String> {
    screen.lines().map(|l| l.trim_end().to_string()).collect()
}

#[test]
fn step_forward_and_back_then_quit_restores_the_terminal() {
    let pair = open_pty();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gradstep"));
    cmd.args(["--lang", "en"]);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    let mut child = Running::spawn(&*pair.slave, cmd);
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let mut writer = pair.master.take_writer().expect("pty writer");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut screen = Screen {
        parser: vt100::Parser::new(SIZE.0, SIZE.1, 0),
        bytes: rx,
    };

    let started = Instant::now();
    let first = screen.wait("the first frame", |s| {
        s.alternate_screen() && s.contents().contains("Matrices") && s.contents().contains("quit")
    });
    assert!(screen.parser.screen().hide_cursor());
    eprintln!("first frame settled after {:?}", started.elapsed());

    writer.write_all(b"\x1b[C").expect("send Right");
    writer.flush().expect("flush");
    let second = screen.wait("the next step", |s| text(&s.contents()) != text(&first));
    assert!(second.contains("step 2/"), "{second}");

    writer.write_all(b"\x1b[D").expect("send Left");
    writer.flush().expect("flush");
    // vt100 keeps spaces that were written and drops cells never written: compare the text.
    let back = screen.wait("the step back", |s| text(&s.contents()) == text(&first));
    assert_eq!(text(&back), text(&first));

    writer.write_all(b"q").expect("send q");
    writer.flush().expect("flush");
    let quit_at = Instant::now();
    let code = child.exit_code("q");
    eprintln!("exited {:?} after q", quit_at.elapsed());
    // Whatever the program wrote last is on its way; read it before judging the terminal.
    screen.wait("the terminal to be restored", |s| !s.alternate_screen());
    assert_eq!(code, 0, "exit status");
    assert!(!screen.parser.screen().alternate_screen());
    assert!(!screen.parser.screen().hide_cursor());
}

/// Whether process `pid` has ended (gone, or a zombie nobody has reaped yet).
fn ended(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(") ")
            .next()
            .is_some_and(|rest| rest.starts_with('Z')),
    }
}

/// A terminal that disappears (tmux killed, SSH dropped) must end the program, even when it is
/// not the session leader and reads end-of-file before any SIGHUP reaches it.
#[cfg(target_os = "linux")]
#[test]
fn a_vanished_terminal_ends_the_program() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let pair = open_pty();
    let dir = scratch_dir("hangup");
    let pidfile = dir.join("pid");
    // As under tmux: a shell is the session leader and gradstep runs in the foreground under it.
    let script = format!(
        "echo $$ > {}; {} --lang en; sleep 30",
        pidfile.display(),
        env!("CARGO_BIN_EXE_gradstep")
    );
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", &script]);
    cmd.env("TERM", "xterm-256color");
    let mut shell = Running::spawn(&*pair.slave, cmd);
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let writer = pair.master.take_writer().expect("pty writer");
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let reading = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || stop.load(Ordering::SeqCst) || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        })
    };
    let mut screen = Screen {
        parser: vt100::Parser::new(SIZE.0, SIZE.1, 0),
        bytes: rx,
    };
    screen.wait("the first frame", |s| s.contents().contains("quit"));
    let sh: u32 = std::fs::read_to_string(&pidfile)
        .expect("pid file")
        .trim()
        .parse()
        .expect("a pid");
    let children = std::fs::read_to_string(format!("/proc/{sh}/task/{sh}/children"))
        .expect("the shell's children");
    let pid: u32 = children
        .split_whitespace()
        .next()
        .and_then(|p| p.parse().ok())
        .expect("gradstep's pid");
    shell.also.push(pid);
    // Close every handle on the terminal's master side, the reader's last: one more frame wakes
    // it up so that it can let go.
    stop.store(true, Ordering::SeqCst);
    let mut writer = writer;
    writer.write_all(b"\x1b[C").expect("send Right");
    writer.flush().expect("flush");
    drop(writer);
    reading.join().expect("reader thread");
    drop(pair.master);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !ended(pid) {
        assert!(
            Instant::now() < deadline,
            "gradstep (pid {pid}) still runs after its terminal went away"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(shell);
    let _ = std::fs::remove_dir_all(dir);
}

/// On a terminal that is not its controlling terminal (as under `setsid`), the explainer cannot
/// take the keyboard: one `error:` line and exit status 1, not ratatui's panic.
#[cfg(target_os = "linux")]
#[test]
fn without_a_controlling_terminal_it_says_so() {
    let pair = open_pty();
    // Output to the terminal, input from nowhere, and a session of its own: the keyboard can
    // only be /dev/tty, which a process without a controlling terminal cannot open.
    let script = format!(
        "exec setsid -w {} --lang en </dev/null",
        env!("CARGO_BIN_EXE_gradstep")
    );
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", &script]);
    cmd.env("TERM", "xterm-256color");
    let mut child = Running::spawn(&*pair.slave, cmd);
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _master = pair.master;
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut screen = Screen {
        parser: vt100::Parser::new(SIZE.0, SIZE.1, 0),
        bytes: rx,
    };
    let shown = screen.wait("the error", |s| s.contents().contains("error:"));
    assert_eq!(child.exit_code("no controlling terminal"), 1);
    let lines: Vec<String> = text(&shown).into_iter().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("error: terminal: cannot take over the terminal"),
        "{lines:?}"
    );
    assert!(!shown.contains("panicked"));
}

/// A terminal whose other side closes (tmux kills the pane, the SSH connection drops) ends the
/// session as a hang-up does: the place is saved, the exit status is 129, and nothing panics
/// writing to the terminal that is gone (a panic exits 101, an abort 134).
#[cfg(target_os = "linux")]
#[test]
fn a_closed_terminal_saves_the_place_and_exits_as_hung_up() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let state = scratch_dir("closed");
    // Its errors go to a file, where a panic's message would show.
    let stderr = state.join("stderr");
    let script = format!(
        "exec {} --lang en 2>{}",
        env!("CARGO_BIN_EXE_gradstep"),
        stderr.display()
    );
    let pair = open_pty();
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", &script]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_STATE_HOME", &*state);
    let mut child = Running::spawn(&*pair.slave, cmd);
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let mut writer = pair.master.take_writer().expect("pty writer");
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let reading = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || stop.load(Ordering::SeqCst) || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        })
    };
    let mut screen = Screen {
        parser: vt100::Parser::new(SIZE.0, SIZE.1, 0),
        bytes: rx,
    };
    screen.wait("the first frame", first_frame);
    send(&mut writer, b"\x1b[C");
    screen.wait("step 2", |s| s.contents().contains("step 2/"));
    // Every handle on the master side closed, the reader's last: the frame of step 3 wakes
    // it up so that it can let go.
    stop.store(true, Ordering::SeqCst);
    send(&mut writer, b"\x1b[C");
    drop(writer);
    reading.join().expect("reader thread");
    drop(pair.master);
    assert_eq!(child.exit_code("its terminal closed"), 129);
    let place = std::fs::read_to_string(state.join("gradstep/place.json")).expect("the place");
    let saved: serde_json::Value = serde_json::from_str(&place).expect("JSON");
    assert_eq!(saved["place"]["global"], 0, "{place}");
    assert_eq!(saved["place"]["step"], 2, "{place}");
    let said = std::fs::read_to_string(&stderr).expect("its stderr");
    assert_eq!(said, "", "nothing to say, and no panic");
    let _ = std::fs::remove_dir_all(&state);
}

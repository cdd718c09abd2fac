//! The real binary in a pseudo-terminal: first frame, a step forward and back, quit, and the
//! terminal handed back (main screen, cursor shown).

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

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
    let mut child = pair.slave.spawn_command(cmd).expect("spawn gradstep");
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
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break status;
        }
        assert!(Instant::now() < deadline, "gradstep did not quit on q");
        std::thread::sleep(Duration::from_millis(20));
    };
    eprintln!("exited {:?} after q", quit_at.elapsed());
    // Whatever the program wrote last is on its way; read it before judging the terminal.
    screen.wait("the terminal to be restored", |s| !s.alternate_screen());
    assert!(status.success(), "exit status {status:?}");
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
    let dir = std::env::temp_dir().join(format!("gradstep-hangup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
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
    let mut shell = pair.slave.spawn_command(cmd).expect("spawn sh");
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
    let _ = shell.kill();
    let _ = std::fs::remove_dir_all(dir);
}

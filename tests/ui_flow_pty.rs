//! The classroom flow with the real binary in a pseudo-terminal: Esc never ends the program,
//! quitting and `--resume` reopen the same screen (after q and after SIGTERM), the go-to
//! prompt and bookmarks, and Tab through the built-in lesson plan.

mod scratch;
use scratch::{Scratch, scratch_dir};

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const ROWS: u16 = 24;
const COLS: u16 = 80;
const SIZE: (NonZeroU16, NonZeroU16) = (
    NonZeroU16::new(ROWS).unwrap(),
    NonZeroU16::new(COLS).unwrap(),
);
const TIMEOUT: Duration = Duration::from_secs(20);

const ESC: &[u8] = b"\x1b";
const TAB: &[u8] = b"\t";
const DOWN: &[u8] = b"\x1b[B";
const RIGHT: &[u8] = b"\x1b[C";
const ENTER: &[u8] = b"\r";

/// gradstep running in a pseudo-terminal, with the screen as a terminal would show it.
struct Term {
    parser: vt100::Parser,
    bytes: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

fn state_dir(name: &str) -> Scratch {
    scratch_dir(name)
}

fn text(screen: &str) -> Vec<String> {
    screen.lines().map(|l| l.trim_end().to_string()).collect()
}

impl Term {
    fn start(args: &[&str], state: &Path) -> Term {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gradstep"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_STATE_HOME", state);
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("spawn gradstep");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Term {
            parser: vt100::Parser::new(SIZE.0, SIZE.1, 0),
            bytes: rx,
            writer,
            child,
            _master: pair.master,
        }
    }

    /// Started, and its first frame on screen.
    fn open(args: &[&str], state: &Path) -> Term {
        let mut term = Term::start(args, state);
        term.wait("the first frame", |s| {
            s.contains("quit") || s.contains("退出")
        });
        term
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Feeds output until `done` holds and nothing more arrives for a short while.
    fn wait(&mut self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.bytes.recv_timeout(Duration::from_millis(150)) {
                Ok(chunk) => self.parser.process(&chunk),
                Err(_) => {
                    let now = self.screen();
                    if done(&now) {
                        return now;
                    }
                }
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}:\n{}",
                self.screen()
            );
        }
    }

    /// Sends one key; Esc alone, so the terminal reader cannot take it for the start of another.
    fn key(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("send a key");
        self.writer.flush().expect("flush");
        if bytes == ESC {
            std::thread::sleep(Duration::from_millis(120));
        }
    }

    fn keys(&mut self, keys: &[&[u8]]) {
        for k in keys {
            self.key(k);
        }
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().expect("child status").is_none()
    }

    /// Waits for the program to end and the terminal to be given back; its exit status.
    fn ended(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                break status;
            }
            assert!(Instant::now() < deadline, "gradstep did not end");
            std::thread::sleep(Duration::from_millis(20));
        };
        self.wait("the terminal back", |_| true);
        status
    }
}

#[test]
fn esc_closes_each_mode_and_view_and_never_quits() {
    let state = state_dir("esc");
    let mut t = Term::open(&["--lang", "en"], &state);
    let lesson = t.screen();
    assert!(lesson.contains("Matrices"), "{lesson}");
    // What each key opens, and the text that shows it is open (the presenter has no matrix
    // heading).
    let presenter = "presenter";
    let cases: [(&[&[u8]], &str); 8] = [
        (&[b"?"], "Keys"),
        (&[b"v"], "Pictures"),
        (&[b"v", b"v"], "Objectives compared"),
        (&[b"P"], presenter),
        (&[b"Q", RIGHT], "quiz: Enter reveals"),
        (&[b"i"], "Where does this number come from?"),
        (&[b":"], "go to:"),
        (&[b"m"], "mark: press a digit"),
    ];
    let open = |shows: &str, s: &str| {
        if shows == presenter {
            !s.contains("Matrices") && s.contains("step 1/27")
        } else {
            s.contains(shows)
        }
    };
    for (keys, shows) in cases {
        t.keys(keys);
        t.wait(shows, |s| open(shows, s));
        t.key(ESC);
        let back = t.wait("Esc to close it", |s| !open(shows, s));
        assert!(t.alive(), "Esc after {shows:?} ended the program:\n{back}");
        if shows.starts_with("quiz") {
            t.key(b"\x1b[D");
        }
        let lesson_again = t.wait("the lesson view", |s| s.contains("Matrices"));
        assert!(lesson_again.contains("step 1/27"), "{lesson_again}");
    }
    // With nothing open, Esc does nothing at all.
    let before = text(&t.screen());
    for _ in 0..3 {
        t.key(ESC);
    }
    let after = t.wait("quiet", |_| true);
    assert!(t.alive(), "Esc with nothing open ended the program");
    assert_eq!(text(&after), before);
    t.key(b"q");
    assert!(t.ended().success());
}

#[test]
fn quit_then_resume_reopens_the_same_screen() {
    let state = state_dir("resume");
    let mut t = Term::open(&["--lang", "en", "--preset", "house"], &state);
    t.keys(&[DOWN, RIGHT, RIGHT, b"]", b"."]);
    t.key(b"v");
    let left = t.wait("the pictures", |s| {
        s.contains("Pictures") && s.contains("step 3/")
    });
    t.key(b"q");
    assert!(t.ended().success());
    assert!(state.join("gradstep/place.json").is_file());

    let mut again = Term::open(&["--resume"], &state);
    let reopened = again.wait("the same screen", |s| s.contains("Pictures"));
    assert_eq!(text(&reopened), text(&left));
    again.key(b"q");
    assert!(again.ended().success());

    // Other options than the saved ones: refused, saying what differs.
    let mut refused = Term::start(&["--resume", "--preset", "house", "--lr", "0.0001"], &state);
    let said = refused.wait("the refusal", |s| s.contains("error:"));
    assert!(said.contains("--lr (saved 0.00005, now 0.0001)"), "{said}");
    assert_eq!(refused.ended().exit_code(), 2);
}

#[test]
fn sigterm_saves_the_place_too() {
    let state = state_dir("sigterm");
    let mut t = Term::open(&["--lang", "zh"], &state);
    t.keys(&[DOWN, DOWN, RIGHT]);
    let left = t.wait("batch 3", |s| {
        s.contains("批次 3/100") && s.contains("步骤 2/")
    });
    let pid = t.child.process_id().expect("a pid");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    t.ended();
    let mut again = Term::open(&["--resume"], &state);
    let reopened = again.wait("the same screen", |s| s.contains("批次 3/100"));
    assert_eq!(text(&reopened), text(&left));
    again.key(b"q");
    assert!(again.ended().success());
}

#[test]
fn a_damaged_place_gives_one_line_and_a_fresh_start() {
    let state = state_dir("damaged");
    std::fs::create_dir_all(state.join("gradstep")).expect("dir");
    std::fs::write(state.join("gradstep/place.json"), "{ not json").expect("write");
    let mut t = Term::open(&["--resume", "--lang", "en"], &state);
    let first = t.wait("a fresh start", |s| s.contains("batch 1/100"));
    assert!(first.contains("step 1/27"), "{first}");
    t.key(b"q");
    assert!(t.ended().success());
    // The line was written before the screen was taken, and is there when it is given back.
    let place = state.join("gradstep/place.json");
    let said = t.wait("the warning", |s| s.contains("starting afresh"));
    assert!(
        said.contains(&format!(
            "warning: the saved place {} is damaged",
            place.display()
        )),
        "{said}"
    );
    // Quitting wrote a good place over the damaged one.
    let version = format!("\"version\": {}", gradstep::run::resume::VERSION);
    assert!(std::fs::read_to_string(&place).is_ok_and(|t| t.contains(&version)));
}

#[test]
fn without_a_saved_place_resume_says_so_and_starts_afresh() {
    let state = state_dir("missing");
    let mut t = Term::open(&["--resume", "--lang", "en"], &state);
    t.wait("a fresh start", |s| s.contains("batch 1/100  step 1/27"));
    t.key(b"q");
    assert!(t.ended().success());
    t.wait("the warning", |s| {
        s.contains("warning: no saved place") && s.contains("starting afresh")
    });
}

#[test]
fn the_prompt_goes_to_a_place_and_shows_its_errors_and_marks_come_back() {
    let state = state_dir("goto");
    let mut t = Term::open(&["--lang", "en"], &state);
    t.key(b":");
    t.wait("the prompt", |s| s.contains("go to:"));
    t.keys(&[b"9", b":", b"1", ENTER]);
    let error = t.wait("the error", |s| {
        s.contains("epoch 9: this run has 3 epochs")
    });
    assert!(error.contains("go to: 9:1"), "{error}");
    t.keys(&[
        b"\x7f", b"\x7f", b"\x7f", b"2", b":", b"2", b"6", b":", b"1", b"8", ENTER,
    ]);
    let there = t.wait("epoch 2, batch 26, step 18", |s| {
        s.contains("epoch 2/3  batch 26/100  step 18/27")
    });
    assert!(!there.contains("go to:"), "{there}");
    t.keys(&[b"m", b"4"]);
    t.wait("the mark", |s| s.contains("mark 4 set here"));
    t.keys(&[b":", b"e", b"n", b"d", ENTER]);
    t.wait("the end", |s| {
        s.contains("epoch 3/3  batch 100/100  step 28/28")
    });
    t.keys(&[b"'", b"4"]);
    t.wait("back at the mark", |s| {
        s.contains("epoch 2/3  batch 26/100  step 18/27")
    });
    t.keys(&[b"'", b"7"]);
    t.wait("no such mark", |s| s.contains("no mark 7 yet"));
    t.key(b"q");
    assert!(t.ended().success());

    // --at opens there, and a place the run does not have is one error line.
    let mut at = Term::open(&["--lang", "en", "--at", "2:26:18"], &state);
    at.wait("epoch 2, batch 26, step 18", |s| {
        s.contains("epoch 2/3  batch 26/100  step 18/27")
    });
    at.key(b"q");
    assert!(at.ended().success());
    let mut bad = Term::start(&["--lang", "en", "--at", "1:101"], &state);
    bad.wait("the error", |s| {
        s.contains("error: --at 1:101: batch 101: epoch 1 has 100 batches")
    });
    assert_eq!(bad.ended().exit_code(), 2);
}

#[test]
fn tab_goes_through_the_built_in_stops_with_their_notes_and_changes() {
    let state = state_dir("stops");
    let mut t = Term::open(&["--lang", "en"], &state);
    // (status line, a words of the note, something the stop's change shows)
    let stops: [(&str, &str, &str); 8] = [
        ("step 2/27", "The first sample", "stop 1/8"),
        (
            "step 15/27",
            "The first accumulation",
            "quiz: Enter reveals",
        ),
        ("step 27/27", "The first update", "stop 3/8"),
        (
            "batch 100/100  step 28/28",
            "The end of epoch 1",
            "stop 4/8",
        ),
        (
            "epoch 2/3  batch 1/100  step 27/27",
            "Sum vs mean",
            "b ← b - lr · ∂L/∂b",
        ),
        (
            "epoch 2/3  batch 2/18  step 27/27",
            "Back to the sum",
            "N 10→64",
        ),
        ("epoch 2/3  batch 18/18", "A short last batch", "N 20"),
        ("epoch 3/3  batch 1/16", "Divergence", "lr 0.03→3"),
    ];
    for (k, (status, note, change)) in stops.iter().enumerate() {
        t.key(TAB);
        let shown = t.wait(note, |s| {
            s.contains(status) && s.contains(note) && s.contains(change)
        });
        assert!(shown.contains(&format!("stop {}/8", k + 1)), "{shown}");
    }
    // The last stop opened the pictures; Shift-Tab goes back to stop 7.
    assert!(t.screen().contains("Pictures"));
    t.key(b"\x1b[Z");
    t.wait("stop 7", |s| s.contains("A short last batch"));
    t.key(TAB);
    t.wait("stop 8", |s| s.contains("Divergence"));
    t.key(TAB);
    t.wait("no stop after", |s| s.contains("no stop after this place"));
    t.key(b"q");
    assert!(t.ended().success());
}

/// The saved place keeps its format byte for byte across the move of resume out of `ui`: the
/// fixture was written by the binary built from main before the move, with the same options
/// and keys (`--resume --lang en`, → → → ] ] →, q).
#[test]
fn the_written_place_is_byte_identical_to_one_written_before_the_move() {
    let state = state_dir("bytes");
    let mut t = Term::open(&["--resume", "--lang", "en"], &state);
    t.wait("a fresh start", |s| s.contains("step 1/27"));
    t.keys(&[RIGHT, RIGHT, RIGHT, b"]", b"]", RIGHT]);
    t.wait("the fifth step", |s| s.contains("step 5/27"));
    t.key(b"q");
    assert!(t.ended().success());
    let written = std::fs::read(state.join("gradstep/place.json"));
    let _ = std::fs::remove_dir_all(&state);
    let expected = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/place_written_by_main.json"),
    )
    .expect("fixture");
    assert_eq!(written.expect("the place"), expected);
}

#[test]
fn a_two_layer_run_resumes_with_its_changes_and_only_as_two_layers() {
    let state = state_dir("two-layer-resume");
    let mut t = Term::open(&["--lang", "en", "--preset", "two-layer"], &state);
    // lr up from batch 2, then batch 3's third step.
    t.keys(&[b"]", DOWN, DOWN, RIGHT, RIGHT]);
    let left = t.wait("batch 3", |s| {
        s.contains("batch 3/3") && s.contains("step 3/")
    });
    t.key(b"q");
    assert!(t.ended().success());
    let place = std::fs::read_to_string(state.join("gradstep/place.json")).expect("a place");
    assert!(place.contains("\"hidden\": 3"), "{place}");
    assert!(place.contains("\"activation\": \"relu\""), "{place}");

    let mut again = Term::open(&["--resume"], &state);
    let reopened = again.wait("the same screen", |s| s.contains("batch 3/3"));
    assert_eq!(text(&reopened), text(&left));
    again.key(b"q");
    assert!(again.ended().success());

    // The lesson's linear model does not take a two-layer place.
    let mut refused = Term::start(&["--resume", "--preset", "tiny"], &state);
    let said = refused.wait("the refusal", |s| s.contains("error:"));
    assert!(
        said.replace('\n', "")
            .contains("the model (saved --hidden 3 --activation relu, now the linear model"),
        "{said}"
    );
    assert_eq!(refused.ended().exit_code(), 2);
}

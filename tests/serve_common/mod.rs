//! Helpers for the serve tests: programs in pseudo-terminals read through vt100, a free port on
//! 127.0.0.1, the OpenSSH client's options, and the explainer's expected screen drawn by the
//! library at any size.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gradstep::cli::{RunArgs, build};
use gradstep::lesson::{Lang, Lesson};
use gradstep::ui::{App, Message, Theme, UiOptions};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub const TIMEOUT: Duration = Duration::from_secs(20);
pub const CODE: &str = "314159";

/// A program in a pseudo-terminal.
pub struct Term {
    pub parser: vt100::Parser,
    bytes: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    /// Columns and rows.
    pub size: (u16, u16),
    /// The program's home, removed with the terminal.
    _home: Scratch,
}

impl Term {
    pub fn spawn(program: &str, args: &[&str], env: &[(&str, &str)], size: (u16, u16)) -> Term {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: size.1,
                cols: size.0,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        // Whatever runs here keeps its state in a directory of the test run's own, never in
        // the real user's (`serve` writes the class's place when it ends); `env` may override.
        let sandbox = sandbox();
        cmd.env("HOME", &*sandbox);
        cmd.env("XDG_STATE_HOME", sandbox.join("state"));
        cmd.env("XDG_DATA_HOME", sandbox.join("data"));
        cmd.env("XDG_CONFIG_HOME", sandbox.join("config"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn");
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
            parser: vt100::Parser::new(nonzero(size.1), nonzero(size.0), 0),
            bytes: rx,
            writer,
            child,
            _master: pair.master,
            size,
            _home: sandbox,
        }
    }

    /// Feeds output until `done` holds; panics with the screen after [`TIMEOUT`].
    pub fn wait(&mut self, what: &str, done: impl Fn(&vt100::Screen) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if done(self.parser.screen()) {
                return self.parser.screen().contents();
            }
            match self.bytes.recv_timeout(Duration::from_millis(50)) {
                Ok(chunk) => self.parser.process(&chunk),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
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

    /// [`Term::wait`], then reads on until no output has come for a moment, so a screen to be
    /// compared later is the whole frame, not the part of it the pty had passed on when `done`
    /// first held.
    pub fn wait_settled(&mut self, what: &str, done: impl Fn(&vt100::Screen) -> bool) -> String {
        self.wait(what, &done);
        let deadline = Instant::now() + TIMEOUT;
        while let Ok(chunk) = self.bytes.recv_timeout(Duration::from_millis(300)) {
            self.parser.process(&chunk);
            assert!(
                Instant::now() < deadline,
                "{what}: the screen never settled"
            );
        }
        self.wait(what, done)
    }

    /// Waits until the screen's text shows `text`.
    pub fn wait_for(&mut self, text: &str) -> String {
        self.wait(text, |s| s.contents().contains(text))
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Waits for the program to end; its exit status.
    pub fn exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            while let Ok(chunk) = self.bytes.try_recv() {
                self.parser.process(&chunk);
            }
            if let Some(status) = self.child.try_wait().expect("child status") {
                // What it wrote last is on its way.
                while let Ok(chunk) = self.bytes.recv_timeout(Duration::from_millis(100)) {
                    self.parser.process(&chunk);
                }
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the program did not end:\n{}",
                self.parser.screen().contents()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The screen's rows, trailing spaces removed.
    pub fn rows(&self) -> Vec<String> {
        rows(&self.parser.screen().contents(), self.size.1)
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A home of its own for a program a test starts, removed when dropped.
pub fn sandbox() -> Scratch {
    scratch::scratch_dir("home")
}

fn nonzero(v: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(v).expect("a size above zero")
}

pub fn rows(contents: &str, height: u16) -> Vec<String> {
    let mut rows: Vec<String> = contents.lines().map(|l| l.trim_end().to_string()).collect();
    rows.resize(usize::from(height), String::new());
    rows
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[path = "../scratch/mod.rs"]
mod scratch;
pub use scratch::Scratch;

/// A fresh directory under the system's temporary one, removed when dropped.
pub fn temp_dir(name: &str) -> Scratch {
    scratch::scratch_dir(name)
}

/// The teacher: `gradstep serve` on 127.0.0.1:`port` with the test's code.
pub fn teacher(port: u16, dir: &Path, extra: &[&str]) -> Term {
    let listen = format!("127.0.0.1:{port}");
    let key = dir.join("host_key");
    let key = key.to_str().expect("utf-8 path");
    let mut args = vec!["serve", "--lang", "en", "--listen", &listen, "--code", CODE];
    args.extend(["--host-key", key]);
    args.extend(extra);
    let mut t = Term::spawn(env!("CARGO_BIN_EXE_gradstep"), &args, &[], (100, 30));
    t.wait_for("Students join with");
    t
}

/// `ssh` (or `sftp`) options for a throwaway server on loopback, password only.
pub fn ssh_args(port: u16, user: &str, program: &str) -> Vec<String> {
    let port_flag = if program == "sftp" { "-P" } else { "-p" };
    let mut args: Vec<String> = [
        port_flag,
        &port.to_string(),
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "PubkeyAuthentication=no",
        "-o",
        "PreferredAuthentications=password",
        "-o",
        "NumberOfPasswordPrompts=1",
        "-o",
        "ConnectTimeout=10",
        "-o",
        "LogLevel=ERROR",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if program == "ssh" {
        args.push("-t".into());
    }
    args.push(format!("{user}@127.0.0.1"));
    args
}

/// An OpenSSH client in its own pseudo-terminal, typing `code` at the password prompt.
pub fn client(
    program: &str,
    port: u16,
    user: &str,
    code: &str,
    home: &Path,
    size: (u16, u16),
    extra: &[&str],
) -> Term {
    let mut args = ssh_args(port, user, program);
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let home = home.to_str().expect("utf-8 path");
    let path = format!(
        "/usr/bin:/bin:{}",
        std::env::var("PATH").unwrap_or_default()
    );
    let mut t = Term::spawn(
        program,
        &args,
        &[("HOME", home), ("PATH", &path), ("LANG", "C.UTF-8")],
        size,
    );
    t.wait("the password prompt", |s| {
        s.contents().to_lowercase().contains("password:")
    });
    t.send(format!("{code}\r").as_bytes());
    t
}

/// A student joined with the right code, showing their first frame.
pub fn student(port: u16, user: &str, home: &Path, size: (u16, u16)) -> Term {
    let mut t = client("ssh", port, user, CODE, home, size, &[]);
    t.wait_for("following");
    t
}

/// The explainer the teacher runs, built by the library from the same options, after
/// `messages`, drawn at `size`: what a following student must see.
pub fn expected(messages: &[Message], size: (u16, u16)) -> Vec<String> {
    expected_as(messages, size, false)
}

/// [`expected`] as a student following the teacher sees it: their own keys in the hints.
pub fn expected_following(messages: &[Message], size: (u16, u16)) -> Vec<String> {
    expected_as(messages, size, true)
}

fn expected_as(messages: &[Message], size: (u16, u16), following: bool) -> Vec<String> {
    let run = build(&RunArgs::default()).expect("the default run");
    let lesson = Lesson::embedded().expect("the lesson");
    let opts = UiOptions {
        lang: Lang::En,
        seed: run.hyper.seed,
        source: run.source.clone(),
        ..UiOptions::default()
    };
    let mut app = App::new(
        run.session().expect("session"),
        lesson,
        &opts,
        Theme::new(true),
    );
    for m in messages {
        app.update(*m);
    }
    app.set_follower(following);
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("test terminal");
    terminal
        .draw(|f| f.render_widget(&app, f.area()))
        .expect("draw");
    buffer_rows(terminal.backend().buffer())
}

/// A drawn buffer's rows as a terminal shows them: wide characters once, no trailing blanks.
pub fn buffer_rows(buffer: &ratatui::buffer::Buffer) -> Vec<String> {
    let size = (buffer.area.width, buffer.area.height);
    (0..size.1)
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..size.0 {
                let symbol = buffer[(x, y)].symbol();
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                line.push_str(symbol);
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// The rows of a screen without the status line's first row, where the badge is.
pub fn without_badge(mut rows: Vec<String>) -> Vec<String> {
    let at = rows.len().saturating_sub(2);
    if at < rows.len() {
        rows.remove(at);
    }
    rows
}

/// A class served by the library in this process (no teacher's terminal), with chosen limits.
pub struct Served {
    pub rt: tokio::runtime::Runtime,
    /// The clients' runtime, apart from the server's, so a stalled server shows as late frames.
    pub clients: tokio::runtime::Runtime,
    pub addr: std::net::SocketAddr,
    pub class: std::sync::Arc<gradstep::serve::class::Class>,
    /// Its host key's directory, removed with it.
    _dir: Scratch,
}

impl Served {
    pub fn start(
        name: &str,
        args: &RunArgs,
        gate: gradstep::serve::gate::GateLimits,
        limits: gradstep::serve::class::Limits,
    ) -> Served {
        use gradstep::serve::gate::{Access, Gate};
        use gradstep::serve::{self, hostkey};
        let run = build(args).expect("run");
        let options = UiOptions {
            lang: Lang::En,
            ..UiOptions::default()
        };
        let class = serve::class(
            &run,
            run.session().expect("session"),
            Lesson::embedded().expect("lesson"),
            options,
            Access::Code(CODE.into()),
            limits.max_students,
        )
        .expect("class")
        .limited(Gate::with_limits(Access::Code(CODE.into()), gate), limits);
        let class = std::sync::Arc::new(class);
        let dir = temp_dir(name);
        let key = hostkey::load_or_create(&dir.join("key")).expect("key");
        let rt = serve::runtime().expect("runtime");
        let addr = serve::listen(
            &rt,
            "127.0.0.1:0".parse().expect("addr"),
            std::sync::Arc::clone(&class),
            key,
        )
        .expect("listen");
        let clients = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("the clients' runtime");
        Served {
            rt,
            clients,
            addr,
            class,
            _dir: dir,
        }
    }

    /// Runs `f` on the clients' runtime, failing the test if it takes more than `secs`.
    pub fn bounded<T>(&self, secs: u64, f: impl Future<Output = T>) -> T {
        self.clients
            .block_on(async { tokio::time::timeout(Duration::from_secs(secs), f).await })
            .expect("bounded in time")
    }
}

/// 127.0.0.`last`: loopback has the whole 127.0.0.0/8, so tests can come from many addresses.
pub fn loopback(last: u8) -> std::net::IpAddr {
    std::net::IpAddr::from([127, 0, 0, last])
}

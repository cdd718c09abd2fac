//! Abuse, on loopback and bounded: many wrong codes, garbage instead of SSH, a client that never
//! reads, an absurd window, hundreds of connections opened and dropped. After each, the teacher's
//! explainer (the real binary in a pty) still answers keys and a real OpenSSH student still
//! follows it.

mod serve_common;

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use gradstep::serve::probe;
use gradstep::serve::terminal::{MAX_HEIGHT, MAX_WIDTH};
use gradstep::ui::Message;
use serve_common::*;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;

struct Class {
    teacher: Term,
    student: Term,
    steps: usize,
    addr: SocketAddr,
    rt: tokio::runtime::Runtime,
}

impl Class {
    fn start(name: &str) -> Class {
        let dir = temp_dir(name);
        let port = free_port();
        let mut teacher = teacher(port, &dir, &[]);
        let student = student(port, "sam", &dir, (80, 24));
        teacher.wait_for("1 student ");
        teacher.send(b"x");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        Class {
            teacher,
            student,
            steps: 0,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            rt,
        }
    }

    /// The teacher steps once; the student follows to exactly the teacher's screen.
    fn still_teaching(&mut self, after: &str) {
        self.teacher.send(b"\x1b[C");
        self.steps += 1;
        let want = without_badge(expected_following(
            &vec![Message::NextStep; self.steps],
            (80, 24),
        ));
        self.student
            .wait(&format!("the student to follow after {after}"), |s| {
                without_badge(rows(&s.contents(), 24)) == want
            });
        self.teacher
            .wait(&format!("the teacher's step after {after}"), |s| {
                s.contents().contains(&format!("step {}/", self.steps + 1))
            });
    }
}

fn bounded<T>(rt: &tokio::runtime::Runtime, secs: u64, f: impl Future<Output = T>) -> T {
    rt.block_on(async { tokio::time::timeout(Duration::from_secs(secs), f).await })
        .expect("bounded in time")
}

#[test]
fn two_hundred_wrong_codes_are_limited_and_the_class_goes_on() {
    let mut class = Class::start("abuse-codes");
    let addr = class.addr;
    let (tried, refused_at_door) = bounded(&class.rt, 60, async move {
        let (mut tried, mut refused) = (0, 0);
        while tried < 200 {
            let Ok(stream) = TcpStream::connect(addr).await else {
                refused += 1;
                tried += 1;
                continue;
            };
            match probe::login(stream, probe::config(1 << 20), "eve", "000000").await {
                Ok((mut handle, ok)) => {
                    assert!(!ok, "a wrong code was taken");
                    tried += 1;
                    // Two more on the same connection, the most it allows.
                    for _ in 0..2 {
                        match handle.authenticate_password("eve", "000001").await {
                            Ok(r) => assert!(!r.success()),
                            Err(_) => break,
                        }
                        tried += 1;
                    }
                }
                Err(_) => {
                    refused += 1;
                    tried += 1;
                }
            }
        }
        (tried, refused)
    });
    assert!(tried >= 200);
    // After ten failures the address is shut out: nearly all the rest never reach the code.
    assert!(
        refused_at_door >= 150,
        "only {refused_at_door} refused at the door"
    );
    // Even the right code is refused from that address for now.
    let right = bounded(&class.rt, 20, async move {
        match TcpStream::connect(addr).await {
            Ok(stream) => probe::login(stream, probe::config(1 << 20), "eve", CODE)
                .await
                .map(|(_, ok)| ok)
                .unwrap_or(false),
            Err(_) => false,
        }
    });
    assert!(!right, "the right code got through during the lock-out");
    class.still_teaching("200 wrong codes");
}

#[test]
fn garbage_a_huge_window_and_many_dropped_connections_change_nothing() {
    let mut class = Class::start("abuse-misc");
    let addr = class.addr;

    // Garbage instead of a handshake: the server hangs up.
    let closed = bounded(&class.rt, 40, async move {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        let garbage: Vec<u8> = (0..65_536u32).map(|i| (i * 7919 % 251) as u8).collect();
        let _ = s.write_all(&garbage).await;
        let mut buf = [0u8; 4096];
        loop {
            match tokio::io::AsyncReadExt::read(&mut s, &mut buf).await {
                Ok(0) | Err(_) => return true,
                Ok(_) => {}
            }
        }
    });
    assert!(closed);
    class.still_teaching("garbage bytes");

    // A window of 10000×10000 is drawn at the clamped size.
    let drawn = bounded(&class.rt, 20, async move {
        let (_handle, mut channel) = probe::join(addr, "big", CODE, (10_000, 10_000))
            .await
            .expect("join");
        let frame = probe::next_frame(&mut channel).await.expect("a frame");
        let mut parser = vt100::Parser::new(
            std::num::NonZeroU16::new(MAX_HEIGHT).expect("rows"),
            std::num::NonZeroU16::new(MAX_WIDTH).expect("cols"),
            0,
        );
        parser.process(&frame);
        channel
            .window_change(10_000, 10_000, 0, 0)
            .await
            .expect("resize");
        let again = probe::next_frame(&mut channel)
            .await
            .expect("a frame after resize");
        parser.process(&again);
        parser.screen().contents()
    });
    // The status line's two rows end exactly at the clamped height (a screen drawn any taller
    // would have pushed both onto the last row).
    let drawn = rows(&drawn, MAX_HEIGHT);
    let status = usize::from(MAX_HEIGHT) - 2;
    assert!(drawn[status].starts_with("big: following"), "{drawn:?}");
    assert!(drawn[status + 1].contains("quit"), "{drawn:?}");
    class.still_teaching("a 10000x10000 window");

    // 500 connections opened and dropped, fifty at a time.
    bounded(&class.rt, 60, async move {
        for _ in 0..10 {
            let mut open = Vec::new();
            for _ in 0..50 {
                if let Ok(s) = TcpStream::connect(addr).await {
                    open.push(s);
                }
            }
            drop(open);
        }
    });
    class.still_teaching("500 dropped connections");
    class.teacher.wait_for("1 student ");
}

/// A stream that stops reading when told: the client's side of the connection goes deaf.
struct Deaf {
    inner: TcpStream,
    deaf: Arc<AtomicBool>,
}

impl AsyncRead for Deaf {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if self.deaf.load(Ordering::SeqCst) {
            return Poll::Pending;
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Deaf {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[test]
fn a_student_who_never_reads_is_dropped() {
    let mut class = Class::start("abuse-deaf");
    let addr = class.addr;
    let deaf = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&deaf);
    // A small window: the server may send this much before the client must grant more, which a
    // client that reads nothing never does.
    let _kept = bounded(&class.rt, 20, async move {
        let inner = TcpStream::connect(addr).await.expect("connect");
        let stream = Deaf { inner, deaf: flag };
        let (handle, ok) = probe::login(stream, probe::config(4096), "deaf", CODE)
            .await
            .expect("login");
        assert!(ok);
        let channel = handle.channel_open_session().await.expect("session");
        channel
            .request_pty(false, "xterm", 320, 100, 0, 0, &[])
            .await
            .expect("pty");
        deaf.store(true, Ordering::SeqCst);
        channel.request_shell(false).await.expect("shell");
        (handle, channel)
    });
    class.teacher.wait_for("2 students");
    class.still_teaching("a client that stopped reading");
    // The stalled student is let go (after the server's stall limit); the class goes on.
    class.teacher.wait_for("1 student ");
    class.still_teaching("the deaf client was dropped");
}

#[test]
fn an_idle_student_is_let_go_with_a_word_of_why() {
    use gradstep::cli::{RunArgs, build};
    use gradstep::engine::Session;
    use gradstep::lesson::{Lang, Lesson};
    use gradstep::serve::class::{Class as Shared, Limits};
    use gradstep::serve::follow::Lead;
    use gradstep::serve::gate::{Access, Gate};
    use gradstep::serve::{self, hostkey};
    use gradstep::ui::{App, Theme, UiOptions};

    let run = build(&RunArgs::default()).expect("run");
    let lesson = Lesson::embedded().expect("lesson");
    let options = UiOptions {
        lang: Lang::En,
        ..UiOptions::default()
    };
    let start = run.session().expect("session");
    let pristine =
        Session::new(run.data.clone(), run.hyper.clone(), run.init.clone()).expect("pristine");
    let place = Lead::of(&App::new(
        start.clone(),
        lesson.clone(),
        &options,
        Theme::new(false),
    ));
    let idle = Duration::from_millis(700);
    let class = Arc::new(Shared::new(
        Gate::new(Access::Code(CODE.into())),
        Limits {
            max_connections: 10,
            idle,
            ..Limits::new(5)
        },
        start,
        pristine,
        lesson,
        options,
        place,
    ));
    let dir = temp_dir("abuse-idle");
    let key = hostkey::load_or_create(&dir.join("key")).expect("key");
    let rt = serve::runtime().expect("runtime");
    let addr = serve::listen(
        &rt,
        "127.0.0.1:0".parse().expect("addr"),
        Arc::clone(&class),
        key,
    )
    .expect("listen");
    let seen = bounded(&rt, 20, async move {
        let (_handle, mut channel) = probe::join(addr, "zzz", CODE, (80, 24))
            .await
            .expect("join");
        let first = probe::next_frame(&mut channel).await.expect("a frame");
        let mut rest = Vec::new();
        while let Some(msg) = channel.wait().await {
            if let russh::ChannelMsg::Data { data } = msg {
                rest.extend_from_slice(&data);
            }
        }
        [first, rest].concat()
    });
    let text = String::from_utf8_lossy(&seen);
    assert!(text.contains("closed after a long idle time"), "{text}");
    assert_eq!(class.students(), 0);
    rt.shutdown_timeout(Duration::from_secs(1));
    let _ = std::fs::remove_dir_all(&dir);
}

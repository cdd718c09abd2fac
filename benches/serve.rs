//! Load on `gradstep serve`: 50 simulated students (russh clients in this process, on loopback)
//! follow the teacher through 100 steps. Reports the time from the teacher's key to each
//! student's redrawn frame (median, p99), the teacher's own key→frame time with and without the
//! students, and the server's memory per student.
//!
//!     cargo bench --bench serve

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gradstep::cli::{RunArgs, build};
use gradstep::lesson::{Lang, Lesson};
use gradstep::serve::desk::Setup;
use gradstep::serve::gate::Access;
use gradstep::serve::student::Student;
use gradstep::serve::teacher::{Join, Teacher};
use gradstep::serve::terminal::{MAX_HEIGHT, MAX_WIDTH};
use gradstep::serve::{self, hostkey, probe};
use gradstep::ui::{App, Host, Message, Theme, UiOptions, draw_hosted};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

const STUDENTS: usize = 50;
const STEPS: usize = 100;
const CODE: &str = "271828";

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn summary(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    println!(
        "{name}: median {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} samples)",
        percentile(&ms, 0.5),
        percentile(&ms, 0.99),
        ms[ms.len() - 1],
        ms.len()
    );
}

/// The teacher's explainer: one key, its frame, and the place published; the time it took.
struct Desk {
    app: App,
    host: Teacher,
    terminal: Terminal<CrosstermBackend<std::io::Sink>>,
}

impl Desk {
    fn key(&mut self, message: Message) -> Duration {
        let t0 = Instant::now();
        self.app.update(message);
        self.host.prepare(&mut self.app);
        draw_hosted(&mut self.terminal, &self.app, &self.host).expect("draw");
        self.host.drawn(&self.app);
        t0.elapsed()
    }
}

fn main() {
    let run = build(&RunArgs::default()).expect("run");
    let lesson = Lesson::embedded().expect("lesson");
    let opts = UiOptions {
        lang: Lang::En,
        seed: run.hyper.seed,
        ..UiOptions::default()
    };
    let session = run.session().expect("session");
    let class = Arc::new(
        serve::class(
            &run,
            session.clone(),
            lesson.clone(),
            opts.clone(),
            Access::Code(CODE.into()),
            STUDENTS + 10,
        )
        .expect("class"),
    );

    // Memory of the students' explainers on the server: 50 of them made directly.
    let before = rss_kib();
    let setup = Setup {
        user: "s".into(),
        size: (80, 24),
        lang: Lang::En,
        color: true,
    };
    let mut made = Vec::new();
    for _ in 0..STUDENTS {
        let seat = class.join().expect("seat");
        let mut s = Student::new(Arc::clone(&class), seat, &setup).expect("student");
        s.frame().expect("frame");
        made.push(s);
    }
    let explainers = rss_kib().saturating_sub(before);
    drop(made);
    // And at the largest window drawn.
    let before_big = rss_kib();
    let big = Setup {
        size: (MAX_WIDTH, MAX_HEIGHT),
        ..setup
    };
    let mut made = Vec::new();
    for _ in 0..10 {
        let seat = class.join().expect("seat");
        let mut s = Student::new(Arc::clone(&class), seat, &big).expect("student");
        s.frame().expect("frame");
        made.push(s);
    }
    let biggest = rss_kib().saturating_sub(before_big);
    drop(made);

    let rt = serve::runtime().expect("runtime");
    let key_path = std::env::temp_dir().join(format!("gradstep-bench-key-{}", std::process::id()));
    let key = hostkey::load_or_create(&key_path).expect("key");
    let _ = std::fs::remove_file(&key_path);
    let addr = serve::listen(
        &rt,
        "127.0.0.1:0".parse().expect("addr"),
        Arc::clone(&class),
        key,
    )
    .expect("listen");

    let mut desk = Desk {
        app: App::new(session, lesson, &opts, Theme::new(true)),
        host: Teacher::new(
            Arc::clone(&class),
            Join {
                command: String::new(),
                fingerprint: String::new(),
            },
        ),
        terminal: Terminal::with_options(
            CrosstermBackend::new(std::io::sink()),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
            },
        )
        .expect("terminal"),
    };
    desk.key(Message::Tick);
    // A first pass computes the batches; the timed passes below revisit the same ones.
    for _ in 0..STEPS {
        desk.key(Message::NextStep);
    }
    desk.key(Message::First);

    // The teacher alone: 100 steps, then back to the start.
    let alone: Vec<f64> = (0..STEPS)
        .map(|_| desk.key(Message::NextStep).as_secs_f64() * 1e3)
        .collect();
    desk.key(Message::First);

    // Fifty students join; every frame each receives is timed.
    let clients = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("client runtime");
    let before_join = rss_kib();
    let frames: Arc<Mutex<Vec<Vec<Instant>>>> = Arc::new(Mutex::new(vec![Vec::new(); STUDENTS]));
    let mut handles = Vec::new();
    for i in 0..STUDENTS {
        let frames = Arc::clone(&frames);
        handles.push(clients.spawn(async move {
            let (_h, mut channel) = probe::join(addr, &format!("s{i}"), CODE, (80, 24))
                .await
                .expect("join");
            while probe::next_frame(&mut channel).await.is_some() {
                if let Ok(mut f) = frames.lock() {
                    f[i].push(Instant::now());
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while frames.lock().expect("frames").iter().any(Vec::is_empty) {
        assert!(Instant::now() < deadline, "students did not all join");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    let connected = rss_kib().saturating_sub(before_join);

    let mut with = Vec::new();
    let mut lag = Vec::new();
    for _ in 0..STEPS {
        let t0 = Instant::now();
        with.push(desk.key(Message::NextStep).as_secs_f64() * 1e3);
        let deadline = t0 + Duration::from_secs(5);
        loop {
            let got: Vec<Option<Instant>> = frames
                .lock()
                .expect("frames")
                .iter()
                .map(|f| f.iter().copied().find(|t| *t >= t0))
                .collect();
            if got.iter().all(Option::is_some) {
                lag.extend(
                    got.into_iter()
                        .flatten()
                        .map(|t| (t - t0).as_secs_f64() * 1e3),
                );
                break;
            }
            assert!(Instant::now() < deadline, "a student missed a frame");
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    println!("{STUDENTS} students, {STEPS} teacher steps, on 127.0.0.1");
    summary("student lag, teacher key -> student frame", lag);
    summary("teacher key -> frame, alone", alone);
    summary(&format!("teacher key -> frame, {STUDENTS} students"), with);
    println!(
        "memory: {:.0} KiB per student explainer (server side, {STUDENTS} made directly); \
         {:.0} KiB per connected student (server and in-process client together)",
        explainers as f64 / STUDENTS as f64,
        connected as f64 / STUDENTS as f64
    );
    println!(
        "memory: {:.0} KiB per student explainer at the largest window drawn, {MAX_WIDTH}x{MAX_HEIGHT} (10 made directly)",
        biggest as f64 / 10.0
    );
    for h in handles {
        h.abort();
    }
    clients.shutdown_timeout(Duration::from_secs(1));
    rt.shutdown_timeout(Duration::from_secs(1));
}

//! `gradstep serve`: the teacher's explainer in this terminal, and a small SSH server that gives
//! each student their own explainer on the same run, following the teacher or exploring, and
//! answering the quiz from their seat.
//!
//! Everything asynchronous lives here: the tokio runtime starts only for `serve`, and nothing
//! outside this module depends on it. The explainer itself is [`crate::ui`], hosted through
//! [`crate::ui::Host`] on the teacher's side and drawn into each student's SSH channel.

pub mod class;
pub mod code;
pub mod desk;
pub mod follow;
pub mod gate;
pub mod handout;
pub mod hostkey;
pub mod predict;
pub mod probe;
pub mod quiz;
pub mod server;
mod stall;
pub mod student;
pub mod teacher;
pub mod terminal;
pub mod two_layer;
pub mod words;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rand::RngExt;

use crate::cli::{Run, ServeArgs};
use crate::engine::Session;
use crate::lesson::Lesson;
use crate::ui::two_layer::TwoLayerApp;
use crate::ui::{self, App, Theme, UiOptions};

use class::{Class, Limits, TwoLayerClass};
use follow::Lead;
use gate::{Access, Gate};
use teacher::{Join, Teacher};

pub use class::IDLE;

/// Why serving could not start or went wrong: the line to print and the exit status.
#[derive(Debug)]
pub struct ServeError {
    pub message: String,
    pub status: u8,
}

fn io_error(message: String) -> ServeError {
    ServeError { message, status: 1 }
}

/// A fresh code of six random digits.
pub fn random_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// This machine's name, for the command students type.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "<this machine>".to_string())
}

/// `ssh -p PORT HOST`, with the address listened on when it is a single one.
pub fn join_command(listen: SocketAddr) -> String {
    let host = if listen.ip().is_unspecified() {
        hostname()
    } else if listen.is_ipv6() {
        format!("{}", listen.ip())
    } else {
        listen.ip().to_string()
    };
    match listen.port() {
        22 => format!("ssh {host}"),
        port => format!("ssh -p {port} {host}"),
    }
}

/// Everything the server needs, ready to listen.
pub struct Setup {
    pub class: Arc<Class>,
    pub key: russh::keys::PrivateKey,
}

/// The run as its settings start it, before any change; a run they cannot make is bad input.
fn fresh(run: &Run) -> Result<Session, ServeError> {
    Session::new(run.data.clone(), run.hyper.clone(), run.init.clone()).map_err(|e| ServeError {
        message: e.to_string(),
        status: 2,
    })
}

/// The class for a run: the run as started and without changes, the lesson and the options.
pub fn class(
    run: &Run,
    start: Session,
    lesson: Lesson,
    options: UiOptions,
    access: Access,
    max_students: usize,
) -> Result<Class, ServeError> {
    let pristine = fresh(run)?;
    let place = Lead::of(&App::new(
        start.clone(),
        lesson.clone(),
        &options,
        Theme::new(false),
    ));
    Ok(Class::new(
        Gate::new(access),
        Limits::new(max_students),
        start,
        pristine,
        lesson,
        options,
        place,
    ))
}

/// A runtime for the server, its two threads apart from the teacher's.
pub fn runtime() -> Result<tokio::runtime::Runtime, ServeError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("gradstep-serve")
        .enable_all()
        .build()
        .map_err(|e| io_error(format!("cannot start the server: {e}")))
}

/// Listens on `listen` and serves `class` in the background of `rt`.
pub fn listen(
    rt: &tokio::runtime::Runtime,
    listen: SocketAddr,
    class: Arc<Class>,
    key: russh::keys::PrivateKey,
) -> Result<SocketAddr, ServeError> {
    let listener = rt
        .block_on(tokio::net::TcpListener::bind(listen))
        .map_err(|e| io_error(format!("cannot listen on {listen}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| io_error(format!("cannot listen on {listen}: {e}")))?;
    let config = Arc::new(server::config(key));
    rt.spawn(server::accept(listener, config, class));
    Ok(bound)
}

/// `gradstep serve`: the teacher's explainer, served to the class until the teacher quits.
pub fn run(
    run: &Run,
    session: Session,
    lesson: Lesson,
    options: UiOptions,
    args: &ServeArgs,
) -> Result<ui::Ending, ServeError> {
    let (start, plan, opts) = (session.clone(), lesson.clone(), options.clone());
    let made = |access| class(run, start, plan, opts, access, args.max_students);
    serve(args, made, |teacher| {
        ui::run_hosted(session, lesson, options, teacher)
    })
}

/// `gradstep serve` on a two-layer run: the teacher's two-layer explainer `app`, and each
/// student's own. The class's linear fields hold the same data's linear run, shown to no one.
pub fn run_two_layer(
    run: &Run,
    mut app: TwoLayerApp,
    options: UiOptions,
    args: &ServeArgs,
) -> Result<ui::Ending, ServeError> {
    let start = fresh(run)?;
    let taught =
        TwoLayerClass::new(app.session().clone(), app.place()).with_plan(app.lesson_plan());
    let made = |access| {
        let linear = class(
            run,
            start,
            Lesson::default(),
            options,
            access,
            args.max_students,
        )?;
        Ok(linear.with_two_layer(taught))
    };
    serve(args, made, |teacher| {
        ui::two_layer::run_hosted(&mut app, teacher)
    })
}

/// Serves the class `make` makes (given how students get in) while `teach` runs the teacher's
/// explainer, then lets every student go.
fn serve(
    args: &ServeArgs,
    make: impl FnOnce(Access) -> Result<Class, ServeError>,
    teach: impl FnOnce(&mut Teacher) -> std::io::Result<ui::Ending>,
) -> Result<ui::Ending, ServeError> {
    let key_path = match &args.host_key {
        Some(p) => p.clone(),
        None => hostkey::default_path().ok_or_else(|| {
            io_error(
                "no data directory for the host key here; give one with --host-key FILE".into(),
            )
        })?,
    };
    let access = match code::chosen(args)? {
        Some(code) => Access::Code(code),
        None => Access::Open,
    };
    let key = hostkey::load_or_create(&key_path)?;
    let fingerprint = hostkey::fingerprint(&key);
    let class = Arc::new(make(access)?);
    let rt = runtime()?;
    let bound = listen(&rt, args.listen, Arc::clone(&class), key)?;
    let mut teacher = Teacher::new(
        Arc::clone(&class),
        Join {
            command: join_command(bound),
            fingerprint,
        },
    );
    let result = teach(&mut teacher);
    // Students get their terminals back and a word of why, then the server stops.
    class.ended.send_replace(true);
    rt.block_on(async {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
        while class.students() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    rt.shutdown_timeout(Duration::from_secs(1));
    result.map_err(|e| io_error(format!("terminal: {e}")))
}

//! The SSH side: accepting connections within limits, the class code, refusing everything but
//! one interactive session with a terminal, and each student's session as a task that moves
//! bytes between their channel and their [`Student`].

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use russh::keys::PrivateKey;
use russh::server::{Auth, ChannelOpenHandle, Config, Msg, Session};
use russh::{
    Channel, ChannelId, ChannelMsg, ChannelOpenFailure, Disconnect, MethodKind, MethodSet,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{sleep, timeout};

use super::class::{AtDoor, Class};
use super::desk::Setup;
use super::follow::Lead;
use super::gate::{ATTEMPTS_PER_CONNECTION, Access, Source, Wait};
use super::handout;
use super::stall::Bounded;
use super::student::Student;
use super::terminal::{self, clamp_size};
use super::two_layer::TwoLayerStudent;
use super::words;
use crate::lesson::Lang;
use crate::ui::PROGRESS_EVERY;
use crate::ui::two_layer::TwoLayerPlace;

/// A frame the client does not take within this long ends the session, and so does a socket
/// that takes no bytes for this long.
const STALL: Duration = Duration::from_secs(10);
/// Typed bytes per second, and the burst allowed above it.
const INPUT_RATE: f64 = 256.0;
const INPUT_BURST: f64 = 4096.0;
/// Environment variables a client may send (the rest are not even looked at).
const MAX_ENV: usize = 32;

/// The russh configuration for the class.
pub fn config(key: PrivateKey) -> Config {
    Config {
        methods: MethodSet::from(&[MethodKind::Password][..]),
        // A wrong code costs the guesser this long, whatever the code.
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::ZERO),
        max_auth_attempts: ATTEMPTS_PER_CONNECTION,
        keys: vec![key],
        // What a client may send before we read it: typing needs little.
        window_size: 64 * 1024,
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(60)),
        keepalive_max: 3,
        nodelay: true,
        ..Config::default()
    }
}

/// Accepts connections until the runtime stops.
pub async fn accept(listener: TcpListener, config: Arc<Config>, class: Arc<Class>) {
    loop {
        let Ok((socket, peer)) = listener.accept().await else {
            // Out of descriptors and the like: wait rather than spin.
            sleep(Duration::from_millis(50)).await;
            continue;
        };
        let open = class.connections.fetch_add(1, Ordering::SeqCst);
        let ticket = Ticket(Arc::clone(&class));
        if open >= class.limits.max_connections || class.gate.closed(peer.ip(), Instant::now()) {
            continue;
        }
        let Some(door) = class.at_door(Source::of(peer.ip())) else {
            continue;
        };
        tokio::spawn(connection(socket, peer, Arc::clone(&config), ticket, door));
    }
}

/// One open connection, counted while it lives.
struct Ticket(Arc<Class>);

impl Drop for Ticket {
    fn drop(&mut self) {
        self.0.connections.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn connection(
    socket: TcpStream,
    peer: SocketAddr,
    config: Arc<Config>,
    ticket: Ticket,
    door: AtDoor,
) {
    let class = Arc::clone(&ticket.0);
    let limits = class.limits.clone();
    let deadline = tokio::time::Instant::now() + limits.login;
    let logged_in = Arc::new(AtomicBool::new(false));
    let handler = Connection {
        class,
        ip: peer.ip(),
        attempts: 0,
        user: String::new(),
        session_open: false,
        pty: false,
        logged_in: Arc::clone(&logged_in),
        door: Some(door),
        deadline,
    };
    // The version exchange happens here: garbage or silence instead of SSH ends at the deadline.
    let socket = Bounded::new(socket, STALL);
    let Ok(Ok(running)) = timeout(
        limits.greeting.min(limits.login),
        russh::server::run_stream(config, socket, handler),
    )
    .await
    else {
        return;
    };
    let handle = running.handle();
    let watchdog = tokio::spawn(async move {
        tokio::time::sleep_until(deadline).await;
        if !logged_in.load(Ordering::SeqCst) {
            let _ = handle
                .disconnect(
                    Disconnect::ByApplication,
                    "too slow to log in".into(),
                    String::new(),
                )
                .await;
        }
    });
    let _ = running.await;
    watchdog.abort();
    drop(ticket);
}

struct Connection {
    class: Arc<Class>,
    ip: IpAddr,
    attempts: usize,
    user: String,
    session_open: bool,
    pty: bool,
    logged_in: Arc<AtomicBool>,
    /// Held until logged in: the connection counts as waiting at the door.
    door: Option<AtDoor>,
    /// Logged in by then, or let go.
    deadline: tokio::time::Instant,
}

/// Port forwarding (both ways), X11 and agent channels and stream-local sockets are left to
/// russh's defaults, which refuse them (a channel-open reply dropped unanswered is refused as
/// administratively prohibited).
impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_none(&mut self, user: &str) -> Result<Auth, Self::Error> {
        if self.class.gate.access == Access::Open {
            self.user = user.to_string();
            return Ok(Auth::Accept);
        }
        Ok(Auth::Reject {
            proceed_with_methods: Some(MethodSet::from(&[MethodKind::Password][..])),
            partial_success: false,
        })
    }

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        self.attempts += 1;
        if self.attempts > ATTEMPTS_PER_CONNECTION {
            return Err(russh::Error::Disconnect);
        }
        // When the server's budget of wrong codes is spent, the attempt waits for room (until
        // the login deadline): codes are never checked faster than the budget, from anywhere.
        let attempt = loop {
            match self.class.gate.begin(self.ip, Instant::now()) {
                Ok(attempt) => break attempt,
                Err(Wait::Closed) => return Err(russh::Error::Disconnect),
                Err(Wait::Until(at)) => {
                    let wait = at.saturating_duration_since(Instant::now());
                    let until = tokio::time::Instant::now() + wait;
                    if until >= self.deadline {
                        return Err(russh::Error::Disconnect);
                    }
                    tokio::time::sleep_until(until).await;
                }
            }
        };
        if self.class.gate.admits(password) {
            self.class.gate.admitted(attempt);
            self.user = user.to_string();
            return Ok(Auth::Accept);
        }
        self.class.gate.failed(self.ip, attempt);
        Ok(Auth::Reject {
            proceed_with_methods: Some(MethodSet::from(&[MethodKind::Password][..])),
            partial_success: false,
        })
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        _key: &russh::keys::PublicKey,
    ) -> Result<Auth, Self::Error> {
        Ok(Auth::reject())
    }

    async fn auth_succeeded(&mut self, _session: &mut Session) -> Result<(), Self::Error> {
        self.logged_in.store(true, Ordering::SeqCst);
        self.door = None;
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // One explainer per connection.
        if self.session_open {
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        }
        self.session_open = true;
        let class = Arc::clone(&self.class);
        let user = self.user.clone();
        let handle = session.handle();
        tokio::spawn(async move {
            run_student(class, channel, user).await;
            // However the student left, the connection goes with them; a client that closes
            // its end on its own has done so by then.
            sleep(Duration::from_secs(1)).await;
            let bye = handle.disconnect(Disconnect::ByApplication, String::new(), String::new());
            let _ = timeout(STALL, bye).await;
        });
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        _cols: u32,
        _rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.pty = true;
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.pty {
            session.channel_success(channel)
        } else {
            session.channel_failure(channel)
        }
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // One command only: the handout, which the session's task sends (see `setup`).
        if data == handout::COMMAND {
            return session.channel_success(channel);
        }
        session.channel_failure(channel)?;
        session.close(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        session.close(channel)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _protocol: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn env_request(
        &mut self,
        _channel: ChannelId,
        _name: &str,
        _value: &str,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// How much typing a student may send: refilled at [`INPUT_RATE`] bytes a second up to
/// [`INPUT_BURST`]; beyond it, typing is dropped rather than queued.
struct Budget {
    left: f64,
    at: Instant,
}

impl Budget {
    fn new(now: Instant) -> Budget {
        Budget {
            left: INPUT_BURST,
            at: now,
        }
    }

    /// Of `n` bytes arriving at `now`, how many are taken.
    fn take(&mut self, n: usize, now: Instant) -> usize {
        let refill = now.saturating_duration_since(self.at).as_secs_f64() * INPUT_RATE;
        self.left = (self.left + refill).min(INPUT_BURST);
        self.at = now;
        let taken = n.min(self.left as usize);
        self.left -= taken as f64;
        taken
    }
}

/// What a client's session asks for.
enum Asked {
    /// The explainer, in a terminal of this size and language.
    Shell(Setup),
    /// The handout of the teacher's batch, in this language.
    Handout(Lang),
}

/// The client's terminal and language, up to its request for a shell (or the handout). None
/// when it asks for anything else or goes away.
async fn setup(channel: &mut Channel<Msg>, user: String, login: Duration) -> Option<Asked> {
    let mut setup = Setup {
        user,
        color: true,
        ..Setup::default()
    };
    let mut pty = false;
    let (mut lc_all, mut lc_messages, mut lang) = (None, None, None);
    let mut env = 0;
    let deadline = tokio::time::Instant::now() + login;
    loop {
        let msg = tokio::time::timeout_at(deadline, channel.wait())
            .await
            .ok()??;
        match msg {
            ChannelMsg::RequestPty {
                col_width,
                row_height,
                ..
            } => {
                pty = true;
                setup.size = clamp_size(col_width, row_height);
            }
            ChannelMsg::SetEnv {
                variable_name,
                variable_value,
                ..
            } if env < MAX_ENV => {
                env += 1;
                let value = Some(variable_value);
                match variable_name.as_str() {
                    "LC_ALL" => lc_all = value,
                    "LC_MESSAGES" => lc_messages = value,
                    "LANG" => lang = value,
                    "NO_COLOR" => setup.color = value.is_none_or(|v| v.is_empty()),
                    _ => {}
                }
            }
            ChannelMsg::RequestShell { .. } if pty => break,
            ChannelMsg::RequestShell { .. } => {
                let _ = channel
                    .data(&b"gradstep serve needs a terminal: connect with ssh -t\r\n"[..])
                    .await;
                return None;
            }
            ChannelMsg::Exec { command, .. } if command == handout::COMMAND => {
                setup.lang = Lang::from_env_values(
                    lc_all.as_deref(),
                    lc_messages.as_deref(),
                    lang.as_deref(),
                );
                return Some(Asked::Handout(setup.lang));
            }
            ChannelMsg::Exec { .. }
            | ChannelMsg::RequestSubsystem { .. }
            | ChannelMsg::Eof
            | ChannelMsg::Close => return None,
            _ => {}
        }
    }
    setup.lang = Lang::from_env_values(lc_all.as_deref(), lc_messages.as_deref(), lang.as_deref());
    Some(Asked::Shell(setup))
}

/// Computes a student's long move a slice at a time on tokio's blocking threads (never on the
/// runtime's, which move every student's bytes), at most [`Limits::max_jumps`] students at once
/// and in turn, reading the student's keys between slices and showing the progress. None when
/// the student is gone: their connection closed, or the computation failed.
///
/// [`Limits::max_jumps`]: super::class::Limits::max_jumps
async fn compute<P: Pupil>(
    class: &Class,
    channel: &mut Channel<Msg>,
    mut student: P,
    budget: &mut Budget,
) -> Option<P> {
    let mut shown: Option<tokio::time::Instant> = None;
    while student.jumping() && !student.wants_to_leave() && !*class.ended.borrow() {
        let permit = class.jumps.acquire().await.ok()?;
        student = tokio::task::spawn_blocking(move || {
            student.slice();
            student
        })
        .await
        .ok()?;
        drop(permit);
        // What the student typed meanwhile: Esc and q act on the jump, the rest waits for it.
        loop {
            let msg = tokio::select! {
                biased;
                msg = channel.wait() => msg,
                () = std::future::ready(()) => break,
            };
            match msg {
                Some(ChannelMsg::Data { data }) => {
                    let take = budget.take(data.len(), Instant::now());
                    student.bytes_in(&data[..take]);
                }
                Some(ChannelMsg::WindowChange {
                    col_width,
                    row_height,
                    ..
                }) => student.resize(col_width, row_height).ok()?,
                Some(ChannelMsg::Eof | ChannelMsg::Close) | None => return None,
                Some(_) => {}
            }
        }
        let due = shown.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY);
        if student.jumping() && student.shows_progress() && due {
            let frame = student.frame().ok()?;
            if !send(channel, &frame).await {
                return None;
            }
            shown = Some(tokio::time::Instant::now());
        }
    }
    Some(student)
}

/// Sends the handout of the teacher's current batch, computed on a blocking thread in turn with
/// the class's long moves; on failure one line on the client's stderr and exit status 1.
async fn send_handout(class: &Arc<Class>, channel: &Channel<Msg>, lang: Lang) {
    let made = async {
        let permit = class.jumps.acquire().await.ok()?;
        let class = Arc::clone(class);
        let text = tokio::task::spawn_blocking(move || handout::render(&class, lang))
            .await
            .ok();
        drop(permit);
        text
    };
    let made = match timeout(handout::TIME, made).await {
        Ok(Some(made)) => made,
        Ok(None) => Err(words::no_handout(lang, words::NoHandout::Failed)),
        Err(_) => Err(words::no_handout(lang, words::NoHandout::TooSlow)),
    };
    let sent = match made {
        Ok(text) => send(channel, text.as_bytes()).await,
        Err(why) => {
            let line = format!("gradstep serve: {why}\n");
            let _ = timeout(STALL, channel.extended_data(1, line.as_bytes())).await;
            false
        }
    };
    let _ = channel.exit_status(if sent { 0 } else { 1 }).await;
}

/// Sends `bytes`, or false when the client does not take them in time (or is gone).
async fn send(channel: &Channel<Msg>, bytes: &[u8]) -> bool {
    if bytes.is_empty() {
        return true;
    }
    matches!(timeout(STALL, channel.data(bytes)).await, Ok(Ok(())))
}

async fn run_student(class: Arc<Class>, mut channel: Channel<Msg>, user: String) {
    let setup = match setup(&mut channel, user, class.limits.login).await {
        Some(Asked::Shell(setup)) => setup,
        Some(Asked::Handout(lang)) => {
            send_handout(&class, &channel, lang).await;
            let _ = channel.eof().await;
            let _ = channel.close().await;
            return;
        }
        None => {
            let _ = channel.close().await;
            return;
        }
    };
    let Some(seat) = class.join() else {
        let max = class.limits.max_students;
        let text = words::class_full(setup.lang, max) + "\r\n";
        let _ = send(&channel, text.as_bytes()).await;
        let _ = channel.exit_status(1).await;
        let _ = channel.close().await;
        return;
    };
    // The explainer of the class's model, woken by the teacher's place on it.
    if let Some(taught) = &class.two_layer {
        let place = taught.place.subscribe();
        match TwoLayerStudent::new(Arc::clone(&class), seat, &setup) {
            Ok(student) => attend(class, channel, student, place).await,
            Err(_) => {
                let _ = channel.close().await;
            }
        }
        return;
    }
    let place = class.place.subscribe();
    match Student::new(Arc::clone(&class), seat, &setup) {
        Ok(student) => attend(class, channel, student, place).await,
        Err(_) => {
            let _ = channel.close().await;
        }
    }
}

/// What the server needs of a student's explainer, on either model.
trait Pupil: Send + 'static {
    /// What the teacher publishes for it to follow.
    type Place: Clone + Send + Sync;
    fn frame(&mut self) -> std::io::Result<Vec<u8>>;
    fn bytes_in(&mut self, bytes: &[u8]) -> bool;
    fn resize(&mut self, cols: u32, rows: u32) -> std::io::Result<()>;
    fn teacher_moved(&mut self, place: Self::Place) -> bool;
    fn tick_interval(&self) -> Option<Duration>;
    fn tick(&mut self) -> bool;
    fn jumping(&self) -> bool;
    fn slice(&mut self) -> bool;
    fn shows_progress(&self) -> bool;
    fn wants_to_leave(&self) -> bool;
    fn lang(&self) -> Lang;
}

/// Both explainers' students answer to the same names: each call is passed on as it is.
macro_rules! pupil {
    ($student:ty, $place:ty, $lang:expr) => {
        impl Pupil for $student {
            type Place = $place;
            fn frame(&mut self) -> std::io::Result<Vec<u8>> {
                <$student>::frame(self)
            }
            fn bytes_in(&mut self, bytes: &[u8]) -> bool {
                <$student>::bytes_in(self, bytes)
            }
            fn resize(&mut self, cols: u32, rows: u32) -> std::io::Result<()> {
                <$student>::resize(self, cols, rows)
            }
            fn teacher_moved(&mut self, place: $place) -> bool {
                <$student>::teacher_moved(self, place)
            }
            fn tick_interval(&self) -> Option<Duration> {
                <$student>::tick_interval(self)
            }
            fn tick(&mut self) -> bool {
                <$student>::tick(self)
            }
            fn jumping(&self) -> bool {
                <$student>::jumping(self)
            }
            fn slice(&mut self) -> bool {
                <$student>::slice(self)
            }
            fn shows_progress(&self) -> bool {
                <$student>::shows_progress(self)
            }
            fn wants_to_leave(&self) -> bool {
                <$student>::wants_to_leave(self)
            }
            fn lang(&self) -> Lang {
                let lang: fn(&$student) -> Lang = $lang;
                lang(self)
            }
        }
    };
}

pupil!(Student, Arc<Lead>, |s| s.app().lang());
pupil!(TwoLayerStudent, TwoLayerPlace, TwoLayerStudent::lang);

/// A seated student's session: their keys, the teacher's moves, their ticks and long moves,
/// until one of them leaves.
async fn attend<P: Pupil>(
    class: Arc<Class>,
    mut channel: Channel<Msg>,
    mut student: P,
    mut place: tokio::sync::watch::Receiver<P::Place>,
) {
    let mut ended = class.ended.subscribe();
    let idle = class.limits.idle;
    let mut last_activity = tokio::time::Instant::now();
    let mut budget = Budget::new(Instant::now());
    let mut ok = match (terminal::opening(), student.frame()) {
        (Ok(open), Ok(frame)) => send(&channel, &open).await && send(&channel, &frame).await,
        _ => false,
    };
    let mut next_tick: Option<tokio::time::Instant> = None;
    let mut farewell = String::new();
    while ok && !student.wants_to_leave() {
        if student.jumping() {
            let Some(back) = compute(&class, &mut channel, student, &mut budget).await else {
                let _ = channel.close().await;
                return;
            };
            student = back;
            last_activity = tokio::time::Instant::now();
            ok = match student.frame() {
                Ok(frame) => send(&channel, &frame).await,
                Err(_) => false,
            };
            continue;
        }
        next_tick = match (student.tick_interval(), next_tick) {
            (Some(every), None) => Some(tokio::time::Instant::now() + every),
            (Some(_), t) => t,
            (None, _) => None,
        };
        let tick_at = next_tick;
        let dirty = tokio::select! {
            msg = channel.wait() => match msg {
                Some(ChannelMsg::Data { data }) => {
                    last_activity = tokio::time::Instant::now();
                    let take = budget.take(data.len(), Instant::now());
                    student.bytes_in(&data[..take])
                }
                Some(ChannelMsg::WindowChange { col_width, row_height, .. }) => {
                    student.resize(col_width, row_height).is_ok()
                }
                Some(ChannelMsg::Eof | ChannelMsg::Close) | None => break,
                Some(_) => false,
            },
            changed = place.changed() => {
                if changed.is_err() {
                    break;
                }
                last_activity = tokio::time::Instant::now();
                let now = place.borrow_and_update().clone();
                student.teacher_moved(now)
            }
            () = async {
                match tick_at {
                    Some(t) => tokio::time::sleep_until(t).await,
                    None => std::future::pending().await,
                }
            } => {
                next_tick = None;
                student.tick()
            }
            _ = ended.wait_for(|e| *e) => {
                farewell = words::teacher_ended(student.lang()) + "\r\n";
                break;
            }
            () = tokio::time::sleep_until(last_activity + idle) => {
                farewell = words::idle_closed(student.lang()) + "\r\n";
                break;
            }
        };
        if dirty {
            ok = match student.frame() {
                Ok(frame) => send(&channel, &frame).await,
                Err(_) => false,
            };
        }
    }
    // The seat is given back first: a stalled client must not hold it while we give up on it.
    drop(student);
    if ok && let Ok(bytes) = terminal::closing() {
        let _ = send(&channel, &bytes).await;
        let _ = send(&channel, farewell.as_bytes()).await;
        let _ = channel.exit_status(0).await;
        let _ = channel.eof().await;
    }
    let _ = channel.close().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_beyond_the_budget_is_dropped_and_the_budget_refills() {
        let t0 = Instant::now();
        let mut b = Budget::new(t0);
        assert_eq!(b.take(5000, t0), 4096);
        assert_eq!(b.take(10, t0), 0);
        // Half a second at 256 bytes a second: 128 more.
        assert_eq!(b.take(1000, t0 + Duration::from_millis(500)), 128);
        // Never more than the burst, however long the pause.
        assert_eq!(b.take(10_000, t0 + Duration::from_secs(3600)), 4096);
    }
}

//! What the teacher's explainer and every student's share: the run, the teacher's place, who is
//! connected and the quiz answers. Students hold seats; a seat given back (however the student
//! left) takes its answer with it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Semaphore, watch};

use super::follow::Lead;
use super::gate::{Gate, Source};
use crate::engine::mlp_session::{MlpSession, MlpStep};
use crate::engine::{Session, Starts, Step};
use crate::lesson::{Lesson, Stop};
use crate::ui::UiOptions;
use crate::ui::two_layer::{TwoLayerApp, TwoLayerPlace};

/// The bounds on what students can make the server do.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_students: usize,
    /// Connections at once, students and those still logging in.
    pub max_connections: usize,
    /// A student who types nothing while the teacher does nothing for this long is let go.
    pub idle: Duration,
    /// Connections not logged in yet, in all and from one source (see [`Source`]): a flood of
    /// connections that say nothing fills neither the server nor the door for the others.
    pub max_logins: usize,
    pub max_logins_per_source: usize,
    /// From connecting to the SSH greeting, and from connecting to a running explainer.
    pub greeting: Duration,
    pub login: Duration,
    /// Students' long moves computed at once (each on a blocking thread, a slice at a time);
    /// the others wait their turn between slices.
    pub max_jumps: usize,
    /// History a free student's explainer may keep of its own (a following student's is the
    /// teacher's, kept once), and all students' own together; a move past either is refused.
    pub student_history: usize,
    pub students_history: usize,
}

impl Limits {
    /// The limits `gradstep serve` uses for `max_students`.
    pub fn new(max_students: usize) -> Limits {
        let max_logins = 64;
        Limits {
            max_students,
            max_connections: max_students.saturating_add(max_logins),
            idle: IDLE,
            max_logins,
            max_logins_per_source: 16,
            greeting: Duration::from_secs(10),
            login: Duration::from_secs(30),
            max_jumps: 2,
            student_history: 16 << 20,
            students_history: 256 << 20,
        }
    }
}

/// Students who type nothing while the teacher does nothing are let go after this long.
pub const IDLE: Duration = Duration::from_secs(2 * 60 * 60);

/// The step a question is asked at, on either model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Linear(Step),
    TwoLayer(MlpStep),
}

/// Which question an answer is to: the batch (0-based over the whole run) and the step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    pub global: usize,
    pub at: At,
}

impl From<(usize, Step)> for Question {
    fn from((global, step): (usize, Step)) -> Question {
        Question {
            global,
            at: At::Linear(step),
        }
    }
}

impl From<(usize, MlpStep)> for Question {
    fn from((global, step): (usize, MlpStep)) -> Question {
        Question {
            global,
            at: At::TwoLayer(step),
        }
    }
}

pub struct Class {
    pub gate: Gate,
    pub limits: Limits,
    /// The run as the teacher started it (with its `--change`s), for every new student.
    pub start: Session,
    /// The run without any change, to rebuild from when the teacher changes a setting live.
    pub pristine: Session,
    pub lesson: Lesson,
    pub options: UiOptions,
    pub place: watch::Sender<Arc<Lead>>,
    /// True once the teacher has quit: every student is let go.
    pub ended: watch::Sender<bool>,
    /// Open connections (students and those still logging in).
    pub connections: AtomicUsize,
    /// Connections not logged in yet, by source.
    logins: Mutex<HashMap<Source, usize>>,
    /// Turns at computing a slice of a student's long move (see [`Limits::max_jumps`]).
    pub jumps: Semaphore,
    /// The teacher's run as last shown, history and all: following students take it instead
    /// of computing the way to the teacher's place (or keeping a copy of its history).
    pub run: watch::Sender<Arc<Session>>,
    /// Bytes of history students keep of their own (reserved for their moves in progress).
    own_history: AtomicUsize,
    students: AtomicUsize,
    next_seat: AtomicU64,
    /// Each seat's answer: the question, the value and the decimals typed.
    answers: Mutex<HashMap<u64, (Question, f64, usize)>>,
    /// Bumped whenever the teacher's screen has something new to show.
    version: AtomicU64,
    /// A class on a two-layer run: its run and place (the linear fields above are then the
    /// same data's linear run, which no one is shown).
    pub two_layer: Option<TwoLayerClass>,
}

/// A student's place in the class; dropping it leaves.
pub struct Seat {
    class: Arc<Class>,
    pub id: u64,
}

impl Drop for Seat {
    fn drop(&mut self) {
        self.class.students.fetch_sub(1, Ordering::SeqCst);
        if let Ok(mut answers) = self.class.answers.lock() {
            answers.remove(&self.id);
        }
        self.class.version.fetch_add(1, Ordering::SeqCst);
    }
}

/// A connection that has not logged in yet; dropping it (logged in, or gone) leaves the door.
pub struct AtDoor {
    class: Arc<Class>,
    source: Source,
}

impl Drop for AtDoor {
    fn drop(&mut self) {
        if let Ok(mut logins) = self.class.logins.lock()
            && let Some(n) = logins.get_mut(&self.source)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                logins.remove(&self.source);
            }
        }
    }
}

impl Class {
    pub fn new(
        gate: Gate,
        limits: Limits,
        start: Session,
        pristine: Session,
        lesson: Lesson,
        options: UiOptions,
        place: Lead,
    ) -> Class {
        let max_jumps = limits.max_jumps.max(1);
        let run = watch::Sender::new(Arc::new(start.clone()));
        Class {
            gate,
            limits,
            start,
            pristine,
            lesson,
            options,
            place: watch::Sender::new(Arc::new(place)),
            ended: watch::Sender::new(false),
            connections: AtomicUsize::new(0),
            logins: Mutex::new(HashMap::new()),
            jumps: Semaphore::new(max_jumps),
            run,
            own_history: AtomicUsize::new(0),
            students: AtomicUsize::new(0),
            next_seat: AtomicU64::new(0),
            answers: Mutex::new(HashMap::new()),
            version: AtomicU64::new(0),
            two_layer: None,
        }
    }

    /// The class on a two-layer run (see [`TwoLayerClass`]).
    pub fn with_two_layer(self, two_layer: TwoLayerClass) -> Class {
        Class {
            two_layer: Some(two_layer),
            ..self
        }
    }

    /// The class with other limits (tests use small ones).
    pub fn limited(self, gate: Gate, limits: Limits) -> Class {
        Class {
            gate,
            jumps: Semaphore::new(limits.max_jumps.max(1)),
            limits,
            ..self
        }
    }

    /// A seat, unless the class is full.
    pub fn join(self: &Arc<Self>) -> Option<Seat> {
        let max = self.limits.max_students;
        self.students
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()?;
        self.version.fetch_add(1, Ordering::SeqCst);
        Some(Seat {
            class: Arc::clone(self),
            id: self.next_seat.fetch_add(1, Ordering::SeqCst),
        })
    }

    /// A place at the door for a connection from `source` that has not logged in yet, unless
    /// too many wait there already, from it or in all.
    pub fn at_door(self: &Arc<Self>, source: Source) -> Option<AtDoor> {
        let mut logins = self.logins.lock().ok()?;
        let total: usize = logins.values().sum();
        let mine = logins.get(&source).copied().unwrap_or(0);
        if total >= self.limits.max_logins || mine >= self.limits.max_logins_per_source {
            return None;
        }
        logins.insert(source, mine + 1);
        Some(AtDoor {
            class: Arc::clone(self),
            source,
        })
    }

    /// Connections not logged in yet.
    pub fn logging_in(&self) -> usize {
        self.logins.lock().map(|l| l.values().sum()).unwrap_or(0)
    }

    /// Bytes of history students keep of their own, all together.
    pub fn students_history(&self) -> usize {
        self.own_history.load(Ordering::SeqCst)
    }

    /// A student's own history goes from `was` bytes to `now`; false (and nothing changed) if
    /// that would pass the class's budget for them.
    pub fn own_history(&self, was: usize, now: usize, checked: bool) -> bool {
        self.own_history
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                let next = used.saturating_sub(was).saturating_add(now);
                (!checked || now <= was || next <= self.limits.students_history).then_some(next)
            })
            .is_ok()
    }

    pub fn students(&self) -> usize {
        self.students.load(Ordering::SeqCst)
    }

    pub fn version(&self) -> u64 {
        self.version.load(Ordering::SeqCst)
    }

    /// Records (or replaces) `seat`'s answer to `question`, typed with `decimals` decimals.
    pub fn answer(&self, seat: &Seat, question: impl Into<Question>, value: f64, decimals: usize) {
        if let Ok(mut answers) = self.answers.lock() {
            answers.insert(seat.id, (question.into(), value, decimals));
        }
        self.version.fetch_add(1, Ordering::SeqCst);
    }

    /// Forgets every answer to `question` (the teacher asks another entry of it).
    pub fn forget(&self, question: impl Into<Question>) {
        let question = question.into();
        if let Ok(mut answers) = self.answers.lock() {
            answers.retain(|_, (q, _, _)| *q != question);
        }
        self.version.fetch_add(1, Ordering::SeqCst);
    }

    /// Every connected student's answer to `question`.
    pub fn answers(&self, question: impl Into<Question>) -> Vec<f64> {
        self.typed(question).into_iter().map(|(v, _)| v).collect()
    }

    /// Every connected student's answer to `question`, with the decimals they typed.
    pub fn typed(&self, question: impl Into<Question>) -> Vec<(f64, usize)> {
        let question = question.into();
        self.answers
            .lock()
            .map(|a| {
                a.values()
                    .filter(|(q, _, _)| *q == question)
                    .map(|(_, v, d)| (*v, *d))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// What a class on a two-layer run shares.
pub struct TwoLayerClass {
    /// The run as the teacher started it, for every new student.
    pub start: MlpSession,
    /// The teacher's run as last shown: a follower takes it, its checkpoints shared rather than
    /// computed again or copied.
    pub run: watch::Sender<Arc<MlpSession>>,
    pub place: watch::Sender<TwoLayerPlace>,
    /// The lesson plan's stops and where a network of another size starts, for every student's
    /// explainer (its note shown, Tab while exploring).
    pub plan: Option<(Vec<Stop>, Starts)>,
}

impl TwoLayerClass {
    pub fn new(start: MlpSession, place: TwoLayerPlace) -> TwoLayerClass {
        TwoLayerClass {
            run: watch::Sender::new(Arc::new(start.clone())),
            start,
            place: watch::Sender::new(place),
            plan: None,
        }
    }

    /// The class with the teacher's lesson plan.
    pub fn with_plan(self, plan: (Vec<Stop>, Starts)) -> TwoLayerClass {
        TwoLayerClass {
            plan: Some(plan),
            ..self
        }
    }

    /// The teacher's frame is on the screen: its run first (when it has checkpoints the last one
    /// lacks), so that a student woken by the place finds it there, then the place.
    pub fn publish(&self, app: &TwoLayerApp) {
        let s = app.session();
        if !s.shares_history_with(&self.run.borrow()) {
            self.run.send_replace(Arc::new(s.clone()));
        }
        let place = app.place();
        if *self.place.borrow() != place {
            self.place.send_replace(place);
        }
    }
}

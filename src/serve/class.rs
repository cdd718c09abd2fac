//! What the teacher's explainer and every student's share: the run, the teacher's place, who is
//! connected and the quiz answers. Students hold seats; a seat given back (however the student
//! left) takes its answer with it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

use super::follow::Place;
use super::gate::Gate;
use crate::engine::{Session, Step};
use crate::lesson::Lesson;
use crate::ui::UiOptions;

/// The bounds on what students can make the server do.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_students: usize,
    /// Connections at once, students and those still logging in.
    pub max_connections: usize,
    /// A student who types nothing while the teacher does nothing for this long is let go.
    pub idle: Duration,
}

/// Which question an answer is to: the batch and the step.
pub type Question = (usize, Step);

pub struct Class {
    pub gate: Gate,
    pub limits: Limits,
    /// The run as the teacher started it (with its `--change`s), for every new student.
    pub start: Session,
    /// The run without any change, to rebuild from when the teacher changes a setting live.
    pub pristine: Session,
    pub lesson: Lesson,
    pub options: UiOptions,
    pub place: watch::Sender<Arc<Place>>,
    /// True once the teacher has quit: every student is let go.
    pub ended: watch::Sender<bool>,
    /// Open connections (students and those still logging in).
    pub connections: AtomicUsize,
    students: AtomicUsize,
    next_seat: AtomicU64,
    answers: Mutex<HashMap<u64, (Question, f64)>>,
    /// Bumped whenever the teacher's screen has something new to show.
    version: AtomicU64,
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

impl Class {
    pub fn new(
        gate: Gate,
        limits: Limits,
        start: Session,
        pristine: Session,
        lesson: Lesson,
        options: UiOptions,
        place: Place,
    ) -> Class {
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
            students: AtomicUsize::new(0),
            next_seat: AtomicU64::new(0),
            answers: Mutex::new(HashMap::new()),
            version: AtomicU64::new(0),
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

    pub fn students(&self) -> usize {
        self.students.load(Ordering::SeqCst)
    }

    pub fn version(&self) -> u64 {
        self.version.load(Ordering::SeqCst)
    }

    /// Records (or replaces) `seat`'s answer to `question`.
    pub fn answer(&self, seat: &Seat, question: Question, value: f64) {
        if let Ok(mut answers) = self.answers.lock() {
            answers.insert(seat.id, (question, value));
        }
        self.version.fetch_add(1, Ordering::SeqCst);
    }

    /// Every connected student's answer to `question`.
    pub fn answers(&self, question: Question) -> Vec<f64> {
        self.answers
            .lock()
            .map(|a| {
                a.values()
                    .filter(|(q, _)| *q == question)
                    .map(|(_, v)| *v)
                    .collect()
            })
            .unwrap_or_default()
    }
}

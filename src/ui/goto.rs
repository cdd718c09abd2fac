//! Going to a place of the run: `--at E:B:S`, the `:` prompt, and bookmarks (`m` then a digit
//! marks, `'` then the digit returns). Every long jump goes through [`jump`].

use serde::{Deserialize, Serialize};

use crate::engine::{Granularity, Schedule, Session, Step, step};

/// A place in the run: a batch, a step of it, and whether steps go sample by sample (the step
/// index depends on it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// 0-based global batch.
    pub global: usize,
    /// 0-based index into the batch's steps.
    pub step: usize,
    pub by_sample: bool,
}

impl Place {
    pub fn of(session: &Session) -> Place {
        Place {
            global: session.batch().global,
            step: session.steps().1,
            by_sample: session.granularity() == Granularity::Sample,
        }
    }
}

/// The one way the explainer moves far: everything that jumps (the prompt, bookmarks, stops,
/// `--at`, resume) calls this, so a sliced jump for huge runs can replace it in one place.
/// Whether the place was reached exactly (a run that overflows earlier ends before it).
pub fn jump(session: &mut Session, place: Place) -> bool {
    let granularity = if place.by_sample {
        Granularity::Sample
    } else {
        Granularity::Matrix
    };
    session.set_granularity(granularity);
    session.go_to_batch(place.global);
    let global = session.batch().global;
    while session.steps().1 < place.step && session.batch().global == global {
        let (steps, at) = session.steps();
        if at + 1 >= steps.len() || !session.next_step() {
            break;
        }
    }
    Place::of(session) == place
}

/// What the user typed: a batch of the current epoch, an epoch, batch and step, or the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// 1-based batch of the current epoch.
    Batch(usize),
    /// 1-based epoch, batch in that epoch, and step (1 if not given).
    At {
        epoch: usize,
        batch: usize,
        step: usize,
    },
    End,
}

const FORM: &str = "B, E:B, E:B:S or end";

impl Target {
    pub fn parse(text: &str) -> Result<Target, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("end") {
            return Ok(Target::End);
        }
        let parts: Vec<&str> = text.split(':').collect();
        if parts.len() > 3 {
            return Err(format!("\"{text}\" is not a place ({FORM})"));
        }
        let mut nums = Vec::with_capacity(parts.len());
        for (part, what) in parts.iter().zip(["epoch", "batch", "step"]) {
            let what = if parts.len() == 1 { "batch" } else { what };
            match part.trim().parse::<usize>() {
                Ok(0) => return Err(format!("{what} 0: counting starts at 1")),
                Ok(n) => nums.push(n),
                Err(_) => return Err(format!("\"{text}\" is not a place ({FORM})")),
            }
        }
        match nums[..] {
            [batch] => Ok(Target::Batch(batch)),
            [epoch, batch] => Ok(Target::At {
                epoch,
                batch,
                step: 1,
            }),
            [epoch, batch, step] => Ok(Target::At { epoch, batch, step }),
            _ => Err(format!("\"{text}\" is not a place ({FORM})")),
        }
    }

    /// The place this target names in the run as it is scheduled now.
    pub fn resolve(self, session: &Session) -> Result<Place, String> {
        let by_sample = session.granularity() == Granularity::Sample;
        let (epoch, batch, step) = match self {
            Target::End => {
                let sched = schedule(session);
                let global = sched.total_batches().saturating_sub(1);
                let steps = steps_of(&sched, global, session.granularity());
                return Ok(Place {
                    global,
                    step: steps.len().saturating_sub(1),
                    by_sample,
                });
            }
            Target::Batch(b) => (session.batch().epoch, b, 1),
            Target::At { epoch, batch, step } => (epoch, batch, step),
        };
        let global = global_of(session, epoch, batch)?;
        let sched = schedule(session);
        let steps = steps_of(&sched, global, session.granularity());
        if step > steps.len() {
            return Err(format!(
                "step {step}: batch {epoch}:{batch} has {} steps",
                steps.len()
            ));
        }
        Ok(Place {
            global,
            step: step - 1,
            by_sample,
        })
    }
}

/// The first step of kind `kind` in 1-based epoch `epoch`, batch `batch`.
pub fn first_of_kind(
    session: &Session,
    epoch: usize,
    batch: usize,
    kind: &str,
) -> Result<Place, String> {
    let global = global_of(session, epoch, batch)?;
    let steps = steps_of(&schedule(session), global, session.granularity());
    let step = steps.iter().position(|s| s.kind() == kind).ok_or_else(|| {
        format!(
            "batch {epoch}:{batch} has no \"{kind}\" step{}",
            if session.granularity() == Granularity::Matrix {
                " when stepping by matrix"
            } else {
                ""
            }
        )
    })?;
    Ok(Place {
        global,
        step,
        by_sample: session.granularity() == Granularity::Sample,
    })
}

/// The run's schedule as the session has it now, changes included.
fn schedule(session: &Session) -> Schedule {
    let segments = session.segments();
    let mut hyper = session.batch().hyper.clone();
    if let Some(first) = segments.first() {
        hyper.lr = first.lr;
        hyper.batch_size = first.batch_size;
    }
    let mut sched = Schedule::new(session.data().n(), &hyper);
    for s in segments.iter().skip(1) {
        sched.change(s.start, s.lr, s.batch_size);
    }
    sched
}

fn steps_of(sched: &Schedule, global: usize, granularity: Granularity) -> Vec<Step> {
    let slot = sched.slot(global);
    step::steps(slot.rows, granularity, slot.pos.epoch_end)
}

/// The global batch of 1-based epoch `epoch`, batch `batch` in it.
fn global_of(session: &Session, epoch: usize, batch: usize) -> Result<usize, String> {
    let sched = schedule(session);
    let total = sched.total_batches();
    let epochs = session.batch().hyper.epochs;
    if epoch == 0 || epoch > epochs {
        return Err(format!("epoch {epoch}: this run has {epochs} epochs"));
    }
    // Batches are in (epoch, batch) order, so the first one not before the target is found by
    // bisection, whatever changes of batch size the run has.
    let key = |g: usize| {
        let p = sched.position(g);
        (p.epoch, p.batch)
    };
    let (mut lo, mut hi) = (0, total);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if key(mid) < (epoch, batch) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if lo < total && key(lo) == (epoch, batch) {
        return Ok(lo);
    }
    let per = if lo > 0 && key(lo - 1).0 == epoch {
        sched.position(lo - 1).epoch_batches
    } else {
        sched
            .position(lo.min(total.saturating_sub(1)))
            .epoch_batches
    };
    Err(format!("batch {batch}: epoch {epoch} has {per} batches"))
}

/// What the go-to keys ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Go {
    /// `:` opens the prompt.
    Open,
    Type(char),
    Erase,
    Submit,
    Cancel,
    /// `m`: the next digit marks the place.
    Mark,
    /// `'`: the next digit returns to its mark.
    Recall,
    Digit(char),
}

/// The prompt's text and the error of the last attempt, shown in it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prompt {
    pub text: String,
    pub error: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Waiting {
    Mark,
    Recall,
}

/// The go-to prompt and the bookmarks.
#[derive(Clone, Debug, Default)]
pub struct GoTo {
    pub prompt: Option<Prompt>,
    waiting: Option<Waiting>,
    pub marks: [Option<Place>; 10],
}

/// What an update of the go-to state asks of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Nothing,
    /// Jump there.
    Jump(Place),
    /// Tell the user (an error if true).
    Say(String, bool),
}

impl GoTo {
    pub fn open(&self) -> bool {
        self.prompt.is_some()
    }

    pub fn waiting(&self) -> bool {
        self.waiting.is_some()
    }

    /// Waiting for the digit of a mark to set (true) or to go to (false).
    pub fn waiting_for_mark(&self) -> Option<bool> {
        self.waiting.map(|w| w == Waiting::Mark)
    }

    /// Where `go` would take the session, if it jumps: what the run loop computes in slices
    /// first when it lies far ahead.
    pub fn destination(&self, go: Go, session: &Session) -> Option<Place> {
        match go {
            Go::Submit => {
                let p = self.prompt.as_ref()?;
                Target::parse(&p.text).and_then(|t| t.resolve(session)).ok()
            }
            Go::Digit(c) if self.waiting == Some(Waiting::Recall) => {
                self.marks[usize::try_from(c.to_digit(10)?).ok()?]
            }
            _ => None,
        }
    }

    pub fn update(&mut self, go: Go, session: &Session, words: &Words) -> Outcome {
        match go {
            Go::Open => self.prompt = Some(Prompt::default()),
            Go::Type(c) => {
                if let Some(p) = &mut self.prompt
                    && p.text.chars().count() < 24
                {
                    p.text.push(c);
                    p.error = None;
                }
            }
            Go::Erase => {
                if let Some(p) = &mut self.prompt {
                    p.text.pop();
                    p.error = None;
                }
            }
            Go::Submit => {
                let Some(p) = &mut self.prompt else {
                    return Outcome::Nothing;
                };
                if p.text.trim().is_empty() {
                    self.prompt = None;
                    return Outcome::Nothing;
                }
                match Target::parse(&p.text).and_then(|t| t.resolve(session)) {
                    Ok(place) => {
                        self.prompt = None;
                        return Outcome::Jump(place);
                    }
                    Err(e) => p.error = Some(e),
                }
            }
            Go::Cancel => {
                self.prompt = None;
                self.waiting = None;
            }
            Go::Mark => self.waiting = Some(Waiting::Mark),
            Go::Recall => self.waiting = Some(Waiting::Recall),
            Go::Digit(c) => {
                let waiting = self.waiting.take();
                let Some(d) = c.to_digit(10).map(|d| d as usize) else {
                    return Outcome::Nothing;
                };
                match waiting {
                    Some(Waiting::Mark) => {
                        let place = Place::of(session);
                        self.marks[d] = Some(place);
                        let text = words.marked.replace("{d}", &d.to_string());
                        return Outcome::Say(text, false);
                    }
                    Some(Waiting::Recall) => {
                        return match self.marks[d] {
                            Some(place) => Outcome::Jump(place),
                            None => {
                                Outcome::Say(words.no_mark.replace("{d}", &d.to_string()), true)
                            }
                        };
                    }
                    None => {}
                }
            }
        }
        Outcome::Nothing
    }
}

/// The sentences the go-to state says, in the current language.
pub struct Words {
    pub marked: &'static str,
    pub no_mark: &'static str,
}

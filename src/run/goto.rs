//! Going to a place of the run: `--at E:B:S`, the `:` prompt, and bookmarks (`m` then a digit
//! marks, `'` then the digit returns). Every long jump goes through [`jump`].

use serde::{Deserialize, Serialize};

use crate::engine::mlp_session::MlpSession;
use crate::engine::{Granularity, Schedule, Session, Step, step};
use crate::lesson::Lang;

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

/// A run whose places can be named: the linear session and the two-layer one. `--at`, the
/// prompt and the lesson's stops resolve against it, so both runs read them alike.
pub trait Stepped {
    /// Which rows and settings each batch takes, as the run is scheduled now.
    fn schedule(&self) -> &Schedule;
    fn epochs(&self) -> usize;
    /// The 1-based epoch shown now.
    fn epoch(&self) -> usize;
    fn granularity(&self) -> Granularity;
    /// The kinds of batch `global`'s steps, in order, at the granularity in force.
    fn step_kinds(&self, global: usize) -> Vec<&'static str>;
    /// Where the run is now.
    fn place(&self) -> Place;
    /// Goes to `place`, per sample or by whole matrices as it was named.
    fn go(&mut self, place: Place);
}

impl Stepped for Session {
    fn schedule(&self) -> &Schedule {
        Session::schedule(self)
    }
    fn epochs(&self) -> usize {
        self.batch().hyper.epochs
    }
    fn epoch(&self) -> usize {
        self.batch().epoch
    }
    fn granularity(&self) -> Granularity {
        Session::granularity(self)
    }
    fn step_kinds(&self, global: usize) -> Vec<&'static str> {
        let slot = Session::schedule(self).slot(global);
        let steps: Vec<Step> =
            step::steps(slot.rows, Session::granularity(self), slot.pos.epoch_end);
        steps.into_iter().map(Step::kind).collect()
    }
    fn place(&self) -> Place {
        Place::of(self)
    }
    fn go(&mut self, place: Place) {
        jump(self, place);
    }
}

impl Stepped for MlpSession {
    fn schedule(&self) -> &Schedule {
        MlpSession::schedule(self)
    }
    fn epochs(&self) -> usize {
        self.hyper().epochs
    }
    fn epoch(&self) -> usize {
        self.update().pos.epoch
    }
    fn granularity(&self) -> Granularity {
        MlpSession::granularity(self)
    }
    fn step_kinds(&self, global: usize) -> Vec<&'static str> {
        self.steps_at(global)
            .into_iter()
            .map(|s| s.kind())
            .collect()
    }
    fn place(&self) -> Place {
        Place {
            global: self.global(),
            step: self.step_index(),
            by_sample: MlpSession::granularity(self) == Granularity::Sample,
        }
    }
    fn go(&mut self, place: Place) {
        let granularity = if place.by_sample {
            Granularity::Sample
        } else {
            Granularity::Matrix
        };
        self.go_to(place.global, place.step, granularity);
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

/// Why a place cannot be gone to, said in the explainer's language (and in English on the
/// command line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Miss {
    /// Not of the form `B`, `E:B`, `E:B:S` or `end`.
    NotAPlace(String),
    /// A 0 where counting starts at 1: which of epoch, batch or step.
    Zero(Part),
    Epoch {
        epoch: usize,
        epochs: usize,
    },
    Batch {
        batch: usize,
        epoch: usize,
        per: usize,
    },
    Step {
        step: usize,
        epoch: usize,
        batch: usize,
        steps: usize,
    },
}

/// A part of a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Epoch,
    Batch,
    Step,
}

impl Miss {
    pub fn say(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Miss::NotAPlace(text) if zh => format!("“{text}”不是位置（B、E:B、E:B:S 或 end）"),
            Miss::NotAPlace(text) => format!("\"{text}\" is not a place (B, E:B, E:B:S or end)"),
            Miss::Zero(part) => {
                let (en, cn) = match part {
                    Part::Epoch => ("epoch", "轮次"),
                    Part::Batch => ("batch", "批次"),
                    Part::Step => ("step", "步骤"),
                };
                if zh {
                    format!("{cn} 0：从 1 开始数")
                } else {
                    format!("{en} 0: counting starts at 1")
                }
            }
            Miss::Epoch { epoch, epochs } if zh => format!("轮次 {epoch}：本次训练共 {epochs} 轮"),
            Miss::Epoch { epoch, epochs } => format!("epoch {epoch}: this run has {epochs} epochs"),
            Miss::Batch { batch, epoch, per } if zh => {
                format!("批次 {batch}：第 {epoch} 轮共 {per} 批")
            }
            Miss::Batch { batch, epoch, per } => {
                format!("batch {batch}: epoch {epoch} has {per} batches")
            }
            Miss::Step {
                step,
                epoch,
                batch,
                steps,
            } if zh => {
                format!("步骤 {step}：第 {epoch}:{batch} 批共 {steps} 步")
            }
            Miss::Step {
                step,
                epoch,
                batch,
                steps,
            } => {
                format!("step {step}: batch {epoch}:{batch} has {steps} steps")
            }
        }
    }
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

impl Target {
    pub fn parse(text: &str) -> Result<Target, Miss> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("end") {
            return Ok(Target::End);
        }
        let parts: Vec<&str> = text.split(':').collect();
        let not_a_place = || Miss::NotAPlace(text.to_string());
        if parts.len() > 3 {
            return Err(not_a_place());
        }
        let mut nums = Vec::with_capacity(parts.len());
        for (part, what) in parts.iter().zip([Part::Epoch, Part::Batch, Part::Step]) {
            let what = if parts.len() == 1 { Part::Batch } else { what };
            match part.trim().parse::<usize>() {
                Ok(0) => return Err(Miss::Zero(what)),
                Ok(n) => nums.push(n),
                Err(_) => return Err(not_a_place()),
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
            _ => Err(not_a_place()),
        }
    }

    /// The place this target names in the run as it is scheduled now.
    pub fn resolve<R: Stepped + ?Sized>(self, session: &R) -> Result<Place, Miss> {
        let by_sample = session.granularity() == Granularity::Sample;
        let (epoch, batch, step) = match self {
            Target::End => {
                let global = session.schedule().total_batches().saturating_sub(1);
                let steps = session.step_kinds(global);
                return Ok(Place {
                    global,
                    step: steps.len().saturating_sub(1),
                    by_sample,
                });
            }
            Target::Batch(b) => (session.epoch(), b, 1),
            Target::At { epoch, batch, step } => (epoch, batch, step),
        };
        let global = global_of(session, epoch, batch)?;
        let steps = session.step_kinds(global);
        if step > steps.len() {
            return Err(Miss::Step {
                step,
                epoch,
                batch,
                steps: steps.len(),
            });
        }
        Ok(Place {
            global,
            step: step - 1,
            by_sample,
        })
    }
}

/// The first step of kind `kind` in 1-based epoch `epoch`, batch `batch`.
pub fn first_of_kind<R: Stepped + ?Sized>(
    session: &R,
    epoch: usize,
    batch: usize,
    kind: &str,
) -> Result<Place, String> {
    let global = global_of(session, epoch, batch).map_err(|e| e.to_string())?;
    let steps = session.step_kinds(global);
    let step = steps.iter().position(|&s| s == kind).ok_or_else(|| {
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

/// The global batch of 1-based epoch `epoch`, batch `batch` in it.
fn global_of<R: Stepped + ?Sized>(session: &R, epoch: usize, batch: usize) -> Result<usize, Miss> {
    let sched = session.schedule();
    let total = sched.total_batches();
    let epochs = session.epochs();
    if epoch == 0 || epoch > epochs {
        return Err(Miss::Epoch { epoch, epochs });
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
    Err(Miss::Batch { batch, epoch, per })
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
    pub fn destination<R: Stepped + ?Sized>(&self, go: Go, session: &R) -> Option<Place> {
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

    /// Closes the prompt and forgets a half-typed bookmark key.
    pub fn close(&mut self) {
        self.prompt = None;
        self.waiting = None;
    }

    pub fn update<R: Stepped + ?Sized>(&mut self, go: Go, session: &R, words: &Words) -> Outcome {
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
                    Err(e) => p.error = Some(e.say(words.lang)),
                }
            }
            Go::Cancel => self.close(),
            Go::Mark => self.waiting = Some(Waiting::Mark),
            Go::Recall => self.waiting = Some(Waiting::Recall),
            Go::Digit(c) => {
                let waiting = self.waiting.take();
                let Some(d) = c.to_digit(10).map(|d| d as usize) else {
                    return Outcome::Nothing;
                };
                match waiting {
                    Some(Waiting::Mark) => {
                        self.marks[d] = Some(session.place());
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
    /// The language the prompt's errors are said in.
    pub lang: Lang,
}

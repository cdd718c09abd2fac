//! The class's place, kept across quitting: on `q`, Ctrl-C, SIGTERM or SIGHUP the explainer writes
//! where it was (the run's options, the place, view, modes, precision, language, the live
//! changes and bookmarks) to the platform's state directory, and `gradstep --resume` opens there.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::goto::Place;
use super::live::Live;
use crate::data::Dataset;
use crate::engine::{Change, Hyper, Params, TwoLayer};

/// Bumped whenever the file's meaning changes; an older file is set aside, not misread.
/// 2: the data's fingerprint takes a value at a time (see [`Print`]).
pub const VERSION: u32 = 2;
const FILE: &str = "place.json";
/// The class's place under `serve`, kept apart so that serving never overwrites the projector's.
const CLASS_FILE: &str = "serve-place.json";
/// A saved place is a few kilobytes; anything far larger (or endless, as /dev/zero) is damaged.
pub const MAX_PLACE_BYTES: u64 = 1 << 20;

/// Where the place is kept: `$XDG_STATE_HOME/gradstep/place.json` (`~/.local/state/...`) on
/// Linux, the local data directory elsewhere.
pub fn path() -> Option<PathBuf> {
    state_dir().map(|d| d.join(FILE))
}

/// Where `serve` keeps the class's place: beside [`path`], in a file of its own.
pub fn class_path() -> Option<PathBuf> {
    state_dir().map(|d| d.join(CLASS_FILE))
}

fn state_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "gradstep")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf(),
    )
}

/// What a run computes from, to refuse resuming a place on other data or settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunPrint {
    /// Where the data came from, in words.
    pub source: String,
    pub rows: usize,
    pub features: usize,
    /// A fingerprint of the names and every value, in hex: a changed file is a different run.
    pub data: String,
    pub lr: f64,
    pub batch_size: usize,
    pub epochs: usize,
    pub shuffle: bool,
    pub seed: u64,
    pub objective: String,
    pub divide_by: String,
    pub init: String,
    /// `--change`.
    #[serde(with = "super::changes")]
    pub changes: Vec<Change>,
    /// The hidden layer's units and activation; none for the lesson's linear model (and in
    /// files saved before a run could have one), so neither is resumed into the other. Left
    /// out of a linear run's file, which stays byte for byte as it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<String>,
}

/// A fingerprint in four lanes, each FNV-1a's step on a whole 64-bit value followed by a
/// rotation (so high bits mix down too): a million rows of a hundred features take a few tens of
/// milliseconds, where a byte at a time took most of a second before the first frame.
struct Print([u64; 4]);

impl Print {
    const PRIME: u64 = 0x0100_0000_01b3;

    fn new() -> Print {
        Print([0xcbf2_9ce4_8422_2325; 4])
    }
    fn mix(h: u64, v: u64) -> u64 {
        (h ^ v).wrapping_mul(Self::PRIME).rotate_left(29)
    }
    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0[0] = Self::mix(self.0[0], u64::from(*b));
        }
    }
    fn f64s(&mut self, values: &[f64]) {
        let mut quads = values.chunks_exact(4);
        for q in &mut quads {
            for (h, v) in self.0.iter_mut().zip(q) {
                *h = Self::mix(*h, v.to_bits());
            }
        }
        for v in quads.remainder() {
            self.0[0] = Self::mix(self.0[0], v.to_bits());
        }
        // The length too, so values moved between the rows and the targets still differ.
        self.0[1] = Self::mix(self.0[1], values.len() as u64);
    }
    fn hex(&self) -> String {
        let h = self
            .0
            .iter()
            .fold(0xcbf2_9ce4_8422_2325, |h, l| Self::mix(h, *l));
        format!("{h:016x}")
    }
}

impl RunPrint {
    pub fn new(
        source: &str,
        data: &Dataset,
        hyper: &Hyper,
        init: &Params,
        changes: &[Change],
    ) -> RunPrint {
        let init: Vec<f64> = init.w.iter().copied().chain([init.b]).collect();
        RunPrint::of(source, data, hyper, &init, changes)
    }

    /// A two-layer run's print: its starting W₁ (by columns), b₁, W₂ and b₂, and the layer.
    pub fn two_layer(
        source: &str,
        data: &Dataset,
        hyper: &Hyper,
        model: &TwoLayer,
        changes: &[Change],
    ) -> RunPrint {
        let p = &model.init;
        let init: Vec<f64> = (p.w1.iter().chain(&p.b1).chain(&p.w2).copied())
            .chain([p.b2])
            .collect();
        RunPrint {
            hidden: Some(p.hidden()),
            activation: Some(model.activation.name().to_string()),
            ..RunPrint::of(source, data, hyper, &init, changes)
        }
    }

    fn of(
        source: &str,
        data: &Dataset,
        hyper: &Hyper,
        init: &[f64],
        changes: &[Change],
    ) -> RunPrint {
        let mut h = Print::new();
        for name in data.feature_names.iter().chain([&data.target_name]) {
            h.bytes(name.as_bytes());
            h.bytes(&[0]);
        }
        h.f64s(data.features());
        h.f64s(data.y());
        let mut p = Print::new();
        p.f64s(init);
        RunPrint {
            source: source.to_string(),
            rows: data.n(),
            features: data.d(),
            data: h.hex(),
            lr: hyper.lr,
            batch_size: hyper.batch_size,
            epochs: hyper.epochs,
            shuffle: hyper.shuffle,
            seed: hyper.seed,
            objective: hyper.objective.name().to_string(),
            divide_by: format!("{:?}", hyper.divide_by).to_lowercase(),
            init: p.hex(),
            changes: changes.to_vec(),
            hidden: None,
            activation: None,
        }
    }

    /// The model in words: the lesson's linear one, or a hidden layer.
    fn model(&self) -> String {
        match (self.hidden, &self.activation) {
            (Some(h), Some(a)) => format!("--hidden {h} --activation {a}"),
            (Some(h), None) => format!("--hidden {h}"),
            (None, _) => "the linear model, no --hidden".to_string(),
        }
    }

    /// What differs between the saved run and this one, in words; empty if they are the same.
    pub fn differences(&self, now: &RunPrint) -> Vec<String> {
        let mut out = Vec::new();
        if self.source != now.source {
            out.push(format!(
                "the data (saved {}, now {})",
                self.source, now.source
            ));
        } else if self.data != now.data || self.rows != now.rows || self.features != now.features {
            out.push(format!(
                "the data ({} has changed since the place was saved)",
                now.source
            ));
        }
        let same_model = (self.hidden, &self.activation) == (now.hidden, &now.activation);
        if !same_model {
            out.push(format!(
                "the model (saved {}, now {})",
                self.model(),
                now.model()
            ));
        } else if self.init != now.init {
            out.push("the initial weights (--init)".into());
        }
        let mut diff = |what: &str, saved: String, given: String| {
            if saved != given {
                out.push(format!("{what} (saved {saved}, now {given})"));
            }
        };
        diff("--lr", self.lr.to_string(), now.lr.to_string());
        diff(
            "--batch-size",
            self.batch_size.to_string(),
            now.batch_size.to_string(),
        );
        diff("--epochs", self.epochs.to_string(), now.epochs.to_string());
        diff(
            "shuffling",
            self.shuffle.to_string(),
            now.shuffle.to_string(),
        );
        diff("--seed", self.seed.to_string(), now.seed.to_string());
        diff("--objective", self.objective.clone(), now.objective.clone());
        diff("--divide-by", self.divide_by.clone(), now.divide_by.clone());
        let changes = |c: &[Change]| {
            let parts: Vec<String> = c
                .iter()
                .map(
                    |&Change {
                         at,
                         lr,
                         batch_size: bs,
                     }| {
                        let mut s = format!("{}:", at + 1);
                        if let Some(lr) = lr {
                            s.push_str(&format!("lr={lr}"));
                        }
                        if let Some(bs) = bs {
                            s.push_str(&format!(
                                "{}batch={bs}",
                                if lr.is_some() { "," } else { "" }
                            ));
                        }
                        s
                    },
                )
                .collect();
            if parts.is_empty() {
                "none".to_string()
            } else {
                parts.join(" ")
            }
        };
        diff("--change", changes(&self.changes), changes(&now.changes));
        out
    }
}

/// Everything the explainer needs to reopen where it was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub version: u32,
    /// The run's options as given on the command line, without `--resume` and `--at`.
    pub args: Vec<String>,
    pub run: RunPrint,
    pub place: Place,
    pub view: String,
    pub quiz: bool,
    pub present: bool,
    pub precision: usize,
    pub lang: String,
    pub theme: String,
    pub live: Live,
    pub marks: [Option<Place>; 10],
    /// The last stop reached (0-based), if any.
    pub stop: Option<usize>,
}

/// Why a saved place cannot be used; said in one line before starting afresh.
pub fn load(path: &Path) -> Result<Saved, String> {
    let shown = path.display();
    let mut bytes = Vec::new();
    let read =
        std::fs::File::open(path).and_then(|f| f.take(MAX_PLACE_BYTES + 1).read_to_end(&mut bytes));
    match read {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!("no saved place ({shown} does not exist)"));
        }
        Err(e) => return Err(format!("cannot read the saved place {shown}: {e}")),
    }
    if bytes.len() as u64 > MAX_PLACE_BYTES {
        return Err(format!(
            "the saved place {shown} is damaged (larger than {} MiB; a place is a few kilobytes)",
            MAX_PLACE_BYTES >> 20
        ));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("the saved place {shown} is damaged (not UTF-8 text)"))?;
    #[derive(Deserialize)]
    struct Versioned {
        version: u32,
    }
    match serde_json::from_str::<Versioned>(&text) {
        Ok(v) if v.version != VERSION => {
            return Err(format!(
                "the saved place {shown} is from another version of gradstep (format {}, this one reads {VERSION})",
                v.version
            ));
        }
        Ok(_) => {}
        Err(e) => return Err(format!("the saved place {shown} is damaged ({e})")),
    }
    serde_json::from_str(&text).map_err(|e| format!("the saved place {shown} is damaged ({e})"))
}

/// Writes the place atomically: a reader (the next `--resume`) never sees half a file.
pub fn save(path: &Path, saved: &Saved) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(saved).map_err(|e| e.to_string())?;
    crate::handout::write_private(path, &text).map_err(|e| e.to_string())
}

/// Saves the place an explainer ended at, if it keeps one; a failure is a warning on stderr.
pub fn keep(saved: Option<(PathBuf, Saved)>) {
    if let Some((path, saved)) = saved
        && let Err(e) = save(&path, &saved)
    {
        // Not eprintln!, which panics when the terminal it would write to is gone.
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "warning: the place was not saved: {e}");
    }
}

/// Refuses to reopen a place saved for another run (other data, settings or model), naming
/// what differs.
pub fn same_run(saved: &Saved, now: &RunPrint) -> Result<(), String> {
    let differs = saved.run.differences(now);
    if differs.is_empty() {
        return Ok(());
    }
    Err(format!(
        "--resume: the saved place is for another run; these differ: {}. \
         Run `gradstep --resume` alone to reopen it, or leave out --resume to start afresh",
        differs.join("; ")
    ))
}

/// How the explainer was started with respect to resuming: where to save, with what options.
#[derive(Clone, Debug, PartialEq)]
pub struct Resume {
    pub path: PathBuf,
    pub args: Vec<String>,
    pub run: RunPrint,
    /// The place to reopen, when `--resume` found one for this run.
    pub saved: Option<Saved>,
}

/// The command-line arguments without `--resume` and `--at` (and its value): the run's options.
/// `serve`'s class code (`--code`) is left out too: it is a password, never written to disk.
pub fn run_args(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
            continue;
        }
        if a == "--resume" || a.starts_with("--at=") || a.starts_with("--code=") {
            continue;
        }
        if a == "--at" || a == "--code" {
            skip = true;
            continue;
        }
        out.push(a.clone());
    }
    out
}

/// Options that say nothing about the run: `serve`'s own (where to listen, the class code's
/// sources, the class's size, the host key) and the display's, which the saved place restores.
const NOT_RUN_FLAGS: [&str; 6] = [
    "serve",
    "--ask-code",
    "--open",
    "--ambiguous-wide",
    "--quiz",
    "--present",
];
const NOT_RUN_VALUED: [&str; 8] = [
    "--listen",
    "--code-file",
    "--max-students",
    "--host-key",
    "--code",
    "--lang",
    "--theme",
    "--precision",
];

/// `args` (as [`run_args`] gives them) without `serve`'s own options and the display's: the
/// options that choose the run, if any were given.
pub fn without_serve_options(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip = false;
    for a in args {
        if std::mem::take(&mut skip) {
            continue;
        }
        if NOT_RUN_FLAGS.contains(&a.as_str())
            || NOT_RUN_VALUED
                .iter()
                .any(|f| a.strip_prefix(f).is_some_and(|rest| rest.starts_with('=')))
        {
            continue;
        }
        if NOT_RUN_VALUED.contains(&a.as_str()) {
            skip = true;
            continue;
        }
        out.push(a.clone());
    }
    out
}

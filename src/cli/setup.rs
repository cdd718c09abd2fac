//! Turns the options into a run: the data set, the hyperparameters and the starting parameters.

use crate::data::{DataError, Dataset, Synthetic, load_csv};
use crate::engine::{
    Change, Hyper, Init, InvalidRun, MAX_BATCHES, Params, Session, Starts, TwoLayer,
};
use crate::lesson::Text;
use crate::preset::{Preset, Start};

use super::args::RunArgs;

/// Everything a command needs to start.
#[derive(Clone, Debug)]
pub struct Run {
    pub data: Dataset,
    pub hyper: Hyper,
    pub init: Params,
    /// The features were rescaled (`--standardize`), which changes the divergence advice.
    pub standardized: bool,
    /// Where the data came from, in words, for handouts.
    pub source: Text,
    /// Learning-rate and batch-size changes along the run (`--change`).
    pub changes: Vec<Change>,
    /// A hidden layer (`--hidden`, or the two-layer preset): the run trains two layers, and
    /// `init` is unused.
    pub two_layer: Option<TwoLayer>,
    /// Where a hidden layer of another size starts (a lesson stop's `hidden`).
    pub starts: Starts,
}

impl Run {
    /// The step machine over this run, with its changes applied.
    pub fn session(&self) -> Result<Session, InvalidRun> {
        Session::new(self.data.clone(), self.hyper.clone(), self.init.clone())?
            .with_changes(&self.changes)
    }

    /// Said on stderr before a run that trains: a warning that it will likely diverge, and why.
    /// Computed on demand, so `gradstep data` never pays for it.
    pub fn warning(&self) -> Option<String> {
        stability_warning(&self.data, &self.hyper, self.standardized)
    }
}

pub fn build(args: &RunArgs) -> Result<Run, DataError> {
    let preset = args.preset.unwrap_or_default();
    let synthetic_options = [
        ("--samples", args.samples.is_some()),
        ("--true-w", args.true_w.is_some()),
        ("--true-b", args.true_b.is_some()),
        ("--noise", args.noise.is_some()),
    ];
    let spec = preset.spec();
    let generated = args.data.is_none() && spec.data.is_generated();
    if !generated && let Some((name, _)) = synthetic_options.iter().find(|(_, given)| *given) {
        let source = if args.data.is_some() {
            "--data"
        } else {
            "this --preset"
        };
        return Err(DataError(format!(
            "{name} only applies to generated data (--preset d2l and its scenarios), not to {source}"
        )));
    }
    if args.target.is_some() && args.data.is_none() {
        return Err(DataError(
            "--target names a column of --data, but no --data file was given".into(),
        ));
    }

    let seed = args.seed.unwrap_or(crate::data::DEFAULT_SEED);
    let mut data = match &args.data {
        Some(path) => load_csv(path, args.target.as_deref())?,
        None => {
            let base = Synthetic::default();
            spec.data.rows(&Synthetic {
                samples: args.samples.unwrap_or(base.samples),
                true_w: args.true_w.clone().map_or(base.true_w, |w| w.0),
                true_b: args.true_b.unwrap_or(base.true_b),
                noise: args.noise.unwrap_or(base.noise),
                seed,
            })?
        }
    };
    if args.standardize {
        data.standardize()?;
    }

    let base = if args.data.is_some() {
        Hyper::default()
    } else {
        spec.hyper.clone()
    };
    let hyper = Hyper {
        lr: args.lr.unwrap_or(base.lr),
        batch_size: args.batch_size.unwrap_or(base.batch_size),
        epochs: args.epochs.unwrap_or(base.epochs),
        shuffle: base.shuffle && !args.no_shuffle,
        seed,
        objective: args.objective.unwrap_or(base.objective),
        divide_by: args.divide_by.unwrap_or(base.divide_by),
        zero_grad: !args.keep_grad,
    };
    let init = match args.init {
        None if args.data.is_some() => Init::Normal,
        None => preset.init(),
        Some(init) => init,
    }
    .params(data.d(), seed);
    let (two_layer, starts) = two_layer(args, preset, data.d(), seed)?;
    check_run_length(data.n(), &hyper)?;
    let source = describe(args, preset, &data);
    let mut changes = args.change.clone();
    changes.sort_by_key(|c| c.at);
    // Checked here, before any output, so a bad --change is one error line like any bad option.
    let mut check = crate::engine::Schedule::new(data.n(), &hyper);
    check
        .apply(&changes)
        .map_err(|e| DataError(format!("--change: {}", e.0)))?;
    if check.total_batches() > MAX_BATCHES {
        return Err(DataError(format!(
            "--change: the smaller batch size makes the run longer than {MAX_BATCHES} mini-batches, the most a run may have"
        )));
    }
    Ok(Run {
        data,
        hyper,
        init,
        standardized: args.standardize,
        source,
        changes,
        two_layer,
        starts,
    })
}

/// The hidden layer, if the run has one: `--hidden` on any data, or the two-layer preset, whose
/// own round starting weights are kept unless `--hidden` or `--init` asks for another start.
fn two_layer(
    args: &RunArgs,
    preset: Preset,
    d: usize,
    seed: u64,
) -> Result<(Option<TwoLayer>, Starts), DataError> {
    let own = match (&args.data, preset.spec().start) {
        (None, Start::TwoLayer(own)) => Some(own),
        (Some(_), _) | (None, Start::Linear(_)) => None,
    };
    let starts = Starts {
        own: own.as_ref().map(|o| o.init.clone()),
        init: args.init,
        d,
        seed,
    };
    let hidden = match (&own, args.hidden) {
        (_, Some(hidden)) => hidden,
        (Some(own), None) => own.init.hidden(),
        (None, None) => {
            return match args.activation {
                Some(a) => Err(DataError(format!(
                    "--activation {a} sets the hidden layer's σ, but this run has no hidden layer: add --hidden H"
                ))),
                None => Ok((None, starts)),
            };
        }
    };
    let model = TwoLayer {
        activation: args
            .activation
            .or(own.map(|o| o.activation))
            .unwrap_or_default(),
        init: starts.params(hidden),
    };
    Ok((Some(model), starts))
}

/// The lesson file's hidden layer (`hidden`, `activation` at its top) for a run whose command
/// line sets none; its activation only where the run has a hidden layer to apply it to.
pub fn lesson_model(
    args: &mut RunArgs,
    hidden: Option<usize>,
    activation: Option<crate::engine::Activation>,
) {
    args.hidden = args.hidden.or(hidden);
    let preset_has_one = args.data.is_none()
        && matches!(
            args.preset.unwrap_or_default().spec().start,
            Start::TwoLayer(_)
        );
    if args.hidden.is_some() || preset_has_one {
        args.activation = args.activation.or(activation);
    }
}

/// --epochs × the mini-batches of one epoch, checked before anything runs: the count must not
/// wrap around, and a run must end within [`MAX_BATCHES`].
fn check_run_length(n: usize, hyper: &Hyper) -> Result<(), DataError> {
    let per_epoch = n.div_ceil(hyper.batch_size.max(1));
    match hyper.epochs.checked_mul(per_epoch) {
        Some(total) if total <= MAX_BATCHES => Ok(()),
        _ => Err(DataError(format!(
            "--epochs {}: with {per_epoch} mini-batches per epoch that is more than {MAX_BATCHES} mini-batches, \
             the most a run may have",
            hyper.epochs
        ))),
    }
}

/// The data's origin in both languages, e.g. "the d2l synthetic set (preset d2l), 1000 rows".
fn describe(args: &RunArgs, preset: Preset, data: &Dataset) -> Text {
    let n = data.n();
    let (mut en, mut zh) = match &args.data {
        Some(path) => (
            format!("{}, {n} rows", path.display()),
            format!("{}，{n} 行", path.display()),
        ),
        None if preset.spec().data.is_generated() => (
            format!("the d2l synthetic set (preset {}), {n} rows", preset.name()),
            format!("d2l 合成数据（预设 {}），{n} 行", preset.name()),
        ),
        None => (
            format!("the {} preset, {n} rows", preset.name()),
            format!("预设 {}，{n} 行", preset.name()),
        ),
    };
    if args.standardize {
        en.push_str(", features standardized");
        zh.push_str("，特征已标准化");
    }
    Text { en, zh }
}

/// Gradient descent on a quadratic is stable only while the step times the largest curvature
/// stays below 2; unscaled features (areas in the hundreds) break that at lr 0.03.
fn stability_warning(data: &Dataset, hyper: &Hyper, standardized: bool) -> Option<String> {
    let crate::engine::stability::Unstable {
        curvature: lambda,
        gain,
        limit,
    } = crate::engine::stability::predict_run(data, hyper)?;
    // Curvature far above 1 means features far from unit scale: rescaling is the real fix.
    let advice = if lambda > 10.0 && !standardized {
        format!("try --standardize, or lower --lr below {limit:.3e}")
    } else {
        format!("lower --lr below {limit:.3e}")
    };
    Some(format!(
        "this run will likely diverge: the features' scale gives a curvature of {lambda:.4e}, and lr × curvature = {gain:.3e} is above 2, \
         so each update overshoots by more than it corrects; {advice}"
    ))
}

//! Turns the options into a run: the data set, the hyperparameters and the starting parameters.

use crate::data::{DataError, Dataset, Preset, Synthetic, load_csv};
use crate::engine::{Change, DivideBy, Hyper, InvalidRun, Objective, Params, Session};
use crate::lesson::Text;

use super::args::{DivideByName, InitName, ObjectiveName, RunArgs};

/// Everything a command needs to start.
#[derive(Clone, Debug)]
pub struct Run {
    pub data: Dataset,
    pub hyper: Hyper,
    pub init: Params,
    /// Said on stderr before the run: a warning that it will likely diverge, and why.
    pub warning: Option<String>,
    /// Where the data came from, in words, for handouts.
    pub source: Text,
    /// Learning-rate and batch-size changes along the run (`--change`).
    pub changes: Vec<Change>,
}

impl Run {
    /// The step machine over this run, with its changes applied.
    pub fn session(&self) -> Result<Session, InvalidRun> {
        Session::new(self.data.clone(), self.hyper.clone(), self.init.clone())?
            .with_changes(&self.changes)
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
    let generated = args.data.is_none() && preset.is_synthetic();
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
    if args.data.is_some() && args.preset.is_some() {
        return Err(DataError(
            "--data and --preset cannot be combined: the file is the data".into(),
        ));
    }
    if args.target.is_some() && args.data.is_none() {
        return Err(DataError(
            "--target names a column of --data, but no --data file was given".into(),
        ));
    }

    let seed = args.seed.unwrap_or(crate::data::DEFAULT_SEED);
    let mut data = match (&args.data, preset.fixed_data()) {
        (Some(path), _) => load_csv(path, args.target.as_deref())?,
        (None, Some(fixed)) => fixed?,
        (None, None) => {
            let base = preset.synthetic();
            Synthetic {
                samples: args.samples.unwrap_or(base.samples),
                true_w: args.true_w.clone().map_or(base.true_w, |w| w.0),
                true_b: args.true_b.unwrap_or(base.true_b),
                noise: args.noise.unwrap_or(base.noise),
                seed,
            }
            .generate()
            .map(|mut data| {
                preset.adjust(&mut data);
                data
            })?
        }
    };
    if args.standardize {
        data.standardize()?;
    }

    let base = if args.data.is_some() {
        Hyper::default()
    } else {
        preset.hyper()
    };
    let hyper = Hyper {
        lr: args.lr.unwrap_or(base.lr),
        batch_size: args.batch_size.unwrap_or(base.batch_size),
        epochs: args.epochs.unwrap_or(base.epochs),
        shuffle: base.shuffle && !args.no_shuffle,
        seed,
        objective: match args.objective {
            None => base.objective,
            Some(ObjectiveName::Sum) => Objective::Sum,
            Some(ObjectiveName::Mean) => Objective::Mean,
            Some(ObjectiveName::SumNodiv) => Objective::SumNoDiv,
        },
        divide_by: match args.divide_by {
            None => base.divide_by,
            Some(DivideByName::Actual) => DivideBy::Actual,
            Some(DivideByName::Nominal) => DivideBy::Nominal,
        },
    };
    let init = match args.init {
        None if args.data.is_some() => crate::data::Init::Normal,
        None => preset.init(),
        Some(InitName::Normal) => crate::data::Init::Normal,
        Some(InitName::Zeros) => crate::data::Init::Zeros,
        Some(InitName::Large) => crate::data::Init::Large,
    }
    .params(data.d(), seed);
    let warning = stability_warning(&data, &hyper, args.standardize);
    let source = describe(args, preset, &data);
    let mut changes = args.change.clone();
    changes.sort_by_key(|c| c.at);
    // Checked here, before any output, so a bad --change is one error line like any bad option.
    let mut check = crate::engine::Schedule::new(data.n(), &hyper);
    check
        .apply(&changes)
        .map_err(|e| DataError(format!("--change: {}", e.0)))?;
    Ok(Run {
        data,
        hyper,
        init,
        warning,
        source,
        changes,
    })
}

/// The data's origin in both languages, e.g. "the d2l synthetic set (preset d2l), 1000 rows".
fn describe(args: &RunArgs, preset: Preset, data: &Dataset) -> Text {
    let n = data.n();
    let (mut en, mut zh) = match &args.data {
        Some(path) => (
            format!("{}, {n} rows", path.display()),
            format!("{}，{n} 行", path.display()),
        ),
        None if preset.is_synthetic() => (
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

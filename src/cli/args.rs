//! The command line: one set of data and training options shared by every command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::engine::{Activation, Change, DivideBy, Init, LR_LADDER, MAX_HIDDEN, Objective};
use crate::lesson::Lang;
use crate::palette::Palette;
use crate::preset::Preset;

/// The decimals the explainer and the handout can show (the display rule's limit).
pub const MAX_PRECISION: u8 = crate::number::MAX_PRECISION as u8;

#[derive(Parser, Debug)]
#[command(
    name = "gradstep",
    version,
    about = "Step through the backpropagation of linear regression, one mini-batch at a time",
    long_about = "Step through the backpropagation of linear regression, one mini-batch at a time.\n\n\
        With no command, opens the terminal explainer. `trace`, `train` and `data` run without a screen.",
    after_help = "Examples:\n  gradstep                          the lesson's synthetic data, in the terminal\n  \
        gradstep --preset house           the lesson's worked example (area 100, price 200)\n  \
        gradstep --data houses.csv --standardize\n  \
        gradstep trace --preset tiny      every update as JSON Lines\n  \
        gradstep train --objective mean   the same run, averaging the loss instead"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print every update as JSON Lines (one object per mini-batch)
    #[command(
        after_help = "Keys: epoch batch indices x y w b y_hat delta loss grad_w grad_b lr divisor w_next b_next.\n\
        With a hidden layer, W1 b1 W2 b2, grad_W1 ... grad_b2 and W1_next ... b2_next in place of w, b, grad_w, ...; then hidden activation.\n\
        Non-finite values are written as \"NaN\", \"inf\", \"-inf\"; the trace ends at the first such batch.\n\n\
        Example:\n  gradstep trace --preset tiny --batches 2"
    )]
    Trace {
        /// Stop after this many mini-batches (default: the whole run)
        #[arg(long, value_name = "N", value_parser = positive_usize)]
        batches: Option<usize>,
    },
    /// Print one mini-batch's autograd graph as JSON: every node's value and gradient
    #[command(
        after_help = "Nodes: id name label inputs value grad, by PyTorch's names (MmBackward0 … AccumulateGrad);\n\
        backward_order lists the ids in the order backward() visits them. Numbers as in trace.\n\n\
        Example:\n  gradstep graph --preset tiny --batch 2"
    )]
    Graph {
        /// Which mini-batch of the run, counted from 1 over the whole run
        #[arg(long, value_name = "K", value_parser = positive_usize, allow_hyphen_values = true, default_value_t = 1)]
        batch: usize,
    },
    /// Train without a screen: the loss after each epoch, then the learned w and b
    #[command(after_help = "Example:\n  gradstep train --epochs 5 --lr 0.1")]
    Train,
    /// Write the data set in use as CSV (features, then the target) to stdout
    #[command(after_help = "Example:\n  gradstep data --seed 7 > synthetic.csv")]
    Data,
    /// Train at several learning rates and compare the loss after each epoch
    #[command(after_help = "Example:\n  gradstep sweep --lrs 0.01,0.1,1,3")]
    Sweep {
        #[arg(long, value_name = "LR,LR,...", value_parser = lr_list, help = lrs_help())]
        lrs: Option<Weights>,
    },
    /// Write a Markdown handout (with LaTeX math) of one mini-batch's complete worked numbers
    #[command(
        after_help = "Examples:\n  gradstep handout --preset house -o house.md\n  gradstep handout --batch 7 --lang zh --precision 3 -o batch7.md\n  pandoc -s --mathjax house.md -o house.html"
    )]
    Handout {
        /// Which mini-batch of the run, counted from 1 over the whole run
        #[arg(long, value_name = "K", value_parser = positive_usize, allow_hyphen_values = true, default_value_t = 1)]
        batch: usize,
        /// Write to this file (atomically) instead of stdout; `-` is stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
        /// The batch of the lesson plan's stop K (counted from 1), with the stop's note
        #[arg(long, value_name = "K", value_parser = positive_usize, conflicts_with = "batch")]
        stop: Option<usize>,
    },
    /// Teach a class over SSH: the explainer here, and one for each student who connects
    #[command(
        after_help = "Students join with `ssh -p 2222 <this machine>` and the class code shown on screen.\n\n\
        Examples:\n  gradstep serve --quiz\n  gradstep serve --listen 192.168.1.10:2222 --code 4711 --max-students 40"
    )]
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Print the built-in lesson file, to edit and load with --lesson
    #[command(
        after_help = "Example:\n  gradstep lesson > my-lesson.toml\n  gradstep --lesson my-lesson.toml"
    )]
    Lesson,
    /// Print a shell completion script
    #[command(
        after_help = "Example:\n  gradstep completions bash > ~/.local/share/bash-completion/completions/gradstep"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff)
    #[command(after_help = "Example:\n  gradstep man > gradstep.1 && man ./gradstep.1")]
    Man,
}

#[derive(Args, Debug, Default, Clone)]
pub struct RunArgs {
    /// Starting point: d2l (the lesson's data), house (its worked example), tiny (by hand), or a scenario
    #[arg(long, global = true, value_enum, help_heading = "Data")]
    pub preset: Option<Preset>,
    /// Train on a CSV file with a header row; the target is the last column unless --target
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Data",
        conflicts_with = "preset"
    )]
    pub data: Option<PathBuf>,
    /// The column of --data to predict
    #[arg(long, global = true, value_name = "NAME", help_heading = "Data")]
    pub target: Option<String>,
    /// Rescale each feature to mean 0, standard deviation 1 (unscaled real data diverges at lr 0.03)
    #[arg(long, global = true, help_heading = "Data")]
    pub standardize: bool,
    /// Seed for the data, the initial weights and the shuffles
    #[arg(
        long,
        global = true,
        value_name = "N",
        allow_hyphen_values = true,
        help_heading = "Data"
    )]
    pub seed: Option<u64>,
    /// Rows of synthetic data
    #[arg(long, global = true, value_name = "N", value_parser = positive_usize, allow_hyphen_values = true, help_heading = "Data")]
    pub samples: Option<usize>,
    /// True weights of the synthetic data, comma-separated; their count sets the features
    #[arg(long, global = true, value_name = "W1,W2,...", value_parser = weight_list, allow_hyphen_values = true, help_heading = "Data")]
    pub true_w: Option<Weights>,
    /// True bias of the synthetic data
    #[arg(long, global = true, value_name = "B", value_parser = finite_f64, allow_hyphen_values = true, help_heading = "Data")]
    pub true_b: Option<f64>,
    /// Standard deviation of the synthetic noise
    #[arg(long, global = true, value_name = "SD", value_parser = non_negative_f64, allow_hyphen_values = true, help_heading = "Data")]
    pub noise: Option<f64>,

    /// Initial weights: normal (N(0, 0.01²), b = 0), zeros, or large (every weight and b = 10)
    #[arg(long, global = true, value_enum, help_heading = "Training")]
    pub init: Option<Init>,
    /// Learning rate
    #[arg(long, global = true, value_name = "LR", value_parser = positive_f64, allow_hyphen_values = true, help_heading = "Training")]
    pub lr: Option<f64>,
    /// Rows per mini-batch (the last batch of an epoch may be shorter)
    #[arg(long, global = true, value_name = "N", value_parser = positive_usize, allow_hyphen_values = true, help_heading = "Training")]
    pub batch_size: Option<usize>,
    /// Passes over the data
    #[arg(long, global = true, value_name = "N", value_parser = positive_usize, allow_hyphen_values = true, help_heading = "Training")]
    pub epochs: Option<usize>,
    /// Keep the rows in file order instead of shuffling each epoch
    #[arg(long, global = true, help_heading = "Training")]
    pub no_shuffle: bool,
    /// sum: L = Σl, update divides by N (the lesson); mean: L = mean l, no division; sum-nodiv: neither
    #[arg(long, global = true, value_enum, help_heading = "Training")]
    pub objective: Option<Objective>,
    /// From mini-batch AT (counted from 1 over the whole run) on, train with a new learning rate
    /// and/or batch size, e.g. `--change 50:lr=0.1` or `--change 100:lr=0.01,batch=50`; repeatable
    #[arg(long, global = true, value_name = "AT:lr=LR,batch=N", value_parser = change, help_heading = "Training")]
    pub change: Vec<Change>,
    /// What `sum` divides by: actual (rows in this batch) or nominal (--batch-size, as the lesson's code)
    #[arg(long, global = true, value_enum, help_heading = "Training")]
    pub divide_by: Option<DivideBy>,
    /// Leave out the lesson's `param.grad.zero_()`: .grad keeps every batch's gradient added up and each update uses the sum (an experiment: the run goes astray)
    #[arg(long, global = true, help_heading = "Training")]
    pub keep_grad: bool,
    /// A hidden layer of H units (1 to 16): ŷ = σ(XW₁ + b₁)W₂ + b₂ instead of the lesson's line
    #[arg(long, global = true, value_name = "H", value_parser = hidden_units, allow_hyphen_values = true, help_heading = "Training")]
    pub hidden: Option<usize>,
    /// The hidden layer's σ: relu (default), tanh or sigmoid; needs --hidden
    #[arg(long, global = true, value_enum, help_heading = "Training")]
    pub activation: Option<Activation>,

    /// Load the lesson (steps, narrative, formulas) from this file instead of the built-in one
    #[arg(long, global = true, value_name = "FILE", help_heading = "Display")]
    pub lesson: Option<PathBuf>,
    /// Decimal places of the numbers shown, 0 to 8 (the computation is unaffected)
    #[arg(long, global = true, value_name = "P", value_parser = precision, allow_hyphen_values = true, help_heading = "Display")]
    pub precision: Option<u8>,
    /// Start in quiz mode: each step's result shows as ? until Enter
    #[arg(long, global = true, help_heading = "Display")]
    pub quiz: bool,
    /// Start in presenter mode: only the current formula, its numbers and its matrices, spaced out
    #[arg(long, global = true, help_heading = "Display")]
    pub present: bool,
    /// Colours: default, high-contrast, or colorblind (no red/green pairs); highlights never rely on colour alone
    #[arg(long, global = true, value_enum, help_heading = "Display")]
    pub theme: Option<Palette>,
    /// Language of the explainer (default: from LC_ALL / LANG)
    #[arg(long, global = true, value_enum, help_heading = "Display")]
    pub lang: Option<Lang>,
    /// The terminal draws East-Asian ambiguous-width characters (Σ δ ∂ ← ·) two columns wide
    #[arg(long, global = true, help_heading = "Display")]
    pub ambiguous_wide: bool,

    /// Reopen the explainer where it was last quit: same run, place, view and modes
    #[arg(long, help_heading = "Place")]
    pub resume: bool,
    /// Open at epoch E, batch B, step S (2:26:18), at batch B of the first epoch (26), or at the end
    #[arg(long, value_name = "E:B:S", help_heading = "Place")]
    pub at: Option<String>,
}

impl Command {
    /// Whether the command opens the explainer (here or for a class) or writes its handout.
    pub fn explains(&self) -> bool {
        match self {
            Command::Handout { .. } => true,
            #[cfg(feature = "serve")]
            Command::Serve(_) => true,
            _ => false,
        }
    }
}

/// `gradstep serve`'s own options.
#[cfg(feature = "serve")]
#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on (all interfaces by default)
    #[arg(long, value_name = "ADDR:PORT", default_value = "0.0.0.0:2222")]
    pub listen: std::net::SocketAddr,
    /// The class code students type as their SSH password (default: 6 random digits, or
    /// $GRADSTEP_CODE). Other users of this machine see it in `ps`: there, use --code-file or
    /// --ask-code
    #[arg(long, value_name = "CODE", value_parser = class_code, conflicts_with = "open")]
    pub code: Option<String>,
    /// Read the class code from this file (trimmed), out of sight of `ps`
    #[arg(long, value_name = "FILE", conflicts_with_all = ["open", "code"])]
    pub code_file: Option<PathBuf>,
    /// Ask for the class code on the terminal, without showing it
    #[arg(long, conflicts_with_all = ["open", "code", "code_file"])]
    pub ask_code: bool,
    /// Let anyone who can reach the port join without a code
    #[arg(long)]
    pub open: bool,
    /// Students at once; more are turned away with a message
    #[arg(long, value_name = "N", value_parser = positive_usize, default_value_t = 100)]
    pub max_students: usize,
    /// The SSH host key (OpenSSH ed25519), created if missing (default: in the data directory)
    #[arg(long, value_name = "FILE")]
    pub host_key: Option<PathBuf>,
    /// Reopen the class where serve last ended: same run, place, live changes and modes
    /// (students who reconnect land there)
    #[arg(long = "resume")]
    pub resume: bool,
    /// Open the class at epoch E, batch B, step S (2:26:18), at batch B (26), or at the end
    #[arg(long = "at", value_name = "E:B:S")]
    pub at: Option<String>,
}

/// A class code: 1 to 64 printable characters, no spaces.
pub fn class_code(s: &str) -> Result<String, String> {
    if s.is_empty() || s.chars().count() > 64 {
        return Err("a class code has 1 to 64 characters".into());
    }
    if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("a class code has no spaces or control characters".into());
    }
    Ok(s.to_string())
}

/// `--true-w` as given; a newtype so clap does not treat it as a repeated option.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights(pub Vec<f64>);

fn positive_usize(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{s:?} is not a whole number")),
    }
}

fn hidden_units(s: &str) -> Result<usize, String> {
    match s.trim().parse::<i64>() {
        Ok(h) if (1..=MAX_HIDDEN as i64).contains(&h) => Ok(h as usize),
        Ok(_) => Err(format!("must be a whole number from 1 to {MAX_HIDDEN}")),
        Err(_) => Err(format!("{s:?} is not a whole number (1 to {MAX_HIDDEN})")),
    }
}

fn precision(s: &str) -> Result<u8, String> {
    match s.trim().parse::<i64>() {
        Ok(p) if (0..=i64::from(MAX_PRECISION)).contains(&p) => Ok(p as u8),
        Ok(_) => Err(format!("must be a whole number from 0 to {MAX_PRECISION}")),
        Err(_) => Err(format!(
            "{s:?} is not a whole number (0 to {MAX_PRECISION})"
        )),
    }
}

fn lrs_help() -> String {
    let ladder: Vec<String> = LR_LADDER.iter().map(f64::to_string).collect();
    format!(
        "Learning rates to try, comma-separated (default: {})",
        ladder.join(",")
    )
}

fn finite_f64(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!("{s:?} is not a finite number")),
        Err(_) => Err(format!("{s:?} is not a number")),
    }
}

fn positive_f64(s: &str) -> Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 {
        Ok(v)
    } else {
        Err(format!("must be greater than 0, got {s}"))
    }
}

fn non_negative_f64(s: &str) -> Result<f64, String> {
    let v = finite_f64(s)?;
    if v >= 0.0 {
        Ok(v)
    } else {
        Err(format!("must be 0 or more, got {s}"))
    }
}

fn change(s: &str) -> Result<Change, String> {
    let form = "expected AT:lr=LR,batch=N, e.g. 50:lr=0.1 or 100:batch=20";
    let (at, settings) = s
        .split_once(':')
        .ok_or_else(|| format!("missing ':' ({form})"))?;
    let at = positive_usize(at).map_err(|e| format!("batch {e} ({form})"))?;
    let mut change = Change {
        at: at - 1,
        lr: None,
        batch_size: None,
    };
    for part in settings.split(',') {
        match part.trim().split_once('=') {
            Some(("lr", v)) => change.lr = Some(positive_f64(v).map_err(|e| format!("lr {e}"))?),
            Some(("batch", v)) => {
                change.batch_size = Some(positive_usize(v).map_err(|e| format!("batch size {e}"))?)
            }
            _ => return Err(format!("{part:?} is not lr=LR or batch=N ({form})")),
        }
    }
    Ok(change)
}

fn lr_list(s: &str) -> Result<Weights, String> {
    let list = s
        .split(',')
        .enumerate()
        .map(|(i, part)| positive_f64(part).map_err(|e| format!("learning rate {}: {e}", i + 1)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Weights(list))
}

fn weight_list(s: &str) -> Result<Weights, String> {
    if s.trim().is_empty() {
        return Err("expected comma-separated numbers such as 2,-3.4".into());
    }
    s.split(',')
        .enumerate()
        .map(|(i, part)| {
            finite_f64(part).map_err(|e| {
                format!(
                    "weight {}: {e} (expected comma-separated numbers such as 2,-3.4)",
                    i + 1
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Weights)
}

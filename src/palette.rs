//! The colour palettes a user can choose (`--theme`), as plain names: how each is drawn is
//! the UI's business, so the command line can parse one without the UI.

/// The colours a theme draws with; every one is an ANSI indexed colour, and every highlight
/// also carries a modifier, so no palette is the only thing telling cells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Palette {
    #[default]
    Default,
    /// Bright colours only and no dimmed text, for projectors that wash out dark greys.
    HighContrast,
    /// No red–green pairs: blues, cyans, yellows and magentas, which stay apart under the
    /// common colour-vision deficiencies.
    Colorblind,
}

impl Palette {
    /// The names `--theme` accepts, in cycling order.
    pub const NAMES: [&'static str; 3] = ["default", "high-contrast", "colorblind"];
    const ALL: [Palette; 3] = [Palette::Default, Palette::HighContrast, Palette::Colorblind];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn from_name(name: &str) -> Option<Palette> {
        let i = Self::NAMES.iter().position(|n| *n == name)?;
        Self::ALL.get(i).copied()
    }

    pub fn next(self) -> Palette {
        Self::ALL[(self as usize + 1) % Self::ALL.len()]
    }
}

/// `--theme` takes the names of [`Palette::NAMES`].
impl clap::ValueEnum for Palette {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

impl std::str::FromStr for Palette {
    type Err = String;

    fn from_str(s: &str) -> Result<Palette, String> {
        Palette::from_name(s).ok_or_else(|| {
            format!(
                "unknown theme {s:?}; choose one of {}",
                Palette::NAMES.join(", ")
            )
        })
    }
}

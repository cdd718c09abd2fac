//! The two-layer explainer's prose, from `assets/two_layer.toml` (both languages).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::engine::mlp::Activation;
use crate::engine::tape::Recorded;
use crate::lesson::{Lang, Version};

#[derive(Deserialize, Clone, Debug, Default)]
pub struct Both {
    pub en: String,
    pub zh: String,
}

impl Both {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

#[derive(Deserialize, Debug)]
pub struct StepText {
    pub kind: String,
    pub formula: String,
    /// The formula of a run whose `backward()` starts from `l.mean()`, where it differs.
    #[serde(default)]
    pub mean: Option<String>,
    /// The formula of a run whose `sgd` does not divide by the batch size, where it differs.
    #[serde(default)]
    pub undivided: Option<String>,
    pub title: Both,
    pub narrative: Both,
    /// The narrative of a run whose `backward()` starts from `l.mean()`, where it differs.
    #[serde(default)]
    pub mean_narrative: Option<Both>,
}

impl StepText {
    /// The formula as the run computes it: the most specific version the step has, as the
    /// linear lesson picks its versions (`crate::lesson::Version`).
    pub fn formula_for(&self, recorded: Recorded) -> &str {
        Version::of(recorded)
            .into_iter()
            .find_map(|v| match v {
                Version::Mean => self.mean.as_deref(),
                Version::Undivided => self.undivided.as_deref(),
            })
            .unwrap_or(&self.formula)
    }

    /// The narrative as said of a run: its objective's version, with σ′ told for the run's
    /// own activation, not for ReLU alone.
    pub fn said(&self, recorded: Recorded, activation: Activation, lang: Lang) -> String {
        let text = match &self.mean_narrative {
            Some(mean) if recorded.is_mean() => mean,
            _ => &self.narrative,
        };
        let slope = words().word(&format!("slope_{}", activation.name()), lang, &[]);
        text.get(lang).replace("{slope}", &slope)
    }
}

#[derive(Deserialize, Debug)]
pub struct Words {
    pub step: Vec<StepText>,
    pub words: HashMap<String, Both>,
    pub picture: HashMap<String, Both>,
}

const SOURCE: &str = include_str!("../../../assets/two_layer.toml");

static WORDS: OnceLock<Words> = OnceLock::new();

/// The built-in words; a test reads every key, so a broken file fails the tests, not a class.
pub fn words() -> &'static Words {
    WORDS.get_or_init(|| {
        toml::from_str(SOURCE).unwrap_or_else(|_| Words {
            step: Vec::new(),
            words: HashMap::new(),
            picture: HashMap::new(),
        })
    })
}

impl Words {
    pub fn step(&self, kind: &str) -> Option<&StepText> {
        self.step.iter().find(|s| s.kind == kind)
    }

    /// A word in `lang`, its `{name}`s filled in; the key itself when missing.
    pub fn word(&self, key: &str, lang: Lang, fills: &[(&str, String)]) -> String {
        let mut text = self
            .words
            .get(key)
            .map_or_else(|| key.to_string(), |b| b.get(lang).to_string());
        for (name, value) in fills {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    pub fn picture(&self, key: &str, lang: Lang) -> String {
        self.picture
            .get(key)
            .map_or_else(|| key.to_string(), |b| b.get(lang).to_string())
    }
}

//! The two-layer explainer's prose, from `assets/two_layer.toml` (both languages).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::lesson::Lang;

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
    pub title: Both,
    pub narrative: Both,
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

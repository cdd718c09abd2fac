//! The two languages of the lesson, and a text written in both.

/// The language of every text on screen; `--lang` takes these names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// `en` or `zh`, as `--lang` spells them.
    pub fn from_code(code: &str) -> Option<Lang> {
        <Lang as clap::ValueEnum>::from_str(code, false).ok()
    }

    /// From LC_ALL, then LC_MESSAGES, then LANG: `zh*` → Zh, anything else → En.
    pub fn from_env() -> Lang {
        let var = |name| std::env::var(name).ok();
        Lang::from_env_values(
            var("LC_ALL").as_deref(),
            var("LC_MESSAGES").as_deref(),
            var("LANG").as_deref(),
        )
    }

    /// [`Lang::from_env`] on given values of LC_ALL, LC_MESSAGES and LANG.
    pub fn from_env_values(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Lang {
        // As in POSIX locale lookup, an empty variable counts as unset and the next one decides.
        let chosen = [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty());
        match chosen {
            Some(v) if v.starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// The other language.
    pub fn toggled(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }
}

/// A text in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

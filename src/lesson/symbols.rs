//! The lesson's symbol table (`assets/symbols.toml`): each symbol of the formulas, its name, what
//! it means, and the code that holds it, in both languages. The autograd graph shows it beside
//! the graph and the help on a page of its own.

use serde::Deserialize;

use super::{Lang, Text};

/// The table that ships with the program.
pub const EMBEDDED: &str = include_str!("../../assets/symbols.toml");

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub symbol: String,
    /// The colour it takes, as its matrix and formulas have it.
    pub role: Option<crate::math::Role>,
    pub code: String,
    pub name: Text,
    pub meaning: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    symbol: Vec<FileSymbol>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSymbol {
    symbol: String,
    role: String,
    code: String,
    name: FileText,
    meaning: FileText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileText {
    en: String,
    zh: String,
}

impl From<FileText> for Text {
    fn from(t: FileText) -> Text {
        Text { en: t.en, zh: t.zh }
    }
}

/// Reads a symbol table; the error names what is wrong (TOML's own message carries the line).
pub fn parse(text: &str) -> Result<Vec<Symbol>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    file.symbol
        .into_iter()
        .map(|s| {
            let role = crate::math::role_named(&s.role)
                .ok_or_else(|| format!("symbol {}: unknown role {:?}", s.symbol, s.role))?;
            Ok(Symbol {
                symbol: s.symbol,
                role: Some(role),
                code: s.code,
                name: s.name.into(),
                meaning: s.meaning.into(),
            })
        })
        .collect()
}

/// The embedded table: checked by a test, so empty only if that test fails.
pub fn embedded() -> Vec<Symbol> {
    parse(EMBEDDED).unwrap_or_default()
}

impl Symbol {
    pub fn name(&self, lang: Lang) -> &str {
        self.name.get(lang)
    }

    pub fn meaning(&self, lang: Lang) -> &str {
        self.meaning.get(lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_names_every_symbol_the_graph_shows_in_both_languages() {
        let table = parse(EMBEDDED).unwrap_or_else(|e| panic!("{e}"));
        for want in ["X", "y", "w", "b", "ŷ", "δ", "L", "∂L/∂w"] {
            let row = table
                .iter()
                .find(|s| s.symbol == want)
                .unwrap_or_else(|| panic!("{want} missing"));
            assert!(!row.name.en.is_empty() && !row.name.zh.is_empty(), "{want}");
            assert!(
                !row.meaning.en.is_empty() && !row.meaning.zh.is_empty(),
                "{want}"
            );
        }
        let code = |s: &str| table.iter().find(|r| r.symbol == s).map(|r| r.code.clone());
        assert_eq!(code("y").as_deref(), Some("labels / y"));
        assert_eq!(code("ŷ").as_deref(), Some("net(X, w, b)"));
        assert_eq!(code("L").as_deref(), Some("l.sum()"));
        assert_eq!(code("∂L/∂w").as_deref(), Some("w.grad"));
    }

    #[test]
    fn a_row_without_chinese_is_refused() {
        let bad = "[[symbol]]\nsymbol = \"X\"\nrole = \"X\"\ncode = \"X\"\nname.en = \"x\"\nmeaning.en = \"m\"\nmeaning.zh = \"m\"\n";
        assert!(parse(bad).is_err());
        let role = "[[symbol]]\nsymbol = \"X\"\nrole = \"Q\"\ncode = \"X\"\nname.en = \"x\"\nname.zh = \"x\"\nmeaning.en = \"m\"\nmeaning.zh = \"m\"\n";
        assert!(parse(role).is_err_and(|e| e.contains("unknown role")));
    }
}

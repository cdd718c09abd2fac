//! The few symbols of the chrome that East-Asian terminals may draw two columns wide, with the
//! ASCII stand-ins used when the user says their terminal does (`--ambiguous-wide`).

use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Glyphs {
    pub ambiguous_wide: bool,
    /// Horizontal rule of the panel titles.
    pub rule: &'static str,
    /// Rows left out of a tall matrix (U+22EE is narrow everywhere).
    pub vdots: &'static str,
    /// Columns left out of a wide matrix.
    pub hdots: &'static str,
    /// A value not computed yet.
    pub pending: &'static str,
    /// In front of the current formula.
    pub pointer: &'static str,
    pub times: &'static str,
}

impl Glyphs {
    pub fn new(ambiguous_wide: bool) -> Glyphs {
        if ambiguous_wide {
            Glyphs {
                ambiguous_wide,
                rule: "-",
                vdots: "⋮",
                hdots: ":",
                pending: ".",
                pointer: ">",
                times: "x",
            }
        } else {
            Glyphs {
                ambiguous_wide,
                rule: "─",
                vdots: "⋮",
                hdots: "…",
                pending: "·",
                pointer: "▶",
                times: "×",
            }
        }
    }

    /// Text from the lesson, made safe for a terminal that draws ambiguous characters wide:
    /// every such character becomes a narrow stand-in, so measured and drawn widths agree.
    pub fn text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        if !self.ambiguous_wide || s.chars().all(|c| !is_ambiguous(c)) {
            return Cow::Borrowed(s);
        }
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if is_ambiguous(c) {
                out.push_str(&stand_in(c));
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    }
}

/// Drawn two columns wide by terminals that widen ambiguous characters: the formula
/// typesetter's own table, so the chrome and the formulas agree on every character.
pub fn is_ambiguous(c: char) -> bool {
    !crate::math::unambiguous(c)
}

fn stand_in(c: char) -> String {
    // Greek letters become their mathematical italic forms, which are narrow everywhere and
    // are what the formulas use in this mode.
    let italic = |base: u32, first: char| char::from_u32(base + (c as u32 - first as u32));
    let greek = match c {
        'α'..='ω' => italic(0x1D6FC, 'α'),
        'Α'..='Ω' => italic(0x1D6E2, 'Α'),
        '∂' => Some('𝜕'),
        _ => None,
    };
    if let Some(g) = greek {
        return g.to_string();
    }
    let s = match c {
        '“' | '”' | '„' => "\"",
        '‘' | '’' => "'",
        '—' | '–' | '─' | '−' => "-",
        '…' => "...",
        '·' | '∙' => "⋅",
        '•' => "*",
        '×' => "x",
        '→' => "->",
        '←' => "<-",
        '↑' => "^",
        '↓' => "v",
        '∑' => "𝛴",
        '½' => "1/2",
        '²' => "^2",
        '³' => "^3",
        '¹' => "^1",
        '≈' => "~",
        '≤' => "<=",
        '≥' => ">=",
        '±' => "+-",
        '°' => "deg",
        '│' | '┃' => "|",
        _ => "?",
    };
    s.to_string()
}

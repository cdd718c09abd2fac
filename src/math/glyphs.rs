//! Which character to draw for each piece of notation, given the terminal.

use super::Options;
use super::ast::{Delim, Side};
use super::width::unambiguous;

/// True if every character of `s` draws the width we measured on this
/// terminal: on a terminal that widens ambiguous characters we avoid them
/// entirely, so the same layout is right under either measurement.
pub(crate) fn usable(s: &str, opts: Options) -> bool {
    !opts.ambiguous_wide || s.chars().all(unambiguous)
}

/// The first of `choices` usable on this terminal; the last one otherwise.
pub(crate) fn choose(choices: &[&'static str], opts: Options) -> &'static str {
    choices
        .iter()
        .find(|g| usable(g, opts))
        .or(choices.last())
        .copied()
        .unwrap_or("")
}

/// The horizontal rule of a fraction.
pub(crate) fn rule(opts: Options) -> &'static str {
    choose(&["─", "⎯", "-"], opts)
}

/// The mark drawn above a letter that has no precomposed hat.
pub(crate) const HAT_MARK: &str = "^";

/// The precomposed circumflex form of a letter (`y` → `ŷ`), which unlike a
/// combining accent draws the same in every font.
pub(crate) fn with_hat(c: char) -> Option<char> {
    const PAIRS: &[(char, char)] = &[
        ('a', 'â'),
        ('c', 'ĉ'),
        ('e', 'ê'),
        ('g', 'ĝ'),
        ('h', 'ĥ'),
        ('i', 'î'),
        ('j', 'ĵ'),
        ('o', 'ô'),
        ('s', 'ŝ'),
        ('u', 'û'),
        ('w', 'ŵ'),
        ('y', 'ŷ'),
        ('z', 'ẑ'),
        ('A', 'Â'),
        ('C', 'Ĉ'),
        ('E', 'Ê'),
        ('G', 'Ĝ'),
        ('H', 'Ĥ'),
        ('I', 'Î'),
        ('J', 'Ĵ'),
        ('O', 'Ô'),
        ('S', 'Ŝ'),
        ('U', 'Û'),
        ('W', 'Ŵ'),
        ('Y', 'Ŷ'),
        ('Z', 'Ẑ'),
    ];
    PAIRS.iter().find(|(k, _)| *k == c).map(|(_, v)| *v)
}

/// Unicode superscript form of a character, if there is one.
pub(crate) fn superscript(c: char) -> Option<char> {
    const FROM: &str = "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθφχ";
    const TO: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᵠᵡ";
    map_char(c, FROM, TO)
}

/// Unicode subscript form of a character, if there is one.
pub(crate) fn subscript(c: char) -> Option<char> {
    const FROM: &str = "0123456789+-−=()aehijklmnoprstuvxβγρφχ";
    const TO: &str = "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ";
    map_char(c, FROM, TO)
}

fn map_char(c: char, from: &str, to: &str) -> Option<char> {
    let i = from.chars().position(|f| f == c)?;
    to.chars().nth(i)
}

/// The one-line form of a delimiter.
pub(crate) fn delim_small(d: Delim) -> &'static str {
    match d {
        Delim::None => "",
        Delim::Paren(Side::Left) => "(",
        Delim::Paren(Side::Right) => ")",
        Delim::Bracket(Side::Left) => "[",
        Delim::Bracket(Side::Right) => "]",
        Delim::Brace(Side::Left) => "{",
        Delim::Brace(Side::Right) => "}",
        Delim::Bar => "|",
    }
}

/// A delimiter `height` lines tall, top to bottom (empty for `Delim::None`).
pub(crate) fn delim_tall(d: Delim, height: usize) -> Vec<&'static str> {
    if height <= 1 {
        return vec![delim_small(d); height];
    }
    // (top, extension, bottom, middle): the brace has a point in its middle.
    let (top, ext, bottom, middle) = match d {
        Delim::None => return Vec::new(),
        Delim::Paren(Side::Left) => ("⎛", "⎜", "⎝", None),
        Delim::Paren(Side::Right) => ("⎞", "⎟", "⎠", None),
        Delim::Bracket(Side::Left) => ("⎡", "⎢", "⎣", None),
        Delim::Bracket(Side::Right) => ("⎤", "⎥", "⎦", None),
        Delim::Brace(Side::Left) => ("⎧", "⎪", "⎩", Some("⎨")),
        Delim::Brace(Side::Right) => ("⎫", "⎪", "⎭", Some("⎬")),
        Delim::Bar => ("|", "|", "|", None),
    };
    let mut pieces = vec![ext; height];
    pieces[0] = top;
    pieces[height - 1] = bottom;
    if let (Some(m), true) = (middle, height >= 3) {
        pieces[height / 2] = m;
    }
    pieces
}

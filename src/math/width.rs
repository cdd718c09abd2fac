//! Display width, measured the way the terminal will draw it.

use super::Options;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `s` takes on a terminal described by `opts`: East-Asian ambiguous
/// characters count two columns when `opts.ambiguous_wide`.
pub fn display_width(s: &str, opts: Options) -> usize {
    if opts.ambiguous_wide {
        s.width_cjk()
    } else {
        s.width()
    }
}

/// True if `c` draws the same width whether or not the terminal widens
/// ambiguous characters.
///
/// `unicode-width` deliberately measures ambiguous *letters* (Greek, Cyrillic,
/// some accented Latin) as narrow even in CJK mode, yet terminals set to draw
/// ambiguous characters wide do widen δ and Σ; so those letters count as
/// ambiguous here too.
pub(crate) fn unambiguous(c: char) -> bool {
    c.width() == c.width_cjk() && !ambiguous_letter(c)
}

/// Letters and modifier symbols whose East_Asian_Width is Ambiguous
/// (Unicode 14 data).
fn ambiguous_letter(c: char) -> bool {
    matches!(c,
        '\u{00A8}' | '\u{00AA}' | '\u{00B4}' | '\u{00B8}' | '\u{00BA}' | '\u{00C6}' | '\u{00D0}'
        | '\u{00D8}' | '\u{00DE}'..='\u{00E1}' | '\u{00E6}' | '\u{00E8}'..='\u{00EA}'
        | '\u{00EC}'..='\u{00ED}' | '\u{00F0}' | '\u{00F2}'..='\u{00F3}' | '\u{00F8}'..='\u{00FA}'
        | '\u{00FC}' | '\u{00FE}' | '\u{0101}' | '\u{0111}' | '\u{0113}' | '\u{011B}'
        | '\u{0126}'..='\u{0127}' | '\u{012B}' | '\u{0131}'..='\u{0133}' | '\u{0138}'
        | '\u{013F}'..='\u{0142}' | '\u{0144}' | '\u{0148}'..='\u{014B}' | '\u{014D}'
        | '\u{0152}'..='\u{0153}' | '\u{0166}'..='\u{0167}' | '\u{016B}' | '\u{01CE}' | '\u{01D0}'
        | '\u{01D2}' | '\u{01D4}' | '\u{01D6}' | '\u{01D8}' | '\u{01DA}' | '\u{01DC}' | '\u{0251}'
        | '\u{0261}' | '\u{02C4}' | '\u{02C7}' | '\u{02C9}'..='\u{02CB}' | '\u{02CD}' | '\u{02D0}'
        | '\u{02D8}'..='\u{02DB}' | '\u{02DD}' | '\u{02DF}' | '\u{0391}'..='\u{03A9}'
        | '\u{03B1}'..='\u{03C9}' | '\u{0401}' | '\u{0410}'..='\u{044F}' | '\u{0451}' | '\u{207F}'
        | '\u{2113}' | '\u{2126}' | '\u{212B}')
}

/// Characters a formula may contain literally. Zero-width and control
/// characters are refused because they would make the column count of a line
/// depend on its neighbours, and so are the few scripts whose width
/// `unicode-width` measures per sequence rather than per character (Arabic
/// lam-alef, Lisu tones, regional-indicator pairs, emoji modifiers): a laid-out
/// line is measured piece by piece, so every character must have its own width.
pub(crate) fn acceptable(c: char) -> bool {
    let own_width = |w: Option<usize>| matches!(w, Some(1 | 2));
    !c.is_control()
        && own_width(c.width())
        && own_width(c.width_cjk())
        && !matches!(c,
            '\u{0600}'..='\u{08FF}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}'
            | '\u{A4D0}'..='\u{A4FF}'
            | '\u{10C00}'..='\u{10C4F}'
            | '\u{1F1E6}'..='\u{1F1FF}'
            | '\u{1F3FB}'..='\u{1F3FF}')
}

//! Keys that reach the program in one read. A terminal sends Escape as the byte ESC, and an
//! arrow as ESC [ C; when the explainer is busy for a moment, or over SSH where keystrokes share
//! a packet, an Escape and the key after it arrive together, and the parsers read them as
//! something else: ESC q as Alt+q (so Esc, q does not quit), and ESC ESC [ C as Esc followed by
//! the loose characters `[` and `C` (so Esc, Right turns the learning rate down). Both the
//! teacher's terminal (crossterm) and a student's (serve's parser) hand their key events of one
//! read to [`together`], which gives back the keys that were pressed.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// The longest escape sequence put back together (ESC [ 1 ; 5 C and the like are shorter).
const MAX_SEQUENCE: usize = 16;

/// The keys pressed, from the key events parsed out of bytes that arrived together:
/// - an Alt+key is the Escape key, then that key (the key table binds no Alt+key, and the
///   explainer asks for none);
/// - an Escape followed by the characters of an arrow's or a function key's sequence
///   (`[ C`, `O P`, `[ 1 5 ~`) is the Escape key, then that arrow or function key: the parser
///   took the sequence's own ESC as part of the Escape before it.
pub fn together(events: &[KeyEvent]) -> Vec<KeyEvent> {
    let mut split = Vec::with_capacity(events.len() + 1);
    for e in events {
        if e.kind == KeyEventKind::Press && e.modifiers.contains(KeyModifiers::ALT) {
            split.push(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            split.push(KeyEvent {
                modifiers: e.modifiers - KeyModifiers::ALT,
                ..*e
            });
        } else {
            split.push(*e);
        }
    }
    let mut out = Vec::with_capacity(split.len());
    let mut i = 0;
    while i < split.len() {
        out.push(split[i]);
        i += 1;
        if split[i - 1].code == KeyCode::Esc
            && let Some((key, used)) = sequence(&split[i..])
        {
            out.push(key);
            i += used;
        }
    }
    out
}

/// The character a plain press types (Shift included: the parsers mark capitals with it).
fn typed(e: &KeyEvent) -> Option<char> {
    match e.code {
        KeyCode::Char(c)
            if e.kind == KeyEventKind::Press
                && (e.modifiers - KeyModifiers::SHIFT).is_empty()
                && c.is_ascii() =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// The key whose sequence, after its ESC, the first characters of `rest` spell, and how many
/// of them it takes.
fn sequence(rest: &[KeyEvent]) -> Option<(KeyEvent, usize)> {
    if !matches!(rest.first().and_then(typed), Some('[' | 'O')) {
        return None;
    }
    let mut bytes = vec![0x1b];
    for (k, e) in rest.iter().take(MAX_SEQUENCE).enumerate() {
        bytes.push(u8::try_from(typed(e)?).ok()?);
        match terminput::Event::parse_from(&bytes) {
            Ok(Some(event)) => {
                return match terminput_crossterm::to_crossterm(event) {
                    Ok(Event::Key(key)) => Some((key, k + 1)),
                    _ => None,
                };
            }
            Ok(None) => {}
            Err(_) => return None,
        }
    }
    None
}

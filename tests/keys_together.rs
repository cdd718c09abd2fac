//! Keys that reach the program in one read, as a parser reads them, taken back apart into the
//! keys that were pressed: an Alt+key that nothing binds is Esc then that key, and an arrow or
//! function key after an Esc is never split into loose characters.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gradstep::ui::together::together;
use gradstep::ui::{Message, message_for};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    // As both parsers give a capital: with Shift.
    let shift = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), shift)
}

fn alt(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)
}

fn codes(keys: &[KeyEvent]) -> Vec<KeyCode> {
    keys.iter().map(|k| k.code).collect()
}

#[test]
fn an_unbound_alt_key_is_escape_then_the_key() {
    let keys = together(&[alt('q')]);
    assert_eq!(codes(&keys), [KeyCode::Esc, KeyCode::Char('q')]);
    let messages: Vec<Option<Message>> = keys.iter().map(message_for).collect();
    assert_eq!(messages, [Some(Message::Back), Some(Message::Quit)]);
    // Alt+Esc (ESC ESC) is two Escapes.
    let keys = together(&[KeyEvent::new(KeyCode::Esc, KeyModifiers::ALT)]);
    assert_eq!(codes(&keys), [KeyCode::Esc, KeyCode::Esc]);
    // Alt+Shift+N keeps its Shift.
    let keys = together(&[KeyEvent::new(
        KeyCode::Char('N'),
        KeyModifiers::ALT | KeyModifiers::SHIFT,
    )]);
    assert_eq!(keys[1], ch('N'));
}

#[test]
fn an_arrow_after_an_escape_is_put_back_together() {
    // crossterm reads ESC ESC [ C as Esc, then `[` and `C`.
    let keys = together(&[key(KeyCode::Esc), ch('['), ch('C')]);
    assert_eq!(codes(&keys), [KeyCode::Esc, KeyCode::Right]);
    // Application mode's arrows and the function keys, and what follows them, in order.
    let keys = together(&[key(KeyCode::Esc), ch('O'), ch('D'), ch('q')]);
    assert_eq!(
        codes(&keys),
        [KeyCode::Esc, KeyCode::Left, KeyCode::Char('q')]
    );
    let keys = together(&[
        key(KeyCode::Esc),
        ch('['),
        ch('1'),
        ch('5'),
        ch('~'),
        ch('j'),
    ]);
    assert_eq!(
        codes(&keys),
        [KeyCode::Esc, KeyCode::F(5), KeyCode::Char('j')]
    );
    let keys = together(&[key(KeyCode::Esc), ch('['), ch('F')]);
    assert_eq!(codes(&keys), [KeyCode::Esc, KeyCode::End]);
}

#[test]
fn characters_that_are_no_sequence_stay_as_typed() {
    // `[` and `C` with no Esc before them are the keys `[` and `C`.
    let typed = [ch('['), ch('C')];
    assert_eq!(together(&typed), typed);
    // Esc, then `[` and a letter that ends no sequence the parser knows.
    let typed = [key(KeyCode::Esc), ch('['), ch('x')];
    assert_eq!(together(&typed), typed);
    // Esc, then an unfinished sequence.
    let typed = [key(KeyCode::Esc), ch('['), ch('1')];
    assert_eq!(together(&typed), typed);
    // Ordinary keys pass through.
    let typed = [ch('n'), key(KeyCode::End), key(KeyCode::Esc), ch('q')];
    assert_eq!(together(&typed), typed);
}

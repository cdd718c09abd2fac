//! The step's text under a stop's note at 80×24: cut only at a sentence's end, in English and
//! in Chinese, with the key that reads on named after it and in the status line; that key
//! shows the rest.

mod ui_common;

use gradstep::lesson::Lang;
use gradstep::ui::{App, Message};
use ui_common::*;

/// The narrative panel's lines: between the step's heading and the matrices' heading (None
/// where a stop opens another view, the pictures).
fn panel(screen: &str, lang: Lang) -> Option<Vec<String>> {
    let matrices = match lang {
        Lang::En => "─ Matrices",
        Lang::Zh => "─ 矩阵",
    };
    let lines: Vec<&str> = screen.lines().collect();
    let end = lines.iter().position(|l| l.starts_with(matrices))?;
    let start = lines[..end]
        .iter()
        .rposition(|l| l.starts_with("─ "))
        .unwrap_or_else(|| panic!("no step heading:\n{screen}"));
    Some(
        lines[start + 1..end]
            .iter()
            .map(|l| l.trim_end().to_string())
            .collect(),
    )
}

fn squeezed(lines: &[String]) -> String {
    lines
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn hints(app: &App) -> String {
    let screen = text(&render(app, 80, 24));
    screen.lines().last().unwrap_or("").to_string()
}

#[test]
fn a_cut_text_ends_at_a_sentence_and_the_read_on_key_shows_the_rest() {
    for lang in [Lang::En, Lang::Zh] {
        let (mark, hint) = match lang {
            Lang::En => ("… M read on", "M read on"),
            Lang::Zh => ("… M 续读", "M 续读"),
        };
        let mut app = app(lang, false);
        let mut cut = 0;
        for stop in 1..=8 {
            app.update(Message::NextStop);
            let Some(shown) = panel(&text(&render(&app, 80, 24)), lang) else {
                continue;
            };
            let Some(last) = shown.iter().rposition(|l| l.ends_with(mark)) else {
                // Not cut: no mark, and no hint for a key that would show nothing more.
                assert!(!hints(&app).contains(hint), "{lang:?} stop {stop}");
                continue;
            };
            cut += 1;
            assert_eq!(
                last + 1,
                shown.len(),
                "{lang:?} stop {stop}: the mark ends the panel"
            );
            let before = shown[last].trim_end_matches(mark).trim_end();
            // Whole sentences: the text stops at . ! ? (English) or 。！？ (Chinese), perhaps
            // inside a closing bracket or quote.
            let end = before.trim_end_matches([')', '”', '）', '"']);
            assert!(
                end.ends_with(['.', '!', '?', '。', '！', '？']),
                "{lang:?} stop {stop}: ends mid-sentence: {shown:#?}"
            );
            // In the status line too, unless the quiz's badge covers the line's end (it hides
            // the last hints, ? and q among them, whichever they are).
            let line = hints(&app);
            let badge = ["quiz: Enter reveals", "测验：按 Enter 揭晓"];
            assert!(
                line.contains(hint) || badge.iter().any(|b| line.contains(b)),
                "{lang:?} stop {stop}: {line}"
            );
            // Reading on shows all of it: what was shown, then the rest, and no mark.
            app.update(Message::ReadOn);
            let whole = panel(&text(&render(&app, 80, 24)), lang).unwrap_or_default();
            assert!(whole.iter().all(|l| !l.contains(mark)), "{whole:#?}");
            let mut cut_text = shown.clone();
            cut_text[last] = before.to_string();
            let (part, all) = (squeezed(&cut_text), squeezed(&whole));
            assert!(
                all.starts_with(&part) && all.len() > part.len(),
                "{shown:#?}\n{whole:#?}"
            );
            assert!(!hints(&app).contains(hint), "{}", hints(&app));
            // Pressed again, the text folds back.
            app.update(Message::ReadOn);
            assert_eq!(
                panel(&text(&render(&app, 80, 24)), lang),
                Some(shown.clone())
            );
            // Read on, the next step's text is its own (cut if it must be), and coming back
            // shows this one whole again: a step forward then back gives the same screen.
            app.update(Message::ReadOn);
            app.update(Message::NextStep);
            assert!(!app.reading_on());
            app.update(Message::PrevStep);
            assert!(app.reading_on());
            assert_eq!(
                panel(&text(&render(&app, 80, 24)), lang),
                Some(whole.clone())
            );
            app.update(Message::ReadOn);
        }
        assert!(cut >= 1, "{lang:?}: no stop's text was cut at 80×24");
    }
}

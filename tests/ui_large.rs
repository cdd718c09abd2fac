//! A large terminal is used: below the lesson's chain, the derivation panel shows what the batch's
//! earlier steps computed, so a projector at 300×100 has no tall blank gap.

mod ui_common;

use gradstep::lesson::Lang;
use gradstep::ui::Message;
use ui_common::*;

/// The longest run of blank lines above the narrative's heading.
fn longest_gap(screen: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for line in screen.lines() {
        if line.starts_with('─') {
            break;
        }
        if line.trim().is_empty() {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

#[test]
fn a_tall_screen_shows_the_batchs_earlier_steps() {
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(lang, false);
        for _ in 0..17 {
            app.update(Message::NextStep);
        }
        let screen = text(&render(&app, 300, 100));
        let label = match lang {
            Lang::En => "Earlier in this batch:",
            Lang::Zh => "本批前面各步：",
        };
        assert!(screen.contains(label), "{screen}");
        // δ⁽¹⁾ = ŷ⁽¹⁾ − y⁽¹⁾ is one of the steps already taken.
        assert!(screen.contains("δ⁽¹⁾ = ŷ⁽¹⁾ - y⁽¹⁾ = "), "{screen}");
        assert!(longest_gap(&screen) < 8, "{screen}");
        // At 80×24 there is no room for them.
        let small = text(&render(&app, 80, 24));
        assert!(!small.contains(label));
    }
}

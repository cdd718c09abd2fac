//! `p` plays up to each stop of the lesson plan and pauses there, on the very step the lesson
//! file names; `p` again plays on to the next.

use gradstep::cli::{RunArgs, build};
use gradstep::engine::Step;
use gradstep::lesson::{Lang, Lesson, StopStep};
use gradstep::ui::{App, Message, Theme, UiOptions};

#[test]
fn playing_pauses_at_each_stop_of_the_plan() {
    let run = build(&RunArgs::default()).expect("run");
    let lesson = Lesson::embedded().expect("lesson");
    let stops = lesson.stops().to_vec();
    assert!(stops.len() >= 2, "the default lesson has a plan");
    let opts = UiOptions {
        lang: Lang::En,
        ..UiOptions::default()
    };
    let mut app = App::new(
        run.session().expect("session"),
        lesson,
        &opts,
        Theme::new(false),
    );
    let mut ticks_total = 0;
    for (k, stop) in stops.iter().take(2).enumerate() {
        assert!(app.update(Message::TogglePlay));
        assert!(app.playing());
        let mut ticks = 0;
        while app.playing() {
            // It never plays through a stop: only where it started may be one.
            assert!(
                ticks == 0 || app.stop_here().is_none(),
                "played past a stop"
            );
            app.update(Message::Tick);
            ticks += 1;
            assert!(ticks < 10_000, "play never paused");
        }
        ticks_total += ticks;
        assert_eq!(app.stop_here(), Some((k, stops.len())));
        // Where the lesson file puts the stop (1-based epoch and batch; a step by number).
        let b = app.session().batch();
        assert_eq!(
            (b.epoch, b.batch),
            (stop.at.epoch, stop.at.batch),
            "stop {k}"
        );
        let step = app.session().step();
        match &stop.at.step {
            StopStep::Index(i) => assert_eq!(app.session().steps().1 + 1, *i, "stop {k}"),
            StopStep::Kind(kind) if kind == "forward_sample" => {
                assert_eq!(step, Step::ForwardSample { sample: 0 }, "stop {k}")
            }
            StopStep::Kind(kind) if kind == "accumulate" => {
                assert_eq!(step, Step::Accumulate { sample: 0 }, "stop {k}")
            }
            StopStep::Kind(kind) => panic!("stop {k}: a kind this test does not know: {kind}"),
        }
    }
    assert!(ticks_total > 1);
}

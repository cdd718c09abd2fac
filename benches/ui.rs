//! One key handled plus one frame rendered at 120×40: the cost must not depend on the size of
//! the data set or the number of features, since only what is visible is drawn.

use criterion::{Criterion, criterion_group, criterion_main};
use gradstep::data::Synthetic;
use gradstep::engine::Init;
use gradstep::engine::{Hyper, Session};
use gradstep::lesson::{Lang, Lesson};
use gradstep::ui::{App, Message, Theme, UiOptions};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn app(samples: usize, features: usize) -> App {
    let synthetic = Synthetic {
        samples,
        true_w: (0..features).map(|j| j as f64 / 50.0 - 1.0).collect(),
        ..Default::default()
    };
    let data = synthetic.generate().expect("synthetic data");
    let hyper = Hyper::default();
    let init = Init::Normal.params(data.d(), hyper.seed);
    let session = Session::new(data, hyper, init).expect("valid run");
    let lesson = Lesson::embedded().expect("embedded lesson");
    let opts = UiOptions {
        lang: Lang::En,
        seed: 42,
        ambiguous_wide: false,
        ..UiOptions::default()
    };
    App::new(session, lesson, &opts, Theme::new(true))
}

fn key_and_frame(c: &mut Criterion) {
    for (name, samples, features) in [
        ("N=1000,d=2", 1_000, 2),
        // Same features, a thousand times the rows: what N costs on its own.
        ("N=1000,d=100", 1_000, 100),
        ("N=1000000,d=100", 1_000_000, 100),
    ] {
        let mut app = app(samples, features);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
        // Into the accumulation, where the most is highlighted.
        for _ in 0..15 {
            app.update(Message::NextStep);
        }
        let mut forward = true;
        c.bench_function(&format!("key + frame 120x40 {name}"), |b| {
            b.iter(|| {
                let m = if forward {
                    Message::NextStep
                } else {
                    Message::PrevStep
                };
                forward = !forward;
                app.update(m);
                terminal
                    .draw(|f| f.render_widget(&app, f.area()))
                    .expect("draw");
            })
        });
        c.bench_function(&format!("first frame 120x40 {name}"), |b| {
            b.iter(|| {
                let mut t = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
                t.draw(|f| f.render_widget(&app, f.area())).expect("draw");
            })
        });
    }
}

criterion_group!(benches, key_and_frame);
criterion_main!(benches);

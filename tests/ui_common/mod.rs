//! Shared by the UI tests: a session on the lesson's default data, and rendering to text.
#![allow(dead_code)]

use gradstep::data::Synthetic;
use gradstep::engine::{Hyper, Init, Session, Step};
use gradstep::lesson::{Lang, Lesson};
use gradstep::ui::{App, Message, Theme, UiOptions};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

pub fn session_with(synthetic: Synthetic, hyper: Hyper) -> Session {
    let data = synthetic.generate().expect("synthetic data");
    let init = Init::Normal.params(data.d(), hyper.seed);
    Session::new(data, hyper, init).expect("valid run")
}

pub fn session() -> Session {
    session_with(Synthetic::default(), Hyper::default())
}

pub fn app_with(session: Session, lang: Lang, color: bool, ambiguous_wide: bool) -> App {
    let lesson = Lesson::embedded().expect("embedded lesson");
    let opts = UiOptions {
        lang,
        seed: session.batch().hyper.seed,
        ambiguous_wide,
        ..UiOptions::default()
    };
    App::new(session, lesson, &opts, Theme::new(color))
}

pub fn app(lang: Lang, color: bool) -> App {
    app_with(session(), lang, color, false)
}

pub fn render(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|f| f.render_widget(app, f.area()))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// The buffer as lines of text, wide glyphs once.
pub fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

/// Steps forward until the current step is `target`.
pub fn to(app: &mut App, target: Step) {
    for _ in 0..100 {
        if app.session().step() == target {
            return;
        }
        app.update(Message::NextStep);
    }
    panic!("never reached {target:?}");
}

/// Any widget (the two-layer explainer's) drawn at `width`×`height`, as text.
pub fn drawn(widget: impl ratatui::widgets::Widget, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|f| f.render_widget(widget, f.area()))
        .expect("draw");
    text(terminal.backend().buffer())
}

/// The two-layer preset's explainer (H = 3, batches of 3 in file order) with `activation` and
/// `objective`, steps by sample.
pub fn two_layer_preset(
    activation: gradstep::engine::mlp::Activation,
    objective: gradstep::engine::Objective,
    lang: Lang,
) -> gradstep::ui::two_layer::TwoLayerApp {
    use gradstep::data::{Preset, Start};
    let mut spec = Preset::TwoLayer.spec();
    spec.hyper.objective = objective;
    let Start::TwoLayer(model) = spec.start else {
        panic!("the two-layer preset starts two layers");
    };
    let data = Preset::TwoLayer
        .fixed_data()
        .expect("fixed data")
        .expect("valid");
    let model = gradstep::engine::mlp::TwoLayer {
        activation,
        init: model.init,
    };
    let session = gradstep::engine::mlp_session::MlpSession::new(data, spec.hyper, model)
        .expect("a valid run");
    gradstep::ui::two_layer::TwoLayerApp::new(session, lang, false, false)
}

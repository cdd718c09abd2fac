//! Shared by the UI tests: a session on the lesson's default data, and rendering to text.
#![allow(dead_code)]

// The integration tests' shared helpers, for those of these that build on them.
#[path = "../common/mod.rs"]
pub mod common;

use gradstep::data::Synthetic;
use gradstep::engine::{Hyper, Init, Session, Step};
use gradstep::lesson::{Lang, Lesson};
use gradstep::ui::{App, ExplainerRects, Message, Theme, UiOptions};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

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
    region(buf, buf.area)
}

/// The part of the buffer inside `rect` as lines of text, wide glyphs once: one panel of a
/// screen, so its snapshot changes only when that panel does.
pub fn region(buf: &Buffer, rect: Rect) -> String {
    let rect = rect.intersection(buf.area);
    let mut out = String::new();
    for y in rect.top()..rect.bottom() {
        let mut skip = 0;
        for x in rect.left()..rect.right() {
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

/// Rows `top..bottom` of the screen, every column: a view's body without its status lines, or
/// a few of the explainer's panels with their headings.
pub fn rows(buf: &Buffer, top: u16, bottom: u16) -> String {
    let area = buf.area;
    region(
        buf,
        Rect::new(area.x, top, area.width, bottom.saturating_sub(top)),
    )
}

/// A screen without its two status lines: what a view draws.
pub fn body(buf: &Buffer) -> String {
    rows(buf, 0, buf.area.height.saturating_sub(2))
}

/// A view's snapshot name and text: the whole screen where `whole` (one per view, so the parts
/// are seen together), else the view without its status lines (`ui_status.rs` checks those by
/// rule), named `{view}_body_{rest}`.
pub fn view_shot(buf: &Buffer, whole: bool, view: &str, rest: &str) -> (String, String) {
    if whole {
        (format!("{view}_{rest}"), text(buf))
    } else {
        (format!("{view}_body_{rest}"), body(buf))
    }
}

/// The explainer's panels on a screen of `width`×`height`.
pub fn panels(app: &App, width: u16, height: u16) -> ExplainerRects {
    app.explainer_rects(Rect::new(0, 0, width, height))
        .expect("the explainer is on screen")
}

/// The derivation and the narrative with its heading: what a step says, without the matrices
/// and the status line.
pub fn step_text(app: &App, width: u16, height: u16) -> String {
    let p = panels(app, width, height);
    rows(
        &render(app, width, height),
        p.derivation.y,
        p.narrative.bottom(),
    )
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
    let (data, mut hyper, model) = common::two_layer_preset();
    hyper.objective = objective;
    let model = gradstep::engine::mlp::TwoLayer {
        activation,
        init: model.init,
    };
    let session =
        gradstep::engine::mlp_session::MlpSession::new(data, hyper, model).expect("a valid run");
    gradstep::ui::two_layer::TwoLayerApp::new(session, lang, false, false)
}

/// A two-layer explainer on `session` moved by `keys`, then saved and reopened in a second one
/// (the place never written: it is kept on quitting, which these tests do not do). Returns the
/// saved view's name, the first explainer and the reopened one.
pub fn two_layer_saved_and_reopened(
    session: gradstep::engine::mlp_session::MlpSession,
    keys: &[Message],
) -> (
    String,
    gradstep::ui::two_layer::TwoLayerApp,
    gradstep::ui::two_layer::TwoLayerApp,
) {
    use gradstep::run::resume::{Resume, RunPrint};
    use gradstep::ui::two_layer::TwoLayerApp;
    let s = session;
    let print = RunPrint::two_layer("a test", s.data(), s.hyper(), s.model(), &[]);
    let resume = |saved| Resume {
        path: std::path::PathBuf::from("never-written/place.json"),
        args: Vec::new(),
        run: print.clone(),
        saved,
    };
    let mut left = TwoLayerApp::new(s.clone(), Lang::En, false, false);
    left.set_resume(resume(None));
    for &k in keys {
        left.update(k);
    }
    let (_, saved) = left.saved().expect("a place to keep");
    let view = saved.view.clone();
    let mut reopened = TwoLayerApp::new(s, Lang::En, false, false);
    reopened.set_resume(resume(Some(saved)));
    reopened.open();
    (view, left, reopened)
}

/// Steps the two-layer explainer forward until its step is `target`, within `within` steps.
pub fn two_layer_to(
    app: &mut gradstep::ui::two_layer::TwoLayerApp,
    target: gradstep::engine::mlp_session::MlpStep,
    within: usize,
) {
    for _ in 0..within {
        if app.session().step() == target {
            return;
        }
        app.update(Message::NextStep);
    }
    panic!("{target:?} not reached");
}

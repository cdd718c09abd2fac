//! The data as the screen names it: rows counted from 1 everywhere (the draw step's list,
//! inspect), and a standardized run saying so, with each feature's mean and standard deviation
//! in its own units and, in inspect, the value a cell had before rescaling.

mod ui_common;

use gradstep::worked::{Part, Symbol};
use std::path::Path;

use gradstep::data::load_csv;
use gradstep::engine::{Hyper, Init, Session};
use gradstep::lesson::Lang;
use gradstep::ui::{App, Id, Message, Teach};
use ui_common::*;

const HOUSES: &str = "tests/fixtures/houses.csv";

/// The fixture's feature columns, read by hand (not through the program's loader).
fn columns() -> Vec<(String, Vec<f64>)> {
    let text = std::fs::read_to_string(HOUSES).unwrap_or_else(|e| panic!("{e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let rows: Vec<Vec<f64>> = lines
        .map(|l| {
            l.split(',')
                .map(|v| v.parse().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    // The last column is the target.
    (0..header.len() - 1)
        .map(|j| (header[j].to_string(), rows.iter().map(|r| r[j]).collect()))
        .collect()
}

fn houses(standardize: bool, lang: Lang) -> App {
    let mut data = load_csv(Path::new(HOUSES), None).unwrap_or_else(|e| panic!("{e}"));
    if standardize {
        data.standardize().unwrap_or_else(|e| panic!("{e}"));
    }
    let hyper = Hyper::default();
    let init = Init::Normal.params(data.d(), hyper.seed);
    let session = Session::new(data, hyper, init).unwrap_or_else(|e| panic!("{e}"));
    app_with(session, lang, false, false)
}

fn inspect(app: &mut App, id: Id, row: usize, col: usize) -> Vec<String> {
    app.update(Message::Teach(Teach::Select { id, row, col }));
    app.explanation()
        .map(|e| e.notes.clone())
        .unwrap_or_else(|| panic!("inspecting {id:?}"))
}

#[test]
fn a_standardized_run_gives_each_features_mean_and_sd_and_inspect_the_original_value() {
    let cols = columns();
    for lang in [Lang::En, Lang::Zh] {
        let (label, mean, sd) = match lang {
            Lang::En => ("Features standardized:", "mean", "sd"),
            Lang::Zh => ("特征已标准化：", "均值", "标准差"),
        };
        let mut app = houses(true, lang);
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = text(&render(&app, w, h));
            let line = screen
                .lines()
                .find(|l| l.starts_with(label))
                .unwrap_or_else(|| panic!("{lang:?} {w}×{h}: no scales line\n{screen}"));
            for (name, values) in &cols {
                let n = values.len() as f64;
                let m = values.iter().sum::<f64>() / n;
                let s = (values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n).sqrt();
                let want = format!("{name} {mean} {m:.3} {sd} {s:.3}");
                assert!(line.contains(&want), "{lang:?} {w}×{h}: {want} in {line}");
            }
        }
        // By hand: area's mean is 97.5 and its sd √743.75 = 27.272.
        assert!(text(&render(&app, 120, 40)).contains(&format!("area {mean} 97.500 {sd} 27.272")));
        // Inspect a cell of X: its row of the data, counted from 1, and its value as loaded.
        let b = app.session().batch().clone();
        for (r, c) in [(0, 0), (b.rows() - 1, 1)] {
            let notes = inspect(&mut app, Id::Of(Symbol::X, Part::Value), r, c).join("\n");
            let row = b.indices[r];
            let (name, values) = &cols[c];
            let loaded = values[row];
            assert!(notes.contains(&format!("{name} = {loaded:.3}")), "{notes}");
            let (en, zh) = (format!("row {}", row + 1), format!("第 {} 行", row + 1));
            assert!(notes.contains(&en) || notes.contains(&zh), "{notes}");
            // The same cell of Xᵀ says the same.
            let t = inspect(&mut app, Id::Of(Symbol::X, Part::Transposed), c, r).join("\n");
            assert!(t.contains(&format!("{name} = {loaded:.3}")), "{t}");
        }
    }
}

#[test]
fn an_unscaled_run_says_nothing_of_standardizing() {
    let mut app = houses(false, Lang::En);
    let screen = text(&render(&app, 120, 40));
    assert!(!screen.contains("standardized"), "{screen}");
    let notes = inspect(&mut app, Id::Of(Symbol::X, Part::Value), 0, 0).join("\n");
    assert!(!notes.contains("Before standardizing"), "{notes}");
}

#[test]
fn rows_are_counted_from_1_on_screen() {
    let mut app = houses(false, Lang::En);
    let b = app.session().batch().clone();
    // The draw step's list: each row of the batch, counted from 1.
    let want: Vec<String> = b.indices.iter().map(|i| (i + 1).to_string()).collect();
    let screen = text(&render(&app, 120, 40));
    let want = format!("data rows (from 1) = {}", want.join(", "));
    assert!(screen.contains(&want), "{want}\n{screen}");
    // Inspect names the same row, and what batch_indices (from 0) holds for it.
    let notes = inspect(&mut app, Id::Of(Symbol::Y, Part::Value), 0, 0).join("\n");
    let i = b.indices[0];
    assert!(
        notes.contains(&format!(
            "row {} (batch_indices counts from 0 and holds {i})",
            i + 1
        )),
        "{notes}"
    );
    let mut zh = houses(false, Lang::Zh);
    let notes = inspect(&mut zh, Id::Of(Symbol::Y, Part::Value), 0, 0).join("\n");
    assert!(notes.contains(&format!("第 {} 行", i + 1)), "{notes}");
}

//! A teacher's edited lesson file: every mistake is reported with its line, never a panic.

use gradstep::lesson::{EMBEDDED, Lesson, LessonError};

/// The embedded lesson with the first `from` replaced by `to`, and the 1-based line `from` was on.
fn edited(from: &str, to: &str) -> (String, usize) {
    let Some(at) = EMBEDDED.find(from) else {
        panic!("{from:?} is not in the lesson")
    };
    let line = EMBEDDED[..at].matches('\n').count() + 1;
    (EMBEDDED.replacen(from, to, 1), line)
}

fn error(src: &str) -> String {
    match Lesson::parse(src) {
        Ok(_) => panic!("the edited lesson loaded"),
        Err(LessonError(m)) => m,
    }
}

/// The 1-based line of the `[[step]]` header above `key`.
fn header_above(key: &str) -> usize {
    let Some(at) = EMBEDDED.find(key) else {
        panic!("{key:?} is not in the lesson")
    };
    let Some(header) = EMBEDDED[..at].rfind("[[step]]") else {
        panic!("no [[step]] above {key:?}")
    };
    EMBEDDED[..header].matches('\n').count() + 1
}

#[test]
fn unknown_step_kind() {
    let (src, line) = edited("kind = \"forward\"", "kind = \"forwrd\"");
    assert_eq!(
        error(&src),
        format!(
            "line {line}: step \"forwrd\": unknown step kind (expected one of: draw, \
             forward_sample, forward, loss, errors, accumulate, grad_w, grad_b, update, \
             epoch_summary)"
        )
    );
}

#[test]
fn step_without_a_kind() {
    let header = header_above("kind = \"loss\"");
    let (src, _) = edited("kind = \"loss\"\n", "");
    assert_eq!(error(&src), format!("line {header}: [[step]] has no kind"));
}

#[test]
fn missing_language() {
    let (src, _) = edited("title.zh = \"计算损失\"\n", "");
    let (_, title_line) = edited("title.en = \"Loss\"", "");
    assert_eq!(
        error(&src),
        format!("line {title_line}: step \"loss\": title has no \"zh\" text")
    );

    let (src, line) = edited(
        "narrative.en = \"Each sample's loss",
        "narrative.en = \"  \" # Each sample's loss",
    );
    let msg = error(&src);
    assert_eq!(
        msg,
        format!("line {line}: step \"loss\": narrative has no \"en\" text")
    );
}

#[test]
fn unknown_formula_reference() {
    let (src, line) = edited(
        "formulas = [\"update_w\", \"update_b\"",
        "formulas = [\"update_w\", \"updat_b\"",
    );
    let msg = error(&src);
    assert!(
        msg.starts_with(&format!(
            "line {line}: step \"update\": unknown formula \"updat_b\" (defined: model, model_sample,"
        )),
        "{msg}"
    );
}

#[test]
fn formula_defined_twice() {
    let (src, line) = edited("id = \"delta\"", "id = \"model\"");
    assert_eq!(
        error(&src),
        format!("line {line}: formula \"model\" is defined twice")
    );
}

#[test]
fn step_described_twice() {
    let (src, line) = edited("kind = \"forward\"", "kind = \"draw\"");
    assert_eq!(
        error(&src),
        format!("line {line}: step \"draw\" is described twice")
    );
}

#[test]
fn missing_step_kind_points_at_the_end() {
    let cut = match EMBEDDED.rfind("[[step]]") {
        Some(at) => &EMBEDDED[..at],
        None => panic!("no steps"),
    };
    let last = cut.trim_end_matches('\n').matches('\n').count() + 1;
    assert_eq!(
        error(cut),
        format!(
            "line {last}: step \"epoch_summary\" is missing (every step kind needs a [[step]])"
        )
    );
}

#[test]
fn formula_that_does_not_parse() {
    let (src, line) = edited(
        r"latex = '\frac{\partial L}{\partial b} = \sum_{i=1}^{N} \delta^{(i)}'",
        r"latex = '\frac{\partial L}{\partial b} = \fracc{1}{2}'",
    );
    let msg = error(&src);
    assert!(
        msg.starts_with(&format!("line {line}: formula \"grad_b\": at character ")),
        "{msg}"
    );
    assert!(msg.contains("fracc"), "{msg}");
}

#[test]
fn multi_line_formula_errors_point_inside_the_string() {
    let (src, line) = edited(
        "latex = '\\hat{y} = Xw + b'",
        "latex = '''\n\\fracc{y}\n'''",
    );
    assert!(error(&src).starts_with(&format!("line {}: formula \"model\": ", line + 1)));
}

#[test]
fn toml_syntax_and_unknown_keys() {
    let (src, line) = edited("latex = '\\hat{y} = Xw + b'", "latex = '\\hat{y} = Xw + b");
    assert!(
        error(&src).starts_with(&format!("line {line}: ")),
        "{}",
        error(&src)
    );

    let (src, line) = edited("narrative.en = \"Doing", "narrative.fr = \"Doing");
    let msg = error(&src);
    assert!(
        msg.starts_with(&format!("line {line}: ")) && msg.contains("fr"),
        "{msg}"
    );

    let (src, line) = edited("code = 'net(X, w, b)'", "cdoe = 'net(X, w, b)'");
    let msg = error(&src);
    assert!(
        msg.starts_with(&format!("line {line}: ")) && msg.contains("cdoe"),
        "{msg}"
    );
}

#[test]
fn garbage_never_panics() {
    for src in [
        "",
        "\n",
        "[[step]]",
        "[[formula]]\nid = 1",
        "step = 3",
        "\u{feff}x = ",
        "[[",
    ] {
        assert!(Lesson::parse(src).is_err(), "{src:?} loaded");
    }
}

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

/// The 1-based line of the `n`-th (from 0) line that starts with `prefix` in `src`.
fn line_of(src: &str, prefix: &str, n: usize) -> usize {
    src.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with(prefix))
        .nth(n)
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("no {prefix:?} number {n}"))
}

#[test]
fn the_built_in_plan_has_its_stops_in_order() {
    use gradstep::lesson::{StopStep, StopView};
    let lesson = Lesson::parse(EMBEDDED).expect("the built-in lesson");
    let stops = lesson.stops();
    assert_eq!(stops.len(), 8);
    assert_eq!(lesson.stops_for(), Some("d2l"));
    let first = &stops[0];
    assert_eq!((first.at.epoch, first.at.batch), (1, 1));
    assert_eq!(first.at.step, StopStep::Kind("forward_sample".into()));
    assert_eq!(first.line, line_of(EMBEDDED, "[[stop]]", 0));
    assert_eq!(stops[1].quiz, Some(true));
    assert_eq!(stops[5].batch_size, Some(64));
    assert_eq!(stops[7].lr, Some(3.0));
    assert_eq!(stops[7].view, Some(StopView::Pictures));
    for s in stops {
        assert!(!s.note.en.is_empty() && !s.note.zh.is_empty());
    }
    // Another preset gets no stops; the file itself keeps them.
    assert!(lesson.clone().plan_for(Some("house")).stops().is_empty());
    assert_eq!(lesson.clone().plan_for(Some("d2l")).stops().len(), 8);
    assert!(lesson.plan_for(None).stops().is_empty());
}

#[test]
fn stop_mistakes_name_their_line() {
    let stop = |body: &str| format!("{EMBEDDED}\n[[stop]]\n{body}\n");
    let line = EMBEDDED.lines().count() + 2;
    let at = line + 1;
    let cases = [
        (
            "note.en = \"x\"\nnote.zh = \"x\"",
            line,
            "[[stop]] has no at (\"E:B:S\", or \"E:B\" with a step kind)".to_string(),
        ),
        (
            "at = \"1:x:3\"\nnote.en = \"x\"\nnote.zh = \"x\"",
            at,
            "stop at \"1:x:3\": expected epoch:batch:step, or epoch:batch with step = \"kind\", \
             each a whole number from 1"
                .to_string(),
        ),
        (
            "at = \"1:2\"\nnote.en = \"x\"\nnote.zh = \"x\"",
            at,
            "stop at \"1:2\": expected epoch:batch:step, or epoch:batch with step = \"kind\", \
             each a whole number from 1"
                .to_string(),
        ),
        (
            "at = \"1:2\"\nstep = \"backward\"\nnote.en = \"x\"\nnote.zh = \"x\"",
            at + 1,
            "stop: unknown step kind \"backward\" (expected one of: draw, forward_sample, \
             forward, loss, errors, accumulate, grad_w, grad_b, update, epoch_summary; with a \
             hidden layer: mlp_forward_sample, mlp_forward, mlp_accumulate_2, mlp_grads_2, \
             mlp_send_back, mlp_send_back_all, mlp_accumulate_1, mlp_grads_1, mlp_update)"
                .to_string(),
        ),
        (
            "at = \"1:2:3\"\nnote.en = \"x\"",
            at + 1,
            "stop at 1:2:3: note has no \"zh\" text".to_string(),
        ),
        (
            "at = \"1:2:3\"\nlr = -1.0\nnote.en = \"x\"\nnote.zh = \"x\"",
            at + 1,
            "stop at 1:2:3: lr must be a positive number".to_string(),
        ),
        (
            "at = \"1:2:3\"\nbatch_size = 0\nnote.en = \"x\"\nnote.zh = \"x\"",
            at + 1,
            "stop at 1:2:3: batch_size must be a whole number from 1".to_string(),
        ),
        (
            "at = \"1:2:3\"\nobjective = \"avg\"\nnote.en = \"x\"\nnote.zh = \"x\"",
            at + 1,
            "stop at 1:2:3: unknown objective \"avg\" (expected sum, mean or sum-nodiv)"
                .to_string(),
        ),
        (
            "at = \"1:2:3\"\nview = \"chart\"\nnote.en = \"x\"\nnote.zh = \"x\"",
            at + 1,
            "stop at 1:2:3: unknown view \"chart\" (expected one of: lesson, pictures, compare)"
                .to_string(),
        ),
    ];
    for (body, line, message) in cases {
        assert_eq!(
            error(&stop(body)),
            format!("line {line}: {message}"),
            "{body}"
        );
    }
}

#[test]
fn a_title_wider_than_the_status_line_allows_is_refused() {
    let long = "Accumulate δx, one sample after another";
    let (src, line) = edited(
        "title.en = \"Accumulate δx\"",
        &format!("title.en = \"{long}\""),
    );
    assert_eq!(
        error(&src),
        format!(
            "line {line}: step \"accumulate\": the \"en\" title takes {} columns, more than the \
             24 the status line has room for",
            long.chars().count()
        )
    );
    // Chinese characters take two columns each: these 15 take 30. The title's first line is
    // named, where its English text is.
    let (_, line) = edited("title.en = \"Accumulate δx\"", "");
    let (src, _) = edited(
        "title.zh = \"累加 δx\"",
        "title.zh = \"把每个样本的贡献逐一累加起来吧\"",
    );
    assert_eq!(
        error(&src),
        format!(
            "line {line}: step \"accumulate\": the \"zh\" title takes 30 columns, more than the \
             24 the status line has room for"
        )
    );
}

#[test]
fn bidirectional_formatting_is_refused_like_control_characters() {
    // Raw in a title, and escaped (which only the decoded text shows) in a note and a title.
    for c in [
        '\u{202E}', '\u{202A}', '\u{2066}', '\u{2069}', '\u{200F}', '\u{061C}',
    ] {
        let code = format!("U+{:04X}", u32::from(c));
        let (src, line) = edited(
            "title.en = \"Accumulate δx\"",
            &format!("title.en = \"Accu{c}mulate δx\""),
        );
        assert_eq!(
            error(&src),
            format!(
                "line {line}: bidirectional formatting character {code} is not allowed in a \
                 lesson file; remove it"
            )
        );
        let escaped = format!("\\u{:04X}", u32::from(c));
        let (src, _) = edited(
            "title.en = \"Accumulate δx\"",
            &format!("title.en = \"Accu{escaped}mulate δx\""),
        );
        assert!(
            error(&src).contains(&format!(
                "step \"accumulate\": title \"en\": bidirectional formatting character {code}"
            )),
            "{}",
            error(&src)
        );
        let src = format!(
            "{EMBEDDED}\n[[stop]]\nat = \"1:2:3\"\nnote.en = \"cheap{escaped}\"\nnote.zh = \"x\"\n"
        );
        let line = EMBEDDED.lines().count() + 4;
        assert_eq!(
            error(&src),
            format!(
                "line {line}: stop at 1:2:3: note \"en\": bidirectional formatting character \
                 {code} is not allowed in a lesson file; remove it"
            )
        );
    }
    // Control characters escaped into a note are refused too.
    let src =
        format!("{EMBEDDED}\n[[stop]]\nat = \"1:2:3\"\nnote.en = \"a\\u001Bb\"\nnote.zh = \"x\"\n");
    assert!(error(&src).contains("note \"en\": control character U+001B"));
    // Right-to-left text itself (Arabic, Hebrew) is not formatting, and loads.
    let (src, _) = edited(
        "title.en = \"Accumulate δx\"",
        "title.en = \"Accumulate שלום\"",
    );
    assert!(Lesson::parse(&src).is_ok());
}

#[test]
fn sixty_thousand_stops_load_each_with_its_line() {
    // 3.4 MB of stops: loading must not rescan the file for each one (this took minutes).
    let count = 60_000;
    let mut src = EMBEDDED.to_string();
    let first = src.lines().count() + 2;
    for k in 0..count {
        src.push_str(&format!(
            "\n[[stop]]\nat = \"1:{}:1\"\nnote.en = \"stop {k}, a few words of note\"\nnote.zh = \"第 {k} 站\"\n",
            k + 1
        ));
    }
    let lesson = Lesson::parse(&src).expect("loads");
    let stops = lesson.stops();
    assert_eq!(stops.len(), 8 + count);
    // Each added stop takes five lines, its header on the first of them.
    for (k, s) in stops[8..].iter().enumerate() {
        assert_eq!(s.line, first + 5 * k, "stop {k}");
        assert_eq!(s.at.batch, k + 1);
    }
    assert_eq!(
        stops.last().map(|s| s.note.en.as_str()),
        Some("stop 59999, a few words of note")
    );
}

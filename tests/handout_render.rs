//! The handout read back number by number: every value is parsed out of the Markdown and compared
//! with the batch it describes, formatted with `{:.*}` as the trace's value rounds; the
//! per-sample contributions are recomputed here from δ and X. Then pandoc must read it cleanly.

mod common;
mod pandoc;

use common::{default_run, preset_session};
use gradstep::data::Synthetic;
use gradstep::engine::tape::walk::steps;
use gradstep::engine::{Batch, Granularity, Hyper, Objective, Session, Step};
use gradstep::handout::{HandoutOptions, render};
use gradstep::lesson::{Lang, Lesson};
use gradstep::preset::Preset;
use pandoc::pandoc;

const LANGS: [Lang; 2] = [Lang::En, Lang::Zh];

fn lesson() -> Lesson {
    Lesson::embedded().unwrap_or_else(|e| panic!("embedded lesson: {e}"))
}

fn handout(session: &Session, precision: usize, lang: Lang) -> String {
    let opts = HandoutOptions {
        lang,
        precision,
        source: "test data (rows_with_underscores & a | pipe)".into(),
    };
    render(&lesson(), session, &opts)
}

/// The default d2l run, moved to 1-based batch 7.
fn d2l_batch_7() -> Session {
    let (data, hyper, init) = default_run();
    let mut s = Session::new(data, hyper, init).unwrap_or_else(|e| panic!("{e}"));
    s.go_to_batch(6);
    s
}

/// 10 features and batches of 25: both kinds of elision at once.
fn wide() -> Session {
    let data = Synthetic {
        samples: 60,
        true_w: (1..=10).map(f64::from).collect(),
        ..Synthetic::default()
    }
    .generate()
    .unwrap_or_else(|e| panic!("{e}"));
    let hyper = Hyper {
        batch_size: 25,
        ..Hyper::default()
    };
    let init = gradstep::engine::Init::Normal.params(data.d(), hyper.seed);
    Session::new(data, hyper, init).unwrap_or_else(|e| panic!("{e}"))
}

/// What the handout must print for `v` as a result, by the rules written out again here: `{:.*}`;
/// a small non-zero number with two significant digits; m × 10^e past 1e9; words for non-finite
/// values; no negative zero.
fn fmt(v: f64, p: usize) -> String {
    if v.is_nan() {
        return r"\text{NaN}".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            r"\text{inf}"
        } else {
            r"-\text{inf}"
        }
        .into();
    }
    if v.abs() >= 1e9 {
        // Spelled out, 1e159 would be 160 digits: the handout writes m × 10^e instead.
        let exponent = v.abs().log10().floor() as i32;
        let mut mantissa = v / 10f64.powi(exponent);
        let mut exponent = exponent;
        if format!("{:.p$}", mantissa.abs()).starts_with("10") {
            mantissa /= 10.0;
            exponent += 1;
        }
        return format!(r"{mantissa:.p$} \times 10^{{{exponent}}}");
    }
    let decimals = if v != 0.0 && v.abs() < 1.0 {
        // The first significant digit's place, and one more.
        p.max(1 + (-v.abs().log10()).floor() as usize + 1)
    } else {
        p
    };
    let text = format!("{v:.decimals$}");
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

/// Whether `text`, an operand printed with as many digits as its equation needs, is `v` rounded.
fn rounds(text: &str, v: f64) -> bool {
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
    (parse(text) - v).abs() <= 0.5 * 10f64.powi(-(decimals as i32)) * (1.0 + 1e-9)
}

fn fmt_all<'a>(values: impl IntoIterator<Item = &'a f64>, p: usize) -> Vec<String> {
    values.into_iter().map(|v| fmt(*v, p)).collect()
}

/// The contents of every `$$ … $$` block.
fn displays(md: &str) -> Vec<&str> {
    md.split("\n$$\n")
        .skip(1)
        .step_by(2)
        .map(|d| d.strip_prefix("$$\n").unwrap_or(d))
        .collect()
}

/// The one display block that starts with `prefix`.
fn display<'a>(md: &'a str, prefix: &str) -> &'a str {
    let found: Vec<&str> = md.split("$$\n").filter(|d| d.starts_with(prefix)).collect();
    assert_eq!(found.len(), 1, "one display starting {prefix:?} in\n{md}");
    found[0]
}

/// Every `bmatrix` in `latex`, as rows of trimmed cells.
fn bmatrices(latex: &str) -> Vec<Vec<Vec<String>>> {
    latex
        .split(r"\begin{bmatrix}")
        .skip(1)
        .map(|m| {
            let body = m.split(r"\end{bmatrix}").next().unwrap_or("");
            body.split(r"\\")
                .map(|row| row.split('&').map(|c| c.trim().to_string()).collect())
                .collect()
        })
        .collect()
}

fn column(m: &[Vec<String>]) -> Vec<String> {
    m.iter()
        .map(|r| {
            assert_eq!(r.len(), 1, "a column vector: {m:?}");
            r[0].clone()
        })
        .collect()
}

/// What follows the last ` = ` of a display: the result.
fn result(latex: &str) -> &str {
    latex.rsplit(" = ").next().unwrap_or("").trim()
}

/// The body rows of the pipe table whose header line contains `marker`.
fn table(md: &str, marker: &str) -> Vec<Vec<String>> {
    let mut lines = md
        .lines()
        .skip_while(|l| !(l.starts_with('|') && l.contains(marker)));
    assert!(lines.next().is_some(), "a table with {marker:?}");
    lines
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

fn unmath(cell: &str) -> &str {
    cell.trim_start_matches('$').trim_end_matches('$')
}

/// δ⁽ⁱ⁾x⁽ⁱ⁾ from the batch's own δ and X.
fn contributions(b: &Batch) -> Vec<Vec<f64>> {
    (0..b.rows())
        .map(|i| (0..b.x.ncols()).map(|j| b.delta[i] * b.x[(i, j)]).collect())
        .collect()
}

/// Part 2, the batch's numbers: after the last second-level heading.
fn worked(md: &str) -> &str {
    md.rsplit("\n## ").next().unwrap_or("")
}

/// Every number of a batch small enough to show in full, checked against the batch.
fn check_batch(session: &Session, p: usize, lang: Lang) {
    let b = session.batch();
    let full = handout(session, p, lang);
    let md = worked(&full);
    let f = |v: f64| fmt(v, p);
    let (n, d) = (b.rows(), b.x.ncols());

    // X, y, w and b as drawn, side by side.
    let drawn = display(md, "X = ");
    let data = bmatrices(drawn);
    let x: Vec<Vec<String>> = (0..n).map(|i| fmt_all(b.x.row(i).iter(), p)).collect();
    assert_eq!(data[0], x, "X");
    assert_eq!(column(&data[1]), fmt_all(&b.y, p), "y");
    assert_eq!(column(&data[2]), fmt_all(&b.w, p), "w");
    assert_eq!(result(drawn), f(b.b), "b");

    let forward = display(md, r"\hat{y} = Xw + b = ");
    let last = |m: Vec<Vec<Vec<String>>>| m.last().cloned().unwrap_or_default();
    assert_eq!(column(&last(bmatrices(forward))), fmt_all(&b.y_hat, p), "ŷ");
    assert_eq!(
        result(display(md, "l^{(1)} = ")),
        f(b.losses[0]),
        "l of the first sample"
    );
    let total = display(md, "L = ");
    // The mean objective's L is the mean of the losses (its tape's root is l.mean()), written
    // as 1/N times their sum.
    let mean = b.hyper.objective == Objective::Mean;
    let expected_l = if mean { b.loss / n as f64 } else { b.loss };
    assert_eq!(result(total), f(expected_l), "L");
    let sum = total.split(" = ").nth(2).unwrap_or("");
    let factor = format!(r"\frac{{1}}{{{n}}} \cdot \left( ");
    let sum = if mean {
        sum.strip_prefix(factor.as_str())
            .and_then(|s| s.strip_suffix(r" \right)"))
            .unwrap_or_else(|| panic!("a mean run's L is 1/N times the sum: {total}"))
    } else {
        sum
    };
    let terms: Vec<&str> = sum
        .split(" + ")
        .map(|t| {
            t.trim_start_matches(r"\left( ")
                .trim_end_matches(r" \right)")
        })
        .collect();
    assert_eq!(terms.len(), n, "the terms of L: {total}");
    for (t, l) in terms.iter().zip(b.losses.iter()) {
        assert!(rounds(t, *l), "term {t} of L is l = {l}");
    }
    assert_eq!(
        column(&last(bmatrices(display(md, r"\delta = ")))),
        fmt_all(&b.delta, p),
        "δ"
    );

    let expected: Vec<Vec<String>> = contributions(b).iter().map(|r| fmt_all(r, p)).collect();
    let shown = bmatrices(display(md, r"\begin{bmatrix} \delta^{(1)} x^{(1)T}"));
    assert_eq!(shown[1], expected, "δ⁽ⁱ⁾x⁽ⁱ⁾ as the rows of a matrix");

    let rows = table(md, r"$\delta^{(i)} x^{(i)T}$");
    assert_eq!(rows.len(), n, "one table row per sample");
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0], (i + 1).to_string());
        assert_eq!(
            row[1],
            (b.indices[i] + 1).to_string(),
            "data row of sample {i}, from 1"
        );
        let cells: Vec<&str> = row[2..6].iter().map(|c| unmath(c)).collect();
        assert_eq!(
            cells,
            [f(b.y_hat[i]), f(b.y[i]), f(b.delta[i]), f(b.losses[i])],
            "ŷ, y, δ, l of sample {i}"
        );
        assert_eq!(bmatrices(&row[6])[0][0], expected[i], "δx of sample {i}");
    }

    // The gradient is the sum of the contributions: exactly, and within rounding of the
    // contributions as printed.
    let grad = display(md, r"\frac{\partial L}{\partial w} = ");
    let shown_grad = column(bmatrices(grad).last().map_or(&[][..], |m| m));
    assert_eq!(shown_grad, fmt_all(&b.grad_w, p), "∂L/∂w");
    let summed: Vec<f64> = (0..d)
        .map(|j| contributions(b).iter().map(|r| r[j]).sum())
        .collect();
    let scale = if session.batch().hyper.objective == Objective::Mean {
        n as f64
    } else {
        1.0
    };
    // Each printed contribution is off by at most half a unit in the last place, and so is ∂L/∂w.
    let half = 0.5 * 10f64.powi(-(p as i32));
    let tolerance = n as f64 * half / scale + half + 1e-9;
    for j in 0..d {
        let printed: f64 = rows
            .iter()
            .map(|r| parse(&bmatrices(&r[6])[0][0][j]))
            .sum::<f64>()
            / scale;
        let grad_j = parse(&shown_grad[j]);
        assert!(
            (printed - grad_j).abs() <= tolerance,
            "printed contributions of feature {j} sum to {printed}, ∂L/∂w shows {grad_j}"
        );
        assert!(
            (summed[j] / scale - b.grad_w[j]).abs() <= 1e-9 * b.grad_w[j].abs().max(1.0),
            "Σδx of feature {j}"
        );
    }

    let grad_b = display(md, r"\frac{\partial L}{\partial b} = ");
    assert_eq!(result(grad_b), f(b.grad_b), "∂L/∂b");

    let update_w = display(md, r"w \leftarrow");
    let m = bmatrices(update_w);
    for (k, v) in [(0, &b.w), (1, &b.grad_w)] {
        for (t, v) in column(&m[k]).iter().zip(v.iter()) {
            assert!(rounds(t, *v), "operand {t} of the update is {v}");
        }
    }
    assert_eq!(column(&m[2]), fmt_all(&b.w_next, p), "w after");
    let step = if b.divisor() == 1.0 {
        format!(" - {} \\cdot ", b.hyper.lr)
    } else {
        format!(r" - \frac{{{}}}{{{}}} \cdot ", b.hyper.lr, b.divisor())
    };
    assert!(update_w.contains(&step), "{step} in {update_w}");
    let update_b = display(md, r"b \leftarrow");
    assert!(update_b.contains(&step), "{step} in {update_b}");
    assert_eq!(result(update_b), f(b.b_next), "b after");
    let before = update_b
        .split(" = ")
        .nth(1)
        .and_then(|t| t.split(" - ").next());
    assert!(rounds(before.unwrap_or(""), b.b), "b before: {update_b}");

    let whole_data = r"\frac{1}{n} \sum_{i=1}^{n} l^{(i)}";
    match b.epoch_loss {
        Some(loss) => {
            let shown: Vec<&str> = md
                .split("$$\n")
                .filter(|d| d.contains(whole_data))
                .collect();
            assert_eq!(shown.len(), 1, "one mean loss of the whole data");
            assert_eq!(result(shown[0]), f(loss));
        }
        None => assert!(!md.contains(whole_data)),
    }
}

fn parse(s: &str) -> f64 {
    s.parse()
        .unwrap_or_else(|e| panic!("{s:?} is not a number: {e}"))
}

#[test]
fn house_numbers_match_the_batch() {
    let mut s = preset_session(Preset::House);
    for lang in LANGS {
        check_batch(&s, 4, lang);
        check_batch(&s, 1, lang);
    }
    // The second batch ends the epoch, so the handout adds the epoch's mean loss.
    s.go_to_batch(1);
    assert!(s.batch().epoch_loss.is_some());
    for lang in LANGS {
        check_batch(&s, 3, lang);
    }
}

#[test]
fn house_first_batch_is_the_lessons_example() {
    let s = preset_session(Preset::House);
    let md = handout(&s, 1, Lang::En);
    // 100 · 1.8 = 180, 80 · 1.8 = 144, 120 · 1.8 = 216, 60 · 1.8 = 108.
    assert!(md.contains(
        r"\hat{y} = Xw + b = \begin{bmatrix} 100.0 \\ 80.0 \\ 120.0 \\ 60.0 \end{bmatrix} \begin{bmatrix} 1.8 \end{bmatrix} + 0.0 = \begin{bmatrix} 180.0 \\ 144.0 \\ 216.0 \\ 108.0 \end{bmatrix}"
    ));
    assert!(md.contains(
        r"= -20.0 + \left( -14.0 \right) + \left( -27.0 \right) + \left( -11.0 \right) = -72.0"
    ));
    assert!(md.contains(r"\frac{0.00005}{4}"));
}

#[test]
fn tiny_numbers_match_the_batch() {
    let mut s = preset_session(Preset::Tiny);
    for g in 0..3 {
        s.go_to_batch(g);
        for lang in LANGS {
            check_batch(&s, 3, lang);
        }
    }
}

#[test]
fn default_run_batch_7_numbers_match_the_batch() {
    let s = d2l_batch_7();
    assert_eq!((s.batch().epoch, s.batch().batch), (1, 7));
    for lang in LANGS {
        check_batch(&s, 4, lang);
        check_batch(&s, 6, lang);
    }
}

#[test]
fn mean_objective_divides_the_sums() {
    let (data, hyper, init) = default_run();
    let hyper = Hyper {
        objective: Objective::Mean,
        ..hyper
    };
    let s = Session::new(data, hyper, init).unwrap_or_else(|e| panic!("{e}"));
    check_batch(&s, 4, Lang::En);
    let full = handout(&s, 4, Lang::En);
    let md = worked(&full);
    let b = s.batch();
    let grad = display(
        md,
        r"\frac{\partial L}{\partial w} = X^T \frac{\delta}{N} = ",
    );
    // Σδx over the batch divided by N = 10, by a second route.
    let xt_delta: Vec<f64> = (0..b.x.ncols())
        .map(|j| contributions(b).iter().map(|r| r[j]).sum::<f64>() / 10.0)
        .collect();
    let shown = bmatrices(grad).last().cloned().unwrap_or_default();
    assert_eq!(column(&shown), fmt_all(&xt_delta, 4));
    assert!(md.contains("`mean`"));
}

#[test]
fn the_run_is_described_at_the_top() {
    let s = d2l_batch_7();
    let md = handout(&s, 4, Lang::En);
    let top = md.split("## 1.").next().unwrap_or("");
    for expected in [
        r"test data (rows\_with\_underscores \& a \| pipe)",
        "| Seed | 42 |",
        "| Learning rate | $0.03$ |",
        "| Batch size | 10 |",
        "`sum`",
        "batch 7 of 300 in the run: epoch 1, batch 7 of 100",
        "x₁, x₂ → y",
    ] {
        assert!(top.contains(expected), "{expected:?} in\n{top}");
    }
    assert!(md.contains("## 2. Batch 7 with its numbers"));
}

#[test]
fn every_stage_has_its_title_narrative_and_pytorch_line_in_both_languages() {
    let lesson = lesson();
    let mut s = preset_session(Preset::House);
    s.go_to_batch(1);
    for lang in LANGS {
        let md = handout(&s, 2, lang);
        let mut from = 0;
        // The engine's order of steps; the handout shows the forward pass for the whole batch.
        let stages = steps(1, Granularity::Sample, true);
        for &step in stages
            .iter()
            .filter(|s| !matches!(s, Step::ForwardSample { .. }))
        {
            let text = lesson.step(step);
            // The title, what the lesson says about the step, then its line of PyTorch.
            let stage = format!(
                "### {}\n\n{}\n\n```python\n{}\n```",
                text.title.get(lang),
                gradstep::handout::narrative(&lesson, step, lang),
                text.code
            );
            let at = md[from..]
                .find(&stage)
                .unwrap_or_else(|| panic!("{stage:?} after byte {from} in\n{md}"));
            from += at + stage.len();
        }
        for d in lesson.derivation() {
            assert!(md.contains(&format!("$$\n{}\n$$", d.latex)), "{}", d.id);
        }
    }
}

#[test]
fn prose_is_in_the_chosen_language() {
    let s = preset_session(Preset::Tiny);
    let en = handout(&s, 2, Lang::En);
    let zh = handout(&s, 2, Lang::Zh);
    for (md, present, absent) in [
        (
            &en,
            ["## The run", "The derivation", "Batch 1 with its numbers"],
            "本批",
        ),
        (&zh, ["## 本次训练", "推导", "第 1 批的具体数字"], "The "),
    ] {
        for p in present {
            assert!(md.contains(p), "{p:?}");
        }
        assert!(!md.contains(absent), "{absent:?} in\n{md}");
    }
    assert_eq!(
        displays(&en),
        displays(&zh),
        "the mathematics is the same in both"
    );
}

#[test]
fn large_batches_elide_the_matrices_but_list_every_sample_and_feature() {
    let s = wide();
    let b = s.batch();
    assert_eq!((b.rows(), b.x.ncols()), (25, 10));
    for lang in LANGS {
        let full = handout(&s, 3, lang);
        let md = worked(&full);
        let drawn = bmatrices(display(md, "X = "));
        let x = &drawn[0];
        assert_eq!(x.len(), 6 + 1 + 2, "rows: first 6, a gap, last 2");
        assert!(
            x.iter().all(|r| r.len() == 4 + 1 + 2),
            "columns: first 4, a gap, last 2"
        );
        assert_eq!(x[6][0], r"\vdots");
        assert_eq!(x[6][4], r"\ddots");
        assert_eq!(x[0][4], r"\cdots");
        assert_eq!(x[7][5], fmt(b.x[(23, 8)], 3));
        let w = column(&drawn[2]);
        assert_eq!(w.len(), 7);
        assert_eq!(w[6], fmt(b.w[9], 3));

        let samples = table(md, r"$\delta^{(i)} x^{(i)T}$");
        assert_eq!(samples.len(), 25, "every sample in the table");
        assert_eq!(unmath(&samples[24][4]), fmt(b.delta[24], 3));
        let features = table(md, r"$w_j$");
        assert_eq!(features.len(), 10, "every feature in the table");
        for (j, row) in features.iter().enumerate() {
            assert_eq!(row[1], format!("x{}", j + 1));
            let cells: Vec<&str> = row[2..5].iter().map(|c| unmath(c)).collect();
            assert_eq!(
                cells,
                [fmt(b.w[j], 3), fmt(b.grad_w[j], 3), fmt(b.w_next[j], 3)]
            );
        }
        let says = match lang {
            Lang::En => [
                "the first 6 and the last 2 rows",
                "the first 4 and the last 2 features",
            ],
            Lang::Zh => ["前 6 行和最后 2 行", "前 4 个和最后 2 个特征"],
        };
        for s in says {
            assert!(md.contains(s), "{s:?}");
        }
    }
}

#[test]
fn small_batches_are_not_elided() {
    let md = handout(&d2l_batch_7(), 4, Lang::En);
    for gap in [r"\vdots \end", r"\cdots &", r"\ddots"] {
        assert!(!md.contains(gap), "{gap}");
    }
    assert!(!md.contains("in place of the others"));
}

#[test]
fn a_diverged_batch_shows_inf_and_nan() {
    let data = Preset::House.fixed_data().and_then(Result::ok);
    let data = data.unwrap_or_else(|| panic!("house data"));
    // Each update multiplies the error by about lr × 10⁴, so 100 epochs overflow.
    let hyper = Hyper {
        lr: 1.0,
        epochs: 100,
        ..Preset::House.spec().hyper
    };
    let init = Preset::House.init().params(1, hyper.seed);
    let mut s = Session::new(data, hyper, init).unwrap_or_else(|e| panic!("{e}"));
    s.last();
    let b = s.batch();
    assert!(!b.is_finite(), "the run diverges");
    let full = handout(&s, 2, Lang::En);
    let md = worked(&full);
    assert!(md.contains(r"\text{inf}") || md.contains(r"\text{NaN}"));
    let update = display(md, r"w \leftarrow");
    assert_eq!(column(&bmatrices(update)[2]), fmt_all(&b.w_next, 2));
    assert_eq!(result(display(md, r"b \leftarrow")), fmt(b.b_next, 2));
}

#[test]
fn pandoc_reads_the_handout_without_warnings() {
    let mut house_end = preset_session(Preset::House);
    house_end.go_to_batch(1);
    let sessions = [
        preset_session(Preset::House),
        house_end,
        preset_session(Preset::Tiny),
        d2l_batch_7(),
        wide(),
    ];
    for s in &sessions {
        for lang in LANGS {
            let md = handout(s, 4, lang);
            let html = pandoc(&md, &["-t", "html", "--mathjax"]);
            // A `$` that pandoc did not take as math would come through as text.
            assert!(!html.contains('$'), "unparsed math in\n{html}");
            assert_eq!(
                html.matches(r#"class="math display""#).count(),
                displays(&md).len(),
                "every display block is math"
            );
            assert!(html.contains("<table"));
            let latex = pandoc(&md, &["-t", "latex"]);
            assert!(latex.contains(r"\begin{bmatrix}"));
        }
    }
}

/// `html` with every MathJax math span (`<span class="math inline">…</span>`, pandoc may break
/// the line inside the tag) cut out.
fn outside_math(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<span") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + "<span".len()..];
        let tag = tail.split_whitespace().collect::<Vec<_>>().join(" ");
        if tag.starts_with(r#"class="math inline">"#) || tag.starts_with(r#"class="math display">"#)
        {
            let end = tail
                .find("</span>")
                .unwrap_or_else(|| panic!("an unclosed math span"));
            rest = &tail[end + "</span>".len()..];
        } else {
            out.push_str("<span");
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// The command the help and README give, `pandoc -s --mathjax`, makes a page whose math renders:
/// a title (no warning), the MathJax script, and every `\(` inside a math span.
#[test]
fn pandoc_standalone_mathjax_page_renders_the_math() {
    let mut stop = preset_session(Preset::Tiny);
    stop.go_to_batch(1);
    for lang in LANGS {
        let opts = HandoutOptions {
            lang,
            precision: 4,
            source: "tiny".into(),
        };
        for md in [
            handout(&d2l_batch_7(), 4, lang),
            gradstep::handout::render_stop(&lesson(), &stop, &opts, "a stop's note: (1) and $5"),
        ] {
            assert!(
                md.starts_with("---\ntitle: \""),
                "YAML title first: {}",
                &md[..80]
            );
            let html = pandoc(&md, &["-s", "--mathjax"]);
            let title = match lang {
                Lang::En => "Backpropagation of linear regression",
                Lang::Zh => "线性回归的反向传播",
            };
            assert!(
                html.contains(&format!("<title>{title}")),
                "the page's title"
            );
            let script = html.split("<script").skip(1).any(|s| {
                s.split('>')
                    .next()
                    .is_some_and(|tag| tag.to_lowercase().contains("mathjax"))
            });
            assert!(script, "the MathJax script is on the page");
            assert!(html.matches(r#"class="math inline""#).count() > 10);
            let rest = outside_math(&html);
            for raw in [r"\(", r"\[", "$$"] {
                assert!(!rest.contains(raw), "{raw} outside math in\n{rest}");
            }
        }
    }
}

#[test]
fn numbers_match_the_trace_line_of_the_same_batch() {
    let s = d2l_batch_7();
    let line = gradstep::cli::trace::record(s.batch());
    let trace: serde_json::Value =
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    let values = |key: &str| -> Vec<f64> {
        match &trace[key] {
            serde_json::Value::Array(a) => a.iter().filter_map(|v| v.as_f64()).collect(),
            v => v.as_f64().into_iter().collect(),
        }
    };
    let p = 5;
    let full = handout(&s, p, Lang::Zh);
    let md = worked(&full);
    let last = |prefix: &str| column(bmatrices(display(md, prefix)).last().map_or(&[][..], |m| m));
    assert_eq!(last(r"\hat{y} = Xw + b = "), fmt_all(&values("y_hat"), p));
    assert_eq!(last(r"\delta = "), fmt_all(&values("delta"), p));
    assert_eq!(
        last(r"\frac{\partial L}{\partial w} = "),
        fmt_all(&values("grad_w"), p)
    );
    assert_eq!(last(r"w \leftarrow"), fmt_all(&values("w_next"), p));
    assert_eq!(
        result(display(md, r"\frac{\partial L}{\partial b} = ")),
        fmt(values("grad_b")[0], p)
    );
    assert_eq!(
        result(display(md, r"b \leftarrow")),
        fmt(values("b_next")[0], p)
    );
    assert_eq!(result(display(md, r"L = \sum")), fmt(values("loss")[0], p));
}

//! The lesson file's versions for runs that compute something else (`mean = '…'` on a formula,
//! `mean.narrative` / `undivided.code` on a step): read, chosen by what the run records, and
//! their mistakes reported with their line.

use gradstep::engine::Objective;
use gradstep::engine::tape::Recorded;
use gradstep::lesson::{EMBEDDED, Lang, Lesson, LessonError, Version};

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

#[test]
fn a_mean_run_is_mean_then_undivided() {
    assert_eq!(
        Version::of(Recorded::of(Objective::Mean)),
        [Version::Mean, Version::Undivided]
    );
    assert_eq!(
        Version::of(Recorded::of(Objective::SumNoDiv)),
        [Version::Undivided]
    );
    assert!(Version::of(Recorded::of(Objective::Sum)).is_empty());
}

#[test]
fn a_bad_version_names_its_line() {
    let (src, line) = edited(
        r"mean = 'L = \frac{1}{N} \sum_{i=1}^{N} l^{(i)}'",
        r"mean = 'L = \frack{1}{N}'",
    );
    let msg = error(&src);
    assert!(
        msg.starts_with(&format!("line {line}: formula \"loss_sum\" (mean): ")),
        "{msg}"
    );
    let (src, line) = edited(
        "undivided.code = 'param -= lr * param.grad; param.grad.zero_()'",
        "undivided.code = '  '",
    );
    assert_eq!(
        error(&src),
        format!("line {line}: step \"update\": undivided.code is empty")
    );
    let (src, _) = edited("mean.narrative.zh = \"每个样本的损失", "# \"");
    let msg = error(&src);
    assert!(msg.contains("mean.narrative has no \"zh\" text"), "{msg}");
    let (src, line) = edited("mean.code = 'l.mean().backward()'", "mean.kode = 'x'");
    let msg = error(&src);
    assert!(msg.starts_with(&format!("line {line}:")), "{msg}");
}

#[test]
fn a_teachers_own_version_is_what_a_mean_run_says() {
    let (src, _) = edited(
        "mean.code = 'l.mean().backward()'",
        "mean.code = 'l.mean().backward()  # our class'",
    );
    let lesson = Lesson::parse(&src).expect("edited lesson loads");
    let step = gradstep::engine::Step::Errors;
    let mean = Recorded::of(Objective::Mean);
    assert_eq!(
        lesson.step(step).code_for(mean),
        "l.mean().backward()  # our class"
    );
    // A step without a mean text of its own falls back to the lesson's for every language.
    let draw = lesson.step(gradstep::engine::Step::Draw);
    assert_eq!(
        draw.narrative_for(mean).get(Lang::Zh),
        draw.narrative.get(Lang::Zh)
    );
}

//! Predict, then reveal: which steps produce a value worth predicting, and the formula with
//! that value replaced by `?` while its inputs stay visible.

use crate::engine::Step;

/// Drawing a batch and the epoch summary produce nothing a student could predict from the
/// screen.
pub fn produces(step: Step) -> bool {
    !matches!(step, Step::Draw | Step::EpochSummary)
}

/// Roles whose every number in the step's formulas is the step's output. Where a role is both
/// read and written (the running sums, the parameters), only the result after the last `=` is.
fn outputs(step: Step) -> &'static [&'static str] {
    match step {
        Step::ForwardSample { .. } | Step::Forward => &["yhat"],
        Step::Loss => &["l", "L"],
        Step::Errors => &["delta"],
        Step::GradW => &["gradw"],
        Step::GradB => &["gradb"],
        _ => &[],
    }
}

/// `latex` with the step's results as `\role{..}{?}`.
pub fn hide(latex: &str, step: Step) -> String {
    let split = latex.rfind(" = ").map_or(0, |i| i + 3);
    let (head, tail) = latex.split_at(split);
    let everywhere = outputs(step);
    let mut out = replace_roles(head, |name| everywhere.contains(&name));
    out.push_str(&replace_roles(tail, |_| true));
    out
}

/// Replaces the content of every `\role{name}{...}` for which `pick(name)` with `?`.
pub fn replace_roles(latex: &str, pick: impl Fn(&str) -> bool) -> String {
    const TAG: &str = r"\role{";
    let mut out = String::with_capacity(latex.len());
    let mut rest = latex;
    while let Some(at) = rest.find(TAG) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let after_tag = &from[TAG.len()..];
        let Some(name_end) = after_tag.find('}') else {
            out.push_str(from);
            return out;
        };
        let name = &after_tag[..name_end];
        let body = &after_tag[name_end + 1..];
        let Some(len) = group_len(body) else {
            out.push_str(from);
            return out;
        };
        out.push_str(TAG);
        out.push_str(name);
        out.push('}');
        if pick(name) {
            out.push_str("{?}");
        } else {
            out.push_str(&body[..len]);
        }
        rest = &body[len..];
    }
    out.push_str(rest);
    out
}

/// The length of the brace group `{...}` at the start of `s`, nested groups included.
fn group_len(s: &str) -> Option<usize> {
    if !s.starts_with('{') {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_result_of_a_running_sum_is_hidden() {
        let l = r"\sum = \role{gradw}{1.0} + \role{delta}{2.0} = \role{gradw}{3.0}";
        assert_eq!(
            hide(l, Step::Accumulate { sample: 1 }),
            r"\sum = \role{gradw}{1.0} + \role{delta}{2.0} = \role{gradw}{?}"
        );
    }

    #[test]
    fn produced_roles_are_hidden_everywhere_and_nested_groups_survive() {
        let l = r"L = \role{l}{-\text{inf}} + \role{l}{2} = \role{L}{\text{NaN}}";
        assert_eq!(
            hide(l, Step::Loss),
            r"L = \role{l}{?} + \role{l}{?} = \role{L}{?}"
        );
        let f = r"\hat{y} = \role{x}{1} \cdot \role{w}{2} = \role{yhat}{2}";
        assert_eq!(
            hide(f, Step::ForwardSample { sample: 0 }),
            r"\hat{y} = \role{x}{1} \cdot \role{w}{2} = \role{yhat}{?}"
        );
    }
}

//! Where a text's sentences end, in both of the lesson's languages, so that a panel too short
//! for the whole text shows whole sentences and never stops mid-thought.

/// Ends a sentence in English when followed by a space or the end: `.` `!` `?`. A dot inside a
/// word (`param.grad.zero_()`, `0.03`) is not followed by a space and ends nothing.
const SPACED: [char; 3] = ['.', '!', '?'];
/// Ends a sentence in Chinese wherever it stands: 。！？
const FULL_WIDTH: [char; 3] = ['。', '！', '？'];
/// May follow a sentence's end and still belong to it: `.)` `。”` `）`.
const CLOSERS: [char; 6] = [')', '"', '”', '’', '）', '」'];

/// The byte offsets just past each sentence's end (closing brackets and quotes included), in
/// order; the text's end counts as one when it does not already end a sentence.
pub fn ends(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        let spaced = SPACED.contains(&c);
        if !spaced && !FULL_WIDTH.contains(&c) {
            continue;
        }
        // Take the closers that follow, then look at what comes next.
        let mut end = None;
        while let Some(&(i, next)) = chars.peek() {
            if CLOSERS.contains(&next) {
                chars.next();
                continue;
            }
            end = Some((i, next));
            break;
        }
        match end {
            None => out.push(text.len()),
            Some((i, next)) if !spaced || next.is_whitespace() => out.push(i),
            Some(_) => {}
        }
    }
    // Words after the last stop are a sentence of their own.
    let last = out.last().copied().unwrap_or(0);
    if !text[last..].trim().is_empty() {
        out.push(text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ends;

    fn sentences(text: &str) -> Vec<&str> {
        let mut from = 0;
        ends(text)
            .into_iter()
            .map(|e| {
                let s = text[from..e].trim();
                from = e;
                s
            })
            .collect()
    }

    #[test]
    fn english_sentences_end_at_a_stop_before_a_space() {
        let text = "Then param.grad.zero_() clears them, at lr 0.03. Why? Because \
                    backward() adds (x is a row.) Done!";
        assert_eq!(
            sentences(text),
            [
                "Then param.grad.zero_() clears them, at lr 0.03.",
                "Why?",
                "Because backward() adds (x is a row.)",
                "Done!"
            ]
        );
    }

    #[test]
    fn chinese_sentences_end_at_full_width_stops() {
        let text = "每个参数沿梯度的反方向走一步。为什么？因为（这是和）。好！没有句号";
        assert_eq!(
            sentences(text),
            [
                "每个参数沿梯度的反方向走一步。",
                "为什么？",
                "因为（这是和）。",
                "好！",
                "没有句号"
            ]
        );
    }

    #[test]
    fn a_text_without_a_stop_is_one_sentence() {
        assert_eq!(sentences("no stop here"), ["no stop here"]);
        assert!(ends("").is_empty());
    }
}

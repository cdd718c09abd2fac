//! Widths in display columns: CJK text, and terminals that draw East-Asian
//! ambiguous characters two columns wide.

mod math_common;

use gradstep::math::{Block, Options, display_width, layout, layout_inline, parse};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const WIDE: Options = Options {
    ambiguous_wide: true,
};

fn line_text(block: &Block) -> Vec<String> {
    block.text_lines()
}

#[test]
fn chinese_text_counts_two_columns_per_character() {
    let f = parse(r"\text{损失} L = 200").unwrap();
    for opts in [Options::default(), WIDE] {
        let b = layout(&f, opts);
        assert_eq!(line_text(&b), ["损失 L = 200"]);
        assert_eq!(b.width, 12);
        assert_eq!(display_width(&line_text(&b)[0], opts), 12);
    }
}

#[test]
fn chinese_text_in_a_fraction_is_centred_by_columns() {
    let b = layout(
        &parse(r"\frac{\text{损失}}{N}").unwrap(),
        Options::default(),
    );
    assert_eq!(line_text(&b), ["损失", "────", " N  "]);
    assert_eq!(b.width, 4);
}

#[test]
fn default_terminal_lines_are_exactly_the_block_width() {
    for src in math_common::LESSON {
        let f = parse(src).unwrap();
        for b in [
            layout(&f, Options::default()),
            layout_inline(&f, Options::default()),
        ] {
            assert_eq!(b.lines.len(), b.height, "{src}");
            for line in line_text(&b) {
                assert_eq!(line.width(), b.width, "{src}: {line:?}");
            }
        }
    }
}

#[test]
fn ambiguous_wide_mode_emits_only_unambiguous_characters() {
    for src in math_common::LESSON {
        let f = parse(src).unwrap();
        for b in [layout(&f, WIDE), layout_inline(&f, WIDE)] {
            assert_eq!(b.lines.len(), b.height, "{src}");
            for line in line_text(&b) {
                for c in line.chars() {
                    assert_eq!(c.width(), c.width_cjk(), "{src}: {c:?} in {line:?}");
                    // unicode-width calls Greek letters narrow even in CJK
                    // mode, but such terminals draw them wide.
                    assert!(
                        !('\u{0370}'..='\u{03FF}').contains(&c),
                        "{src}: Greek {c:?} in {line:?}"
                    );
                }
                assert_eq!(line.width(), b.width, "{src}: {line:?}");
                assert_eq!(line.width_cjk(), b.width, "{src}: {line:?}");
            }
        }
    }
}

#[test]
fn ambiguous_wide_mode_substitutes_neutral_glyphs() {
    let f =
        parse(r"w \leftarrow w - \frac{\text{lr}}{N} \cdot \frac{\partial L}{\partial w}").unwrap();
    assert_eq!(
        line_text(&layout(&f, WIDE)),
        ["        lr   𝜕L", "w ⟵ w - ⎯⎯ ⋅ ⎯⎯", "        N    𝜕w"]
    );
    let f =
        parse(r"L = \sum_{i=1}^{N} \frac{1}{2} \left( \hat{y}^{(i)} - y^{(i)} \right)^2").unwrap();
    assert_eq!(
        line_text(&layout(&f, WIDE)),
        [
            "     N  1              2",
            "L =  𝛴  ⎯ (ŷ⁽ⁱ⁾ - y⁽ⁱ⁾) ",
            "    i=1 2               ",
        ]
    );
    assert_eq!(
        line_text(&layout_inline(&f, WIDE)),
        ["L = 𝛴_{i=1}ᴺ 1/2 (ŷ⁽ⁱ⁾ - y⁽ⁱ⁾)^2"]
    );
}

#[test]
fn the_default_terminal_keeps_the_familiar_glyphs() {
    let f = parse(
        r"\frac{\partial L}{\partial w} = \sum_{i=1}^{N} \delta^{(i)} x^{(i)} \cdot 2 \times 3",
    )
    .unwrap();
    let text = line_text(&layout(&f, Options::default())).concat();
    for c in ['∂', 'Σ', 'δ', '─', '·', '×'] {
        assert!(text.contains(c), "{c} missing from {text}");
    }
}

//! The commands that stand for one glyph, with the glyphs they may draw.

use super::ast::{Class, Symbol};

const fn sym(name: &'static str, glyphs: &'static [&'static str], class: Class) -> Symbol {
    Symbol {
        name,
        glyphs,
        class,
    }
}

use Class::{Bin, Op, Ord, Rel};

/// Greek letters fall back to Mathematical Italic (EAW Neutral) because the
/// Greek block is ambiguous width.
static SYMBOLS: &[Symbol] = &[
    sym("alpha", &["α", "𝛼"], Ord),
    sym("beta", &["β", "𝛽"], Ord),
    sym("gamma", &["γ", "𝛾"], Ord),
    sym("delta", &["δ", "𝛿"], Ord),
    sym("epsilon", &["ε", "𝜀"], Ord),
    sym("varepsilon", &["ε", "𝜀"], Ord),
    sym("zeta", &["ζ", "𝜁"], Ord),
    sym("eta", &["η", "𝜂"], Ord),
    sym("theta", &["θ", "𝜃"], Ord),
    sym("iota", &["ι", "𝜄"], Ord),
    sym("kappa", &["κ", "𝜅"], Ord),
    sym("lambda", &["λ", "𝜆"], Ord),
    sym("mu", &["μ", "𝜇"], Ord),
    sym("nu", &["ν", "𝜈"], Ord),
    sym("xi", &["ξ", "𝜉"], Ord),
    sym("pi", &["π", "𝜋"], Ord),
    sym("rho", &["ρ", "𝜌"], Ord),
    sym("sigma", &["σ", "𝜎"], Ord),
    sym("tau", &["τ", "𝜏"], Ord),
    sym("upsilon", &["υ", "𝜐"], Ord),
    sym("phi", &["φ", "𝜑"], Ord),
    sym("varphi", &["φ", "𝜑"], Ord),
    sym("chi", &["χ", "𝜒"], Ord),
    sym("psi", &["ψ", "𝜓"], Ord),
    sym("omega", &["ω", "𝜔"], Ord),
    sym("Gamma", &["Γ", "𝛤"], Ord),
    sym("Delta", &["Δ", "𝛥"], Ord),
    sym("Theta", &["Θ", "𝛩"], Ord),
    sym("Lambda", &["Λ", "𝛬"], Ord),
    sym("Xi", &["Ξ", "𝛯"], Ord),
    sym("Pi", &["Π", "𝛱"], Ord),
    sym("Sigma", &["Σ", "𝛴"], Ord),
    sym("Phi", &["Φ", "𝛷"], Ord),
    sym("Psi", &["Ψ", "𝛹"], Ord),
    sym("Omega", &["Ω", "𝛺"], Ord),
    sym("partial", &["∂", "𝜕"], Ord),
    sym("nabla", &["∇", "𝛻"], Ord),
    sym("infty", &["∞", "inf"], Ord),
    sym("ldots", &["…", "..."], Ord),
    sym("dots", &["…", "..."], Ord),
    sym("cdots", &["⋯", "..."], Ord),
    sym("vdots", &["⋮", ":"], Ord),
    sym("ddots", &["⋱", "..."], Ord),
    sym("sum", &["Σ", "𝛴"], Op),
    sym("prod", &["Π", "𝛱"], Op),
    sym("cdot", &["·", "⋅", "*"], Bin),
    sym("odot", &["⊙", "(.)"], Bin),
    sym("times", &["×", "⨯", "x"], Bin),
    sym("div", &["÷", "/"], Bin),
    sym("pm", &["±", "+/-"], Bin),
    sym("leftarrow", &["←", "⟵", "<-"], Rel),
    sym("gets", &["←", "⟵", "<-"], Rel),
    sym("rightarrow", &["→", "⟶", "->"], Rel),
    sym("to", &["→", "⟶", "->"], Rel),
    sym("le", &["≤", "⩽", "<="], Rel),
    sym("leq", &["≤", "⩽", "<="], Rel),
    sym("ge", &["≥", "⩾", ">="], Rel),
    sym("geq", &["≥", "⩾", ">="], Rel),
    sym("ne", &["≠", "!="], Rel),
    sym("neq", &["≠", "!="], Rel),
    sym("approx", &["≈", "≃", "~"], Rel),
    sym("equiv", &["≡", "==="], Rel),
    sym("propto", &["∝", "~"], Rel),
    sym("in", &["∈", "in"], Rel),
];

/// The symbol a command names, if it names one.
pub(crate) fn lookup(name: &str) -> Option<&'static Symbol> {
    SYMBOLS.iter().find(|s| s.name == name)
}

/// The symbol whose preferred glyph is `c`, so a δ typed literally behaves
/// like `\delta` (same role, same substitution on wide terminals).
pub(crate) fn lookup_glyph(c: char) -> Option<&'static Symbol> {
    let mut buf = [0u8; 4];
    let s: &str = c.encode_utf8(&mut buf);
    SYMBOLS
        .iter()
        .filter(|s| s.class != Op)
        .find(|sym| sym.glyphs.first() == Some(&s))
}

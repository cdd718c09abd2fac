//! The two-layer handout's headings and sentences, in both languages side by side. `{name}`
//! marks a value filled in by [`super::words::fill`]; text between `$` is LaTeX.

use crate::lesson::Lang;

pub struct TwoLayerWords {
    pub title: &'static str,
    pub intro: &'static str,
    pub hidden: &'static str,
    pub activation: &'static str,
    pub derivation_intro: &'static str,
    pub forward: &'static str,
    pub forward_note: &'static str,
    pub loss: &'static str,
    pub mean_seed: &'static str,
    pub second_layer: &'static str,
    pub second_layer_note: &'static str,
    pub back: &'static str,
    pub back_note: &'static str,
    pub relu_kink: &'static str,
    pub first_layer: &'static str,
    pub first_layer_note: &'static str,
    pub update: &'static str,
    pub update_note: &'static str,
    pub elided: &'static str,
}

const EN: TwoLayerWords = TwoLayerWords {
    title: "Backpropagation through a hidden layer: one mini-batch, every number",
    intro: "The lesson's derivation, carried one layer further: the hidden layer's output H takes the \
        place of X in the lesson's formulas, and the error δ₁ sent back through σ takes the place of δ \
        for the first layer. The numbers are this batch's, rounded to {p} decimal places; \
        `gradstep trace` prints them unrounded, and they agree with PyTorch's `backward()` (float64).",
    hidden: "Hidden units",
    activation: "Activation σ",
    derivation_intro: "For a mini-batch X of N rows: forward through both layers, the loss, then \
        `backward()` layer by layer, from the output back.",
    forward: "Forward pass",
    forward_note: "Each row of Z holds one sample's hidden pre-activations z⁽ⁱ⁾ = x⁽ⁱ⁾W₁ + b₁; H applies σ entry by entry.",
    loss: "Loss",
    mean_seed: "With the mean objective, `l.mean().backward()` sends δ/N back instead of δ: every gradient below is the sum's divided by N.",
    second_layer: "Second layer: the lesson's formulas with H in place of X",
    second_layer_note: "∂L/∂W₂ = Hᵀδ and ∂L/∂b₂ = Σδ are exactly linear regression's ∂L/∂w = Xᵀδ and ∂L/∂b = Σδ.",
    back: "The error sent back: δ₁ = (δW₂ᵀ) ⊙ σ′(Z)",
    back_note: "Each sample's δ is spread over the hidden units by W₂ and multiplied, entry by entry, by the slope of σ where that unit was.",
    relu_kink: "For ReLU, σ′ is 1 where z > 0 and 0 elsewhere, at z = 0 exactly too, as in PyTorch: a 0 in σ′(Z) blocks that sample's gradient to that unit.",
    first_layer: "First layer: the same formulas again, with δ₁ in place of δ",
    first_layer_note: "∂L/∂W₁ = Xᵀδ₁ and ∂L/∂b₁ = Σᵢ δ₁⁽ⁱ⁾.",
    update: "Update",
    update_note: "`sgd` moves all four parameters the same way, `param -= lr * param.grad / {divisor}`.",
    elided: "Only the first {head} and the last {tail} rows of matrices with more than {max} rows are shown.",
};

const ZH: TwoLayerWords = TwoLayerWords {
    title: "穿过一个隐藏层的反向传播：一个小批量的每一个数",
    intro: "把课程的推导再往前推一层：在课程的公式里，隐藏层的输出 H 代替 X；对第一层而言，经 σ 传回的误差 δ₁ \
        代替 δ。这里的数都来自本批，保留 {p} 位小数；`gradstep trace` 给出未经舍入的值，它们与 PyTorch 的 \
        `backward()`（float64）一致。",
    hidden: "隐藏单元数",
    activation: "激活函数 σ",
    derivation_intro: "对 N 行的小批量 X：先前向穿过两层，再算损失，然后 `backward()` 从输出一层一层往回算。",
    forward: "前向传播",
    forward_note: "Z 的每一行是一个样本在隐藏层的输入 z⁽ⁱ⁾ = x⁽ⁱ⁾W₁ + b₁；H 对每个元素施加 σ。",
    loss: "损失",
    mean_seed: "用 mean 目标时，`l.mean().backward()` 传回的是 δ/N 而不是 δ：下面每个梯度都是 sum 的梯度除以 N。",
    second_layer: "第二层：课程的公式，用 H 代替 X",
    second_layer_note: "∂L/∂W₂ = Hᵀδ 与 ∂L/∂b₂ = Σδ 正是线性回归的 ∂L/∂w = Xᵀδ 与 ∂L/∂b = Σδ。",
    back: "传回的误差：δ₁ = (δW₂ᵀ) ⊙ σ′(Z)",
    back_note: "每个样本的 δ 经 W₂ 分到各个隐藏单元，再逐元素乘以 σ 在该单元处的斜率。",
    relu_kink: "对 ReLU，z > 0 处 σ′ 为 1，其余为 0（z 恰为 0 时也是 0，与 PyTorch 相同）：σ′(Z) 中的 0 挡住了该样本流向该单元的梯度。",
    first_layer: "第一层：同样的公式，用 δ₁ 代替 δ",
    first_layer_note: "∂L/∂W₁ = Xᵀδ₁，∂L/∂b₁ = Σᵢ δ₁⁽ⁱ⁾。",
    update: "更新",
    update_note: "`sgd` 用同样的方式更新全部四个参数：`param -= lr * param.grad / {divisor}`。",
    elided: "超过 {max} 行的矩阵只列出前 {head} 行和后 {tail} 行。",
};

impl TwoLayerWords {
    pub fn of(lang: Lang) -> &'static TwoLayerWords {
        match lang {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        }
    }
}

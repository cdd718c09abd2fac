//! The handout's own headings and sentences, in both languages side by side so that neither
//! falls behind. `{name}` marks a value filled in by [`fill`]; text between `$` is LaTeX.

use crate::engine::tape::Recorded;
use crate::engine::{Session, Step};
use crate::lesson::{Lang, Lesson, Version};

use super::HandoutOptions;

pub struct Words {
    pub title: &'static str,
    pub intro: &'static str,
    pub settings: &'static str,
    pub setting: &'static str,
    pub value: &'static str,
    pub data: &'static str,
    pub features: &'static str,
    pub seed: &'static str,
    pub lr: &'static str,
    pub batch_size: &'static str,
    pub epochs: &'static str,
    pub shuffle: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub objective: &'static str,
    pub sum_actual: &'static str,
    pub sum_nominal: &'static str,
    pub mean: &'static str,
    pub sum_nodiv: &'static str,
    pub this_batch: &'static str,
    pub position: &'static str,
    pub derivation: &'static str,
    pub derivation_intro: &'static str,
    pub worked: &'static str,
    pub worked_intro: &'static str,
    pub elided_rows: &'static str,
    pub elided_cols: &'static str,
    pub draw: &'static str,
    pub contributions: &'static str,
    pub sample: &'static str,
    pub data_row: &'static str,
    pub mean_gradient: &'static str,
    pub divides_by_rows: &'static str,
    pub divides_by_nominal: &'static str,
    pub no_division: &'static str,
    pub feature_table: &'static str,
    pub feature: &'static str,
    pub after_update: &'static str,
    pub epoch_end: &'static str,
    pub approx: &'static str,
}

const EN: Words = Words {
    title: "Backpropagation of linear regression: one mini-batch, every number",
    intro: "This handout follows one mini-batch of a run through the forward pass, the loss, the \
        backward pass and the update. The derivation comes first; then the same formulas with this \
        batch's numbers, rounded to {p} decimal places (a small number keeps two significant \
        digits). Every equation holds for the numbers as printed: where {p} places are not \
        enough for that, the numbers before its result get more. `gradstep trace` prints the same \
        values unrounded.",
    settings: "The run",
    setting: "Setting",
    value: "Value",
    data: "Data",
    features: "Features → target",
    seed: "Seed",
    lr: "Learning rate",
    batch_size: "Batch size",
    epochs: "Epochs",
    shuffle: "Shuffled every epoch",
    yes: "yes",
    no: "no",
    objective: "Objective",
    sum_actual: "`sum`: $L = \\sum_i l^{(i)}$, and the update divides by the rows in the batch",
    sum_nominal: "`sum`: $L = \\sum_i l^{(i)}$, and the update divides by the configured batch size",
    mean: "`mean`: $L = \\frac{1}{N} \\sum_i l^{(i)}$, and the update does not divide",
    sum_nodiv: "`sum-nodiv`: $L = \\sum_i l^{(i)}$, and the update does not divide",
    this_batch: "This batch",
    position: "batch {k} of {total} in the run: epoch {epoch}, batch {batch} of {per}",
    derivation: "1. The derivation",
    derivation_intro: "A batch holds $N$ samples of $d$ features: $X$ is $N \\times d$, with sample \
        $i$ as its row $x^{(i)}$; $w$ has $d$ entries and $b$ is one number.",
    worked: "2. Batch {k} with its numbers",
    worked_intro: "Here $N = {n}$ (samples in this batch) and $d = {d}$ (features per sample). \
        Under each heading is the line of the PyTorch training loop that computes it.",
    elided_rows: "With {n} samples, every matrix and column below shows the first {head} and the \
        last {tail} rows, with $\\vdots$ in place of the others; the table of samples lists all of \
        them.",
    elided_cols: "With {d} features, every matrix and vector below shows the first {head} and the \
        last {tail} features, with $\\cdots$ in place of the others; the table of features after \
        the update lists all of them.",
    draw: "Each row of $X$ is one sample, in the order the batch drew them; $w$ and $b$ are the \
        parameters before this batch's update.",
    contributions: "Row $i$ of this matrix is what sample $i$ adds to $\\partial L / \\partial w$, \
        namely $\\delta^{(i)} x^{(i)}$. What it adds to $\\partial L / \\partial b$ is $\\delta^{(i)}$ \
        itself. The table gives each sample's numbers side by side.",
    sample: "sample",
    data_row: "row of the data (from 1)",
    mean_gradient: "With the `mean` objective, `backward()` starts from the mean of the losses, \
        so each gradient is the sum above divided by $N = {n}$.",
    divides_by_rows: "The step divides by $N = {divisor}$, the rows in this batch.",
    divides_by_nominal: "The step divides by {divisor}, the configured batch size, as the \
        lesson's `sgd` does.",
    no_division: "Nothing divides the step here: the learning rate multiplies the gradient as it is.",
    feature_table: "Every feature's weight, gradient and new weight:",
    feature: "feature",
    after_update: "after the update",
    epoch_end: "This was the last batch of epoch {epoch}. With the new $w$ and $b$, the mean of \
        $l$ over all {rows} rows of the data is:",
    approx: "Where an equation ends in $\\approx$ instead of $=$, its result recomputed from the \
        rounded numbers printed before it differs in the last digit even with three more digits \
        each; the result printed is the exact one, rounded.",
};

const ZH: Words = Words {
    title: "线性回归的反向传播：一个小批量的全部数字",
    intro: "这份讲义跟着训练中的一个小批量，依次走过前向传播、损失、反向传播和参数更新。\
        先给出推导，再把同样的公式代入这一批的数字（保留 {p} 位小数，很小的数保留两位有效数字）。\
        每个等式对印出的数字都成立：{p} 位小数不够时，结果之前的数会多印几位。\
        `gradstep trace` 会输出这些数值未经舍入的原样。",
    settings: "本次训练",
    setting: "设置",
    value: "取值",
    data: "数据",
    features: "特征 → 目标",
    seed: "随机种子",
    lr: "学习率",
    batch_size: "批量大小",
    epochs: "训练轮数",
    shuffle: "每轮打乱顺序",
    yes: "是",
    no: "否",
    objective: "目标函数",
    sum_actual: "`sum`：$L = \\sum_i l^{(i)}$，更新时除以本批的实际行数",
    sum_nominal: "`sum`：$L = \\sum_i l^{(i)}$，更新时除以设定的批量大小",
    mean: "`mean`：$L = \\frac{1}{N} \\sum_i l^{(i)}$，更新时不再相除",
    sum_nodiv: "`sum-nodiv`：$L = \\sum_i l^{(i)}$，更新时不相除",
    this_batch: "本批",
    position: "全程第 {k} 批（共 {total} 批）：第 {epoch} 轮的第 {batch} 批（每轮 {per} 批）",
    derivation: "一、推导",
    derivation_intro: "一批数据有 $N$ 个样本，每个样本有 $d$ 个特征：$X$ 是 $N \\times d$ 矩阵，\
        第 $i$ 行 $x^{(i)}$ 就是第 $i$ 个样本；$w$ 有 $d$ 个分量，$b$ 是一个数。",
    worked: "二、第 {k} 批的具体数字",
    worked_intro: "这里 $N = {n}$（本批的样本数），$d = {d}$（每个样本的特征数）。\
        每个标题下面是 PyTorch 训练循环中计算这一步的那行代码。",
    elided_rows: "本批有 {n} 个样本，下面的矩阵和列向量只列出前 {head} 行和最后 {tail} 行，\
        中间以 $\\vdots$ 代替；样本表则列出全部样本。",
    elided_cols: "共有 {d} 个特征，下面的矩阵和向量只列出前 {head} 个和最后 {tail} 个特征，\
        中间以 $\\cdots$ 代替；更新之后的特征表列出全部特征。",
    draw: "$X$ 的每一行是一个样本，顺序与本批抽取的顺序一致；$w$ 和 $b$ 是本批更新之前的参数。",
    contributions: "这个矩阵的第 $i$ 行是第 $i$ 个样本对 $\\partial L / \\partial w$ 的贡献 \
        $\\delta^{(i)} x^{(i)}$；它对 $\\partial L / \\partial b$ 的贡献就是 $\\delta^{(i)}$ 本身。\
        下表把每个样本的数字并排列出。",
    sample: "样本",
    data_row: "数据中的行号（从 1 起）",
    mean_gradient: "目标函数为 `mean` 时，`backward()` 从损失的平均值出发，\
        所以每个梯度都是上面的和再除以 $N = {n}$。",
    divides_by_rows: "这一步除以 $N = {divisor}$，即本批的行数。",
    divides_by_nominal: "这一步除以设定的批量大小 {divisor}，与课程代码中的 `sgd` 相同。",
    no_division: "这里更新时不相除：学习率直接乘以梯度。",
    feature_table: "每个特征的权重、梯度和更新后的权重：",
    feature: "特征",
    after_update: "更新后",
    epoch_end: "这是第 {epoch} 轮的最后一批。用更新后的 $w$ 和 $b$，\
        在全部 {rows} 行数据上计算 $l$ 的平均值：",
    approx: "某个等式以 $\\approx$ 而不是 $=$ 结尾，表示即使前面的每个数多印三位，\
        用这些舍入后的数重新计算，结果的最后一位仍有出入；印出的结果是精确值舍入所得。",
};

impl Words {
    pub fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        }
    }
}

/// What leads into each formula of the lesson's derivation, by its id. A lesson file with other
/// ids gets its formulas without a lead-in.
const CAPTIONS: [(&str, &str, &str); 15] = [
    (
        "model",
        "The model predicts the whole batch in one expression:",
        "模型用一个式子给出整批样本的预测：",
    ),
    (
        "model_sample",
        "Row by row, sample $i$ gets the prediction",
        "逐行来看，第 $i$ 个样本的预测是",
    ),
    (
        "loss_sample",
        "A sample's loss is half the square of its error, so that its derivative carries no \
        stray factor 2:",
        "单个样本的损失取误差平方的一半，这样求导之后不会多出一个系数 2：",
    ),
    (
        "loss_sum",
        "The batch's loss adds them up. `l.sum().backward()` starts from this sum, not from a mean:",
        "整批的损失把它们加起来。`l.sum().backward()` 从这个和出发，而不是从平均值出发：",
    ),
    (
        "dl_dyhat",
        "Differentiating $L$ by one prediction leaves only that sample's term:",
        "$L$ 对某一个预测值求偏导，只剩下这个样本自己的那一项：",
    ),
    (
        "delta",
        "That difference is sample $i$'s error; every gradient below is built from it:",
        "这个差就是第 $i$ 个样本的误差，下面的每个梯度都由它构成：",
    ),
    (
        "grad_w_chain",
        "$w$ reaches $L$ through every prediction, so the chain rule sums over the samples:",
        "$w$ 经由每一个预测值影响 $L$，所以链式法则要对所有样本求和：",
    ),
    (
        "dyhat_dw",
        "A prediction is linear in $w$, so its derivative is the sample's own features:",
        "预测值对 $w$ 是线性的，所以它的导数就是该样本自己的特征：",
    ),
    (
        "grad_w",
        "Put together, the gradient of $w$ adds up the rows weighted by their errors, which is a \
        single matrix product:",
        "合起来，$w$ 的梯度是以误差为权重把各行相加，恰好是一次矩阵乘法：",
    ),
    (
        "grad_b_chain",
        "The same chain rule for $b$:",
        "对 $b$ 使用同样的链式法则：",
    ),
    (
        "dyhat_db",
        "and $b$ enters every prediction with the factor 1,",
        "而 $b$ 在每个预测值中的系数都是 1，",
    ),
    (
        "grad_b",
        "so the gradient of $b$ is the plain sum of the errors:",
        "所以 $b$ 的梯度就是误差直接相加：",
    ),
    (
        "update_w",
        "SGD then steps against the gradient, scaled by the learning rate over the batch size $N$:",
        "随后 SGD 沿梯度的反方向走一步，步长是学习率除以批量大小 $N$：",
    ),
    ("update_b", "and the same for $b$:", "$b$ 也一样："),
    (
        "sum_vs_mean",
        "Dividing the summed gradient by $N$ gives the gradient of the mean loss, so the size of \
        a step does not grow with $N$:",
        "把梯度之和除以 $N$，就得到平均损失的梯度，所以每一步的大小不会随 $N$ 增大：",
    ),
];

/// The lead-in to the derivation's formula `id`, if the handout has one.
pub fn caption(id: &str, lang: Lang) -> Option<&'static str> {
    find(&CAPTIONS, id, lang)
}

/// Lead-ins that differ for a version of a formula (see [`Version`]); the others are the same.
const VERSION_CAPTIONS: [(Version, &str, &str, &str); 5] = [
    (
        Version::Mean,
        "loss_sum",
        "The batch's loss is their mean: `l.mean().backward()` starts from the sum divided by $N$:",
        "整批的损失取它们的平均值：`l.mean().backward()` 从和除以 $N$ 出发：",
    ),
    (
        Version::Mean,
        "dl_dyhat",
        "Differentiating the mean $L$ by one prediction leaves that sample's term, divided by $N$:",
        "平均损失 $L$ 对某一个预测值求偏导，只剩下这个样本自己的那一项，再除以 $N$：",
    ),
    (
        Version::Mean,
        "grad_w",
        "Put together, the gradient of $w$ adds up the rows weighted by their errors, a single matrix product, and the mean divides it by $N$:",
        "合起来，$w$ 的梯度是以误差为权重把各行相加，即一次矩阵乘法，再由平均除以 $N$：",
    ),
    (
        Version::Mean,
        "grad_b",
        "so the gradient of $b$ is the mean of the errors:",
        "所以 $b$ 的梯度就是误差的平均值：",
    ),
    (
        Version::Undivided,
        "update_w",
        "SGD then steps against the gradient, scaled by the learning rate alone:",
        "随后 SGD 沿梯度的反方向走一步，步长就是学习率本身：",
    ),
];

/// The lead-in to formula `id` as a run whose tape records `recorded` reads it.
pub fn caption_for(id: &str, recorded: Recorded, lang: Lang) -> Option<&'static str> {
    let version = Version::of(recorded).into_iter().find_map(|want| {
        VERSION_CAPTIONS
            .iter()
            .find(|(v, known, _, _)| *v == want && *known == id)
    });
    match version {
        Some((_, _, en, zh)) => Some(match lang {
            Lang::En => en,
            Lang::Zh => zh,
        }),
        None => caption(id, lang),
    }
}

fn find(
    captions: &[(&str, &'static str, &'static str)],
    id: &str,
    lang: Lang,
) -> Option<&'static str> {
    captions
        .iter()
        .find(|(known, _, _)| *known == id)
        .map(|(_, en, zh)| match lang {
            Lang::En => *en,
            Lang::Zh => *zh,
        })
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), &value.to_string())
        })
}

/// The handout of a lesson-plan stop's batch: the stop's note first, as a quotation, then the
/// batch's handout as [`super::render`] writes it.
pub fn render_stop(
    lesson: &Lesson,
    session: &Session,
    opts: &HandoutOptions,
    note: &str,
) -> String {
    let b = session.batch();
    let note = stop_lead(b.epoch, b.batch, note, opts.lang);
    super::render_with(lesson, session, opts, Some(&note))
}

/// The handout's first paragraph at a stop of the lesson plan: where it is, and its note.
pub(super) fn stop_lead(epoch: usize, batch: usize, note: &str, lang: Lang) -> String {
    let lead = match lang {
        Lang::En => format!("Stop of the lesson plan at epoch {epoch}, batch {batch}:"),
        Lang::Zh => format!("课程计划中的一站：第 {epoch} 轮第 {batch} 批。"),
    };
    format!("> **{lead}** {}", super::escape(note))
}

/// What the lesson (the built-in one or a teacher's `--lesson` file) says about a step, for the
/// handout to put under the step's heading: the lesson's own text, for `l.sum().backward()`.
pub fn narrative(lesson: &Lesson, step: Step, lang: Lang) -> String {
    super::escape(lesson.step(step).narrative.get(lang))
}

/// The same for a run whose tape records `recorded` (a mean run's loss step names the mean).
pub fn narrative_for(lesson: &Lesson, step: Step, recorded: Recorded, lang: Lang) -> String {
    super::escape(lesson.step(step).narrative_for(recorded).get(lang))
}

/// A column's name as the lesson writes it: a generated feature `x1` is x₁; any other name (a
/// CSV header, a preset's "area (m²)") is shown as it is.
pub fn shown_name(raw: &str) -> String {
    const SUB: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    match raw.strip_prefix('x') {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            let sub: String = digits.bytes().map(|b| SUB[usize::from(b - b'0')]).collect();
            format!("x{sub}")
        }
        _ => raw.to_string(),
    }
}

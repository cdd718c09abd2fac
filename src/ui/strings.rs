//! Every word the UI itself shows, in English and Simplified Chinese. The lesson's own texts
//! (titles, narrative, formulas) come from the lesson.

use crate::lesson::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum S {
    Derivation,
    Matrices,
    Epoch,
    Batch,
    Step,
    Lr,
    BatchSize,
    Objective,
    Seed,
    Loss,
    EpochLoss,
    Sample,
    BySample,
    ByMatrix,
    Playing,
    End,
    Diverged,
    DivergedAfter,
    Computed,
    ReadNow,
    NotYet,
    NewW,
    NewB,
    Help,
    HelpClose,
    TooSmall,
    // What the keys do.
    KeyNext,
    KeyPrev,
    KeyNextBatch,
    KeyPrevBatch,
    KeyNextEpoch,
    KeyFirst,
    KeyLast,
    KeyPlay,
    KeyFaster,
    KeySlower,
    KeyGranularity,
    KeyLang,
    KeyRestart,
    KeyHelp,
    KeyQuit,
    KeyBack,
    // Short forms for the status line.
    HintNext,
    HintPrev,
    HintBatch,
    HintPlay,
    HintGranularity,
    HintLang,
    HintHelp,
    HintQuit,
}

impl S {
    pub fn get(self, lang: Lang) -> &'static str {
        let (en, zh) = self.pair();
        match lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    fn pair(self) -> (&'static str, &'static str) {
        match self {
            S::Derivation => ("Derivation", "推导"),
            S::Matrices => ("Matrices", "矩阵"),
            S::Epoch => ("epoch", "轮次"),
            S::Batch => ("batch", "批次"),
            S::Step => ("step", "步骤"),
            S::Lr => ("lr", "学习率"),
            S::BatchSize => ("N", "N"),
            S::Objective => ("loss", "损失"),
            S::Seed => ("seed", "种子"),
            S::Loss => ("L", "L"),
            S::EpochLoss => ("epoch loss", "本轮损失"),
            S::Sample => ("sample", "样本"),
            S::BySample => ("by sample", "逐样本"),
            S::ByMatrix => ("whole matrix", "整矩阵"),
            S::Playing => ("playing", "播放中"),
            S::End => ("end of the run", "训练结束"),
            S::Diverged => (
                "The numbers overflowed in this batch (inf/NaN): the learning rate is too large \
                 for this data. Quit with q and run again with a smaller --lr, or add \
                 --standardize.",
                "本批次的数值溢出了（inf/NaN）：对这份数据来说学习率太大。按 q 退出，\
                 用更小的 --lr 重新运行，或加上 --standardize。",
            ),
            S::DivergedAfter => ("diverged: run ends here", "已发散：训练到此为止"),
            S::Computed => ("computed now", "本步计算"),
            S::ReadNow => ("read", "本步读取"),
            S::NotYet => ("not yet", "尚未计算"),
            S::NewW => ("new w", "新 w"),
            S::NewB => ("new b", "新 b"),
            S::Help => ("Keys", "按键"),
            S::HelpClose => ("? or Esc closes this", "按 ? 或 Esc 关闭"),
            S::TooSmall => (
                "gradstep needs a terminal of at least {min}; this one is {now}. \
                 Enlarge the window or make the font smaller.",
                "gradstep 需要至少 {min} 的终端，当前只有 {now}。请放大窗口或调小字号。",
            ),
            S::KeyNext => ("next step", "下一步"),
            S::KeyPrev => ("previous step", "上一步"),
            S::KeyNextBatch => ("next mini-batch", "下一个小批量"),
            S::KeyPrevBatch => (
                "start of this mini-batch, then the previous one",
                "回到本批开头，再按回到上一批",
            ),
            S::KeyNextEpoch => ("next epoch", "下一轮"),
            S::KeyFirst => ("first step of the run", "第一步"),
            S::KeyLast => ("last step of the run", "最后一步"),
            S::KeyPlay => ("play / pause automatic stepping", "自动播放 / 暂停"),
            S::KeyFaster => ("play faster", "播放加快"),
            S::KeySlower => ("play slower", "播放减慢"),
            S::KeyGranularity => (
                "step sample by sample / whole matrix at once",
                "逐样本 / 整矩阵 切换",
            ),
            S::KeyLang => ("中文 / English", "中文 / English"),
            S::KeyRestart => ("restart from the first batch", "从第一批重新开始"),
            S::KeyHelp => ("this help", "显示本帮助"),
            S::KeyQuit => ("quit", "退出"),
            S::KeyBack => ("close the help, else quit", "关闭帮助，否则退出"),
            S::HintNext => ("next", "下一步"),
            S::HintPrev => ("back", "上一步"),
            S::HintBatch => ("batch", "换批"),
            S::HintPlay => ("play", "播放"),
            S::HintGranularity => ("sample/matrix", "样本/矩阵"),
            S::HintLang => ("中文", "English"),
            S::HintHelp => ("help", "帮助"),
            S::HintQuit => ("quit", "退出"),
        }
    }
}

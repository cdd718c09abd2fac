//! A following student's prediction of what the teacher's quiz hides, on either model: typed on
//! a line of its own (numbers only, at most [`quiz::MAX_ANSWER`] characters), sent to the class
//! when Enter takes it, and judged beside the true value once the teacher reveals it, by
//! [`quiz::matches`], the rule the teacher's tally counts by.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Line;

use super::class::{Class, Question, Seat};
use super::quiz::{self, Asked, Typing};
use super::words::say;
use crate::lesson::Lang;

/// What a student's explainer knows of the teacher's quiz now, on either model.
#[derive(Clone, Copy, Debug)]
pub struct Quizzing {
    /// The student follows the teacher: only followers are asked.
    pub following: bool,
    /// The teacher's quiz is on, and hides a result of this step now.
    pub on: bool,
    pub hiding: bool,
    /// The question the student is at, and what the quiz asks there (the teacher's entry),
    /// hidden or not.
    pub question: Question,
    pub asked: Option<Asked>,
    /// Decimals shown: a revealed value is judged at these.
    pub precision: usize,
}

impl Quizzing {
    /// What a follower is asked to predict: the quiz's value while it is hidden.
    pub fn asking(&self) -> Option<Asked> {
        self.asked.filter(|_| self.following && self.hiding)
    }

    /// The value once the teacher has revealed it to a follower.
    fn revealed(&self) -> Option<Asked> {
        self.asked
            .filter(|_| self.following && self.on && !self.hiding)
    }
}

#[derive(Debug, Default)]
pub struct Prediction {
    typing: Typing,
    /// The prediction sent for a question, and the decimals typed.
    sent: Option<(Question, f64, usize)>,
}

impl Prediction {
    /// The teacher moved: what was typed goes with another question (or another entry of it),
    /// and an answer sent goes with another entry (it is no answer to that one).
    pub fn moved(&mut self, new_question: bool, new_entry: bool) {
        if new_question || new_entry {
            self.typing.clear();
        }
        if new_entry {
            self.sent = None;
        }
    }

    /// A key on the prediction line while the quiz asks something; false for keys it does not
    /// take. `submit`: the key is the one that submits in the student's keys.
    pub fn key(
        &mut self,
        key: &KeyEvent,
        submit: bool,
        (class, seat): (&Class, &Seat),
        quizzing: &Quizzing,
    ) -> bool {
        if quizzing.asking().is_none()
            || !key.modifiers.is_empty() && key.modifiers != KeyModifiers::SHIFT
        {
            return false;
        }
        let question = quizzing.question;
        match key.code {
            KeyCode::Char(c) => self.typing.push(c),
            KeyCode::Backspace => {
                self.typing.backspace();
                true
            }
            _ if submit => {
                if let Some(v) = self.typing.value() {
                    let decimals = quiz::decimals(self.typing.text());
                    class.answer(seat, question, v, decimals);
                    self.sent = Some((question, v, decimals));
                }
                true
            }
            _ => false,
        }
    }

    /// The line above the status line, the first of: the prediction asked for, why a key did
    /// nothing, how to explore, and the prediction judged once revealed.
    /// `lang` and `wide` (the terminal draws ambiguous-width characters two columns wide) are the
    /// student's; `refused`: why the last key did nothing; `hint`: a key that moves was pressed
    /// while following.
    pub fn line(
        &self,
        quizzing: &Quizzing,
        (lang, wide): (Lang, bool),
        (refused, hint): (Option<&str>, bool),
    ) -> Option<Line<'static>> {
        let question = quizzing.question;
        if let Some(asked) = quizzing.asking() {
            let name = asked.name(lang, wide);
            return Some(self.asking(lang, &name, question));
        }
        if let Some(why) = refused {
            return Some(Line::from(why.to_string()));
        }
        if hint {
            return Some(Line::from(say(
                lang,
                "You are following the teacher: press f to explore on your own.",
                "你正在跟随老师：按 f 自由探索。",
            )));
        }
        let truth = quizzing.revealed()?;
        let name = truth.name(lang, wide);
        self.judged(lang, &name, question, truth.value, quizzing.precision)
    }

    /// The line asking for `name`: what the student typed, or that their answer is in.
    fn asking(&self, lang: Lang, name: &str, question: Question) -> Line<'static> {
        let sent = self.sent.filter(|(q, _, _)| *q == question);
        let text = match sent {
            Some((_, v, _)) if self.typing.value() == Some(v) => format!(
                "{} {name} = {}  {}",
                say(lang, "Your prediction of", "你对"),
                self.typing.text(),
                say(lang, "is in; wait for the reveal", "的预测已提交，等待揭晓")
            ),
            _ => format!(
                "{} {name} = {}▏ {}",
                say(lang, "Predict", "预测"),
                self.typing.text(),
                say(lang, "(digits - . then Enter)", "（数字 - . 后按 Enter）")
            ),
        };
        Line::from(text)
    }

    /// Once revealed, the answer sent to `question` beside the true value of `name` at the
    /// `precision` shown, marked right or wrong; None when nothing was sent to it.
    fn judged(
        &self,
        lang: Lang,
        name: &str,
        question: Question,
        truth: f64,
        precision: usize,
    ) -> Option<Line<'static>> {
        let (_, answer, decimals) = self.sent.filter(|(q, _, _)| *q == question)?;
        let mark = if quiz::matches(answer, decimals, truth, precision) {
            "✓"
        } else {
            "✗"
        };
        Some(Line::from(format!(
            "{name}: {} {answer:.decimals$} · {} {} {mark}",
            say(lang, "you", "你的预测"),
            say(lang, "true", "真实值"),
            quiz::shown(truth, precision)
        )))
    }
}

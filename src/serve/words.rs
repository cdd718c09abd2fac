//! What `gradstep serve` itself says, to the teacher and to students, in English and Simplified
//! Chinese: the lesson's own words come from the lesson, the explainer's from `ui::strings`.

use crate::lesson::Lang;

/// The English or the Chinese.
pub fn say(lang: Lang, en: &str, zh: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
    }
}

/// `1 student`, `3 students`.
pub fn students(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 student".to_string(),
        (Lang::En, n) => format!("{n} students"),
        (Lang::Zh, n) => format!("学生 {n} 名"),
    }
}

/// The question `q` asks while students are connected.
pub fn end_lesson(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 student is connected: end the lesson? y/n".to_string(),
        (Lang::En, n) => format!("{n} students are connected: end the lesson? y/n"),
        (Lang::Zh, n) => format!("还有 {n} 名学生在线：结束本课吗？y/n"),
    }
}

/// The title of the box that asks it.
pub fn end_lesson_title(lang: Lang) -> String {
    say(lang, "End the lesson?", "结束本课？")
}

/// A student's last line when the teacher quits.
pub fn teacher_ended(lang: Lang) -> String {
    say(
        lang,
        "gradstep serve: the teacher ended the lesson",
        "gradstep serve：老师结束了本课",
    )
}

/// A student's last line when they were idle too long.
pub fn idle_closed(lang: Lang) -> String {
    say(
        lang,
        "gradstep serve: closed after a long idle time",
        "gradstep serve：长时间无操作，连接已关闭",
    )
}

/// A student turned away because the class is full.
pub fn class_full(lang: Lang, max: usize) -> String {
    match lang {
        Lang::En => format!(
            "gradstep serve: the class is full ({}); ask the teacher to start it with a larger --max-students",
            students(lang, max)
        ),
        Lang::Zh => format!(
            "gradstep serve：课堂已满（{max} 名学生）；请老师用更大的 --max-students 重新开课"
        ),
    }
}

/// `2 of 3 answered`: answers in, of the students connected.
pub fn answered_of(lang: Lang, answered: usize, students: usize) -> String {
    match lang {
        Lang::En => format!("{answered} of {students} answered"),
        Lang::Zh => format!("{students} 人中 {answered} 人已作答"),
    }
}

/// `2 of 3 right`: right answers, of the answers.
pub fn right_of(lang: Lang, right: usize, answered: usize) -> String {
    match lang {
        Lang::En => format!("{right} of {answered} right"),
        Lang::Zh => format!("{answered} 个答案中 {right} 个正确"),
    }
}

/// Why `ssh host handout` printed no handout (on the client's stderr).
pub enum NoHandout {
    Unreachable,
    TooLarge(usize),
    Failed,
    TooSlow,
}

pub fn no_handout(lang: Lang, why: NoHandout) -> String {
    match (why, lang) {
        (NoHandout::Unreachable, Lang::En) => "the teacher's batch cannot be reached".into(),
        (NoHandout::Unreachable, Lang::Zh) => "无法到达老师所在的批次".into(),
        (NoHandout::TooLarge(mib), Lang::En) => {
            format!("the handout is larger than {mib} MiB; ask the teacher for it")
        }
        (NoHandout::TooLarge(mib), Lang::Zh) => format!("讲义超过 {mib} MiB；请向老师索取"),
        (NoHandout::Failed, Lang::En) => "the handout could not be made".into(),
        (NoHandout::Failed, Lang::Zh) => "无法生成讲义".into(),
        (NoHandout::TooSlow, Lang::En) => "the handout took too long; try again in a moment".into(),
        (NoHandout::TooSlow, Lang::Zh) => "生成讲义超时；请稍后再试".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_student_is_singular_in_every_message() {
        assert_eq!(students(Lang::En, 1), "1 student");
        assert_eq!(students(Lang::En, 3), "3 students");
        assert_eq!(
            end_lesson(Lang::En, 1),
            "1 student is connected: end the lesson? y/n"
        );
        assert_eq!(
            end_lesson(Lang::En, 3),
            "3 students are connected: end the lesson? y/n"
        );
        assert!(class_full(Lang::En, 1).contains("(1 student)"));
        assert!(class_full(Lang::En, 40).contains("(40 students)"));
        assert_eq!(right_of(Lang::En, 1, 1), "1 of 1 right");
        assert!(teacher_ended(Lang::Zh).contains("老师结束了本课"));
    }
}

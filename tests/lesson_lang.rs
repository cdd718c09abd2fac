//! Choosing the language from the locale variables.

use gradstep::lesson::{Lang, Text};

#[test]
fn lc_all_wins_then_lc_messages_then_lang() {
    let pick = Lang::from_env_values;
    assert_eq!(
        pick(Some("zh_CN.UTF-8"), Some("en_US.UTF-8"), Some("en_US")),
        Lang::Zh
    );
    assert_eq!(
        pick(Some("en_US.UTF-8"), Some("zh_CN.UTF-8"), Some("zh_CN")),
        Lang::En
    );
    assert_eq!(pick(None, Some("zh_TW.UTF-8"), Some("en_US")), Lang::Zh);
    assert_eq!(pick(None, None, Some("zh_CN.UTF-8")), Lang::Zh);
    assert_eq!(pick(None, None, Some("zh")), Lang::Zh);
}

#[test]
fn empty_variables_count_as_unset() {
    assert_eq!(
        Lang::from_env_values(Some(""), Some(""), Some("zh_CN.UTF-8")),
        Lang::Zh
    );
    assert_eq!(Lang::from_env_values(Some(""), None, None), Lang::En);
}

#[test]
fn anything_else_is_english() {
    let pick = |v| Lang::from_env_values(None, None, v);
    assert_eq!(pick(None), Lang::En);
    assert_eq!(pick(Some("C")), Lang::En);
    assert_eq!(pick(Some("POSIX")), Lang::En);
    assert_eq!(pick(Some("fr_FR.UTF-8")), Lang::En);
    assert_eq!(pick(Some("ZH_CN")), Lang::En);
}

#[test]
fn codes_and_toggling() {
    assert_eq!(Lang::from_code("en"), Some(Lang::En));
    assert_eq!(Lang::from_code("zh"), Some(Lang::Zh));
    assert_eq!(Lang::from_code("fr"), None);
    assert_eq!(Lang::En.toggled(), Lang::Zh);
    assert_eq!(Lang::Zh.toggled().toggled(), Lang::Zh);
    let t = Text {
        en: "loss".into(),
        zh: "损失".into(),
    };
    assert_eq!(t.get(Lang::Zh), "损失");
    assert_eq!(t.get(Lang::En), "loss");
}

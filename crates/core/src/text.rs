//! Free text typed by residents and staff: the limits every text field keeps, the characters it may hold, what
//! XML can carry, and blanking contact data out of text shown to the public.
//!
//! The limits are the product's own, documented in docs/deployment.md; Excel's 32,767-character cell limit is
//! far above every one of them, so an export never fails on a stored text.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// Most characters of a petition's description.
pub const DESCRIPTION_MAX: usize = 5_000;
/// Most characters of a person's name.
pub const NAME_MAX: usize = 50;
/// Most characters of an address.
pub const ADDRESS_MAX: usize = 200;
/// Most characters of a reason, note or comment.
pub const REASON_MAX: usize = 500;
/// Most characters of a URL or an e-mail address.
pub const URL_MAX: usize = 500;
/// Most characters of a phone number or a device id.
pub const SHORT_MAX: usize = 100;

/// Why a text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    /// It holds a control character (NUL, ESC, …); only tab and line breaks are allowed, and those only in
    /// multi-line fields.
    #[error("含有不允许的控制字符（U+{0:04X}）")]
    ControlCharacter(u32),
    /// It is longer than its field allows.
    #[error("过长：{len} 字，最多 {max} 字")]
    TooLong {
        /// Its length in characters.
        len: usize,
        /// The field's limit.
        max: usize,
    },
}

/// Checks a typed text: at most `max` characters, and no control character but tab, CR and LF (those only when
/// `multiline`).
pub fn check(text: &str, max: usize, multiline: bool) -> Result<(), TextProblem> {
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_control() && !(multiline && matches!(c, '\t' | '\n' | '\r')))
    {
        return Err(TextProblem::ControlCharacter(u32::from(c)));
    }
    let len = text.chars().count();
    if len > max {
        return Err(TextProblem::TooLong { len, max });
    }
    Ok(())
}

/// `text` with every character XML 1.0 forbids (most C0 controls, lone surrogates cannot occur in Rust,
/// U+FFFE/U+FFFF) replaced by U+FFFD, so that every client can parse the document. Data stored before the intake
/// refused such characters must not make a whole answer unreadable.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    };
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(
            text.chars()
                .map(|c| if allowed(c) { c } else { '\u{FFFD}' })
                .collect(),
        )
    }
}

/// What replaces a phone or ID number in public text.
pub const NUMBER_BLANKED: &str = "[号码已隐去]";
/// What replaces an e-mail address in public text.
pub const EMAIL_BLANKED: &str = "[邮箱已隐去]";

/// Runs of 7 or more digits, with up to three of the separators people type between them (spaces, dashes of any
/// width, dots and stops, commas, slashes, underscores, middle dots, brackets, a leading +) and an ID number's
/// final X: phones, landlines with area codes, ID numbers. Unicode digits count (full-width `１３８…`); numbers
/// spelled in Chinese numerals or circled digits are not recognised.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\+?\d(?:[\s\-‐‑‒–—―－.．。,，、/／_＿·•()（）]{0,3}\d){6,}(?:[\s\-－]*[xX×])?")
        .expect("the number pattern is valid")
});

/// Something@something.something, as loosely as people write it (full-width ＠ and stops, spaces around @).
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[^\s@＠<>()（）,，;；:：]+\s*[@＠]\s*[^\s@＠<>()（）,，;；:：]+[.．。][^\s@＠<>()（）,，;；:：]+",
    )
    .expect("the e-mail pattern is valid")
});

/// `text` with e-mail addresses, phone numbers and ID numbers blanked out, for what the public may read.
/// Names and addresses written into the text are not recognised (no reliable rule exists for them).
pub fn redact_contacts(text: &str) -> String {
    let text = EMAIL.replace_all(text, EMAIL_BLANKED);
    NUMBER.replace_all(&text, NUMBER_BLANKED).into_owned()
}

/// Full-width ASCII (`１３８`, `ＡＢ`) as half-width, and the ideographic space as a space: what a Chinese input
/// method types in full-width mode.
pub fn half_width(text: &str) -> Cow<'_, str> {
    if text
        .chars()
        .all(|c| c.is_ascii() || !('\u{ff01}'..='\u{ff5e}').contains(&c) && c != '\u{3000}')
    {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{3000}' => ' ',
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_keep_their_limits_and_refuse_control_characters() {
        assert_eq!(check("路灯坏了\n第二行", 10, true), Ok(()));
        assert_eq!(
            check("路灯坏了\n第二行", 10, false),
            Err(TextProblem::ControlCharacter(0x0A)),
            "a one-line field takes no line break"
        );
        assert_eq!(
            check("a\0b", 10, true),
            Err(TextProblem::ControlCharacter(0))
        );
        assert_eq!(
            check("\u{1b}[31m", 10, true),
            Err(TextProblem::ControlCharacter(0x1B))
        );
        assert_eq!(
            check(&"字".repeat(6), 5, true),
            Err(TextProblem::TooLong { len: 6, max: 5 })
        );
        assert_eq!(
            check(&"字".repeat(5), 5, true),
            Ok(()),
            "the limit itself is allowed"
        );
    }

    #[test]
    fn r11_xml_safe_replaces_what_xml_forbids() {
        assert!(matches!(xml_safe("正常\t文本\n"), Cow::Borrowed(_)));
        assert_eq!(
            xml_safe("a\u{1}b\u{0}c\u{FFFE}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert_eq!(
            xml_safe("表情😀"),
            "表情😀",
            "characters past the BMP are allowed"
        );
    }

    #[test]
    fn r11_contacts_are_blanked_from_public_text() {
        let text = "漏水，电话 13812345678，座机 0936-6621234，身份证 62072419900101123X，邮箱 zhang.san@example.com";
        let public = redact_contacts(text);
        for secret in [
            "13812345678",
            "6621234",
            "19900101",
            "123X",
            "zhang.san",
            "example.com",
        ] {
            assert!(
                !public.contains(secret),
                "{secret} must be blanked: {public}"
            );
        }
        assert_eq!(
            public,
            "漏水，电话 [号码已隐去]，座机 [号码已隐去]，身份证 [号码已隐去]，邮箱 [邮箱已隐去]"
        );
    }

    #[test]
    fn r11_numbers_next_to_short_ones_and_other_separators_are_blanked_too() {
        for (text, secret) in [
            ("电话138 1234 5678", "5678"),
            ("+86-138-1234-5678", "1234"),
            ("（0936）6621234", "6621234"),
            ("全角１３８１２３４５６７８", "５６７８"),
            ("号码138—1234—5678。", "1234"),
            ("邮箱ａ＠qq.com", "qq.com"),
            ("电话138，1234，5678", "5678"),
            ("电话138、1234、5678", "1234"),
            ("138/1234/5678", "5678"),
            ("138_1234_5678", "5678"),
            ("138·1234·5678", "5678"),
            ("zhang@qq．com", "zhang"),
            ("zhang@qq。com", "zhang"),
            ("zhang @ qq.com", "zhang"),
        ] {
            let public = redact_contacts(text);
            assert!(
                !public.contains(secret),
                "{secret} must be blanked in {text}: {public}"
            );
        }
        assert_eq!(
            redact_contacts("3号楼2单元502室，2026年12月7日"),
            "3号楼2单元502室，2026年12月7日",
            "house numbers and dates are not contact data"
        );
    }
}

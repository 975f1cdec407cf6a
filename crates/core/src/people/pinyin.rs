//! How a name is read in pinyin, for search as you type: the `pinyin` crate's most common reading for each
//! character, except that a surname is read as a surname (单 shàn, not dān; 曾 zēng, not céng; 尉迟 yùchí).
//!
//! The surname readings are those of 《现代汉语词典》 (7th ed.) for the character used as a surname; the table
//! lists only the surnames whose reading differs from the character's most common one.

use pinyin::ToPinyin;

/// Compound surnames (复姓) with their readings, syllable by syllable.
const COMPOUND_SURNAMES: [(&str, [&str; 2]); 22] = [
    ("欧阳", ["ou", "yang"]),
    ("司马", ["si", "ma"]),
    ("上官", ["shang", "guan"]),
    ("诸葛", ["zhu", "ge"]),
    ("东方", ["dong", "fang"]),
    ("皇甫", ["huang", "fu"]),
    ("尉迟", ["yu", "chi"]),
    ("万俟", ["mo", "qi"]),
    ("长孙", ["zhang", "sun"]),
    ("公孙", ["gong", "sun"]),
    ("慕容", ["mu", "rong"]),
    ("令狐", ["ling", "hu"]),
    ("夏侯", ["xia", "hou"]),
    ("澹台", ["tan", "tai"]),
    ("宇文", ["yu", "wen"]),
    ("单于", ["chan", "yu"]),
    ("司徒", ["si", "tu"]),
    ("司空", ["si", "kong"]),
    ("西门", ["xi", "men"]),
    ("南宫", ["nan", "gong"]),
    ("呼延", ["hu", "yan"]),
    ("轩辕", ["xuan", "yuan"]),
];

/// Single surnames read otherwise than the character's most common reading.
const SURNAMES: [(char, &str); 32] = [
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('查', "zha"),
    ('朴', "piao"),
    ('盖', "ge"),
    ('翟', "zhai"),
    ('乐', "yue"),
    ('覃', "qin"),
    ('缪', "miao"),
    ('繁', "po"),
    ('召', "shao"),
    ('员', "yun"),
    ('种', "chong"),
    ('秘', "bi"),
    ('句', "gou"),
    ('尉', "wei"),
    ('折', "she"),
    ('那', "na"),
    ('宓', "fu"),
    ('隗', "wei"),
    ('华', "hua"),
    ('任', "ren"),
    ('纪', "ji"),
    ('柏', "bai"),
    ('燕', "yan"),
    ('葛', "ge"),
    ('薄', "bo"),
    ('祭', "zhai"),
    ('阚', "kan"),
];

/// One character of a name and how it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syllable {
    /// The character as written.
    pub ch: char,
    /// Its reading: plain pinyin in lower case (ü as `v`), or the letter itself for Latin letters and digits.
    pub reading: String,
}

/// The readings of a name's characters, in order; punctuation (the `·` of minority names, spaces) is skipped.
pub fn read_name(name: &str) -> Vec<Syllable> {
    let chars: Vec<char> = name.chars().filter(|c| c.is_alphanumeric()).collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut rest = &chars[..];
    let head: String = chars.iter().take(2).collect();
    if let Some((_, readings)) = COMPOUND_SURNAMES.iter().find(|(s, _)| *s == head) {
        for (ch, r) in chars.iter().zip(readings) {
            out.push(Syllable {
                ch: *ch,
                reading: (*r).to_string(),
            });
        }
        rest = &chars[2..];
    } else if let Some(first) = chars.first() {
        if let Some((_, r)) = SURNAMES.iter().find(|(c, _)| c == first) {
            out.push(Syllable {
                ch: *first,
                reading: (*r).to_string(),
            });
            rest = &chars[1..];
        }
    }
    out.extend(rest.iter().map(|&ch| Syllable {
        ch,
        reading: reading(ch),
    }));
    out
}

/// The most common reading of one character (`ü` written `v`), or the character itself, lower-cased.
fn reading(ch: char) -> String {
    match ch.to_pinyin() {
        Some(p) => p.plain().replace('ü', "v"),
        None => ch.to_lowercase().collect(),
    }
}

/// True when `query` (lower case, no spaces) reads as the start of `name`: each syllable may be matched by its
/// character, its whole reading, or (for any syllable) the start of its reading, so `zhangsan`, `zs`, `zhangs`,
/// `张s` and `zhang三` all find 张三. A query that ends inside a syllable matches it.
pub fn matches(syllables: &[Syllable], query: &[char]) -> bool {
    fn go(s: &[Syllable], q: &[char]) -> bool {
        if q.is_empty() {
            return true;
        }
        let Some((first, rest)) = s.split_first() else {
            return false;
        };
        if q[0] == first.ch && go(rest, &q[1..]) {
            return true;
        }
        // Take 1..=len letters of the reading; whole readings first (the usual case).
        let r: Vec<char> = first.reading.chars().collect();
        let n = r.iter().zip(q).take_while(|(a, b)| a == b).count();
        (1..=n).rev().any(|k| go(rest, &q[k..]))
    }
    go(syllables, query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(name: &str) -> String {
        read_name(name)
            .iter()
            .map(|s| s.reading.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn surnames_are_read_as_surnames() {
        // Independent reference: 《现代汉语词典》 (7th ed.), the entries marked 姓.
        for (name, expected) in [
            ("单田芳", "shan tian fang"),
            ("曾国藩", "zeng guo fan"),
            ("解缙", "xie jin"),
            ("仇英", "qiu ying"),
            ("区梦觉", "ou meng jue"),
            ("查良镛", "zha liang yong"),
            ("朴树", "piao shu"),
            ("盖叫天", "ge jiao tian"),
            ("尉迟恭", "yu chi gong"),
            ("万俟卨", "mo qi xie"),
            ("欧阳修", "ou yang xiu"),
            ("吕强", "lv qiang"),
        ] {
            assert_eq!(readings(name), expected, "{name}");
        }
    }

    #[test]
    fn queries_match_full_pinyin_initials_and_mixtures() {
        let zs = read_name("张三");
        for q in [
            "zhangsan", "zs", "zhangs", "zhang s", "张s", "zhang三", "张三", "z", "zha", "zsa",
        ] {
            let q: Vec<char> = q.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(matches(&zs, &q), "{q:?}");
        }
        for q in ["zhangsi", "sz", "zhangsanfeng", "张四", "hang"] {
            let q: Vec<char> = q.chars().collect();
            assert!(!matches(&zs, &q), "{q:?}");
        }
        assert!(matches(
            &read_name("单丽"),
            &"sl".chars().collect::<Vec<_>>()
        ));
        assert!(!matches(
            &read_name("单丽"),
            &"dl".chars().collect::<Vec<_>>()
        ));
    }
}

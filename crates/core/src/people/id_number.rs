//! Resident ID numbers (居民身份证号码) by GB 11643-1999: 6 digits of the region (GB/T 2260), 8 of the birth
//! date, 3 of a sequence whose last digit is odd for men and even for women, and a check character by
//! ISO 7064 MOD 11-2 (`0`–`9` or `X`).
//!
//! The region codes are data (`crates/core/data/regions.csv`) with the years each was in use: a number keeps the
//! code of the place and time it was first issued, so 高台县's 622225 (until 2002) is as valid as its 620724
//! (since 2002) for anyone born before 2003. Hand-written: the check is a dozen lines, and no maintained crate
//! carries region codes with their years.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};

/// The ISO 7064 MOD 11-2 weights of the first 17 digits (2^(17−i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum mod 11.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A checked ID number and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    /// The number, 18 characters, with an upper-case `X`.
    pub text: String,
    /// The region code (first six digits).
    pub region: String,
    /// The name of the region the code was checked against (a county, prefecture or province).
    pub region_name: &'static str,
    /// The holder's birth date.
    pub birth: NaiveDate,
    /// True for a man (odd sequence digit).
    pub male: bool,
}

/// Why an ID number was refused, in words a person at the community office can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdProblem {
    /// Empty.
    #[error("为空")]
    Empty,
    /// Not 18 characters (15-digit numbers were replaced by 2006).
    #[error("应为 18 位，实为 {0} 位")]
    Length(usize),
    /// A character other than digits and a final X.
    #[error("只能是数字，最后一位可为 X")]
    Characters,
    /// The region code is in no known division.
    #[error("地区码 {0} 不存在")]
    UnknownRegion(String),
    /// The region code was not in use at any time the number could have been issued.
    #[error("地区码 {code}（{name}）只在 {from}–{to} 年使用，与出生年份 {born} 不符")]
    RegionNotInUse {
        /// The code.
        code: String,
        /// Its division.
        name: &'static str,
        /// First year in use.
        from: i32,
        /// Last year in use (or the current year).
        to: i32,
        /// The birth year the number states.
        born: i32,
    },
    /// The birth date is no date, or in the future, or before 1850 (the standard's own example is born 1880).
    #[error("出生日期 {0} 无效")]
    BirthDate(String),
    /// The check character does not match the first 17 digits.
    #[error("校验位错误：应为 {expected}，实为 {found}")]
    CheckDigit {
        /// What MOD 11-2 gives.
        expected: char,
        /// What was written.
        found: char,
    },
}

/// One row of the region table.
#[derive(Debug)]
struct Region {
    code: &'static str,
    name: &'static str,
    from: i32,
    to: Option<i32>,
    complete: bool,
}

static REGIONS: LazyLock<Vec<Region>> = LazyLock::new(|| {
    include_str!("../../data/regions.csv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| {
            let f: Vec<&'static str> = l.split(',').collect();
            Region {
                code: f[0],
                name: f[1],
                from: f[2].parse().expect("regions.csv: from"),
                to: (!f[3].is_empty()).then(|| f[3].parse().expect("regions.csv: to")),
                complete: f.get(4) == Some(&"complete"),
            }
        })
        .collect()
});

/// The check character of the first 17 digits.
pub fn check_character(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// Checks an ID number as written (surrounding spaces and full-width digits tolerated, `x` read as `X`) on
/// `today`.
pub fn parse(text: &str, today: NaiveDate) -> Result<IdNumber, IdProblem> {
    let text: String = crate::text::half_width(text.trim())
        .chars()
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if text.is_empty() {
        return Err(IdProblem::Empty);
    }
    let len = text.chars().count();
    if len != 18 {
        return Err(IdProblem::Length(len));
    }
    let b = text.as_bytes();
    if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
        return Err(IdProblem::Characters);
    }
    let birth_text = &text[6..14];
    let birth = NaiveDate::parse_from_str(birth_text, "%Y%m%d")
        .ok()
        .filter(|d| d.year() >= 1850 && *d <= today)
        .ok_or_else(|| IdProblem::BirthDate(birth_text.to_string()))?;
    let region = &text[..6];
    let region_name = check_region(region, birth.year(), today.year())?;
    let expected = check_character(&b[..17]);
    let found = char::from(b[17]);
    if expected != found {
        return Err(IdProblem::CheckDigit { expected, found });
    }
    Ok(IdNumber {
        region: region.to_string(),
        region_name,
        birth,
        male: (b[16] - b'0') % 2 == 1,
        text,
    })
}

/// The region's name when `code` was in use at some time between `born` and `now`.
fn check_region(code: &str, born: i32, now: i32) -> Result<&'static str, IdProblem> {
    let exact = REGIONS.iter().find(|r| r.code == code);
    let region = match exact {
        Some(r) => r,
        None => {
            let prefecture = REGIONS.iter().find(|r| r.code == &code[..4]);
            if prefecture.is_some_and(|p| p.complete) {
                return Err(IdProblem::UnknownRegion(code.to_string()));
            }
            prefecture
                .or_else(|| REGIONS.iter().find(|r| r.code == &code[..2]))
                .ok_or_else(|| IdProblem::UnknownRegion(code.to_string()))?
        }
    };
    let to = region.to.unwrap_or(now);
    if region.from <= now && to >= born {
        Ok(region.name)
    } else {
        Err(IdProblem::RegionNotInUse {
            code: code.to_string(),
            name: region.name,
            from: region.from,
            to,
            born,
        })
    }
}

/// A valid ID number from its parts (the demo's residents, tests): `seq` is the 3-digit sequence, whose parity
/// is made to agree with `male`.
pub fn compose(region: &str, birth: NaiveDate, seq: u16, male: bool) -> String {
    let mut seq = seq % 1000;
    if (seq % 2 == 1) != male {
        seq = if seq == 999 { 998 } else { seq + 1 };
    }
    let first17 = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
    let check = check_character(first17.as_bytes());
    format!("{first17}{check}")
}

/// Mobile numbers in mainland China: 11 digits beginning 13–19.
pub fn is_mobile(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    /// The check digit computed independently: the weights as powers of two mod 11, and the check as the
    /// digit that makes the full weighted sum (X = 10, weight 1) congruent to 1 mod 11 (ISO 7064 MOD 11-2).
    fn independent_check(first17: &str) -> char {
        let sum: u64 = first17
            .chars()
            .enumerate()
            .map(|(i, c)| u64::from(c.to_digit(10).unwrap()) * (2u64.pow(17 - i as u32) % 11))
            .sum();
        (0..=10u64)
            .find(|c| (sum + c) % 11 == 1)
            .map(|c| {
                if c == 10 {
                    'X'
                } else {
                    char::from_digit(c as u32, 10).unwrap()
                }
            })
            .unwrap()
    }

    #[test]
    fn published_vectors_pass() {
        // The examples of GB 11643-1999 itself and of its widely reproduced appendix.
        for (id, male) in [("11010519491231002X", false), ("440524188001010014", true)] {
            let n = parse(id, today()).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(n.male, male, "{id}");
        }
        assert_eq!(
            parse("11010519491231002x", today()).unwrap().text,
            "11010519491231002X",
            "a lower-case x is read as X"
        );
    }

    #[test]
    fn check_character_agrees_with_an_independent_computation() {
        let mut state = 12345u64;
        for _ in 0..20_000 {
            let digits: String = (0..17)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    char::from(b'0' + ((state >> 33) % 10) as u8)
                })
                .collect();
            assert_eq!(
                check_character(digits.as_bytes()),
                independent_check(&digits),
                "{digits}"
            );
        }
    }

    #[test]
    fn gaotai_codes_are_valid_when_they_were_in_use() {
        let old = compose(
            "622225",
            NaiveDate::from_ymd_opt(1976, 8, 25).unwrap(),
            638,
            true,
        );
        assert_eq!(parse(&old, today()).unwrap().region_name, "高台县");
        let new = compose(
            "620724",
            NaiveDate::from_ymd_opt(1976, 8, 25).unwrap(),
            638,
            true,
        );
        assert_eq!(parse(&new, today()).unwrap().region_name, "高台县");
        let late = compose(
            "622225",
            NaiveDate::from_ymd_opt(2005, 1, 1).unwrap(),
            12,
            false,
        );
        assert!(matches!(
            parse(&late, today()),
            Err(IdProblem::RegionNotInUse { born: 2005, .. })
        ));
        let unknown = compose(
            "620799",
            NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            12,
            false,
        );
        assert_eq!(
            parse(&unknown, today()),
            Err(IdProblem::UnknownRegion("620799".into()))
        );
        let nowhere = compose(
            "990101",
            NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            12,
            false,
        );
        assert_eq!(
            parse(&nowhere, today()),
            Err(IdProblem::UnknownRegion("990101".into()))
        );
    }

    #[test]
    fn bad_numbers_say_why() {
        assert_eq!(parse("", today()), Err(IdProblem::Empty));
        assert_eq!(
            parse("622225760825638", today()),
            Err(IdProblem::Length(15))
        );
        assert_eq!(
            parse("62222519760825638Y", today()),
            Err(IdProblem::Characters)
        );
        assert_eq!(
            parse("622225197602306381", today()),
            Err(IdProblem::BirthDate("19760230".into()))
        );
        assert_eq!(
            parse("620724203001016381", today()),
            Err(IdProblem::BirthDate("20300101".into()))
        );
        let good = compose(
            "620724",
            NaiveDate::from_ymd_opt(1990, 5, 1).unwrap(),
            101,
            true,
        );
        let mut bad = good.clone();
        let last = if bad.ends_with('0') { '1' } else { '0' };
        bad.replace_range(17.., &last.to_string());
        assert!(matches!(
            parse(&bad, today()),
            Err(IdProblem::CheckDigit { .. })
        ));
        assert_eq!(parse(&format!(" {good} "), today()).unwrap().text, good);
        // Excel's number for 622225197608256384: the digits survive as text, but the check digit exposes it.
        assert!(parse("622225197608256000", today()).is_err());
    }

    #[test]
    fn compose_agrees_with_the_sex_asked_for() {
        for seq in [0u16, 1, 998, 999] {
            for male in [true, false] {
                let id = compose(
                    "620724",
                    NaiveDate::from_ymd_opt(1990, 5, 1).unwrap(),
                    seq,
                    male,
                );
                assert_eq!(parse(&id, today()).unwrap().male, male, "{id}");
            }
        }
    }

    #[test]
    fn mobiles() {
        assert!(is_mobile("13812345678"));
        assert!(is_mobile("19912345678"));
        assert!(!is_mobile("12812345678"));
        assert!(!is_mobile("1381234567"));
        assert!(!is_mobile("0936-8221234"));
    }
}

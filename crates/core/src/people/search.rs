//! Search as you type over people and residents: by Chinese characters (1- and 2-character names too), by
//! pinyin (full, initials, mixed, 张s), by digits anywhere in a phone number, by the last 4–6 characters of an ID
//! number, and by the name of the place they serve or live in.
//!
//! An in-memory index rather than SQLite FTS5: FTS5's trigram tokenizer cannot find a name shorter than three
//! characters (most Chinese names have two or three), knows no pinyin, and PostgreSQL would need another
//! index altogether. Postings per character, sorted pinyin keys searched by prefix, digit trigrams for phone
//! fragments and reversed ID tails keep every query a few small lookups; see docs/benchmarks.md.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::pinyin::{matches, read_name, Syllable};

/// What an entry of the index is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Someone on the rosters.
    Person,
    /// A resident of the population database.
    Resident,
}

/// One searchable person or resident.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchEntry {
    /// Person or resident.
    pub kind: EntryKind,
    /// Its row.
    pub id: Uuid,
    /// The name.
    pub name: String,
    /// The phone (digits), possibly empty.
    pub phone: String,
    /// The ID number, possibly empty.
    pub id_number: String,
    /// Where they serve or live, as shown (`东关社区第1网格 阳光小区 3号楼 2单元 301室`).
    pub place: String,
    /// The place names a search matches (as `place`, without the door: many entries share one).
    pub area: String,
    /// The grids they serve or live in (for a grid worker's scope).
    pub grids: Vec<String>,
    /// True for a party member.
    pub party_member: bool,
}

/// How an entry matched; the first ones rank first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The name is exactly the query (or its full pinyin or initials are).
    ExactName,
    /// The name begins with the query.
    NamePrefix,
    /// The name's pinyin (full, initials or mixed) begins with the query.
    Pinyin,
    /// The name contains the query.
    NameContains,
    /// The phone number contains the query's digits.
    Phone,
    /// The ID number ends with the query.
    IdTail,
    /// The place's name contains the query.
    Place,
}

impl MatchKind {
    /// Every kind, in rank order (the index is `kind as u8`).
    const ALL_RANKS: [MatchKind; 7] = [
        MatchKind::ExactName,
        MatchKind::NamePrefix,
        MatchKind::Pinyin,
        MatchKind::NameContains,
        MatchKind::Phone,
        MatchKind::IdTail,
        MatchKind::Place,
    ];
}

/// One result: the entry's position in [`SearchIndex::entries`] and how it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`SearchIndex::entries`].
    pub entry: u32,
    /// How it matched.
    pub how: MatchKind,
}

/// The index. Built once from all entries, rebuilt when people or residents change.
#[derive(Debug, Default)]
pub struct SearchIndex {
    entries: Vec<SearchEntry>,
    /// Each name in lower case, and its length in characters (at most 255 counted).
    lower: Vec<Box<str>>,
    name_len: Vec<u8>,
    syllables: Vec<Vec<Syllable>>,
    by_char: HashMap<char, Vec<u32>>,
    full: Vec<(Box<str>, u32)>,
    initials: Vec<(Box<str>, u32)>,
    phone_trigrams: Vec<Vec<u32>>,
    id_tails: Vec<(Box<str>, u32)>,
    places: Vec<(String, Vec<u32>)>,
}

/// Least digits of a phone fragment searched (fewer find most of the town).
pub const PHONE_DIGITS_MIN: usize = 4;

impl SearchIndex {
    /// Builds the index.
    pub fn new(entries: Vec<SearchEntry>) -> Self {
        let mut index = SearchIndex {
            phone_trigrams: vec![Vec::new(); 1000],
            ..Default::default()
        };
        let mut places: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            let i = i as u32;
            index.lower.push(e.name.to_lowercase().into());
            index.name_len.push(e.name.chars().count().min(255) as u8);
            let syl = read_name(&e.name);
            let mut seen = Vec::new();
            for s in &syl {
                if !seen.contains(&s.ch) {
                    seen.push(s.ch);
                    index.by_char.entry(s.ch).or_default().push(i);
                }
            }
            let full: String = syl.iter().map(|s| s.reading.as_str()).collect();
            let initials: String = syl
                .iter()
                .filter_map(|s| s.reading.chars().next())
                .collect();
            index.full.push((full.into(), i));
            index.initials.push((initials.into(), i));
            index.syllables.push(syl);
            let digits: Vec<u8> = e.phone.bytes().filter(u8::is_ascii_digit).collect();
            let mut grams: Vec<usize> = digits
                .windows(3)
                .map(|w| {
                    usize::from(w[0] - b'0') * 100
                        + usize::from(w[1] - b'0') * 10
                        + usize::from(w[2] - b'0')
                })
                .collect();
            grams.sort_unstable();
            grams.dedup();
            for g in grams {
                index.phone_trigrams[g].push(i);
            }
            if e.id_number.len() >= 4 {
                let tail: String = e.id_number.chars().rev().take(6).collect();
                index.id_tails.push((tail.to_ascii_lowercase().into(), i));
            }
            if !e.area.is_empty() {
                places.entry(e.area.as_str()).or_default().push(i);
            }
        }
        index.full.sort_unstable();
        index.initials.sort_unstable();
        index.id_tails.sort_unstable();
        index.places = places
            .into_iter()
            .map(|(p, ids)| {
                (
                    p.chars()
                        .filter(|c| !c.is_whitespace())
                        .flat_map(char::to_lowercase)
                        .collect(),
                    ids,
                )
            })
            .collect();
        index.places.sort_unstable();
        index.entries = entries;
        index
    }

    /// The entries, in the order hits refer to.
    pub fn entries(&self) -> &[SearchEntry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is nothing to search.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries matching `query` that `keep` allows, best first, at most `limit` (each entry once, by its
    /// best match). Ties go to the shorter name, then by name.
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        keep: impl Fn(&SearchEntry) -> bool,
    ) -> Vec<Hit> {
        let q: String = crate::text::half_width(query)
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let qc: Vec<char> = q.chars().collect();
        // Each entry's best match so far (u8::MAX: none), and the entries touched: a dense array costs one
        // allocation where a hash map would hash every candidate.
        let mut rank = vec![u8::MAX; self.entries.len()];
        let mut touched: Vec<u32> = Vec::new();
        let mut add = |i: u32, how: MatchKind| {
            let r = &mut rank[i as usize];
            if *r == u8::MAX {
                touched.push(i);
            }
            *r = (*r).min(how as u8);
        };
        let has_han = qc.iter().any(|c| is_han(*c));
        if has_han {
            // Candidates hold every Han character of the query in their name.
            let han: Vec<char> = qc.iter().copied().filter(|c| is_han(*c)).collect();
            let latin = qc.len() > han.len();
            for i in self.intersect(
                han.iter()
                    .map(|c| self.by_char.get(c).map_or(&[][..], |v| v)),
            ) {
                let name = &*self.lower[i as usize];
                let how = if name == q {
                    MatchKind::ExactName
                } else if name.starts_with(&q) {
                    MatchKind::NamePrefix
                } else if latin {
                    if !matches(&self.syllables[i as usize], &qc) {
                        continue;
                    }
                    MatchKind::Pinyin
                } else if name.contains(&q) {
                    MatchKind::NameContains
                } else {
                    continue;
                };
                add(i, how);
            }
        } else if qc.iter().all(|c| c.is_ascii_lowercase()) {
            for keys in [&self.full, &self.initials] {
                let from = keys.partition_point(|(k, _)| k.as_ref() < q.as_str());
                for (k, i) in keys[from..]
                    .iter()
                    .take_while(|(k, _)| k.starts_with(q.as_str()))
                {
                    let how = if k.as_ref() == q.as_str() {
                        MatchKind::ExactName
                    } else {
                        MatchKind::Pinyin
                    };
                    add(*i, how);
                }
            }
        }
        let digits_only = qc.iter().all(char::is_ascii_digit);
        if digits_only && qc.len() >= PHONE_DIGITS_MIN {
            let grams: Vec<&[u32]> = q
                .as_bytes()
                .windows(3)
                .map(|w| {
                    &self.phone_trigrams[usize::from(w[0] - b'0') * 100
                        + usize::from(w[1] - b'0') * 10
                        + usize::from(w[2] - b'0')][..]
                })
                .collect();
            for i in self.intersect(grams.into_iter()) {
                if self.entries[i as usize].phone.contains(q.as_str()) {
                    add(i, MatchKind::Phone);
                }
            }
        }
        let id_like = (4..=6).contains(&qc.len())
            && qc[..qc.len() - 1].iter().all(char::is_ascii_digit)
            && (qc[qc.len() - 1].is_ascii_digit() || qc[qc.len() - 1] == 'x');
        if id_like {
            let rev: String = qc.iter().rev().collect();
            let from = self
                .id_tails
                .partition_point(|(k, _)| k.as_ref() < rev.as_str());
            for (_, i) in self.id_tails[from..]
                .iter()
                .take_while(|(k, _)| k.starts_with(rev.as_str()))
            {
                add(*i, MatchKind::IdTail);
            }
        }
        // One character names half the places (单元, 楼): a place needs two.
        if !digits_only && qc.len() >= 2 {
            for (place, ids) in &self.places {
                if place.contains(q.as_str()) {
                    for &i in ids {
                        add(i, MatchKind::Place);
                    }
                }
            }
        }
        // Best first: the kind of match, then the shorter name; the `limit` best are chosen on a packed key and
        // only they are sorted by name.
        let mut keys: Vec<u64> = touched
            .into_iter()
            .filter(|&i| keep(&self.entries[i as usize]))
            .map(|i| {
                (u64::from(rank[i as usize]) << 40)
                    | (u64::from(self.name_len[i as usize]) << 32)
                    | u64::from(i)
            })
            .collect();
        if keys.len() > limit {
            keys.select_nth_unstable(limit - 1);
            keys.truncate(limit);
        }
        let mut hits: Vec<Hit> = keys
            .into_iter()
            .map(|k| Hit {
                entry: k as u32,
                how: MatchKind::ALL_RANKS[(k >> 40) as usize],
            })
            .collect();
        hits.sort_by(|a, b| {
            let (ea, eb) = (
                &self.entries[a.entry as usize],
                &self.entries[b.entry as usize],
            );
            (a.how, self.name_len[a.entry as usize], &ea.name, a.entry).cmp(&(
                b.how,
                self.name_len[b.entry as usize],
                &eb.name,
                b.entry,
            ))
        });
        hits
    }

    /// The entries in every one of `lists` (each sorted ascending, as built).
    fn intersect<'a>(&self, lists: impl Iterator<Item = &'a [u32]>) -> Vec<u32> {
        let mut lists: Vec<&[u32]> = lists.collect();
        lists.sort_by_key(|l| l.len());
        let Some((first, rest)) = lists.split_first() else {
            return Vec::new();
        };
        first
            .iter()
            .copied()
            .filter(|i| rest.iter().all(|l| l.binary_search(i).is_ok()))
            .collect()
    }
}

/// True for a CJK unified ideograph (basic block and extension A).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: EntryKind, name: &str, phone: &str, id: &str, place: &str) -> SearchEntry {
        SearchEntry {
            kind,
            id: Uuid::now_v7(),
            name: name.into(),
            phone: phone.into(),
            id_number: id.into(),
            place: place.into(),
            area: place.into(),
            grids: vec!["CG-01-01".into()],
            party_member: false,
        }
    }

    fn index() -> SearchIndex {
        SearchIndex::new(vec![
            entry(
                EntryKind::Person,
                "张三",
                "13812345678",
                "62072419900501101X",
                "东关社区 第1网格",
            ),
            entry(
                EntryKind::Person,
                "张三丰",
                "13912340000",
                "",
                "东关社区 第2网格",
            ),
            entry(
                EntryKind::Resident,
                "李",
                "13700001111",
                "620724198001012345",
                "阳光小区 3号楼 2单元",
            ),
            entry(
                EntryKind::Resident,
                "单丽",
                "15000002222",
                "",
                "阳光小区 3号楼 1单元",
            ),
            entry(EntryKind::Person, "王小张", "18800003333", "", "西街社区"),
            entry(EntryKind::Person, "曾伟", "18800004444", "", "西街社区"),
        ])
    }

    fn names(i: &SearchIndex, q: &str) -> Vec<(String, MatchKind)> {
        i.search(q, 10, |_| true)
            .into_iter()
            .map(|h| (i.entries()[h.entry as usize].name.clone(), h.how))
            .collect()
    }

    #[test]
    fn chinese_names_of_any_length_exact_first() {
        let i = index();
        assert_eq!(
            names(&i, "张三"),
            vec![
                ("张三".into(), MatchKind::ExactName),
                ("张三丰".into(), MatchKind::NamePrefix)
            ]
        );
        assert_eq!(names(&i, "李"), vec![("李".into(), MatchKind::ExactName)]);
        let zhang = names(&i, "张");
        assert_eq!(
            zhang.last().unwrap(),
            &("王小张".into(), MatchKind::NameContains)
        );
        assert_eq!(zhang.len(), 3);
    }

    #[test]
    fn pinyin_full_initials_and_mixed() {
        let i = index();
        assert_eq!(
            names(&i, "zhangsan")[0],
            ("张三".into(), MatchKind::ExactName)
        );
        assert_eq!(names(&i, "zs")[0], ("张三".into(), MatchKind::ExactName));
        assert_eq!(names(&i, "zhang s").len(), 2);
        assert_eq!(names(&i, "张s")[0], ("张三".into(), MatchKind::Pinyin));
        assert_eq!(
            names(&i, "ZSF"),
            vec![("张三丰".into(), MatchKind::ExactName)]
        );
        assert_eq!(
            names(&i, "shanli"),
            vec![("单丽".into(), MatchKind::ExactName)]
        );
        assert!(names(&i, "danli").is_empty(), "单 as a surname is shàn");
        assert_eq!(names(&i, "zw"), vec![("曾伟".into(), MatchKind::ExactName)]);
    }

    #[test]
    fn phone_fragments_and_id_tails() {
        let i = index();
        assert_eq!(
            names(&i, "1234"),
            vec![
                ("张三".into(), MatchKind::Phone),
                ("张三丰".into(), MatchKind::Phone)
            ]
        );
        assert_eq!(
            names(&i, "0000"),
            vec![
                ("李".into(), MatchKind::Phone),
                ("单丽".into(), MatchKind::Phone),
                ("曾伟".into(), MatchKind::Phone),
                ("张三丰".into(), MatchKind::Phone),
                ("王小张".into(), MatchKind::Phone),
            ]
        );
        assert_eq!(names(&i, "101x"), vec![("张三".into(), MatchKind::IdTail)]);
        assert_eq!(names(&i, "012345"), vec![("李".into(), MatchKind::IdTail)]);
        assert!(names(&i, "123").is_empty(), "three digits are too few");
    }

    #[test]
    fn places_and_scope() {
        let i = index();
        assert_eq!(names(&i, "阳光小区 3号楼").len(), 2);
        assert_eq!(
            names(&i, "第2网格"),
            vec![("张三丰".into(), MatchKind::Place)]
        );
        let only_people = i.search("阳光", 10, |e| e.kind == EntryKind::Person);
        assert!(only_people.is_empty());
        assert_eq!(i.search("张", 1, |_| true).len(), 1, "the limit holds");
    }
}

//! Roster search figures for docs/benchmarks.md (issue 14), run by bench/roster.sh
//! (`cargo bench -p chengguan-core --bench search -- N`).
//!
//! The in-memory index (`chengguan_core::people::search`) over N people and residents (the demo town's roster
//! and population, topped up with further populations to N), each query kind timed in-process; side by side in
//! the same run, SQLite (in memory, the same rows, with pinyin columns so that it can answer pinyin at all)
//! answering the same queries with `LIKE '%q%'` ranked as the index ranks, and with an FTS5 trigram index. Also the index's build time and
//! the resident memory it adds.
// A benchmark reports on its standard output.
#![allow(clippy::print_stdout, clippy::print_stderr, missing_docs)]

use std::time::{Duration, Instant};

use chengguan_core::demo;
use chengguan_core::people::pinyin::read_name;
use chengguan_core::people::search::{EntryKind, SearchEntry, SearchIndex};

fn main() {
    // `cargo bench` passes `--bench`; the first number given is N.
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    search(n);
}

/// Resident memory of this process, in bytes (Linux).
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn entries(n: usize) -> Vec<SearchEntry> {
    let town = demo::generate(demo::DEFAULT_SEED);
    let mut out: Vec<SearchEntry> = town
        .people
        .iter()
        .map(|p| SearchEntry {
            kind: EntryKind::Person,
            id: p.id,
            name: p.name.clone(),
            phone: p.phone.clone(),
            id_number: p.id_number.clone().unwrap_or_default(),
            place: String::new(),
            area: String::new(),
            grids: Vec::new(),
            party_member: p.party_member,
        })
        .collect();
    let mut seed = demo::DEFAULT_SEED;
    while out.len() < n {
        let pop = demo::population::population(&town, seed);
        let names: std::collections::HashMap<_, _> = town
            .compounds
            .iter()
            .map(|c| (c.id, c.name.clone()))
            .collect();
        let building: std::collections::HashMap<_, _> =
            town.buildings.iter().map(|b| (b.id, b)).collect();
        let unit: std::collections::HashMap<_, _> = town.units.iter().map(|u| (u.id, u)).collect();
        let home: std::collections::HashMap<_, _> =
            pop.households.iter().map(|h| (h.id, h)).collect();
        for r in pop.residents {
            if out.len() >= n {
                break;
            }
            let h = home[&r.household_id];
            let u = unit[&h.unit_id];
            let b = building[&u.building_id];
            out.push(SearchEntry {
                kind: EntryKind::Resident,
                id: r.id,
                name: r.name,
                phone: r.phone,
                id_number: r.id_number.unwrap_or_default(),
                place: format!(
                    "{} {} {}单元 {}室",
                    names[&b.compound_id], b.name, u.number, h.door
                ),
                area: format!("{} {} {}单元", names[&b.compound_id], b.name, u.number),
                grids: Vec::new(),
                party_member: r.flags.party_member,
            });
        }
        seed += 1;
    }
    out
}

/// p50 and p99 of `times`, in microseconds.
fn percentiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e6;
    (at(0.5), at(0.99))
}

fn search(n: usize) {
    let data = entries(n);
    let before = rss();
    let start = Instant::now();
    let index = SearchIndex::new(data.clone());
    let built = start.elapsed();
    let grown = rss().saturating_sub(before);

    // SQLite, the same rows: name, its pinyin (full and initials), phone, ID number.
    let db = rusqlite::Connection::open_in_memory().expect("sqlite");
    db.execute_batch(
        "CREATE TABLE e (name TEXT, full TEXT, initials TEXT, phone TEXT, id_number TEXT);
         CREATE VIRTUAL TABLE f USING fts5(name, full, initials, phone, id_number, tokenize = 'trigram');",
    )
    .expect("schema");
    {
        let tx = db.unchecked_transaction().expect("tx");
        let mut ins = tx
            .prepare("INSERT INTO e VALUES (?1, ?2, ?3, ?4, ?5)")
            .expect("insert");
        for e in &data {
            let syl = read_name(&e.name);
            let full: String = syl.iter().map(|s| s.reading.as_str()).collect();
            let initials: String = syl
                .iter()
                .filter_map(|s| s.reading.chars().next())
                .collect();
            ins.execute((&e.name, &full, &initials, &e.phone, &e.id_number))
                .expect("row");
        }
        drop(ins);
        tx.execute_batch("INSERT INTO f SELECT name, full, initials, phone, id_number FROM e")
            .expect("fts");
        tx.commit().expect("commit");
    }

    // 200 queries of each kind, drawn from the data (every one has an answer in it).
    let pick = |k: usize| &data[(k * 7919 + 13) % data.len()];
    let kinds: Vec<(&str, Vec<String>)> = vec![
        (
            "two-character name",
            (0..200)
                .map(|k| pick(k).name.chars().take(2).collect())
                .collect(),
        ),
        (
            "one character",
            (0..200)
                .map(|k| pick(k).name.chars().take(1).collect())
                .collect(),
        ),
        (
            "full pinyin",
            (0..200)
                .map(|k| {
                    read_name(&pick(k).name)
                        .iter()
                        .map(|s| s.reading.clone())
                        .collect()
                })
                .collect(),
        ),
        (
            "initials",
            (0..200)
                .map(|k| {
                    read_name(&pick(k).name)
                        .iter()
                        .filter_map(|s| s.reading.chars().next())
                        .collect()
                })
                .collect(),
        ),
        (
            "phone fragment (4 digits)",
            (0..200)
                .map(|k| {
                    let mut j = k;
                    while pick(j).phone.len() < 11 {
                        j += 1;
                    }
                    pick(j).phone[5..9].to_string()
                })
                .collect(),
        ),
        (
            "ID tail (4)",
            (0..200)
                .map(|k| {
                    let id = &pick(k).id_number;
                    id[id.len().saturating_sub(4)..].to_string()
                })
                .collect(),
        ),
    ];
    // Ranked as the index ranks (the exact name first, then shorter names), so that it cannot stop at the first
    // 60 rows in table order.
    let mut like = db
        .prepare(
            "SELECT rowid FROM e WHERE name LIKE ?1 OR full LIKE ?1 OR initials LIKE ?1 OR phone LIKE ?1 \
             OR id_number LIKE ?1 ORDER BY (name = ?2) DESC, length(name), name LIMIT 60",
        )
        .expect("like");
    let mut fts = db
        .prepare("SELECT rowid FROM f WHERE f MATCH ?1 LIMIT 60")
        .expect("fts");
    println!(
        "Roster search over {} people and residents ({} in the index)",
        data.len(),
        index.len()
    );
    println!(
        "index build: {:.0} ms, resident memory added: {:.1} MB",
        built.as_secs_f64() * 1e3,
        grown as f64 / 1e6
    );
    println!();
    println!("| query kind | index p50 µs | index p99 µs | LIKE p50 µs | LIKE p99 µs | FTS5 trigram p50 µs | FTS5 p99 µs | FTS5 found | LIKE p99 ÷ index p99 |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (kind, queries) in &kinds {
        let mut ti = Vec::new();
        let mut tl = Vec::new();
        let mut tf = Vec::new();
        let mut fts_found = 0;
        for q in queries {
            let s = Instant::now();
            let hits = index.search(q, 60, |_| true);
            ti.push(s.elapsed());
            assert!(!hits.is_empty(), "{kind}: {q} has an answer");
            let s = Instant::now();
            let n: usize = like
                .query_map([format!("%{q}%"), q.clone()], |r| r.get::<_, i64>(0))
                .expect("like")
                .count();
            tl.push(s.elapsed());
            let _ = n;
            let s = Instant::now();
            // A trigram index needs three characters; shorter queries find nothing (and FTS5 errs on none).
            let phrase = format!("\"{}\"", q.replace('"', ""));
            let found = fts
                .query_map([phrase], |r| r.get::<_, i64>(0))
                .map(|rows| rows.count())
                .unwrap_or(0);
            tf.push(s.elapsed());
            if found > 0 {
                fts_found += 1;
            }
        }
        let (ip50, ip99) = percentiles(ti);
        let (lp50, lp99) = percentiles(tl);
        let (fp50, fp99) = percentiles(tf);
        println!(
            "| {kind} | {ip50:.0} | {ip99:.0} | {lp50:.0} | {lp99:.0} | {fp50:.0} | {fp99:.0} | {fts_found}/200 | {:.0}× |",
            lp99 / ip99.max(1.0)
        );
    }
}

//! Importing rosters and residents' lists from the workbooks community offices keep (`.xlsx`, or `.csv`).
//!
//! The header is found, not assumed: the row among the first ten that names the most known columns (a title
//! and a subtitle above it are skipped), merged with the row under it when that row carries sub-headers (住址
//! over 小区/楼栋/单元). Headers match tolerantly: synonyms (联系电话 = 手机号), spaces (`姓 名`), full-width
//! characters and notes in brackets (`身份证号码（18位）`). Totals (合计) and footers (填表人…) are skipped.
//!
//! Every row is checked (ID numbers by GB 11643-1999, gender against the ID, mobiles, duplicates within the
//! file and against the database, places down to the unit) and every problem is reported with its row (as
//! Excel numbers it), column and reason. Nothing is stored if any row is wrong, unless `skip_invalid`.

use std::collections::{HashMap, HashSet};

use chengguan_core::audit::AuditDraft;
use chengguan_core::people::id_number::{self, is_mobile};
use chengguan_core::people::{
    Gender, Household, Person, PoliticalStatus, Relation, Resident, ResidentFlags, Role,
    RoleAssignment, Scope, ScopeLevel,
};
use chengguan_core::text::half_width;
use chengguan_store::prelude::*;
use chengguan_store::Places;
use chrono::NaiveDate;

use crate::access::{Session, UseCase};
use crate::petitions::{ImportReport, RowProblem};
use crate::{App, AppError, Result};

/// Problems reported at most (the count of all of them is given).
const MAX_PROBLEMS: usize = 500;

/// The columns a roster or residents' workbook may have: our key and the headers that name it.
pub(crate) const COLUMNS: [(&str, &[&str]); 23] = [
    ("name", &["姓名", "名字", "name"]),
    ("gender", &["性别", "gender"]),
    (
        "id",
        &[
            "身份证号",
            "身份证号码",
            "公民身份号码",
            "身份证",
            "id_number",
        ],
    ),
    (
        "phone",
        &[
            "手机号",
            "手机号码",
            "联系电话",
            "电话",
            "手机",
            "phone",
            "mobile",
        ],
    ),
    (
        "role",
        &["角色", "职务", "角色/职务", "岗位", "职责", "role"],
    ),
    ("community", &["社区", "所属社区", "community"]),
    (
        "grid",
        &["网格", "网格编号", "网格编码", "所属网格", "grid"],
    ),
    ("compound", &["小区", "小区名称", "院落", "compound"]),
    ("building", &["楼栋", "楼号", "楼栋号", "building"]),
    ("unit", &["单元", "单元号", "unit"]),
    ("political", &["政治面貌", "political_status"]),
    ("employer", &["单位", "工作单位", "所在单位", "employer"]),
    (
        "starts_on",
        &["任职日期", "起始日期", "开始日期", "任职时间", "starts_on"],
    ),
    ("relation", &["与户主关系", "关系", "relation"]),
    ("door", &["门牌号", "房号", "户号", "室号", "door"]),
    ("party_member", &["党员", "是否党员"]),
    ("elderly_alone", &["独居老人", "是否独居老人"]),
    ("disabled", &["残疾人", "残疾", "是否残疾"]),
    ("low_income", &["低保", "低保户", "是否低保"]),
    ("veteran", &["退役军人", "是否退役军人"]),
    ("special_group", &["重点人群"]),
    ("seq", &["序号", "编号"]),
    ("ethnicity", &["民族"]),
];

/// The header the export and the template write for each key.
pub(crate) fn header_of(key: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, names)| names[0])
}

/// A header cell as compared: half-width, no spaces, lower case, without notes in brackets or a required mark.
fn normalise(header: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in half_width(header).chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = 0.max(depth - 1),
            c if depth > 0 || c.is_whitespace() || c == '*' || c == '＊' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn key_of(header: &str) -> Option<&'static str> {
    let h = normalise(header);
    COLUMNS
        .iter()
        .find(|(_, names)| names.iter().any(|n| normalise(n) == h))
        .map(|(k, _)| *k)
}

/// Where the header is and which column holds which key.
#[derive(Debug)]
struct Header {
    /// Index of the first data row.
    data_from: usize,
    /// Key → (column, the header as written).
    at: HashMap<&'static str, (usize, String)>,
}

fn find_header(rows: &[Vec<String>]) -> Option<Header> {
    let (best, found) = rows
        .iter()
        .enumerate()
        .take(10)
        .map(|(i, r)| (i, r.iter().filter(|c| key_of(c).is_some()).count()))
        .max_by_key(|(i, n)| (*n, std::cmp::Reverse(*i)))?;
    if found < 2 {
        return None;
    }
    let mut at = HashMap::new();
    for (c, cell) in rows[best].iter().enumerate() {
        if let Some(k) = key_of(cell) {
            at.entry(k).or_insert((c, cell.trim().to_string()));
        }
    }
    if !at.contains_key("name") {
        return None;
    }
    let mut data_from = best + 1;
    // The row under the header is a second header row only when it names no one (a first data row may well
    // hold 党员 or 低保, which are also column names).
    let blank = |row: &Vec<String>, key: &str| {
        at.get(key)
            .and_then(|(c, _)| row.get(*c))
            .is_none_or(|v| v.trim().is_empty())
    };
    if let Some(next) = rows
        .get(best + 1)
        .filter(|r| blank(r, "name") && blank(r, "id"))
    {
        let subs: Vec<(usize, &'static str, &String)> = next
            .iter()
            .enumerate()
            .filter_map(|(c, cell)| key_of(cell).map(|k| (c, k, cell)))
            .filter(|(_, k, _)| !at.contains_key(k))
            .collect();
        if !subs.is_empty() {
            for (c, k, cell) in subs {
                at.insert(k, (c, cell.trim().to_string()));
            }
            data_from += 1;
        }
    }
    Some(Header { data_from, at })
}

impl Header {
    /// The data rows that name someone, with their row numbers as Excel shows them (empty lines, totals and
    /// footers left out).
    fn people<'a>(&'a self, rows: &'a [Vec<String>]) -> impl Iterator<Item = (usize, Row<'a>)> {
        rows.iter()
            .enumerate()
            .skip(self.data_from)
            .map(move |(i, cells)| {
                (
                    i + 1,
                    Row {
                        cells,
                        header: self,
                    },
                )
            })
            .filter(|(_, row)| !is_filler(row.cells, row))
    }
}

/// One data row's cells by key.
struct Row<'a> {
    cells: &'a [String],
    header: &'a Header,
}

impl Row<'_> {
    fn get(&self, key: &str) -> &str {
        self.header
            .at
            .get(key)
            .and_then(|(c, _)| self.cells.get(*c))
            .map_or("", |s| s.trim())
    }

    fn column(&self, key: &str) -> String {
        self.header.at.get(key).map_or_else(
            || super::import::header_of(key).to_string(),
            |(_, h)| h.clone(),
        )
    }
}

/// Places by the words a workbook uses.
struct PlaceLookup<'a> {
    places: &'a Places,
    grid_by_code: HashMap<String, uuid::Uuid>,
    grid_by_name: HashMap<String, uuid::Uuid>,
    community_by_name: HashMap<String, uuid::Uuid>,
}

/// `CG-4-1` → `CG-04-01`; upper case, half-width.
fn grid_code(text: &str) -> String {
    let t: String = half_width(text).trim().to_uppercase();
    let parts: Vec<&str> = t.split(['-', '_', '－']).collect();
    if parts.len() == 3
        && parts[1..]
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty())
    {
        let n = |p: &str| p.parse::<u32>().unwrap_or(0);
        format!("{}-{:02}-{:02}", parts[0], n(parts[1]), n(parts[2]))
    } else {
        t
    }
}

/// `3号楼`, `3栋`, `3` → 3; `2单元`, `2` → 2.
fn number_in(text: &str) -> Option<i32> {
    let digits: String = half_width(text)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn squash(text: &str) -> String {
    half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

impl<'a> PlaceLookup<'a> {
    fn new(places: &'a Places) -> Self {
        PlaceLookup {
            places,
            grid_by_code: places
                .grids
                .iter()
                .map(|g| (g.code.clone(), g.id))
                .collect(),
            grid_by_name: places
                .grids
                .iter()
                .map(|g| (squash(&g.name), g.id))
                .collect(),
            community_by_name: places
                .communities
                .iter()
                .flat_map(|c| [(squash(&c.name), c.id), (c.code.clone(), c.id)])
                .collect(),
        }
    }

    fn grid(&self, text: &str) -> Option<uuid::Uuid> {
        self.grid_by_code
            .get(&grid_code(text))
            .or_else(|| self.grid_by_name.get(&squash(text)))
            .copied()
    }

    /// The building named by compound and building, within the grid when one is given.
    fn building(
        &self,
        grid: Option<uuid::Uuid>,
        compound: &str,
        building: &str,
    ) -> std::result::Result<uuid::Uuid, String> {
        let compound = squash(compound);
        let compounds: Vec<_> = self
            .places
            .compounds
            .iter()
            .filter(|c| squash(&c.name) == compound && grid.is_none_or(|g| g == c.grid_id))
            .collect();
        let c = match compounds.as_slice() {
            [] => {
                return Err(format!(
                    "小区「{compound}」不存在{}",
                    if grid.is_some() { "于该网格" } else { "" }
                ))
            }
            [c] => c,
            _ => return Err(format!("小区「{compound}」有重名，请填写网格")),
        };
        let wanted = squash(building);
        let in_compound: Vec<_> = self
            .places
            .buildings
            .iter()
            .filter(|b| b.compound_id == c.id)
            .collect();
        // The name as written first; else the number in it (`3`, `3栋` for `3号楼`), when only one building has it.
        if let Some(b) = in_compound.iter().find(|b| squash(&b.name) == wanted) {
            return Ok(b.id);
        }
        let n = number_in(building);
        let by_number: Vec<_> = in_compound
            .iter()
            .filter(|b| n.is_some() && number_in(&b.name) == n)
            .collect();
        match by_number.as_slice() {
            [b] => Ok(b.id),
            [] => Err(format!("{compound}没有「{wanted}」")),
            _ => Err(format!(
                "{compound}有多个楼栋可能是「{wanted}」，请写全楼栋名称"
            )),
        }
    }

    fn unit(&self, building: uuid::Uuid, unit: &str) -> std::result::Result<uuid::Uuid, String> {
        let n = number_in(unit).ok_or_else(|| format!("单元「{unit}」无法识别"))?;
        self.places
            .units
            .iter()
            .find(|u| u.building_id == building && u.number == n)
            .map(|u| u.id)
            .ok_or_else(|| format!("该楼栋没有{n}单元"))
    }
}

/// What a role is called in workbooks, beyond its label.
fn role_of(text: &str) -> Option<Role> {
    let t = squash(text);
    Role::ALL
        .into_iter()
        .find(|r| r.label() == t || r.code() == t)
        .or(match t.as_str() {
            "网格员" | "专职网格员" => Some(Role::GridManager),
            "民警" | "社区民警" => Some(Role::AreaPolice),
            "巡逻员" | "治安员" => Some(Role::Patrol),
            "楼长" => Some(Role::BuildingHead),
            "单元长" => Some(Role::UnitHead),
            "社工" | "社区干部" => Some(Role::CommunityWorker),
            "人民调解员" => Some(Role::Mediator),
            "党员" | "双报到党员" => Some(Role::PartyMember),
            "下沉干部" | "干部" => Some(Role::Cadre),
            _ => None,
        })
}

fn yes(text: &str) -> Option<bool> {
    match squash(text).to_lowercase().as_str() {
        "" | "否" | "无" | "0" | "n" | "no" | "×" => Some(false),
        "是" | "有" | "1" | "y" | "yes" | "√" | "✓" => Some(true),
        _ => None,
    }
}

/// Posts held by one person at a time: a new holder hands over from the former one.
const ONE_HOLDER: [Role; 3] = [Role::GridManager, Role::BuildingHead, Role::UnitHead];

/// Problems of one row: (column, problem).
type Problems = Vec<(String, String)>;

/// Who a row names, checked.
struct Identity {
    name: String,
    gender: Option<Gender>,
    id_number: Option<String>,
    phone: String,
}

fn identity(
    row: &Row<'_>,
    today: NaiveDate,
    phone_required: bool,
    problems: &mut Problems,
) -> Identity {
    let name: String = squash(row.get("name"));
    if name.is_empty() {
        problems.push((row.column("name"), "姓名为空".into()));
    } else if let Err(e) = chengguan_core::text::check(&name, chengguan_core::text::NAME_MAX, false)
    {
        problems.push((row.column("name"), format!("姓名{e}")));
    }
    let gender = match squash(row.get("gender")).as_str() {
        "" => None,
        "男" | "m" | "male" => Some(Gender::Male),
        "女" | "f" | "female" => Some(Gender::Female),
        other => {
            problems.push((
                row.column("gender"),
                format!("性别「{other}」应为 男 或 女"),
            ));
            None
        }
    };
    let raw = row.get("id");
    let id_number = if raw.is_empty() {
        problems.push((row.column("id"), "身份证号为空".into()));
        None
    } else if raw.contains(['E', 'e'])
        && raw
            .chars()
            .all(|c| c.is_ascii_digit() || "Ee.+".contains(c))
    {
        problems.push((
            row.column("id"),
            format!("身份证号被 Excel 存成了数字（{raw}），末几位已丢失：请把该列设为“文本”格式后重新录入"),
        ));
        None
    } else {
        match id_number::parse(raw, today) {
            Ok(id) => {
                if let Some(g) = gender {
                    if (g == Gender::Male) != id.male {
                        problems.push((
                            row.column("gender"),
                            format!(
                                "性别为{}，与身份证号（第 17 位表示{}）不符",
                                g.label(),
                                if id.male { "男" } else { "女" }
                            ),
                        ));
                    }
                }
                Some(id.text)
            }
            Err(e) => {
                problems.push((row.column("id"), format!("身份证号{e}")));
                None
            }
        }
    };
    let phone: String = half_width(row.get("phone"))
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if phone.is_empty() {
        if phone_required {
            problems.push((row.column("phone"), "手机号为空".into()));
        }
    } else if !is_mobile(&phone) {
        problems.push((
            row.column("phone"),
            format!("手机号「{phone}」应为 1 开头的 11 位数字"),
        ));
    }
    Identity {
        name,
        gender: gender.or_else(|| {
            id_number
                .as_deref()
                .and_then(|id| id_number::parse(id, today).ok())
                .map(|i| if i.male { Gender::Male } else { Gender::Female })
        }),
        id_number,
        phone,
    }
}

/// Most characters of any cell read (names, places and doors are far shorter; a longer cell is a mistake).
const CELL_MAX: usize = 200;

/// Reports the row's over-long cells (quoting none of them); true when there was one.
fn too_long(row: &Row<'_>, line: usize, out: &mut Vec<RowProblem>) -> bool {
    let mut found = false;
    for (key, (column, _)) in &row.header.at {
        let n = row.cells.get(*column).map_or(0, |c| c.chars().count());
        if n > CELL_MAX {
            out.push(RowProblem {
                row: line,
                column: row.column(key),
                problem: format!("内容过长（{n} 字），最多 {CELL_MAX} 字"),
            });
            found = true;
        }
    }
    found
}

/// True for a row that is no one: empty, a totals row or a footer.
/// A row whose known columns are all empty but for 序号 or 民族 (a template's pre-numbered lines) is one too; a
/// row that names a role, a place or a relation but no one is not: it is reported, not dropped.
fn is_filler(cells: &[String], row: &Row<'_>) -> bool {
    let text: String = cells.iter().map(|c| squash(c)).collect();
    let holds_data = row
        .header
        .at
        .keys()
        .filter(|k| !matches!(**k, "seq" | "ethnicity"))
        .any(|k| !row.get(k).is_empty());
    text.is_empty()
        || !holds_data
        || ["合计", "总计", "填表人", "审核人", "制表人"]
            .iter()
            .any(|w| text.starts_with(w))
}

/// The outcome for one kind of list, before it is stored.
struct Checked<T> {
    rows: usize,
    good: Vec<(usize, T)>,
    problems: Vec<RowProblem>,
}

fn report<T>(checked: &Checked<T>, imported: usize, dry_run: bool) -> ImportReport {
    ImportReport {
        rows: checked.rows,
        imported,
        dry_run,
        problem_count: checked.problems.len(),
        problems: checked
            .problems
            .iter()
            .take(MAX_PROBLEMS)
            .cloned()
            .collect(),
        numbers: None,
    }
}

fn header_or_fail(file_name: &str, rows: &[Vec<String>], needs: &[&str]) -> Result<Header> {
    let header = find_header(rows).ok_or_else(|| AppError::Invalid {
        field: "表头",
        problem: format!(
            "{file_name} 的前 10 行中找不到表头（至少要有“姓名”和另一列，如 身份证号、手机号）"
        ),
    })?;
    let missing: Vec<&str> = needs
        .iter()
        .filter(|k| !header.at.contains_key(**k))
        .map(|k| header_of(k))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::Invalid {
            field: "表头",
            problem: format!("{file_name} 缺少列：{}", missing.join("、")),
        });
    }
    Ok(header)
}

/// A roster row, ready to store.
struct RosterLine {
    identity: Identity,
    role: Role,
    scope: Scope,
    political: Option<PoliticalStatus>,
    employer: Option<String>,
    starts_on: NaiveDate,
}

impl App {
    /// Imports a roster workbook: people and their assignments. Someone already on the rosters (by ID number)
    /// gets the new assignment; a new holder of a post that has one holder (grid manager, building head, unit
    /// head) closes the former holder's assignment the day before (history is kept). Administrator.
    #[tracing::instrument(skip_all, err, fields(file = file_name))]
    pub async fn import_roster(
        &self,
        session: &Session,
        file_name: &str,
        bytes: &[u8],
        dry_run: bool,
        skip_invalid: bool,
    ) -> Result<ImportReport> {
        let actor = self.authorize(Some(session), UseCase::ImportRoster).await?;
        let rows = crate::petitions::import::read_rows(file_name, bytes)?;
        let header = header_or_fail(file_name, &rows, &["name", "id", "role"])?;
        let today = self.today();
        let places = self.store.places().await?;
        let lookup = PlaceLookup::new(&places);
        let people = self.store.people().await?;
        let by_id: HashMap<String, &Person> = people
            .iter()
            .filter_map(|p| p.id_number.clone().map(|i| (i, p)))
            .collect();
        let held: Vec<_> = self
            .store
            .assignments()
            .await?
            .into_iter()
            .map(|a| a.assignment)
            .filter(|a| a.held_on(today))
            .collect();
        let held_keys: HashSet<(uuid::Uuid, Role, Scope)> = held
            .iter()
            .map(|a| (a.person_id, a.role, a.scope))
            .collect();
        let mut checked = Checked {
            rows: 0,
            good: Vec::new(),
            problems: Vec::new(),
        };
        let mut seen: HashMap<(String, Role, Scope), usize> = HashMap::new();
        let mut posts: HashMap<(Role, Scope), usize> = HashMap::new();
        for (line, row) in header.people(&rows) {
            checked.rows += 1;
            let mut problems = Problems::new();
            if too_long(&row, line, &mut checked.problems) {
                continue;
            }
            let identity = identity(&row, today, true, &mut problems);
            let role = role_of(row.get("role"));
            if role.is_none() {
                problems.push((
                    row.column("role"),
                    format!(
                        "角色「{}」不是已知的角色（{}）",
                        row.get("role"),
                        Role::ALL
                            .iter()
                            .map(|r| r.label())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                ));
            }
            let scope = role.and_then(|r| self.scope_of(&row, r, &lookup, &mut problems));
            let political = match squash(row.get("political")).as_str() {
                "" => None,
                t => match PoliticalStatus::ALL.into_iter().find(|s| {
                    s.label() == t
                        || (t == "党员" && *s == PoliticalStatus::PartyMember)
                        || (t == "团员" && *s == PoliticalStatus::League)
                }) {
                    Some(s) => Some(s),
                    None => {
                        problems
                            .push((row.column("political"), format!("政治面貌「{t}」无法识别")));
                        None
                    }
                },
            };
            let starts_on = match row.get("starts_on") {
                "" => today,
                t => match chengguan_core::time::parse_day(&t.chars().take(10).collect::<String>())
                {
                    Ok(d) if d <= today => d,
                    Ok(_) => {
                        problems.push((row.column("starts_on"), format!("任职日期 {t} 晚于今天")));
                        today
                    }
                    Err(e) => {
                        problems.push((row.column("starts_on"), format!("任职日期{e}")));
                        today
                    }
                },
            };
            if let Err(e) = chengguan_core::text::check(
                row.get("employer"),
                chengguan_core::text::NAME_MAX * 2,
                false,
            ) {
                problems.push((row.column("employer"), format!("单位{e}")));
            }
            if let (Some(role), Some(scope)) = (role, scope) {
                if ONE_HOLDER.contains(&role) {
                    if let Some(first) = posts.insert((role, scope), line) {
                        problems.push((
                            row.column("role"),
                            format!("与第 {first} 行是同一职位（每处只有一名{}）", role.label()),
                        ));
                    }
                    let ours = identity
                        .id_number
                        .as_ref()
                        .and_then(|i| by_id.get(i))
                        .map(|p| p.id);
                    if let Some(current) = held
                        .iter()
                        .find(|a| a.role == role && a.scope == scope && Some(a.person_id) != ours)
                    {
                        if current.starts_on.is_some_and(|d| d >= starts_on) {
                            problems.push((
                                row.column("starts_on"),
                                format!(
                                    "任职日期 {starts_on} 不晚于现任者的任职日期 {}：交接日期须在其后",
                                    current.starts_on.map(|d| d.to_string()).unwrap_or_default()
                                ),
                            ));
                        }
                    }
                }
            }
            if let (Some(id), Some(role), Some(scope)) = (&identity.id_number, role, scope) {
                if let Some(first) = seen.insert((id.clone(), role, scope), line) {
                    problems.push((
                        row.column("id"),
                        format!("与第 {first} 行重复（同一人、同一职务、同一地点）"),
                    ));
                }
                if let Some(p) = by_id.get(id) {
                    if p.name != identity.name {
                        problems.push((
                            row.column("name"),
                            format!("该身份证号已登记为「{}」", p.name),
                        ));
                    } else if held_keys.contains(&(p.id, role, scope)) {
                        problems
                            .push((row.column("id"), "已在名册中（同一职务、同一地点）".into()));
                    }
                }
            }
            if problems.is_empty() {
                if let (Some(role), Some(scope)) = (role, scope) {
                    checked.good.push((
                        line,
                        RosterLine {
                            identity,
                            role,
                            scope,
                            political,
                            employer: Some(row.get("employer").to_string())
                                .filter(|e| !e.is_empty()),
                            starts_on,
                        },
                    ));
                }
            } else {
                checked
                    .problems
                    .extend(problems.into_iter().map(|(column, problem)| RowProblem {
                        row: line,
                        column,
                        problem,
                    }));
            }
        }
        if dry_run || checked.good.is_empty() || (!skip_invalid && !checked.problems.is_empty()) {
            return Ok(report(&checked, 0, dry_run));
        }
        let mut new_people: Vec<Person> = Vec::new();
        let mut person_of: HashMap<String, uuid::Uuid> =
            by_id.iter().map(|(id, p)| (id.clone(), p.id)).collect();
        let mut assignments = Vec::new();
        let mut closing = Vec::new();
        for (_, l) in &checked.good {
            let id_number = l.identity.id_number.clone().unwrap_or_default();
            let person = match person_of.get(&id_number) {
                Some(p) => *p,
                None => {
                    let p = Person {
                        id: chengguan_core::new_id(),
                        name: l.identity.name.clone(),
                        phone: l.identity.phone.clone(),
                        id_number: Some(id_number.clone()),
                        party_member: l.political.is_some_and(PoliticalStatus::is_party_member)
                            || l.role == Role::PartyMember,
                        gender: l.identity.gender,
                        political_status: l.political,
                        employer: l.employer.clone(),
                        version: 1,
                    };
                    person_of.insert(id_number, p.id);
                    let id = p.id;
                    new_people.push(p);
                    id
                }
            };
            if matches!(
                l.role,
                Role::GridManager | Role::BuildingHead | Role::UnitHead
            ) {
                let last = l.starts_on.pred_opt().unwrap_or(l.starts_on);
                closing.extend(
                    held.iter()
                        .filter(|a| a.role == l.role && a.scope == l.scope && a.person_id != person)
                        .map(|a| (a.id, last)),
                );
            }
            assignments.push(RoleAssignment {
                id: chengguan_core::new_id(),
                person_id: person,
                role: l.role,
                scope: l.scope,
                starts_on: Some(l.starts_on),
                ends_on: None,
                version: 1,
            });
        }
        let audit = AuditDraft::new(
            &actor.username,
            "roster.import",
            "people",
            serde_json::json!({"file": file_name, "people": new_people.len(), "assignments": assignments.len(), "closed": closing.len(), "skipped": checked.problems.len()}),
        );
        self.store
            .import_roster(&new_people, &assignments, &closing, &audit)
            .await?;
        self.forget_roster();
        Ok(report(&checked, checked.good.len(), false))
    }

    /// The scope a roster row names for its role, or its problems.
    fn scope_of(
        &self,
        row: &Row<'_>,
        role: Role,
        lookup: &PlaceLookup<'_>,
        problems: &mut Problems,
    ) -> Option<Scope> {
        let grid_text = row.get("grid");
        let grid = if grid_text.is_empty() {
            None
        } else {
            match lookup.grid(grid_text) {
                Some(g) => Some(g),
                None => {
                    problems.push((row.column("grid"), format!("网格「{grid_text}」不存在")));
                    return None;
                }
            }
        };
        match role.usual_level() {
            ScopeLevel::Town => Some(Scope::Town),
            ScopeLevel::Community => {
                let c = row.get("community");
                let by_name = lookup.community_by_name.get(&squash(c)).copied();
                let by_grid = grid
                    .and_then(|g| lookup.places.grids.iter().find(|x| x.id == g))
                    .map(|g| g.community_id);
                match by_name.or(by_grid) {
                    Some(id) => Some(Scope::Community(id)),
                    None => {
                        problems.push((
                            row.column("community"),
                            if c.is_empty() {
                                "社区为空".into()
                            } else {
                                format!("社区「{c}」不存在")
                            },
                        ));
                        None
                    }
                }
            }
            // A place named beyond the role's level must exist all the same (a typo is not silently dropped).
            ScopeLevel::Grid
                if !row.get("compound").is_empty() && {
                    let c = squash(row.get("compound"));
                    !lookup
                        .places
                        .compounds
                        .iter()
                        .any(|x| squash(&x.name) == c && grid.is_none_or(|g| g == x.grid_id))
                } =>
            {
                problems.push((
                    row.column("compound"),
                    format!(
                        "小区「{}」不存在{}",
                        row.get("compound"),
                        if grid.is_some() { "于该网格" } else { "" }
                    ),
                ));
                None
            }
            ScopeLevel::Grid => match grid {
                Some(g) => Some(Scope::Grid(g)),
                None => {
                    problems.push((row.column("grid"), "网格为空".into()));
                    None
                }
            },
            level @ (ScopeLevel::Building | ScopeLevel::Unit) => {
                let building = match lookup.building(grid, row.get("compound"), row.get("building"))
                {
                    Ok(b) => b,
                    Err(e) => {
                        problems.push((
                            row.column(if e.starts_with("小区") {
                                "compound"
                            } else {
                                "building"
                            }),
                            e,
                        ));
                        return None;
                    }
                };
                if level == ScopeLevel::Building {
                    return Some(Scope::Building(building));
                }
                match lookup.unit(building, row.get("unit")) {
                    Ok(u) => Some(Scope::Unit(u)),
                    Err(e) => {
                        problems.push((row.column("unit"), e));
                        None
                    }
                }
            }
        }
    }

    /// Imports a residents' list: households (by unit and door) and their members. Administrator.
    #[tracing::instrument(skip_all, err, fields(file = file_name))]
    pub async fn import_residents(
        &self,
        session: &Session,
        file_name: &str,
        bytes: &[u8],
        dry_run: bool,
        skip_invalid: bool,
    ) -> Result<ImportReport> {
        let actor = self
            .authorize(Some(session), UseCase::ImportResidents)
            .await?;
        let rows = crate::petitions::import::read_rows(file_name, bytes)?;
        let header = header_or_fail(
            file_name,
            &rows,
            &[
                "name", "id", "relation", "compound", "building", "unit", "door",
            ],
        )?;
        let today = self.today();
        let places = self.store.places().await?;
        let lookup = PlaceLookup::new(&places);
        let existing: HashSet<String> = self
            .store
            .residents()
            .await?
            .into_iter()
            .filter_map(|r| r.resident.id_number)
            .collect();
        let mut households: HashMap<(uuid::Uuid, String), uuid::Uuid> = self
            .store
            .households()
            .await?
            .into_iter()
            .map(|h| ((h.unit_id, h.door), h.id))
            .collect();
        let mut checked = Checked {
            rows: 0,
            good: Vec::new(),
            problems: Vec::new(),
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (line, row) in header.people(&rows) {
            checked.rows += 1;
            let mut problems = Problems::new();
            if too_long(&row, line, &mut checked.problems) {
                continue;
            }
            let identity = identity(&row, today, false, &mut problems);
            let relation_text = squash(row.get("relation"));
            let relation = Relation::ALL
                .into_iter()
                .find(|r| r.label() == relation_text)
                .or(match relation_text.as_str() {
                    "本人" => Some(Relation::Householder),
                    "妻" | "夫" | "妻子" | "丈夫" => Some(Relation::Spouse),
                    "子" | "女" | "儿子" | "女儿" | "长子" | "长女" | "次子" | "次女" => {
                        Some(Relation::Child)
                    }
                    "父亲" | "母亲" | "父" | "母" => Some(Relation::Parent),
                    "孙子" | "孙女" => Some(Relation::Grandchild),
                    _ => None,
                });
            if relation.is_none() {
                problems.push((
                    row.column("relation"),
                    format!("与户主关系「{relation_text}」无法识别"),
                ));
            }
            let grid = match row.get("grid") {
                "" => None,
                g => lookup.grid(g).or_else(|| {
                    problems.push((row.column("grid"), format!("网格「{g}」不存在")));
                    None
                }),
            };
            let unit = match lookup.building(grid, row.get("compound"), row.get("building")) {
                Ok(b) => match lookup.unit(b, row.get("unit")) {
                    Ok(u) => Some(u),
                    Err(e) => {
                        problems.push((row.column("unit"), e));
                        None
                    }
                },
                Err(e) => {
                    problems.push((
                        row.column(if e.starts_with("小区") {
                            "compound"
                        } else {
                            "building"
                        }),
                        e,
                    ));
                    None
                }
            };
            let door = squash(row.get("door")).trim_end_matches('室').to_string();
            if door.is_empty() {
                problems.push((row.column("door"), "门牌号为空".into()));
            } else if let Err(e) = chengguan_core::text::check(&door, 20, false) {
                problems.push((row.column("door"), format!("门牌号{e}")));
            }
            let mut flags = ResidentFlags::default();
            for (key, flag) in [
                ("party_member", &mut flags.party_member),
                ("elderly_alone", &mut flags.elderly_alone),
                ("disabled", &mut flags.disabled),
                ("low_income", &mut flags.low_income),
                ("veteran", &mut flags.veteran),
                ("special_group", &mut flags.special_group),
            ] {
                match yes(row.get(key)) {
                    Some(v) => *flag = v,
                    None => problems.push((
                        row.column(key),
                        format!("「{}」应为 是 或 否", row.get(key)),
                    )),
                }
            }
            if let Some(id) = &identity.id_number {
                if let Some(first) = seen.insert(id.clone(), line) {
                    problems.push((row.column("id"), format!("与第 {first} 行重复")));
                } else if existing.contains(id) {
                    problems.push((row.column("id"), "已在人口库中".into()));
                }
            }
            match (problems.is_empty(), relation, unit) {
                (true, Some(relation), Some(unit)) => checked
                    .good
                    .push((line, (identity, relation, unit, door, flags))),
                _ => checked
                    .problems
                    .extend(problems.into_iter().map(|(column, problem)| RowProblem {
                        row: line,
                        column,
                        problem,
                    })),
            }
        }
        if dry_run || checked.good.is_empty() || (!skip_invalid && !checked.problems.is_empty()) {
            return Ok(report(&checked, 0, dry_run));
        }
        let mut new_households = Vec::new();
        let mut residents = Vec::new();
        for (_, (identity, relation, unit, door, flags)) in &checked.good {
            let household = *households.entry((*unit, door.clone())).or_insert_with(|| {
                let h = Household {
                    id: chengguan_core::new_id(),
                    unit_id: *unit,
                    door: door.clone(),
                    version: 1,
                };
                let id = h.id;
                new_households.push(h);
                id
            });
            residents.push(Resident {
                id: chengguan_core::new_id(),
                household_id: household,
                name: identity.name.clone(),
                gender: identity.gender,
                id_number: identity.id_number.clone(),
                phone: identity.phone.clone(),
                relation: *relation,
                flags: *flags,
                version: 1,
            });
        }
        let audit = AuditDraft::new(
            &actor.username,
            "resident.import",
            "residents",
            serde_json::json!({"file": file_name, "households": new_households.len(), "residents": residents.len(), "skipped": checked.problems.len()}),
        );
        self.store
            .import_residents(&new_households, &residents, &audit)
            .await?;
        self.forget_roster();
        Ok(report(&checked, residents.len(), false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_tolerantly() {
        assert_eq!(key_of("姓 名"), Some("name"));
        assert_eq!(key_of("姓\u{3000}名"), Some("name"));
        assert_eq!(key_of("身份证号码（18位）"), Some("id"));
        assert_eq!(key_of("*联系电话"), Some("phone"));
        assert_eq!(key_of("ＰＨＯＮＥ"), Some("phone"));
        assert_eq!(key_of("住址"), None);
    }

    #[test]
    fn buildings_match_by_name_first_and_by_number_only_when_unambiguous() {
        use chengguan_store::{BuildingOf, CompoundPlace};
        let grid = uuid::Uuid::now_v7();
        let compound = uuid::Uuid::now_v7();
        let building = |name: &str| BuildingOf {
            id: uuid::Uuid::now_v7(),
            grid_id: grid,
            compound_id: compound,
            name: name.into(),
        };
        let places = Places {
            compounds: vec![CompoundPlace {
                id: compound,
                grid_id: grid,
                name: "阳光小区".into(),
            }],
            buildings: vec![
                building("3号楼A座"),
                building("3号楼"),
                building("5号楼"),
                building("7号楼A座"),
                building("7号楼B座"),
            ],
            ..Default::default()
        };
        let lookup = PlaceLookup::new(&places);
        let id = |name: &str| places.buildings.iter().find(|b| b.name == name).unwrap().id;
        assert_eq!(
            lookup.building(None, "阳光小区", "3号楼"),
            Ok(id("3号楼")),
            "the exact name wins"
        );
        assert_eq!(lookup.building(None, "阳光小区", "5"), Ok(id("5号楼")));
        assert_eq!(lookup.building(None, "阳光 小区", "5栋"), Ok(id("5号楼")));
        assert!(lookup
            .building(None, "阳光小区", "7")
            .unwrap_err()
            .contains("多个"));
        assert!(lookup
            .building(None, "阳光小区", "9号楼")
            .unwrap_err()
            .contains("没有"));
        assert!(lookup
            .building(None, "月亮小区", "1号楼")
            .unwrap_err()
            .contains("不存在"));
    }

    #[test]
    fn grid_codes_are_padded() {
        assert_eq!(grid_code("CG-4-1"), "CG-04-01");
        assert_eq!(grid_code("cg-04-01"), "CG-04-01");
        assert_eq!(grid_code("第1网格"), "第1网格");
    }

    #[test]
    fn a_two_row_header_under_a_title_is_found() {
        let rows: Vec<Vec<String>> = vec![
            vec!["花名册".into()],
            vec!["填报单位：".into()],
            vec!["序号", "姓 名", "身份证号码", "住址", "", "", "职务"]
                .into_iter()
                .map(String::from)
                .collect(),
            vec!["", "", "", "小区", "楼栋", "单元", ""]
                .into_iter()
                .map(String::from)
                .collect(),
            vec!["1", "张三", "x", "阳光", "1号楼", "1单元", "楼栋长"]
                .into_iter()
                .map(String::from)
                .collect(),
        ];
        let h = find_header(&rows).unwrap();
        assert_eq!(h.data_from, 4);
        assert_eq!(h.at["compound"].0, 3);
        assert_eq!(h.at["unit"].0, 5);
        assert_eq!(h.at["role"].0, 6);
    }
}

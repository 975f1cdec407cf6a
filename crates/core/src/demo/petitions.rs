//! The demo town's petitions of the year so far, consistent with the seed article: the community work committee
//! (社工委, channel `council`) collected [`COUNCIL_COLLECTED`] requests and resolved [`COUNCIL_RESOLVED`]; overall
//! [`RESOLVED_OVERALL`] needs were resolved (status 已办结 or 已评价).
//!
//! Like real ones they cluster in space (around the community squares, a market, a school and old compounds, with
//! the rest spread over the grids), follow the week (fewer at weekends; 周五说事日 on Fridays) and the seasons
//! (sanitation in summer, heating and pipes in winter), and the open ones are recent. Deterministic for a seed and
//! a `now`.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use geo::{BoundingRect, Contains, Coord, Point};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{names, IdSource};
use crate::geo::measure::LocalFrame;
use crate::petitions::sla::{deadline, working_calendar, SlaTable};
use crate::petitions::workflow::{Level, Status};
use crate::petitions::{grid_of, Channel, Petition, PetitionEvent, PetitionNumber};
use crate::time::beijing;
use crate::town::{ServicePointKind, TownData};

/// Requests the community work committee collected this year (seed article).
pub const COUNCIL_COLLECTED: usize = 53;
/// Of which resolved.
pub const COUNCIL_RESOLVED: usize = 38;
/// Residents' needs resolved this year over all channels.
pub const RESOLVED_OVERALL: usize = 147;
/// Other channels' petitions still open (recent), refused, and merged as duplicates.
const OTHER_OPEN: usize = 30;
const OTHER_REJECTED: usize = 8;
const OTHER_MERGED: usize = 4;

/// A generated petition with its timeline, oldest first. Its number's sequence is 0: the store numbers petitions
/// in the order given (they are sorted by arrival).
pub type DemoPetition = (Petition, Vec<PetitionEvent>);

/// How a generated petition ends up.
#[derive(Clone, Copy, PartialEq)]
enum Fate {
    Resolved,
    Open,
    Rejected,
    Merged,
}

/// The year's petitions for `data`, received between 1 January of `now`'s Beijing year and `now`.
pub fn petitions(data: &TownData, seed: u64, now: DateTime<Utc>) -> Vec<DemoPetition> {
    // Where and what come from one stream, when and how they were handled from another: the places and categories
    // are then the same whatever day the demo is loaded (the dates depend on it).
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x9e71_7105);
    let mut when = ChaCha8Rng::seed_from_u64(seed ^ 0x71e5_0f0e);
    let mut ids = IdSource(ChaCha8Rng::seed_from_u64(seed ^ 0x1d5_9e71));
    let places = Places::new(data, &mut rng);
    let year_start = beijing()
        .from_local_datetime(
            &NaiveDate::from_ymd_opt(now.with_timezone(&beijing()).year(), 1, 1)
                .expect("1 January")
                .and_hms_opt(0, 0, 0)
                .expect("midnight"),
        )
        .single()
        .expect("no DST in Beijing")
        .with_timezone(&Utc);
    let mut plan: Vec<(Channel, Fate)> = Vec::new();
    plan.extend((0..COUNCIL_RESOLVED).map(|_| (Channel::Council, Fate::Resolved)));
    plan.extend((COUNCIL_RESOLVED..COUNCIL_COLLECTED).map(|_| (Channel::Council, Fate::Open)));
    let others = [
        (Fate::Resolved, RESOLVED_OVERALL - COUNCIL_RESOLVED),
        (Fate::Open, OTHER_OPEN),
        (Fate::Rejected, OTHER_REJECTED),
        (Fate::Merged, OTHER_MERGED),
    ];
    for (fate, n) in others {
        plan.extend((0..n).map(|_| (other_channel(&mut rng), fate)));
    }

    let mut used_phones = HashSet::new();
    let mut made: Vec<DemoPetition> = plan
        .into_iter()
        .map(|(channel, fate)| {
            let category = category_for(channel, &mut rng);
            let received = arrival(&mut when, channel, category, fate, year_start, now);
            let point = places.point(&mut rng);
            let grid =
                grid_of([point.x, point.y], &data.grids).map(|g| (g.code.clone(), g.name.clone()));
            let mut p = Petition {
                id: ids.next(),
                number: PetitionNumber {
                    year: received.with_timezone(&beijing()).year(),
                    sequence: 0,
                },
                channel,
                category: category.into(),
                description: describe(category, &mut rng),
                location: Some([point.x, point.y]),
                arrived_crs: if channel == Channel::MiniprogramPhoto {
                    "gcj02"
                } else {
                    "wgs84"
                }
                .into(),
                address: String::new(),
                grid_code: grid.as_ref().map(|g| g.0.clone()),
                grid_override_reason: None,
                reporter_name: names::person(&mut rng),
                reporter_phone: names::phone(&mut rng, &mut used_phones),
                status: Status::Received,
                level: None,
                assignee: None,
                deadline: sla(received, category, Level::Grid),
                rating: None,
                rating_comment: None,
                merged_into: None,
                received_at: received,
                closed_at: None,
                version: 1,
                media_url: None,
                updated_at: received,
                reporter_email: String::new(),
                reporter_device: String::new(),
            };
            p.address = grid
                .map(|g| format!("{}附近", g.1))
                .unwrap_or_else(|| "城关镇".into());
            let events = handle(&mut p, fate, now, &mut when);
            (p, events)
        })
        .collect();
    made.sort_by_key(|(p, _)| p.received_at);
    // A duplicate points at an earlier petition of the same category.
    for i in 0..made.len() {
        if made[i].0.status == Status::Merged {
            let category = made[i].0.category.clone();
            let earlier = made[..i]
                .iter()
                .rev()
                .find(|(p, _)| p.category == category && p.status != Status::Merged);
            made[i].0.merged_into = earlier.map(|(p, _)| p.id);
        }
    }
    made.retain(|(p, _)| p.status != Status::Merged || p.merged_into.is_some());
    made
}

/// Where petitions come from: hot spots (squares, a market, a school, old compounds) and the grids at large.
struct Places {
    centres: Vec<(Coord<f64>, f64)>,
    grids: Vec<geo::MultiPolygon<f64>>,
    frame: LocalFrame,
}

impl Places {
    fn new(data: &TownData, rng: &mut ChaCha8Rng) -> Self {
        let mut centres: Vec<(Coord<f64>, f64)> = data
            .service_points
            .iter()
            .filter(|s| s.kind == ServicePointKind::CommunitySquare)
            .map(|s| (s.location.0, 1.0))
            .collect();
        // A market, a school and three old compounds: inside grids picked by the seed, weighted higher.
        for weight in [2.5, 2.0, 1.5, 1.5, 1.5] {
            if let Some(g) = data.grids.choose(rng) {
                centres.push((inside(&g.boundary, rng), weight));
            }
        }
        Self {
            centres,
            grids: data.grids.iter().map(|g| g.boundary.clone()).collect(),
            frame: LocalFrame::new(super::TOWN_CENTRE),
        }
    }

    /// 65 % near a hot spot (Gaussian, σ 120 m), the rest anywhere in a grid; always inside the town.
    fn point(&self, rng: &mut ChaCha8Rng) -> Coord<f64> {
        let total: f64 = self.centres.iter().map(|c| c.1).sum();
        for _ in 0..100 {
            let c = if rng.random_bool(0.65) && total > 0.0 {
                let mut pick = rng.random_range(0.0..total);
                let centre = self
                    .centres
                    .iter()
                    .find(|c| {
                        pick -= c.1;
                        pick <= 0.0
                    })
                    .unwrap_or(&self.centres[0]);
                let (e, n) = self.frame.to_metres(centre.0);
                let (dx, dy) = gaussian_pair(rng);
                super::layout::round7(self.frame.to_lon_lat(e + 120.0 * dx, n + 120.0 * dy))
            } else {
                match self.grids.choose(rng) {
                    Some(g) => inside(g, rng),
                    None => super::TOWN_CENTRE,
                }
            };
            if self.grids.iter().any(|g| g.contains(&Point(c))) {
                return c;
            }
        }
        self.centres
            .first()
            .map(|c| c.0)
            .unwrap_or(super::TOWN_CENTRE)
    }
}

/// A uniform point inside `shape` (rejection sampling in its bounding box).
fn inside(shape: &geo::MultiPolygon<f64>, rng: &mut ChaCha8Rng) -> Coord<f64> {
    let Some(r) = shape.bounding_rect() else {
        return super::TOWN_CENTRE;
    };
    for _ in 0..1000 {
        let c = Coord {
            x: rng.random_range(r.min().x..r.max().x),
            y: rng.random_range(r.min().y..r.max().y),
        };
        if shape.contains(&Point(c)) {
            return super::layout::round7(c);
        }
    }
    r.center()
}

/// Two independent standard normal numbers (Box–Muller).
fn gaussian_pair(rng: &mut ChaCha8Rng) -> (f64, f64) {
    let u: f64 = rng.random_range(f64::EPSILON..1.0);
    let v: f64 = rng.random_range(0.0..1.0);
    let r = (-2.0 * u.ln()).sqrt();
    let t = std::f64::consts::TAU * v;
    (r * t.cos(), r * t.sin())
}

fn other_channel(rng: &mut ChaCha8Rng) -> Channel {
    const WEIGHTED: [(Channel, u32); 6] = [
        (Channel::MiniprogramPhoto, 35),
        (Channel::OneKeyCall, 10),
        (Channel::Hotline, 25),
        (Channel::GridPatrol, 20),
        (Channel::WalkIn, 6),
        (Channel::FridayTalk, 4),
    ];
    pick_weighted(rng, &WEIGHTED)
}

/// The committee hears about the environment, property management and activity space (seed article); others
/// bring everything.
fn category_for(channel: Channel, rng: &mut ChaCha8Rng) -> &'static str {
    if channel == Channel::Council {
        return pick_weighted(
            rng,
            &[
                ("sanitation", 35),
                ("property", 35),
                ("venue", 20),
                ("livelihood", 10),
            ],
        );
    }
    pick_weighted(
        rng,
        &[
            ("sanitation", 22),
            ("property", 16),
            ("infrastructure", 16),
            ("safety_hazard", 12),
            ("dispute", 10),
            ("livelihood", 10),
            ("policy", 6),
            ("venue", 4),
            ("other", 4),
        ],
    )
}

fn pick_weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|i| i.1).sum();
    let mut pick = rng.random_range(0..total);
    for (item, w) in items {
        if pick < *w {
            return *item;
        }
        pick -= w;
    }
    items[0].0
}

/// When it arrived: open ones in the last 12 days; the others over the year, weighted by season and weekday.
fn arrival(
    rng: &mut ChaCha8Rng,
    channel: Channel,
    category: &str,
    fate: Fate,
    year_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let latest = now - Duration::hours(1);
    let earliest = if fate == Fate::Open {
        (now - Duration::days(12)).max(year_start)
    } else {
        year_start
    };
    let closing_room = if fate == Fate::Resolved {
        Duration::days(10)
    } else {
        Duration::zero()
    };
    let span_days = ((latest - closing_room - earliest).num_days()).max(1);
    for _ in 0..10_000 {
        let day = earliest + Duration::days(rng.random_range(0..span_days));
        let local = day.with_timezone(&beijing());
        let weekday = local.weekday();
        if channel == Channel::FridayTalk && weekday != Weekday::Fri {
            continue;
        }
        let w = weekday_weight(weekday) * season_weight(category, local.month());
        if rng.random_range(0.0..1.6) > w {
            continue;
        }
        let hour = pick_weighted(
            rng,
            &[
                (8, 6),
                (9, 10),
                (10, 10),
                (11, 8),
                (12, 3),
                (13, 3),
                (14, 6),
                (15, 9),
                (16, 9),
                (17, 6),
                (18, 4),
                (19, 3),
                (20, 2),
            ],
        );
        let at = beijing()
            .from_local_datetime(
                &local
                    .date_naive()
                    .and_hms_opt(hour, rng.random_range(0..60), rng.random_range(0..60))
                    .expect("time"),
            )
            .single()
            .expect("no DST")
            .with_timezone(&Utc);
        if at <= latest && at >= earliest {
            return at;
        }
    }
    latest
}

fn weekday_weight(d: Weekday) -> f64 {
    match d {
        Weekday::Mon => 1.2,
        Weekday::Fri => 1.1,
        Weekday::Sat => 0.6,
        Weekday::Sun => 0.5,
        _ => 1.0,
    }
}

fn season_weight(category: &str, month: u32) -> f64 {
    let summer = (6..=8).contains(&month);
    let winter = month >= 11 || month <= 2;
    match category {
        "sanitation" if summer => 1.6,
        "infrastructure" if winter => 1.6,
        "venue" if (4..=9).contains(&month) => 1.4,
        _ => 1.0,
    }
}

fn sla(from: DateTime<Utc>, category: &str, level: Level) -> DateTime<Utc> {
    deadline(
        from,
        SlaTable::default().days(category, level),
        working_calendar(),
    )
}

fn describe(category: &str, rng: &mut ChaCha8Rng) -> String {
    let options: &[&str] = match category {
        "sanitation" => &[
            "小区垃圾桶满溢，多日无人清运",
            "楼道堆放杂物，气味难闻",
            "农贸市场门口污水外溢",
            "绿化带垃圾较多，请安排清理",
        ],
        "property" => &[
            "物业不及时维修单元门禁",
            "电梯经常停运，物业推诿",
            "小区公共照明损坏，物业未修",
            "物业收费标准不清，要求公示",
        ],
        "venue" => &[
            "希望在小区增设健身器材",
            "广场舞场地不足，与停车冲突",
            "老年活动室开放时间太短",
        ],
        "infrastructure" => &[
            "供暖不热，室温不足十六度",
            "路灯不亮，夜间出行不便",
            "下水管道堵塞返水",
            "人行道破损，老人易摔倒",
        ],
        "safety_hazard" => &[
            "楼道内电动车充电，存在火灾隐患",
            "消防通道被车辆占用",
            "学校门口车辆乱停，学生上下学危险",
            "老旧楼房外墙脱落",
        ],
        "dispute" => &[
            "楼上漏水，邻里协商不成",
            "邻居饲养犬只扰民",
            "租户与房东押金纠纷",
        ],
        "livelihood" => &[
            "独居老人需要助餐服务",
            "咨询残疾人补贴办理",
            "希望社区开设四点半课堂",
        ],
        "policy" => &[
            "咨询老旧小区改造政策",
            "咨询居住证办理材料",
            "咨询灵活就业社保缴费",
        ],
        _ => &["其他问题，请协调处理"],
    };
    options
        .choose(rng)
        .copied()
        .unwrap_or("请协调处理")
        .to_string()
}

/// Moves `p` through the workflow to its fate and returns its timeline.
fn handle(
    p: &mut Petition,
    fate: Fate,
    now: DateTime<Utc>,
    rng: &mut ChaCha8Rng,
) -> Vec<PetitionEvent> {
    let registrar = if matches!(p.channel, Channel::MiniprogramPhoto | Channel::OneKeyCall) {
        "apikey:惠民高台小程序"
    } else {
        "duty"
    };
    let mut events = vec![event(
        p.received_at,
        registrar,
        "登记",
        Status::Received,
        "",
    )];
    let mut at = p.received_at;
    let mut step = |p: &mut Petition,
                    events: &mut Vec<PetitionEvent>,
                    minutes: i64,
                    who: &str,
                    what: &str,
                    status: Status,
                    note: &str| {
        at = (at + Duration::minutes(minutes)).min(now - Duration::minutes(1));
        p.status = status;
        p.updated_at = at;
        p.version += 1;
        events.push(event(at, who, what, status, note));
        at
    };
    match fate {
        Fate::Rejected => {
            let closed = step(
                p,
                &mut events,
                rng.random_range(20..240),
                "duty",
                "不予受理",
                Status::Rejected,
                "不属于本镇受理范围，已告知反映人向有关部门反映",
            );
            p.closed_at = Some(closed);
            return events;
        }
        Fate::Merged => {
            let closed = step(
                p,
                &mut events,
                rng.random_range(10..120),
                "duty",
                "合并",
                Status::Merged,
                "与此前同一问题的诉求合并办理",
            );
            p.closed_at = Some(closed);
            return events;
        }
        _ => {}
    }
    // Open ones stop somewhere along the way; a few were never accepted yet.
    let open_stage = rng.random_range(0..10);
    if fate == Fate::Open && open_stage == 0 {
        return events;
    }
    step(
        p,
        &mut events,
        rng.random_range(10..90),
        "duty",
        "受理",
        Status::Accepted,
        "",
    );
    if fate == Fate::Open && open_stage == 1 {
        return events;
    }
    let level = if p.channel == Channel::Council {
        pick_weighted(
            rng,
            &[
                (Level::Community, 70),
                (Level::Town, 25),
                (Level::County, 5),
            ],
        )
    } else {
        pick_weighted(
            rng,
            &[
                (Level::Grid, 55),
                (Level::Community, 30),
                (Level::Town, 12),
                (Level::County, 3),
            ],
        )
    };
    let assignee = match level {
        Level::Grid => format!("{}网格员", p.grid_code.clone().unwrap_or_default()),
        Level::Community => "社区居委会".into(),
        Level::Town => ["城关镇综合执法办", "城关镇社会事务办", "城关镇平安办"]
            .choose(rng)
            .copied()
            .unwrap_or("城关镇")
            .into(),
        Level::County => ["高台县住建局", "高台县市场监管局", "高台县供热公司"]
            .choose(rng)
            .copied()
            .unwrap_or("高台县")
            .into(),
    };
    let assigned = step(
        p,
        &mut events,
        rng.random_range(30..300),
        "duty",
        "分级交办",
        Status::InProgress,
        &assignee,
    );
    p.level = Some(level);
    p.assignee = Some(assignee);
    p.deadline = sla(assigned, &p.category, level);
    if fate == Fate::Open {
        return events;
    }
    let days = rng.random_range(0..=(SlaTable::default().days(&p.category, level) as i64 + 2));
    let who = p.assignee.clone().unwrap_or_default();
    let closed = step(
        p,
        &mut events,
        days * 1440 + rng.random_range(60..480),
        &who,
        "办结",
        Status::Resolved,
        "已现场处置，反映人知悉",
    );
    p.closed_at = Some(closed);
    if rng.random_bool(0.65) {
        let stars = pick_weighted(rng, &[(5u8, 55), (4, 30), (3, 10), (2, 4), (1, 1)]);
        let comment = match stars {
            5 => "处理及时，非常满意",
            4 => "满意",
            3 => "基本解决",
            _ => "还有问题没解决",
        };
        step(
            p,
            &mut events,
            rng.random_range(60..2880),
            "resident",
            "评价",
            Status::Rated,
            comment,
        );
        p.rating = Some(stars);
        p.rating_comment = Some(comment.into());
    }
    events
}

fn event(
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    status: Status,
    note: &str,
) -> PetitionEvent {
    PetitionEvent {
        at,
        actor: actor.into(),
        action: action.into(),
        status_after: status.label().into(),
        note: note.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year() -> Vec<DemoPetition> {
        let data = super::super::generate(super::super::DEFAULT_SEED);
        petitions(
            &data,
            super::super::DEFAULT_SEED,
            Utc.with_ymd_and_hms(2026, 11, 30, 4, 0, 0).unwrap(),
        )
    }

    #[test]
    fn the_seed_article_s_numbers_hold() {
        let all = year();
        let resolved = |p: &Petition| matches!(p.status, Status::Resolved | Status::Rated);
        let council: Vec<_> = all
            .iter()
            .filter(|(p, _)| p.channel == Channel::Council)
            .collect();
        assert_eq!(council.len(), COUNCIL_COLLECTED);
        assert_eq!(
            council.iter().filter(|(p, _)| resolved(p)).count(),
            COUNCIL_RESOLVED
        );
        assert_eq!(
            all.iter().filter(|(p, _)| resolved(p)).count(),
            RESOLVED_OVERALL
        );
    }

    #[test]
    fn petitions_are_in_the_town_in_the_year_sorted_and_consistent() {
        let data = super::super::generate(super::super::DEFAULT_SEED);
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 4, 0, 0).unwrap();
        let all = year();
        assert!(
            all.windows(2)
                .all(|w| w[0].0.received_at <= w[1].0.received_at),
            "sorted by arrival"
        );
        for (p, events) in &all {
            assert_eq!(p.number.year, 2026);
            assert!(p.received_at <= now && p.updated_at <= now, "{p:?}");
            assert!(p.grid_code.is_some(), "every point is in a grid");
            let [x, y] = p.location.unwrap();
            assert!(data
                .grids
                .iter()
                .any(|g| g.boundary.contains(&Point::new(x, y))));
            assert_eq!(events.last().unwrap().status_after, p.status.label());
            assert_eq!(p.version as usize, events.len());
            assert!(
                events.windows(2).all(|w| w[0].at <= w[1].at),
                "timeline in order"
            );
            if p.channel == Channel::FridayTalk {
                assert_eq!(
                    p.received_at.with_timezone(&beijing()).weekday(),
                    Weekday::Fri
                );
            }
        }
        assert!(
            all.iter()
                .any(|(p, _)| p.status.is_open() && p.deadline < now),
            "some are overdue"
        );
        assert_eq!(all, year(), "deterministic");
    }

    #[test]
    fn the_places_do_not_depend_on_the_day_the_demo_is_loaded() {
        let data = super::super::generate(super::super::DEFAULT_SEED);
        let places = |now| {
            let mut v: Vec<(String, [u64; 2])> = petitions(&data, super::super::DEFAULT_SEED, now)
                .into_iter()
                .map(|(p, _)| (p.category, p.location.unwrap().map(f64::to_bits)))
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            places(Utc.with_ymd_and_hms(2026, 11, 30, 4, 0, 0).unwrap()),
            places(Utc.with_ymd_and_hms(2027, 3, 14, 9, 0, 0).unwrap())
        );
    }

    #[test]
    fn weekends_are_quieter_than_weekdays() {
        let all = year();
        let on = |days: &[Weekday]| {
            all.iter()
                .filter(|(p, _)| days.contains(&p.received_at.with_timezone(&beijing()).weekday()))
                .count() as f64
                / days.len() as f64
        };
        assert!(
            on(&[Weekday::Sat, Weekday::Sun]) < on(&[Weekday::Tue, Weekday::Wed, Weekday::Thu])
        );
    }
}

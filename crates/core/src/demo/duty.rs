//! The demo town's alliance activities: most ended turns have one to three activities, about one in eight has
//! none (so the review has unfulfilled turns to show), and service activities take up resolved petitions of
//! the alliance's community received during the turn.

use chrono::{DateTime, NaiveDate, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::calendar::review::ActivityKind;

/// A turn as the demo needs it.
#[derive(Debug, Clone)]
pub struct DemoTurn {
    /// The turn's row.
    pub id: Uuid,
    /// The alliance's community code (`CG-01`).
    pub community_code: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
}

/// A petition as the demo needs it.
#[derive(Debug, Clone)]
pub struct DemoPetition {
    /// Row.
    pub id: Uuid,
    /// Its grid's code (`CG-01-03`).
    pub grid_code: String,
    /// When received.
    pub received_at: DateTime<Utc>,
}

/// One demo activity.
#[derive(Debug, Clone)]
pub struct DemoActivity {
    /// The turn.
    pub turn_id: Uuid,
    /// Kind.
    pub kind: ActivityKind,
    /// Title.
    pub title: String,
    /// Place.
    pub place: String,
    /// Day held.
    pub held_on: NaiveDate,
    /// Participants.
    pub participants: i64,
    /// Hours.
    pub hours: f64,
    /// Photo references.
    pub photos: Vec<String>,
    /// Petitions handled.
    pub petitions: Vec<Uuid>,
}

const TITLES: [(ActivityKind, &[&str]); 4] = [
    (
        ActivityKind::JointBuilding,
        &[
            "联合主题党日",
            "共驻共建协议推进会",
            "党员志愿服务队授旗",
            "支部共建学习会",
        ],
    ),
    (
        ActivityKind::JointActivity,
        &[
            "小区环境整治",
            "邻里文化节",
            "消防安全演练",
            "重阳敬老活动",
            "垃圾分类宣传",
        ],
    ),
    (
        ActivityKind::SharedResources,
        &[
            "开放会议室供居民议事",
            "捐赠社区书屋图书",
            "提供车辆接送老人体检",
            "共享停车位",
        ],
    ),
    (
        ActivityKind::JointService,
        &[
            "义诊与健康咨询",
            "法律咨询进小区",
            "水电维修上门",
            "独居老人走访",
            "诉求现场办理",
        ],
    ),
];

const PLACES: [&str; 5] = [
    "社区党群服务中心",
    "社区广场",
    "小区议事亭",
    "网格服务站",
    "成员单位会议室",
];

/// The activities of `turns` that ended before `today`, deterministic for `seed`.
pub fn activities(
    turns: &[DemoTurn],
    petitions: &[DemoPetition],
    today: NaiveDate,
    seed: u64,
) -> Vec<DemoActivity> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6475_7479);
    let mut used = std::collections::HashSet::new();
    let mut out = Vec::new();
    for t in turns.iter().filter(|t| t.ends_on < today) {
        if rng.random_bool(0.12) {
            continue;
        }
        let days = (t.ends_on - t.starts_on).num_days().max(0) as u64;
        let community = format!("{}-", t.community_code);
        let mut theirs: Vec<&DemoPetition> = petitions
            .iter()
            .filter(|p| {
                let day = p
                    .received_at
                    .with_timezone(&crate::time::beijing())
                    .date_naive();
                p.grid_code.starts_with(&community)
                    && day >= t.starts_on
                    && day <= t.ends_on
                    && !used.contains(&p.id)
            })
            .collect();
        for _ in 0..rng.random_range(1..=3) {
            let (kind, titles) = TITLES.choose(&mut rng).expect("titles");
            let handled: Vec<Uuid> = if *kind == ActivityKind::JointService && !theirs.is_empty() {
                let n = rng.random_range(1..=theirs.len().min(3));
                theirs.drain(..n).map(|p| p.id).collect()
            } else {
                Vec::new()
            };
            used.extend(handled.iter().copied());
            let participants = rng.random_range(3..=30);
            let held_on = t.starts_on + chrono::Days::new(rng.random_range(0..=days));
            out.push(DemoActivity {
                turn_id: t.id,
                kind: *kind,
                title: (*titles.choose(&mut rng).expect("title")).to_string(),
                place: (*PLACES.choose(&mut rng).expect("place")).to_string(),
                held_on,
                participants,
                hours: f64::from(rng.random_range(2..=8u32)) * participants as f64 / 4.0,
                photos: vec![format!(
                    "{}-{}.jpg",
                    t.community_code,
                    held_on.format("%Y%m%d")
                )],
                petitions: handled,
            });
        }
    }
    out
}

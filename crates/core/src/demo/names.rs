//! Pools of plausible Chinese names for the synthetic demo town. None of them is a real person or a real
//! compound of 城关镇; organisations are modelled on the departments and companies a county seat has.

use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

/// The eight community names, west to east, south row then north row (`k = row * 4 + column`).
pub const COMMUNITIES: [&str; 8] = [
    "西关社区",
    "南关社区",
    "解放街社区",
    "东关社区",
    "北关社区",
    "人民西路社区",
    "人民东路社区",
    "文化街社区",
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任",
    "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "贾", "夏", "付", "方",
    "白", "邹", "孟", "秦", "邱", "尹", "薛", "闫", "段", "雷", "侯", "史", "陶", "贺", "顾", "毛",
    "郝", "龚", "万", "钱", "严", "武", "常", "祁", "汝", "寇", "把", "达",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "志强",
    "海燕", "晓东", "小红", "建国", "淑珍", "春梅", "国庆", "玉梅", "永红", "学军", "振华", "丽萍",
    "金花", "德明", "兰英", "海军", "亚军", "晓燕", "志刚", "玉珍", "瑞", "婷", "鹏", "斌", "燕",
    "浩", "宇", "欣怡", "子涵", "梓轩", "佳怡", "宏伟", "文斌", "彦军", "彦龙", "鸿", "继红",
    "兴旺", "德福", "永福", "得荣", "生荣", "发荣", "秀珍", "翠兰", "凤英", "存德",
];

const COMPOUND_PREFIXES: &[&str] = &[
    "滨河",
    "金港",
    "幸福",
    "阳光",
    "康乐",
    "和谐",
    "锦绣",
    "祁连",
    "黑河",
    "丽景",
    "怡和",
    "瑞祥",
    "华庭",
    "翠苑",
    "恒基",
    "万和",
    "新城",
    "泰和",
    "东湖",
    "西湖",
    "南湖",
    "湿地",
    "大湖湾",
    "月牙",
    "丹霞",
    "红色",
    "建业",
    "同心",
    "富民",
    "永安",
    "长乐",
    "文昌",
    "润泽",
    "天鹅",
    "镇远",
];
const COMPOUND_SUFFIXES: &[&str] = &[
    "花园", "小区", "家园", "苑", "嘉苑", "雅居", "名邸", "佳苑", "新村", "公寓",
];
const STAFF_HOUSING: &[&str] = &[
    "县医院",
    "粮食局",
    "供电公司",
    "农机公司",
    "水务局",
    "一中",
    "二中",
    "交通局",
    "建筑公司",
    "酒厂",
    "糖厂",
    "邮政局",
    "百货公司",
    "棉麻公司",
    "供销社",
    "农业银行",
    "工商银行",
    "电信公司",
];

const AGENCIES: &[&str] = &[
    "县委办公室",
    "县政府办公室",
    "县纪委监委",
    "县委组织部",
    "县委宣传部",
    "县委统战部",
    "县委政法委",
    "县人大常委会办公室",
    "县政协办公室",
    "县人民法院",
    "县人民检察院",
    "县公安局",
    "县司法局",
    "县财政局",
    "县教育局",
    "县科技局",
    "县工信局",
    "县民政局",
    "县人社局",
    "县自然资源局",
    "县生态环境局",
    "县住建局",
    "县交通运输局",
    "县水务局",
    "县农业农村局",
    "县商务局",
    "县文体广电和旅游局",
    "县卫健局",
    "县退役军人事务局",
    "县应急管理局",
    "县审计局",
    "县市场监管局",
    "县统计局",
    "县医保局",
    "县林草局",
    "县信访局",
    "县融媒体中心",
    "县总工会",
    "团县委",
    "县妇联",
    "县科协",
    "县残联",
    "县红十字会",
    "县税务局",
    "县气象局",
    "县消防救援大队",
    "县人民医院",
    "县中医医院",
    "县妇幼保健院",
    "县疾控中心",
    "县第一中学",
    "县第二中学",
    "县城关初级中学",
    "县城关小学",
    "县东街小学",
    "县西街小学",
    "县第一幼儿园",
    "县第二幼儿园",
    "县职业中专",
    "县图书馆",
    "县文化馆",
    "县博物馆",
    "县供电公司",
    "县邮政分公司",
    "县自来水公司",
    "县农商银行",
    "县农业银行支行",
    "县工商银行支行",
    "县建设银行支行",
    "县中国银行支行",
    "县电信分公司",
    "县移动分公司",
    "县联通分公司",
    "县烟草专卖局",
    "县城投公司",
    "县公交公司",
];
const FIRM_HEADS: &[&str] = &[
    "祁连", "黑河", "丹霞", "金穗", "绿洲", "西域", "河西", "骏马", "丰源", "瑞丰", "惠民", "鑫源",
    "恒通", "天成", "宏达", "华源", "金泰", "众和", "永昌", "德盛", "兴农", "润禾", "雪山", "戈壁",
    "陇原",
];
const FIRM_TRADES: &[&str] = &[
    "商贸",
    "建筑工程",
    "农业科技",
    "食品",
    "物流",
    "酒业",
    "种业",
    "果蔬",
    "餐饮管理",
    "汽车服务",
    "建材",
    "医药",
    "文化传媒",
    "旅游开发",
    "畜牧",
    "供热",
    "超市",
    "家政服务",
];
const SOCIETY: &[&str] = &[
    "志愿者协会",
    "慈善协会",
    "老年人协会",
    "书法家协会",
    "摄影家协会",
    "作家协会",
    "个体劳动者协会",
    "青年志愿服务队",
    "红十字志愿服务队",
    "巾帼志愿服务队",
    "社会工作服务中心",
    "养老服务中心",
    "调解协会",
    "秦腔协会",
    "舞蹈协会",
    "象棋协会",
    "太极拳协会",
    "篮球协会",
    "环保志愿服务队",
    "义务献血志愿服务队",
];
const PROPERTY_HEADS: &[&str] = &[
    "祁连",
    "金港",
    "恒基",
    "万和",
    "安居",
    "康乐",
    "和谐",
    "瑞祥",
    "锦绣",
    "丽景",
    "鑫诚",
    "华泰",
    "天润",
    "颐和",
    "宜家",
    "佳美",
    "绿洲",
    "悦居",
    "兴达",
    "长城",
    "丰泽",
    "高台县城投",
];

/// A person's name: a surname and a one- or two-character given name.
pub fn person(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{}{}",
        SURNAMES.choose(rng).copied().unwrap_or("王"),
        GIVEN.choose(rng).copied().unwrap_or("伟")
    )
}

/// An 11-digit mobile number not yet in `used` (a plausible Chinese carrier prefix).
pub fn phone(rng: &mut ChaCha8Rng, used: &mut HashSet<String>) -> String {
    const PREFIXES: &[&str] = &[
        "133", "135", "137", "138", "139", "150", "151", "152", "155", "157", "158", "159", "177",
        "180", "181", "182", "186", "187", "189", "191", "193", "199",
    ];
    loop {
        let candidate = format!(
            "{}{:08}",
            PREFIXES.choose(rng).copied().unwrap_or("138"),
            rng.random_range(0..100_000_000u32)
        );
        if used.insert(candidate.clone()) {
            return candidate;
        }
    }
}

/// `count` distinct compound names: modern developments and old work-unit housing (家属院).
pub fn compounds(rng: &mut ChaCha8Rng, count: usize) -> Vec<String> {
    distinct(rng, count, |rng| {
        if rng.random_bool(0.2) {
            format!(
                "{}家属院",
                STAFF_HOUSING.choose(rng).copied().unwrap_or("县医院")
            )
        } else {
            let p = COMPOUND_PREFIXES.choose(rng).copied().unwrap_or("幸福");
            format!(
                "{p}{}",
                COMPOUND_SUFFIXES.choose(rng).copied().unwrap_or("小区")
            )
        }
    })
}

/// `count` distinct member-unit names (机关、企业、社会组织): every agency first, then firms and associations.
pub fn member_units(rng: &mut ChaCha8Rng, count: usize) -> Vec<String> {
    let mut names: Vec<String> = AGENCIES
        .iter()
        .take(count)
        .map(|a| format!("高台{a}"))
        .collect();
    let mut seen: HashSet<String> = names.iter().cloned().collect();
    while names.len() < count {
        let name = if rng.random_bool(0.7) {
            let head = FIRM_HEADS.choose(rng).copied().unwrap_or("祁连");
            format!(
                "高台县{head}{}有限公司",
                FIRM_TRADES.choose(rng).copied().unwrap_or("商贸")
            )
        } else {
            format!(
                "高台县{}",
                SOCIETY.choose(rng).copied().unwrap_or("志愿者协会")
            )
        };
        if seen.insert(name.clone()) {
            names.push(name);
        }
    }
    names
}

/// `count` distinct property-company names.
pub fn property_companies(count: usize) -> Vec<String> {
    PROPERTY_HEADS
        .iter()
        .cycle()
        .take(count)
        .enumerate()
        .map(|(i, h)| {
            if i < PROPERTY_HEADS.len() {
                format!("{h}物业服务有限公司")
            } else {
                format!("{h}第{}物业服务有限公司", i / PROPERTY_HEADS.len() + 1)
            }
        })
        .collect()
}

fn distinct(
    rng: &mut ChaCha8Rng,
    count: usize,
    mut make: impl FnMut(&mut ChaCha8Rng) -> String,
) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(count);
    let mut serial = 2;
    while out.len() < count {
        let mut name = make(rng);
        if !seen.insert(name.clone()) {
            // The pools are finite: number the rest ("幸福家园二期") rather than loop forever.
            name = format!("{name}{}期", chinese_numeral(serial));
            serial += 1;
            if !seen.insert(name.clone()) {
                continue;
            }
        }
        out.push(name);
    }
    out
}

/// 1 → 一, …, 10 → 十, 11 → 十一 (up to 99).
pub fn chinese_numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        _ => format!(
            "{}十{}",
            DIGITS[n / 10 % 10],
            if n % 10 == 0 { "" } else { DIGITS[n % 10] }
        ),
    }
}

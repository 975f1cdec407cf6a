//! The default categories of petitions, with stable codes (the Open311 `service_code`). A town may rename them
//! or add its own; codes never change once petitions use them.

/// One category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    /// Stable code, e.g. `safety_hazard`.
    pub code: &'static str,
    /// Chinese name, e.g. `安全隐患`.
    pub name: &'static str,
    /// What belongs here.
    pub description: &'static str,
}

/// The default taxonomy, in display order.
pub const DEFAULT_CATEGORIES: [Category; 9] = [
    Category {
        code: "safety_hazard",
        name: "安全隐患",
        description: "消防通道堵塞、电动车违规充电、危险建筑等",
    },
    Category {
        code: "dispute",
        name: "矛盾纠纷",
        description: "邻里、家庭、物业与业主之间的矛盾纠纷",
    },
    Category {
        code: "sanitation",
        name: "环境卫生",
        description: "垃圾清运、楼道堆物、污水、异味",
    },
    Category {
        code: "property",
        name: "物业管理",
        description: "物业服务、维修、收费与小区公共设施",
    },
    Category {
        code: "infrastructure",
        name: "基础设施",
        description: "道路、路灯、供排水、供暖、管网",
    },
    Category {
        code: "venue",
        name: "活动场地",
        description: "群众活动场地、健身设施、公共空间",
    },
    Category {
        code: "livelihood",
        name: "民生服务",
        description: "养老、助残、就业、医疗、教育等服务需求",
    },
    Category {
        code: "policy",
        name: "政策咨询",
        description: "政策、办事流程与材料咨询",
    },
    Category {
        code: "other",
        name: "其他",
        description: "以上未包括的诉求",
    },
];

/// A default category by code.
pub fn category(code: &str) -> Option<&'static Category> {
    DEFAULT_CATEGORIES.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_ascii_and_found() {
        let mut codes: Vec<_> = DEFAULT_CATEGORIES.iter().map(|c| c.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), DEFAULT_CATEGORIES.len());
        assert!(codes
            .iter()
            .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
        assert_eq!(category("dispute").map(|c| c.name), Some("矛盾纠纷"));
    }
}

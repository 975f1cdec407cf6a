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

/// A category as the town configured it (the defaults, renamed or added to by the administrator).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CategoryDef {
    /// Stable code (the Open311 `service_code`); never changes once given.
    pub code: String,
    /// Chinese name shown everywhere.
    pub name: String,
    /// What belongs here.
    pub description: String,
    /// Whether new petitions may use it (a retired category stays for the petitions that have it).
    pub active: bool,
}

impl From<&Category> for CategoryDef {
    fn from(c: &Category) -> Self {
        Self {
            code: c.code.into(),
            name: c.name.into(),
            description: c.description.into(),
            active: true,
        }
    }
}

/// The town's categories in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomy {
    categories: Vec<CategoryDef>,
}

impl Default for Taxonomy {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl Taxonomy {
    /// The taxonomy of `categories`; none at all means the defaults.
    pub fn new(categories: Vec<CategoryDef>) -> Self {
        if categories.is_empty() {
            return Self {
                categories: DEFAULT_CATEGORIES.iter().map(CategoryDef::from).collect(),
            };
        }
        Self { categories }
    }

    /// Every category, retired ones included.
    pub fn all(&self) -> &[CategoryDef] {
        &self.categories
    }

    /// The categories new petitions may use.
    pub fn active(&self) -> impl Iterator<Item = &CategoryDef> {
        self.categories.iter().filter(|c| c.active)
    }

    /// A category by code, retired or not (filters, old petitions).
    pub fn get(&self, code: &str) -> Option<&CategoryDef> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// A category a new petition may use, by code.
    pub fn usable(&self, code: &str) -> Option<&CategoryDef> {
        self.get(code).filter(|c| c.active)
    }

    /// A category a new petition may use, by code or by its Chinese name (an import's 类别 column).
    pub fn find(&self, code_or_name: &str) -> Option<&CategoryDef> {
        self.active()
            .find(|c| c.code == code_or_name || c.name == code_or_name)
    }

    /// The name of `code`, or the code itself when the taxonomy does not know it.
    pub fn name_of(&self, code: &str) -> String {
        self.get(code)
            .map_or_else(|| code.to_string(), |c| c.name.clone())
    }
}

/// Checks a new category's code: 2–32 characters, lower-case ASCII letters, digits and `_`, starting with a
/// letter (it travels in URLs and Open311 answers).
pub fn check_code(code: &str) -> Result<(), String> {
    let ok = (2..=32).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "「{code}」无效：应为 2–32 位小写字母、数字或下划线，以字母开头"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taxonomy_keeps_retired_categories_for_old_petitions() {
        let mut defs: Vec<CategoryDef> = DEFAULT_CATEGORIES.iter().map(CategoryDef::from).collect();
        defs[1].active = false;
        defs[0].name = "安全隐患（含消防）".into();
        defs.push(CategoryDef {
            code: "heating".into(),
            name: "供暖".into(),
            description: String::new(),
            active: true,
        });
        let t = Taxonomy::new(defs);
        assert_eq!(t.get("dispute").map(|c| c.active), Some(false));
        assert!(t.usable("dispute").is_none());
        assert_eq!(t.name_of("dispute"), "矛盾纠纷");
        assert_eq!(t.find("供暖").map(|c| c.code.as_str()), Some("heating"));
        assert_eq!(
            t.find("safety_hazard").map(|c| c.name.as_str()),
            Some("安全隐患（含消防）")
        );
        assert_eq!(t.name_of("gone"), "gone");
        assert_eq!(t.active().count(), 9);
        assert_eq!(Taxonomy::default().all().len(), 9);
    }

    #[test]
    fn category_codes_are_checked() {
        assert!(check_code("heating_2").is_ok());
        for bad in [
            "",
            "x",
            "Heating",
            "2heat",
            "供暖",
            "heat-ing",
            &"a".repeat(33),
        ] {
            assert!(check_code(bad).is_err(), "{bad}");
        }
    }

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

-- The town's petition categories (the Open311 services): the defaults below, renamed, added to or retired by the
-- administrator. Codes are stable: a category is never deleted, only retired (active false), so old petitions
-- keep their category.
CREATE TABLE petition_categories (
    code         TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL UNIQUE,
    description  TEXT NOT NULL DEFAULT '',
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    position     BIGINT NOT NULL,
    updated_at   TIMESTAMPTZ,
    updated_by   TEXT
);
INSERT INTO petition_categories (code, name, description, active, position) VALUES
    ('safety_hazard', '安全隐患', '消防通道堵塞、电动车违规充电、危险建筑等', TRUE, 1),
    ('dispute', '矛盾纠纷', '邻里、家庭、物业与业主之间的矛盾纠纷', TRUE, 2),
    ('sanitation', '环境卫生', '垃圾清运、楼道堆物、污水、异味', TRUE, 3),
    ('property', '物业管理', '物业服务、维修、收费与小区公共设施', TRUE, 4),
    ('infrastructure', '基础设施', '道路、路灯、供排水、供暖、管网', TRUE, 5),
    ('venue', '活动场地', '群众活动场地、健身设施、公共空间', TRUE, 6),
    ('livelihood', '民生服务', '养老、助残、就业、医疗、教育等服务需求', TRUE, 7),
    ('policy', '政策咨询', '政策、办事流程与材料咨询', TRUE, 8),
    ('other', '其他', '以上未包括的诉求', TRUE, 9);

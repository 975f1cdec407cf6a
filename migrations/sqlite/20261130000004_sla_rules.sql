-- Handling time limits set by the administrator, per category and level, in working days; shared by every
-- workstation and the intake server. A category and level without a row uses the built-in default.
CREATE TABLE sla_rules (
    category      TEXT NOT NULL,
    level         TEXT NOT NULL,
    working_days  INTEGER NOT NULL CHECK (working_days BETWEEN 1 AND 60),
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    PRIMARY KEY (category, level)
);

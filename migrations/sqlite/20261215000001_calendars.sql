-- The working calendar's imported notices, and the alliances' rotation (轮值).
-- Dates are 'YYYY-MM-DD' text in both databases (they sort as dates).

-- Notices imported after the release; a year here replaces the built-in year whole.
CREATE TABLE holidays (
    day          TEXT PRIMARY KEY NOT NULL,
    year         INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('day_off', 'make_up_workday')),
    festival     TEXT NOT NULL
);
CREATE INDEX holidays_year ON holidays(year);

-- One rule per alliance; the order of its member units is alliance_members.position.
CREATE TABLE duty_rules (
    alliance_id     BLOB PRIMARY KEY NOT NULL REFERENCES alliances(id),
    period          TEXT NOT NULL CHECK (period IN ('week', 'month')),
    starts_on       TEXT NOT NULL,
    holidays_count  INTEGER NOT NULL DEFAULT 1,
    version         INTEGER NOT NULL DEFAULT 1
);
ALTER TABLE alliance_members ADD COLUMN position INTEGER;

-- Days a member unit cannot serve (both included).
CREATE TABLE duty_unavailable (
    id               BLOB PRIMARY KEY NOT NULL,
    organisation_id  BLOB NOT NULL REFERENCES organisations(id),
    from_day         TEXT NOT NULL,
    to_day           TEXT NOT NULL,
    reason           TEXT NOT NULL
);
CREATE INDEX duty_unavailable_org ON duty_unavailable(organisation_id);

-- A turn on duty. A manual one (a swap or a reassignment, with its reason) is kept when the future is
-- generated again; turns that have begun are never regenerated.
CREATE TABLE duty_turns (
    id               BLOB PRIMARY KEY NOT NULL,
    alliance_id      BLOB NOT NULL REFERENCES alliances(id),
    organisation_id  BLOB REFERENCES organisations(id),
    starts_on        TEXT NOT NULL,
    ends_on          TEXT NOT NULL,
    manual           INTEGER NOT NULL DEFAULT 0,
    reason           TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1
);
-- One turn per alliance and start: two generations at once cannot both add one.
CREATE UNIQUE INDEX duty_turns_period ON duty_turns(alliance_id, starts_on);
CREATE INDEX duty_turns_days ON duty_turns(starts_on, ends_on);
CREATE INDEX duty_turns_org ON duty_turns(organisation_id);

-- What a unit did on its turn (组织联建、活动联办、资源联用、服务联做). Logged only on a turn that has begun,
-- so generation (which replaces turns not yet begun) never meets one.
CREATE TABLE duty_activities (
    id               BLOB PRIMARY KEY NOT NULL,
    turn_id          BLOB NOT NULL REFERENCES duty_turns(id),
    organisation_id  BLOB REFERENCES organisations(id),
    kind             TEXT NOT NULL CHECK (kind IN ('joint_building', 'joint_activity', 'shared_resources', 'joint_service')),
    title            TEXT NOT NULL,
    place            TEXT NOT NULL DEFAULT '',
    held_on          TEXT NOT NULL,
    participants     INTEGER NOT NULL,
    hours            REAL NOT NULL,
    photos           TEXT NOT NULL DEFAULT '',
    logged_by        TEXT NOT NULL,
    logged_at        TEXT NOT NULL
);
CREATE INDEX duty_activities_turn ON duty_activities(turn_id);

-- The petitions an activity handled; their residents' ratings go into the review.
CREATE TABLE duty_activity_petitions (
    activity_id  BLOB NOT NULL REFERENCES duty_activities(id),
    petition_id  BLOB NOT NULL REFERENCES petitions(id),
    PRIMARY KEY (activity_id, petition_id)
);
-- A petition is credited to one activity only: the review cannot count it twice, for one unit or two.
CREATE UNIQUE INDEX duty_activity_petitions_once ON duty_activity_petitions(petition_id);

-- The command center's own shifts (领导带班、干部值班): who may be put on them, who cannot when, the shifts with
-- their leader and officers, and the handover log whose open items carry over from shift to shift.
CREATE TABLE shift_pool (
    person_id  BLOB PRIMARY KEY NOT NULL REFERENCES people(id),
    post       TEXT NOT NULL CHECK (post IN ('leader', 'officer')),
    position   INTEGER NOT NULL
);

CREATE TABLE shift_exclusions (
    id         BLOB PRIMARY KEY NOT NULL,
    person_id  BLOB NOT NULL REFERENCES people(id),
    from_day   TEXT NOT NULL,
    to_day     TEXT NOT NULL,
    reason     TEXT NOT NULL
);

CREATE TABLE shifts (
    id         BLOB PRIMARY KEY NOT NULL,
    day        TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('day', 'night', 'full')),
    leader_id  BLOB REFERENCES people(id),
    manual     INTEGER NOT NULL DEFAULT 0,
    reason     TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1
);
-- One shift of each kind a day: two generations at once cannot both add it.
CREATE UNIQUE INDEX shifts_slot ON shifts(day, kind);

CREATE TABLE shift_officers (
    shift_id   BLOB NOT NULL REFERENCES shifts(id),
    person_id  BLOB NOT NULL REFERENCES people(id),
    PRIMARY KEY (shift_id, person_id)
);

CREATE TABLE shift_handovers (
    id            BLOB PRIMARY KEY NOT NULL,
    shift_id      BLOB NOT NULL REFERENCES shifts(id),
    item          TEXT NOT NULL,
    written_by    TEXT NOT NULL,
    written_at    TEXT NOT NULL,
    closed_at     TEXT,
    closed_by     TEXT,
    closing_note  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX shift_handovers_open ON shift_handovers(closed_at);

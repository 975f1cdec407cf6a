-- Residents' petitions (诉求), their numbering and their timeline (SQLite).

-- The last sequence number given out per year (GT-2026-000123).
CREATE TABLE petition_counters (
    year  INTEGER PRIMARY KEY NOT NULL,
    last  INTEGER NOT NULL
);

CREATE TABLE petitions (
    id                    BLOB PRIMARY KEY NOT NULL,
    year                  INTEGER NOT NULL,
    seq                   INTEGER NOT NULL,
    channel               TEXT NOT NULL,
    category              TEXT NOT NULL,
    description           TEXT NOT NULL,
    lon                   REAL,
    lat                   REAL,
    arrived_crs           TEXT NOT NULL,
    address               TEXT NOT NULL,
    grid_code             TEXT,
    grid_override_reason  TEXT,
    reporter_name         TEXT NOT NULL,
    reporter_phone        TEXT NOT NULL,
    status                TEXT NOT NULL,
    level                 TEXT,
    assignee              TEXT,
    deadline              TEXT NOT NULL,
    rating                INTEGER CHECK (rating BETWEEN 1 AND 5),
    rating_comment        TEXT,
    merged_into           BLOB REFERENCES petitions(id),
    received_at           TEXT NOT NULL,
    closed_at             TEXT,
    version               INTEGER NOT NULL DEFAULT 1,
    UNIQUE (year, seq)
);
CREATE INDEX petitions_status ON petitions(status);
CREATE INDEX petitions_grid ON petitions(grid_code);
CREATE INDEX petitions_received ON petitions(received_at);

CREATE TABLE petition_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id   BLOB NOT NULL REFERENCES petitions(id),
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    status_after  TEXT NOT NULL,
    note          TEXT NOT NULL
);
CREATE INDEX petition_events_petition ON petition_events(petition_id);

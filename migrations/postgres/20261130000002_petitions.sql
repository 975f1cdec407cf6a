-- Residents' petitions (诉求), their numbering and their timeline (PostgreSQL).

-- The last sequence number given out per year (GT-2026-000123).
CREATE TABLE petition_counters (
    year  BIGINT PRIMARY KEY NOT NULL,
    last  BIGINT NOT NULL
);

CREATE TABLE petitions (
    id                    UUID PRIMARY KEY NOT NULL,
    year                  BIGINT NOT NULL,
    seq                   BIGINT NOT NULL,
    channel               TEXT NOT NULL,
    category              TEXT NOT NULL,
    description           TEXT NOT NULL,
    lon                   DOUBLE PRECISION,
    lat                   DOUBLE PRECISION,
    arrived_crs           TEXT NOT NULL,
    address               TEXT NOT NULL,
    grid_code             TEXT,
    grid_override_reason  TEXT,
    reporter_name         TEXT NOT NULL,
    reporter_phone        TEXT NOT NULL,
    status                TEXT NOT NULL,
    level                 TEXT,
    assignee              TEXT,
    deadline              TIMESTAMPTZ NOT NULL,
    rating                BIGINT CHECK (rating BETWEEN 1 AND 5),
    rating_comment        TEXT,
    merged_into           UUID REFERENCES petitions(id),
    received_at           TIMESTAMPTZ NOT NULL,
    closed_at             TIMESTAMPTZ,
    version               BIGINT NOT NULL DEFAULT 1,
    UNIQUE (year, seq)
);
CREATE INDEX petitions_status ON petitions(status);
CREATE INDEX petitions_grid ON petitions(grid_code);
CREATE INDEX petitions_received ON petitions(received_at);

CREATE TABLE petition_events (
    id            BIGSERIAL PRIMARY KEY,
    petition_id   UUID NOT NULL REFERENCES petitions(id),
    at            TIMESTAMPTZ NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    status_after  TEXT NOT NULL,
    note          TEXT NOT NULL
);
CREATE INDEX petition_events_petition ON petition_events(petition_id);

-- User accounts and the hash-chained audit log (PostgreSQL).

CREATE TABLE users (
    id                   UUID PRIMARY KEY NOT NULL,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    -- Role codes, comma-separated (admin, duty_officer, leader, party_secretary, grid_worker).
    roles                TEXT NOT NULL,
    -- A grid worker's own grid, by code (codes survive a re-import of the boundaries).
    grid_code            TEXT,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    failed_attempts      BIGINT NOT NULL DEFAULT 0,
    locked_until         TIMESTAMPTZ,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMPTZ NOT NULL,
    password_changed_at  TIMESTAMPTZ NOT NULL,
    version              BIGINT NOT NULL DEFAULT 1
);

-- Append-only: the application only inserts (and the workstation role is granted nothing else, see
-- docs/deployment.md). Each row's hash chains it to the previous one.
CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    reason     TEXT,
    detail     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The chain's head (last sequence number and hash), one row; updating it first serialises appends across
-- workstations (the row lock is held to the end of the transaction).
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

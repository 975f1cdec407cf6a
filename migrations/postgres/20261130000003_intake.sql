-- The Open311 intake: its API keys (only a SHA-256 hash of each key is kept), and the petition fields it needs.

CREATE TABLE api_keys (
    id          UUID PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    key_hash    TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT NOT NULL,
    revoked_at  TIMESTAMPTZ,
    version     BIGINT NOT NULL DEFAULT 1
);
-- A name is unique among the keys in force (a revoked key's name may be given again).
CREATE UNIQUE INDEX api_keys_name_in_force ON api_keys(name) WHERE revoked_at IS NULL;

-- A petition's photo or recording (the mini-program's media_url) and when it last changed (Open311's
-- updated_datetime; the queue's "latest").
ALTER TABLE petitions ADD COLUMN media_url TEXT;
ALTER TABLE petitions ADD COLUMN updated_at TIMESTAMPTZ;
UPDATE petitions SET updated_at = COALESCE(closed_at, received_at);
ALTER TABLE petitions ALTER COLUMN updated_at SET NOT NULL;

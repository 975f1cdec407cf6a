-- Sessions of signed-in users, shared by every process on the database (a second server honours a session made
-- on the first). Found by the SHA-256 of the bearer token; the token itself is never stored.
CREATE TABLE sessions (
    token_hash       TEXT PRIMARY KEY NOT NULL,
    username         TEXT NOT NULL,
    workstation      TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    last_active      TEXT NOT NULL,
    password_set_at  TEXT NOT NULL
);
CREATE INDEX sessions_username ON sessions(username);
CREATE INDEX sessions_last_active ON sessions(last_active);

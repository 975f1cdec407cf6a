-- Rate-limit buckets shared by the server instances on one database (a token bucket per key).
CREATE TABLE rate_buckets (
    key      TEXT PRIMARY KEY NOT NULL,
    tokens   DOUBLE PRECISION NOT NULL,
    -- Seconds since the epoch of the last request.
    at       DOUBLE PRECISION NOT NULL,
    allowed  BOOLEAN NOT NULL
);

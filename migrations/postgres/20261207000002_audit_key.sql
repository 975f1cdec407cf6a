-- The audit chain is keyed (HMAC-SHA256, the key outside the database): where the keyed part starts, set by the
-- program the first time it opens the database with a key (earlier entries keep their plain SHA-256 hashes).
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT;

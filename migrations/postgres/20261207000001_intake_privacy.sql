-- Residents' contact data never travels in a public field (issue 11).
--
-- A posted e-mail address and device id are kept beside the reporter's name and phone, as personal data; before
-- this, an e-mail was appended to the description as "（邮箱：…）", which the Open311 GET published. Those are
-- moved out here.
ALTER TABLE petitions ADD COLUMN reporter_email TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN reporter_device TEXT NOT NULL DEFAULT '';
UPDATE petitions
SET reporter_email = substr(description, strpos(description, chr(10) || '（邮箱：') + 5,
                            length(description) - strpos(description, chr(10) || '（邮箱：') - 5),
    description = substr(description, 1, strpos(description, chr(10) || '（邮箱：') - 1)
WHERE strpos(description, chr(10) || '（邮箱：') > 0 AND description LIKE '%）';

-- An intake key may read petitions back (GET requests) only when its holder is trusted with them: the
-- mini-program's key submits, a county system's key may also read. Keys made before this submit only.
ALTER TABLE api_keys ADD COLUMN can_read BOOLEAN NOT NULL DEFAULT false;

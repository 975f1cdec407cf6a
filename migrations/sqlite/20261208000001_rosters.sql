-- Rosters with history, and the population database (households and residents).
-- Dates are 'YYYY-MM-DD' text in both databases (they sort as dates).

ALTER TABLE people ADD COLUMN gender TEXT CHECK (gender IN ('male', 'female'));
ALTER TABLE people ADD COLUMN political_status TEXT;
ALTER TABLE people ADD COLUMN employer TEXT;
CREATE INDEX people_phone ON people(phone);
-- One person per ID number: two imports at once cannot both add the same person.
CREATE UNIQUE INDEX people_id_number ON people(id_number) WHERE id_number IS NOT NULL;

-- An assignment that ends is closed (ends_on set), never deleted: "who covered building 3 last year".
ALTER TABLE role_assignments ADD COLUMN starts_on TEXT;
ALTER TABLE role_assignments ADD COLUMN ends_on TEXT;

CREATE TABLE households (
    id       BLOB PRIMARY KEY NOT NULL,
    unit_id  BLOB NOT NULL REFERENCES units(id),
    door     TEXT NOT NULL,
    version  INTEGER NOT NULL DEFAULT 1
);
-- One household per door of a unit: two imports at once cannot split one door into two households.
CREATE UNIQUE INDEX households_door ON households(unit_id, door);

CREATE TABLE residents (
    id             BLOB PRIMARY KEY NOT NULL,
    household_id   BLOB NOT NULL REFERENCES households(id),
    name           TEXT NOT NULL,
    gender         TEXT CHECK (gender IN ('male', 'female')),
    id_number      TEXT,
    phone          TEXT NOT NULL DEFAULT '',
    relation       TEXT NOT NULL,
    party_member   INTEGER NOT NULL DEFAULT 0,
    elderly_alone  INTEGER NOT NULL DEFAULT 0,
    disabled       INTEGER NOT NULL DEFAULT 0,
    low_income     INTEGER NOT NULL DEFAULT 0,
    veteran        INTEGER NOT NULL DEFAULT 0,
    special_group  INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX residents_household ON residents(household_id);
CREATE UNIQUE INDEX residents_id_number ON residents(id_number) WHERE id_number IS NOT NULL;

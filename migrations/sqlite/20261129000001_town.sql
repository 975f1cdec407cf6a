-- The town's structure, organisations, people and the change feed (SQLite).
-- Identifiers are UUIDs (BLOB), times UTC (TEXT, RFC 3339), coordinates WGS-84 degrees, boundaries GeoJSON text.

CREATE TABLE town (
    id          BLOB PRIMARY KEY NOT NULL,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    synthetic   INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE communities (
    id       BLOB PRIMARY KEY NOT NULL,
    code     TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL UNIQUE,
    version  INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE party_branches (
    id            BLOB PRIMARY KEY NOT NULL,
    community_id  BLOB NOT NULL REFERENCES communities(id),
    name          TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX party_branches_community ON party_branches(community_id);

CREATE TABLE grids (
    id                BLOB PRIMARY KEY NOT NULL,
    community_id      BLOB NOT NULL REFERENCES communities(id),
    party_branch_id   BLOB REFERENCES party_branches(id),
    code              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    boundary          TEXT NOT NULL,
    min_lon           REAL NOT NULL,
    min_lat           REAL NOT NULL,
    max_lon           REAL NOT NULL,
    max_lat           REAL NOT NULL,
    area_m2           REAL NOT NULL,
    boundary_version  INTEGER NOT NULL DEFAULT 1,
    version           INTEGER NOT NULL DEFAULT 1,
    updated_at        TEXT NOT NULL
);
CREATE INDEX grids_community ON grids(community_id);

-- Earlier boundaries of each grid: a petition keeps the grid it was reported in.
CREATE TABLE grid_boundary_history (
    grid_id           BLOB NOT NULL REFERENCES grids(id),
    boundary_version  INTEGER NOT NULL,
    boundary          TEXT NOT NULL,
    valid_until       TEXT NOT NULL,
    PRIMARY KEY (grid_id, boundary_version)
);

CREATE TABLE organisations (
    id            BLOB PRIMARY KEY NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('member_unit', 'owners_committee', 'property_company')),
    name          TEXT NOT NULL,
    community_id  BLOB REFERENCES communities(id),
    compound_id   BLOB,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX organisations_kind ON organisations(kind);

CREATE TABLE compounds (
    id                   BLOB PRIMARY KEY NOT NULL,
    grid_id              BLOB NOT NULL REFERENCES grids(id),
    name                 TEXT NOT NULL,
    property_company_id  BLOB REFERENCES organisations(id),
    version              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX compounds_grid ON compounds(grid_id);

CREATE TABLE buildings (
    id           BLOB PRIMARY KEY NOT NULL,
    compound_id  BLOB NOT NULL REFERENCES compounds(id),
    grid_id      BLOB NOT NULL REFERENCES grids(id),
    name         TEXT NOT NULL,
    lon          REAL NOT NULL,
    lat          REAL NOT NULL,
    floors       INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX buildings_grid ON buildings(grid_id);
CREATE INDEX buildings_compound ON buildings(compound_id);

CREATE TABLE units (
    id           BLOB PRIMARY KEY NOT NULL,
    building_id  BLOB NOT NULL REFERENCES buildings(id),
    number       INTEGER NOT NULL,
    households   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (building_id, number)
);

CREATE TABLE alliances (
    id            BLOB PRIMARY KEY NOT NULL,
    community_id  BLOB NOT NULL REFERENCES communities(id),
    name          TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE alliance_members (
    alliance_id      BLOB NOT NULL REFERENCES alliances(id),
    organisation_id  BLOB NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (alliance_id, organisation_id)
);

CREATE TABLE service_points (
    id            BLOB PRIMARY KEY NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('governance_center', 'mediation_studio', 'community_square', 'red_committee_site')),
    name          TEXT NOT NULL,
    community_id  BLOB REFERENCES communities(id),
    lon           REAL NOT NULL,
    lat           REAL NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE people (
    id            BLOB PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    phone         TEXT NOT NULL,
    id_number     TEXT,
    party_member  INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX people_name ON people(name);

-- A person's role at one level of the chain; exactly the column of that level is set.
CREATE TABLE role_assignments (
    id            BLOB PRIMARY KEY NOT NULL,
    person_id     BLOB NOT NULL REFERENCES people(id),
    role          TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('town', 'community', 'grid', 'building', 'unit')),
    community_id  BLOB REFERENCES communities(id),
    grid_id       BLOB REFERENCES grids(id),
    building_id   BLOB REFERENCES buildings(id),
    unit_id       BLOB REFERENCES units(id),
    version       INTEGER NOT NULL DEFAULT 1,
    CHECK ((level = 'town')      = (community_id IS NULL AND grid_id IS NULL AND building_id IS NULL AND unit_id IS NULL)),
    CHECK ((level = 'community') = (community_id IS NOT NULL AND grid_id IS NULL AND building_id IS NULL AND unit_id IS NULL)),
    CHECK ((level = 'grid')      = (grid_id IS NOT NULL AND community_id IS NULL AND building_id IS NULL AND unit_id IS NULL)),
    CHECK ((level = 'building')  = (building_id IS NOT NULL AND community_id IS NULL AND grid_id IS NULL AND unit_id IS NULL)),
    CHECK ((level = 'unit')      = (unit_id IS NOT NULL AND community_id IS NULL AND grid_id IS NULL AND building_id IS NULL))
);
CREATE INDEX role_assignments_person ON role_assignments(person_id);
CREATE INDEX role_assignments_grid ON role_assignments(grid_id);
CREATE INDEX role_assignments_building ON role_assignments(building_id);
CREATE INDEX role_assignments_unit ON role_assignments(unit_id);

-- The change feed: one row per change others should see, written in the same transaction as the change.
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  BLOB,
    op         TEXT NOT NULL,
    version    INTEGER
);

-- The evidence model: taxonomy, sources, bitemporal assessments, sites,
-- constraint events and country notes (DESIGN.md §1).

CREATE TABLE pillar (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    ord         int  NOT NULL,
    CONSTRAINT pillar_ord_key UNIQUE (ord) DEFERRABLE INITIALLY DEFERRED  -- the taxonomy may be reordered
);

CREATE TABLE capability (
    code          text PRIMARY KEY CHECK (code ~ '^[a-z_]+\.[a-z_]+$'),
    pillar        text NOT NULL REFERENCES pillar (code),
    name          text NOT NULL,
    definition    text NOT NULL DEFAULT '',
    level4_marker text NOT NULL DEFAULT '',
    ord           int  NOT NULL,
    CONSTRAINT capability_ord_key UNIQUE (ord) DEFERRABLE INITIALLY DEFERRED,
    CHECK (split_part(code, '.', 1) = pillar)
);

CREATE TABLE scale_level (
    level    smallint PRIMARY KEY CHECK (level BETWEEN 0 AND 4),
    name     text NOT NULL,
    criteria text NOT NULL
);

CREATE TABLE source (
    id                  bigserial PRIMARY KEY,
    url                 text UNIQUE CHECK (url ~ '^https?://'),
    title               text NOT NULL CHECK (title <> ''),
    publisher           text NOT NULL CHECK (publisher <> ''),
    author              text NOT NULL DEFAULT '',
    published           date NOT NULL,
    published_precision text NOT NULL DEFAULT 'day' CHECK (published_precision IN ('year', 'month', 'day')),
    archive_url         text CHECK (archive_url ~ '^https?://'),
    accessed            date
);
CREATE UNIQUE INDEX source_no_url_key ON source (publisher, title, published) WHERE url IS NULL;

-- Assessments are bitemporal and append-only: valid_from/valid_to say when the
-- capability existed; recorded_at says when the tracker recorded it. A correction
-- is a new row whose supersedes points at the row it replaces.
CREATE TABLE assessment (
    id                   bigserial PRIMARY KEY,
    country              text NOT NULL REFERENCES country (iso3),
    capability           text NOT NULL REFERENCES capability (code),
    level                smallint NOT NULL CHECK (level BETWEEN 0 AND 4),
    valid_from           date NOT NULL,
    valid_from_precision text NOT NULL DEFAULT 'day' CHECK (valid_from_precision IN ('year', 'month', 'day')),
    valid_to             date,
    recorded_at          timestamptz NOT NULL DEFAULT now(),
    confidence           char(1) NOT NULL CHECK (confidence IN ('H', 'M', 'L')),
    summary              text NOT NULL DEFAULT '',
    supersedes           bigint UNIQUE REFERENCES assessment (id),
    retracted            boolean NOT NULL DEFAULT false,  -- a correction that withdraws the row it supersedes
    provenance           text NOT NULL DEFAULT 'dataset' CHECK (provenance IN ('dataset', 'report')),
    report_id            bigint,
    content_hash         text NOT NULL,
    CONSTRAINT assessment_valid_period CHECK (valid_to IS NULL OR valid_to > valid_from),
    CONSTRAINT assessment_low_confidence CHECK (confidence <> 'L' OR level <= 1),
    CONSTRAINT assessment_retraction CHECK (NOT retracted OR supersedes IS NOT NULL),
    CONSTRAINT assessment_report_provenance CHECK ((provenance = 'report') = (report_id IS NOT NULL))
);
CREATE INDEX assessment_country ON assessment (country, capability, valid_from);
CREATE INDEX assessment_supersedes ON assessment (supersedes) WHERE supersedes IS NOT NULL;

CREATE TABLE assessment_source (
    assessment_id bigint NOT NULL REFERENCES assessment (id),
    source_id     bigint NOT NULL REFERENCES source (id),
    PRIMARY KEY (assessment_id, source_id)
);

-- Nothing is updated in place or deleted.
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER assessment_append_only BEFORE UPDATE OR DELETE ON assessment
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER assessment_source_append_only BEFORE UPDATE OR DELETE ON assessment_source
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- A level above 0 needs at least one source, checked when the transaction commits.
CREATE FUNCTION assessment_needs_source() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.level > 0 AND NOT EXISTS (SELECT 1 FROM assessment_source WHERE assessment_id = NEW.id) THEN
        RAISE EXCEPTION 'assessment % (%, %) has level % but no source', NEW.id, NEW.country, NEW.capability, NEW.level
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER assessment_source_required AFTER INSERT ON assessment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION assessment_needs_source();

CREATE TABLE site (
    id                   bigserial PRIMARY KEY,
    country              text NOT NULL REFERENCES country (iso3),
    name                 text NOT NULL CHECK (name <> ''),
    capability           text NOT NULL REFERENCES capability (code),
    status               text NOT NULL CHECK (status IN ('planned', 'active', 'suspended', 'cancelled', 'stopped_by_court', 'concluded')),
    geom                 geometry(Point, 4326) NOT NULL,
    precision            text NOT NULL DEFAULT 'city' CHECK (precision IN ('exact', 'city', 'region')),
    vendor               text NOT NULL DEFAULT '',
    vendor_country       text REFERENCES country (iso3),
    financier            text NOT NULL DEFAULT '',
    valid_from           date,
    valid_from_precision text NOT NULL DEFAULT 'day' CHECK (valid_from_precision IN ('year', 'month', 'day')),
    valid_to             date,
    confidence           char(1) NOT NULL CHECK (confidence IN ('H', 'M', 'L')),
    provenance           text NOT NULL DEFAULT 'dataset',
    report_id            bigint,
    content_hash         text NOT NULL,
    UNIQUE (country, name),
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from)
);
CREATE INDEX site_geom_gist ON site USING gist (geom);

CREATE TABLE site_source (
    site_id   bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    source_id bigint NOT NULL REFERENCES source (id),
    PRIMARY KEY (site_id, source_id)
);

CREATE TABLE constraint_event (
    id           bigserial PRIMARY KEY,
    event_date   date NOT NULL,
    date_precision text NOT NULL DEFAULT 'day' CHECK (date_precision IN ('year', 'month', 'day')),
    kind         text NOT NULL CHECK (kind IN ('court_ruling', 'law', 'regulation', 'regulator_decision', 'moratorium', 'other')),
    title        text NOT NULL CHECK (title <> ''),
    description  text NOT NULL DEFAULT '',
    ends         text REFERENCES capability (code),
    content_hash text NOT NULL,
    UNIQUE (event_date, title)
);
CREATE TABLE constraint_event_country (
    event_id bigint NOT NULL REFERENCES constraint_event (id) ON DELETE CASCADE,
    country  text NOT NULL REFERENCES country (iso3),
    PRIMARY KEY (event_id, country)
);
CREATE TABLE constraint_event_source (
    event_id  bigint NOT NULL REFERENCES constraint_event (id) ON DELETE CASCADE,
    source_id bigint NOT NULL REFERENCES source (id),
    PRIMARY KEY (event_id, source_id)
);

CREATE TABLE country_note (
    id           bigserial PRIMARY KEY,
    country      text NOT NULL REFERENCES country (iso3),
    ord          int  NOT NULL,
    body         text NOT NULL CHECK (body <> ''),
    content_hash text NOT NULL,
    UNIQUE (country, ord)
);
CREATE TABLE country_note_source (
    note_id   bigint NOT NULL REFERENCES country_note (id) ON DELETE CASCADE,
    source_id bigint NOT NULL REFERENCES source (id),
    PRIMARY KEY (note_id, source_id)
);

SELECT watch_revision(t::regclass)
FROM unnest(ARRAY['pillar', 'capability', 'scale_level', 'source', 'assessment', 'assessment_source',
                  'site', 'site_source', 'constraint_event', 'constraint_event_country',
                  'constraint_event_source', 'country_note', 'country_note_source']) AS t;

---- create above / drop below ----
DROP TABLE IF EXISTS country_note_source, country_note, constraint_event_source, constraint_event_country,
    constraint_event, site_source, site, assessment_source, assessment, source, scale_level, capability, pillar;
DROP FUNCTION IF EXISTS assessment_needs_source();
DROP FUNCTION IF EXISTS forbid_change();

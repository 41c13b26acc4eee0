-- PostGIS for geometry; unaccent for accent-insensitive name search.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- A dataset revision counter that changes on every write to published data.
-- Caches and ETags are keyed by it; replicas learn of changes by LISTEN dataset_revision.
CREATE TABLE dataset_revision (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    revision   bigint NOT NULL,
    changed_at timestamptz NOT NULL,
    version    text NOT NULL DEFAULT '',  -- version of the shipped dataset files (data/VERSION)
    taxonomy_version text NOT NULL DEFAULT ''
);
INSERT INTO dataset_revision (revision, changed_at) VALUES (1, now());

-- Statement-level: one bump and one notification per statement that changed
-- rows (the transition table is named "changed" on every trigger using it).
CREATE FUNCTION bump_dataset_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed) THEN
        UPDATE dataset_revision SET revision = revision + 1, changed_at = now();
        PERFORM pg_notify('dataset_revision', '');  -- same payload: one notification per transaction
    END IF;
    RETURN NULL;
END $$;

-- watch_revision adds the three statement triggers that keep the revision for a table.
CREATE FUNCTION watch_revision(t regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION bump_dataset_revision()', t::text || '_rev_ins', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION bump_dataset_revision()', t::text || '_rev_upd', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION bump_dataset_revision()', t::text || '_rev_del', t);
END $$;

---- create above / drop below ----
DROP FUNCTION IF EXISTS watch_revision(regclass);
DROP FUNCTION IF EXISTS bump_dataset_revision() CASCADE;
DROP TABLE IF EXISTS dataset_revision;

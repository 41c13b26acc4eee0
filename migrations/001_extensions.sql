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

CREATE FUNCTION bump_dataset_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r bigint;
BEGIN
    UPDATE dataset_revision SET revision = revision + 1, changed_at = now()
    RETURNING revision INTO r;
    PERFORM pg_notify('dataset_revision', r::text);
    RETURN NULL;
END $$;

---- create above / drop below ----
DROP FUNCTION IF EXISTS bump_dataset_revision() CASCADE;
DROP TABLE IF EXISTS dataset_revision;

-- Partner reports (issue 8): a country, a period, a narrative and proposed
-- items, reviewed through draft → submitted → changes_requested ↔ submitted
-- → accepted | rejected. Accepting writes the items as published rows linked
-- back here (provenance 'report'); rejecting writes nothing published.

CREATE TABLE report (
    id              bigserial PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisation (id),
    created_by_user bigint REFERENCES app_user (id), -- never published
    created_by_key  bigint REFERENCES api_key (id),
    country         text NOT NULL REFERENCES country (iso3),
    status          text NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'submitted', 'changes_requested', 'accepted', 'rejected')),
    version         int  NOT NULL DEFAULT 1 CHECK (version > 0), -- the ETag; +1 on every change
    content         jsonb NOT NULL,                               -- the ReportInput as last saved
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    submitted_at    timestamptz,
    decided_at      timestamptz,
    CHECK ((status IN ('accepted', 'rejected')) = (decided_at IS NOT NULL))
);
CREATE INDEX report_organisation ON report (organisation_id, id DESC);
CREATE INDEX report_status ON report (status, id DESC);

-- Reviewer (and author) comments: on the report (pointer '') or on one item
-- (pointer '/assessments/0').
CREATE TABLE report_comment (
    id              bigserial PRIMARY KEY,
    report_id       bigint NOT NULL REFERENCES report (id),
    pointer         text NOT NULL DEFAULT '' CHECK (pointer = '' OR pointer ~ '^/(assessments|sites|constraints)/[0-9]+$'),
    body            text NOT NULL CHECK (btrim(body) <> ''),
    author_role     text NOT NULL,
    author_org      bigint REFERENCES organisation (id),
    author_user     bigint REFERENCES app_user (id),
    author_key      bigint REFERENCES api_key (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_comment_report ON report_comment (report_id, id);

CREATE TABLE report_transition (
    id          bigserial PRIMARY KEY,
    report_id   bigint NOT NULL REFERENCES report (id),
    from_status text NOT NULL,
    to_status   text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_role  text NOT NULL,
    actor_org   bigint REFERENCES organisation (id),
    actor_user  bigint REFERENCES app_user (id),
    actor_key   bigint REFERENCES api_key (id)
);
CREATE INDEX report_transition_report ON report_transition (report_id, id);
CREATE TRIGGER report_transition_append_only BEFORE UPDATE OR DELETE ON report_transition
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Idempotency-Key: the first response to a key is kept (for at least 24 h)
-- and replayed to a retry with the same request; another request under the
-- same key is refused. The row is written in the same transaction as the
-- work it answers for, so a crash leaves either both or neither.
CREATE TABLE idempotency_key (
    scope        text NOT NULL,   -- whose key: organisation, person or API key
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash text NOT NULL,   -- SHA-256 of method, path and body
    status       int  NOT NULL,
    headers      jsonb NOT NULL DEFAULT '{}',
    body         bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);

-- What changed, for GET /changes: one row per accepted report and per
-- ingest that changed assessments, with the levels before and after.
CREATE TABLE change_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    kind      text NOT NULL CHECK (kind IN ('report', 'dataset')),
    revision  bigint NOT NULL,
    report_id bigint REFERENCES report (id),
    changes   jsonb NOT NULL DEFAULT '[]', -- [{"country","capability","old_level","new_level"}]
    CHECK ((kind = 'report') = (report_id IS NOT NULL))
);
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
-- The feed is published data: an entry moves the revision (even an accepted report with no item).
SELECT watch_revision('change_log');

-- Provenance links of published rows.
ALTER TABLE assessment ADD CONSTRAINT assessment_report_fk FOREIGN KEY (report_id) REFERENCES report (id);
CREATE INDEX assessment_report ON assessment (report_id) WHERE report_id IS NOT NULL;
ALTER TABLE site
    ADD CONSTRAINT site_provenance CHECK (provenance IN ('dataset', 'report')),
    ADD CONSTRAINT site_report_provenance CHECK ((provenance = 'report') = (report_id IS NOT NULL)),
    ADD CONSTRAINT site_report_fk FOREIGN KEY (report_id) REFERENCES report (id);
ALTER TABLE constraint_event
    ADD COLUMN provenance text NOT NULL DEFAULT 'dataset' CHECK (provenance IN ('dataset', 'report')),
    ADD COLUMN report_id bigint REFERENCES report (id),
    ADD CONSTRAINT constraint_event_report_provenance CHECK ((provenance = 'report') = (report_id IS NOT NULL));
-- A source first cited by a report (null: the shipped dataset's, or older).
ALTER TABLE source ADD COLUMN report_id bigint REFERENCES report (id);

---- create above / drop below ----
ALTER TABLE source DROP COLUMN IF EXISTS report_id;
ALTER TABLE constraint_event
    DROP CONSTRAINT IF EXISTS constraint_event_report_provenance,
    DROP COLUMN IF EXISTS report_id,
    DROP COLUMN IF EXISTS provenance;
ALTER TABLE site
    DROP CONSTRAINT IF EXISTS site_report_fk,
    DROP CONSTRAINT IF EXISTS site_report_provenance,
    DROP CONSTRAINT IF EXISTS site_provenance;
DROP INDEX IF EXISTS assessment_report;
ALTER TABLE assessment DROP CONSTRAINT IF EXISTS assessment_report_fk;
DROP TABLE IF EXISTS change_log, idempotency_key, report_transition, report_comment, report;

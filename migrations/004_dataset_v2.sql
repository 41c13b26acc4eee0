-- Dataset format v2 (docs/dataset-format.md): how a level was reached, why a row was
-- corrected, primary documents and undated sources.

ALTER TABLE assessment
    ADD COLUMN level_judgement   boolean NOT NULL DEFAULT false, -- the research marked the level "[level judgement]"
    ADD COLUMN from_note         text    NOT NULL DEFAULT '',    -- why valid_from precedes the first dated source
    ADD COLUMN correction_reason text    NOT NULL DEFAULT '',    -- on a correcting or retracting row: why
    ADD CONSTRAINT assessment_correction_reason CHECK (correction_reason = '' OR supersedes IS NOT NULL);

-- An undated source ("n.d.") is allowed only with a URL; its precision is then unknown too.
ALTER TABLE source
    ADD COLUMN primary_document boolean NOT NULL DEFAULT false,  -- law, judgment, gazette or the operator's own publication
    ALTER COLUMN published DROP NOT NULL,
    ALTER COLUMN published_precision DROP NOT NULL,
    ADD CONSTRAINT source_dated_or_linked CHECK (published IS NOT NULL OR url IS NOT NULL),
    ADD CONSTRAINT source_precision_with_date CHECK ((published IS NULL) = (published_precision IS NULL));

---- create above / drop below ----
-- Fails while undated sources exist: the v1 schema cannot hold them.
ALTER TABLE source
    DROP CONSTRAINT IF EXISTS source_precision_with_date,
    DROP CONSTRAINT IF EXISTS source_dated_or_linked,
    DROP COLUMN IF EXISTS primary_document;
ALTER TABLE source
    ALTER COLUMN published_precision SET NOT NULL,
    ALTER COLUMN published SET NOT NULL;
ALTER TABLE assessment
    DROP CONSTRAINT IF EXISTS assessment_correction_reason,
    DROP COLUMN IF EXISTS correction_reason,
    DROP COLUMN IF EXISTS from_note,
    DROP COLUMN IF EXISTS level_judgement;

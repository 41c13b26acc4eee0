-- What a site's evidence says, in one or two sentences (issue 8 follow-up).
-- Partner reports propose it with each site; accepting writes it. The
-- shipped dataset's format has no summary for sites, so its sites stay ''.
ALTER TABLE site ADD COLUMN summary text NOT NULL DEFAULT '';

---- create above / drop below ----
ALTER TABLE site DROP COLUMN IF EXISTS summary;

-- Placeholder: number 005 is reserved for the tiles issue (issue 13, branch
-- issue13-tiles). tern needs contiguous numbers, so the accounts migration
-- (006) cannot apply without a 005. When issue13-tiles brings its own 005,
-- delete this file in the merge (it does nothing, so no database depends on it
-- beyond its version number).
SELECT 1;

---- create above / drop below ----
SELECT 1;

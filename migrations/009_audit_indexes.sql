-- Indexes for the audit log's filters (GET /api/v1/admin/audit, newest
-- first with an id cursor): each filter walks its own index backwards from
-- the cursor instead of reading the whole log when it matches only old rows.
-- The query names only the filters given (store.AuditLog), so the planner
-- sees plain conditions these indexes serve.
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_organisation ON audit_log (organisation_id, id);
CREATE INDEX audit_log_actor_user ON audit_log (actor_user_id, id);
CREATE INDEX audit_log_at ON audit_log (at);

---- create above / drop below ----
DROP INDEX IF EXISTS audit_log_at;
DROP INDEX IF EXISTS audit_log_actor_user;
DROP INDEX IF EXISTS audit_log_organisation;
DROP INDEX IF EXISTS audit_log_action;

-- Servers remember API keys for a few seconds (api/auth.go); a change that
-- can stop a key working (revocation, expiry, role, organisation) is
-- announced on the channel api_key with the key's id, so every server
-- forgets the key at once, whoever made the change (the API or
-- `tracker admin revoke-key`). last_used_at moving announces nothing.
CREATE FUNCTION notify_api_key_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('api_key', NEW.id::text);
    RETURN NULL;
END $$;

CREATE TRIGGER api_key_notify AFTER UPDATE OF revoked_at, expires_at, role, organisation_id, token_hash ON api_key
    FOR EACH ROW
    WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
          OR OLD.role IS DISTINCT FROM NEW.role OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id
          OR OLD.token_hash IS DISTINCT FROM NEW.token_hash)
    EXECUTE FUNCTION notify_api_key_change();

---- create above / drop below ----
DROP TRIGGER IF EXISTS api_key_notify ON api_key;
DROP FUNCTION IF EXISTS notify_api_key_change();

-- Who can do what (issue 8): organisations, people with a role, their
-- server-side sessions, API keys for apps, and the append-only audit log.
-- Secrets are never stored: passwords as argon2id PHC strings, session and
-- key tokens as the SHA-256 of the random token the client holds.

CREATE TABLE organisation (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    named      boolean NOT NULL DEFAULT true, -- false: stays unnamed on the public side
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
    id              bigserial PRIMARY KEY,
    email           text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '_%@_%'),
    name            text NOT NULL DEFAULT '',
    role            text NOT NULL CHECK (role IN ('admin', 'reviewer', 'partner')),
    organisation_id bigint REFERENCES organisation (id),
    password_hash   text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- partners and reviewers act for an organisation; an admin may belong to none
    CONSTRAINT app_user_organisation CHECK (role = 'admin' OR organisation_id IS NOT NULL)
);
CREATE INDEX app_user_organisation ON app_user (organisation_id);

CREATE TABLE user_session (
    token_hash   bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id      bigint NOT NULL REFERENCES app_user (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(), -- idle expiry counts from here
    expires_at   timestamptz NOT NULL,               -- absolute expiry
    ended_at     timestamptz                         -- logout, password change, account disabled
);
CREATE INDEX user_session_user ON user_session (user_id) WHERE ended_at IS NULL;

CREATE TABLE api_key (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL CHECK (btrim(name) <> ''),
    token_hash      bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    prefix          text NOT NULL, -- the token's first characters, shown in lists
    organisation_id bigint NOT NULL REFERENCES organisation (id),
    role            text NOT NULL CHECK (role IN ('reviewer', 'partner')),
    created_by      bigint REFERENCES app_user (id), -- null: made with `tracker admin create-key`
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz,
    revoked_at      timestamptz,
    last_used_at    timestamptz
);

CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor_user_id   bigint REFERENCES app_user (id),
    actor_key_id    bigint REFERENCES api_key (id),
    organisation_id bigint REFERENCES organisation (id),
    action          text NOT NULL CHECK (action <> ''),
    subject         text NOT NULL DEFAULT '',
    detail          jsonb NOT NULL DEFAULT '{}'
);
-- Nothing in the log is changed or removed (forbid_change comes from 003).
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

---- create above / drop below ----
DROP TABLE IF EXISTS audit_log;
DROP TABLE IF EXISTS api_key;
DROP TABLE IF EXISTS user_session;
DROP TABLE IF EXISTS app_user;
DROP TABLE IF EXISTS organisation;

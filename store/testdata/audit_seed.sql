-- 200,000 audit rows for BenchmarkAuditLog (and EXPLAIN by hand: psql -f), one every
-- five minutes up to now: mostly logins, some report work, two organisations,
-- three people; 'report.accept' once, at the oldest row, and one person
-- (rare@example.org) and one organisation (Rare) only in the oldest thousand rows.
INSERT INTO organisation (name) VALUES ('Busy'), ('Quiet'), ('Rare');
INSERT INTO app_user (email, role, organisation_id, password_hash)
SELECT e, 'partner', (SELECT id FROM organisation WHERE name = o), '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'
FROM (VALUES ('busy@example.org', 'Busy'), ('quiet@example.org', 'Quiet'), ('rare@example.org', 'Rare')) v(e, o);
INSERT INTO audit_log (at, actor_user_id, organisation_id, action, subject)
SELECT now() - (200000 - i) * interval '5 minutes',
       u.id, u.organisation_id,
       CASE WHEN i = 1 THEN 'report.accept'
            WHEN i % 10 = 0 THEN 'report.create'
            WHEN i % 10 = 1 THEN 'report.submit'
            WHEN i % 10 = 2 THEN 'logout'
            ELSE 'login' END,
       'report ' || i
FROM generate_series(1, 200000) i
JOIN app_user u ON u.email = CASE WHEN i <= 1000 THEN 'rare@example.org'
                                  WHEN i % 3 = 0 THEN 'quiet@example.org'
                                  ELSE 'busy@example.org' END;
ANALYZE audit_log;

-- Processes keep the sessions they looked up for a few seconds (server/platform/auth/sessionCache.ts).
-- Whatever a session lookup is made of tells every process at commit that it changed: a sign-out,
-- a disabled account, a revoked grant or a changed role takes effect everywhere at once.
CREATE FUNCTION balai_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('balai_auth', '');
  RETURN NULL;
END $$;

-- A session is only ever created (not cached before its first use), touched (its expiry slides
-- later: a cached one is read again once its cached expiry passes) or deleted. Only a delete that
-- removed sessions tells: every sign-in runs one for the user's expired sessions, mostly removing
-- none, and must not empty every process's cache.
CREATE FUNCTION balai_sessions_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM gone) THEN
    PERFORM pg_notify('balai_auth', '');
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER sessions_auth_changed AFTER DELETE ON sessions REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION balai_sessions_deleted();
CREATE TRIGGER sessions_truncated AFTER TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION balai_auth_changed();
-- Sign-ins update failed_logins and last_login_at: not part of a session lookup.
CREATE TRIGGER users_auth_changed AFTER UPDATE OF status, name, kind, locale OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION balai_auth_changed();
CREATE TRIGGER grants_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grants
  FOR EACH STATEMENT EXECUTE FUNCTION balai_auth_changed();
CREATE TRIGGER roles_auth_changed AFTER UPDATE OR DELETE OR TRUNCATE ON roles
  FOR EACH STATEMENT EXECUTE FUNCTION balai_auth_changed();
CREATE TRIGGER units_auth_changed AFTER UPDATE OF path, active OR DELETE OR TRUNCATE ON units
  FOR EACH STATEMENT EXECUTE FUNCTION balai_auth_changed();

-- The user check every authenticated request carries (src/middleware/auth.ts). It rides in the same
-- round trip (and the same transaction) as the request's first statements; raising here rolls that
-- whole batch back, so a request whose token no longer matches its user writes nothing.
--   CC401 token_invalid    no such user, token from before a password change, or a changed role
--   CC403 account_disabled deactivated
-- Returns the user row as jsonb (the worker maps it like any users row).
CREATE OR REPLACE FUNCTION authenticated_user(p_id uuid, p_token_version integer, p_user_type text)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  found_user users;
BEGIN
  SELECT * INTO found_user FROM users WHERE id = p_id;
  IF NOT FOUND OR found_user.token_version <> p_token_version OR found_user.user_type <> p_user_type THEN
    RAISE EXCEPTION 'token_invalid' USING ERRCODE = 'CC401';
  END IF;
  IF NOT found_user.is_active THEN
    RAISE EXCEPTION 'account_disabled' USING ERRCODE = 'CC403';
  END IF;
  RETURN to_jsonb(found_user);
END
$$;

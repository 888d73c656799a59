-- A guard for city-wide staff data (the payable-services catalogue, hotlines…): the first statement
-- of a batch calls it, and a caller whose grant for (permission, action) is not unrestricted aborts
-- the whole batch with SQLSTATE CCPRM, which the API answers as 403. No round trip of its own.
CREATE OR REPLACE FUNCTION require_city_wide(p_user uuid, p_permission text, p_action text)
RETURNS boolean
LANGUAGE plpgsql STABLE
AS $$
BEGIN
  IF staff_wards(p_user, p_permission, p_action) IS NOT NULL THEN
    RAISE EXCEPTION 'not allowed: %.% for every ward', p_permission, p_action USING ERRCODE = 'CCPRM';
  END IF;
  RETURN true;
END
$$;

-- Ward-scoped staff permissions and the activity log (issue: running the city).
--
-- admin_permissions: what an admin may do, per module, in which wards (empty = every ward). A
-- super_admin needs no rows: they may do everything everywhere. Service providers are not staff.
CREATE TABLE IF NOT EXISTS admin_permissions (
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  permission_type varchar(20) NOT NULL,
  ward_numbers text[] NOT NULL DEFAULT '{}',
  can_create boolean NOT NULL DEFAULT false,
  can_read boolean NOT NULL DEFAULT true,
  can_update boolean NOT NULL DEFAULT false,
  can_delete boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, permission_type),
  CONSTRAINT admin_permissions_type_check CHECK (permission_type IN
    ('complaints', 'emergency', 'notices', 'calendar', 'waste', 'gallery', 'payments', 'chat', 'users', 'reports'))
);
--> statement-breakpoint
-- Admins that existed before permissions did keep what they could do: everything, everywhere.
INSERT INTO admin_permissions (user_id, permission_type, can_create, can_read, can_update, can_delete)
SELECT u.id, t.permission_type, true, true, true, true
FROM users u
CROSS JOIN (VALUES ('complaints'), ('emergency'), ('notices'), ('calendar'), ('waste'), ('gallery'),
                   ('payments'), ('chat'), ('users'), ('reports')) AS t(permission_type)
WHERE u.user_type = 'admin'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- The wards a staff member may act on for (permission, action): NULL = every ward (a super_admin,
-- or a permission with no ward list), '{}' = none. Callers wrap it in a scalar subquery so that it
-- is evaluated once per statement, not once per row:  (select staff_wards($1, 'complaints', 'read')).
CREATE OR REPLACE FUNCTION staff_wards(p_user uuid, p_permission text, p_action text)
RETURNS text[]
LANGUAGE sql STABLE
AS $$
  SELECT CASE
    WHEN u.user_type = 'super_admin' THEN NULL
    WHEN u.user_type <> 'admin' OR p.user_id IS NULL THEN '{}'::text[]
    WHEN NOT (CASE p_action WHEN 'create' THEN p.can_create WHEN 'read' THEN p.can_read
                            WHEN 'update' THEN p.can_update WHEN 'delete' THEN p.can_delete ELSE false END) THEN '{}'::text[]
    WHEN cardinality(p.ward_numbers) = 0 THEN NULL
    ELSE p.ward_numbers
  END
  FROM users u
  LEFT JOIN admin_permissions p ON p.user_id = u.id AND p.permission_type = p_permission
  WHERE u.id = p_user
$$;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS activity_logs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid, -- no foreign key: the log outlives the accounts it mentions
  action varchar(50) NOT NULL,
  resource_type varchar(50) NOT NULL,
  resource_id text,
  ip_address varchar(45),
  user_agent text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_activity_logs_created ON activity_logs (created_at DESC, id DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_activity_logs_user ON activity_logs (user_id, created_at DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_activity_logs_resource ON activity_logs (resource_type, resource_id);
--> statement-breakpoint
-- Append-only, enforced by the database: no route edits or deletes it, and neither can a bug.
CREATE OR REPLACE FUNCTION activity_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'activity_logs is append-only' USING ERRCODE = 'CC409';
END
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS activity_logs_no_change ON activity_logs;
--> statement-breakpoint
CREATE TRIGGER activity_logs_no_change BEFORE UPDATE OR DELETE ON activity_logs
  FOR EACH ROW EXECUTE FUNCTION activity_logs_append_only();

-- The notice board (contract §8, issue 10): notices, one view per reader, one SMS per citizen per urgent notice.
CREATE TABLE IF NOT EXISTS notices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title varchar(200) NOT NULL,
  content text NOT NULL,
  category varchar(20) NOT NULL DEFAULT 'general',
  priority varchar(10) NOT NULL DEFAULT 'normal',
  is_urgent boolean NOT NULL DEFAULT false,
  -- What ranks first and what is broadcast by SMS: either flag.
  urgent boolean GENERATED ALWAYS AS (is_urgent OR priority = 'urgent') STORED,
  -- Empty: every ward.
  target_wards text[] NOT NULL DEFAULT '{}',
  published_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  is_active boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  view_count integer NOT NULL DEFAULT 0,
  -- Set by the statement that claims the urgent SMS broadcast (at publish, or by the cron once due): at most once.
  broadcast_started_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notices_category_check CHECK (category IN ('general', 'health', 'sanitation', 'water', 'roads', 'events', 'emergency', 'tax')),
  CONSTRAINT notices_priority_check CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  CONSTRAINT notices_expiry_check CHECK (expires_at IS NULL OR expires_at > published_at)
);
--> statement-breakpoint
-- The public list: active notices, urgent first, newest first.
CREATE INDEX IF NOT EXISTS idx_notices_public ON notices (urgent DESC, published_at DESC, id DESC) WHERE is_active;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_notices_target_wards ON notices USING gin (target_wards) WHERE is_active;
--> statement-breakpoint
-- Urgent notices whose broadcast is still to be claimed (scheduled ones, by the cron).
CREATE INDEX IF NOT EXISTS idx_notices_broadcast_due ON notices (published_at) WHERE urgent AND is_active AND broadcast_started_at IS NULL;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS notice_views (
  notice_id uuid NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  viewed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notice_id, user_id)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS notice_deliveries (
  notice_id uuid NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  queued_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notice_id, user_id)
);
--> statement-breakpoint
-- Broadcast pages walk citizens by id (keyset).
CREATE INDEX IF NOT EXISTS idx_users_active_citizens ON users (id) WHERE user_type = 'citizen' AND is_active;

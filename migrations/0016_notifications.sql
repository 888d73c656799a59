-- Notifications (issue 14): devices, preferences, the in-app inbox, and the outbox the
-- `notifications` queue consumer delivers from.
--
-- An inbox row IS the outbox entry: it is written in the same statement or batch as the change it
-- tells about (so a rolled-back change notifies nobody), with delivery_status 'pending'; the
-- consumer claims it, sends by push and/or SMS, and records each send in notification_deliveries
-- (one row per notification × channel × device: the idempotency key, so a redelivered queue
-- message sends nothing twice). A cron sweep re-queues rows whose queue nudge was lost.
CREATE TABLE IF NOT EXISTS notification_devices (
  token varchar(4096) PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  platform varchar(10) NOT NULL,
  app_version varchar(40),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notification_devices_platform_check CHECK (platform IN ('android', 'ios', 'web'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_notification_devices_user ON notification_devices (user_id);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS notification_preferences (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  complaints boolean NOT NULL DEFAULT true,
  payments boolean NOT NULL DEFAULT true,
  notices boolean NOT NULL DEFAULT true,
  chat boolean NOT NULL DEFAULT true,
  emergencies boolean NOT NULL DEFAULT true,
  language varchar(2) NOT NULL DEFAULT 'bn',
  quiet_start time,
  quiet_end time,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notification_preferences_language_check CHECK (language IN ('bn', 'en')),
  CONSTRAINT notification_preferences_quiet_check CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  -- What happened, once per recipient: e.g. "complaint:<id>:status:<history id>".
  event_key varchar(200) NOT NULL,
  event_type varchar(50) NOT NULL,
  category varchar(20) NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Delivery rules of the event (catalogue.ts): push allowed, SMS always / as a fallback / never.
  push boolean NOT NULL,
  sms varchar(10) NOT NULL,
  sms_text text,
  delivery_status varchar(12) NOT NULL DEFAULT 'pending',
  delivery_claimed_at timestamptz,
  -- Deferred (quiet hours, a provider asking to retry later): not to be delivered before this.
  deliver_after timestamptz,
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notifications_once UNIQUE (user_id, event_key),
  CONSTRAINT notifications_category_check CHECK (category IN ('complaints', 'payments', 'notices', 'chat', 'emergencies', 'waste', 'account')),
  CONSTRAINT notifications_sms_check CHECK (sms IN ('always', 'fallback', 'never')),
  CONSTRAINT notifications_delivery_check CHECK (delivery_status IN ('pending', 'delivering', 'delivered'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_notifications_inbox ON notifications (user_id, created_at DESC, id DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_notifications_undelivered ON notifications (created_at) WHERE delivery_status <> 'delivered';
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS notification_deliveries (
  notification_id uuid NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
  channel varchar(10) NOT NULL,
  -- The device token for push, the phone for SMS.
  address varchar(4096) NOT NULL,
  status varchar(12) NOT NULL,
  provider_id text,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notification_id, channel, address),
  CONSTRAINT notification_deliveries_channel_check CHECK (channel IN ('push', 'sms')),
  CONSTRAINT notification_deliveries_status_check CHECK (status IN ('sent', 'failed'))
);
--> statement-breakpoint
-- Events for an audience (a ward's citizens, a ward's staff): expanded by the consumer in pages.
CREATE TABLE IF NOT EXISTS notification_audiences (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_key varchar(200) NOT NULL UNIQUE,
  audience jsonb NOT NULL,
  event jsonb NOT NULL,
  after_user_id uuid,
  status varchar(12) NOT NULL DEFAULT 'pending',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notification_audiences_status_check CHECK (status IN ('pending', 'done'))
);

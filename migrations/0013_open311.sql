-- Open311 GeoReport v2 (issue 15): API keys for the civic tools that file requests, and the public,
-- revocable links that stand in for a request's first photo (`media_url`).
CREATE TABLE IF NOT EXISTS open311_api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar(100) NOT NULL,
  -- The first characters of the key, shown in lists so an operator can tell keys apart.
  key_prefix varchar(16) NOT NULL,
  -- SHA-256 of the whole key, hex. The key itself is shown once, when it is issued, and never stored.
  key_hash varchar(64) NOT NULL,
  -- Fixed-window rate limit: at most rate_limit requests per minute, counted in the key's own row.
  rate_limit integer NOT NULL DEFAULT 60,
  window_started_at timestamptz,
  window_count integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  CONSTRAINT open311_api_keys_hash_unique UNIQUE (key_hash),
  CONSTRAINT open311_api_keys_rate_limit_check CHECK (rate_limit BETWEEN 1 AND 10000)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_open311_api_keys_created ON open311_api_keys (created_at DESC);
--> statement-breakpoint
-- One public link per photo, minted the first time Open311 shows the photo. Deleting the row revokes
-- the link (the next Open311 read mints a new, different one); deleting the photo deletes its link.
CREATE TABLE IF NOT EXISTS open311_media_links (
  image_id uuid PRIMARY KEY REFERENCES complaint_images(id) ON DELETE CASCADE,
  token varchar(64) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT open311_media_links_token_unique UNIQUE (token)
);
--> statement-breakpoint
-- status_notes: a request's latest history entry that carries a comment, found by one index probe.
CREATE INDEX IF NOT EXISTS idx_complaint_updates_comment ON complaint_updates (complaint_id, created_at DESC) WHERE comment IS NOT NULL;

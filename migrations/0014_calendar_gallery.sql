-- The city's calendar and gallery (contract §8, issue 11).
--
-- Calendar: one row per event or per repeating series (a weekly drive for a year is one row with
-- recurrence_freq = 'weekly'); occurrences are expanded within a requested range by
-- calendar_occurrences(). Dhaka has no daylight saving time, so Dhaka wall-clock arithmetic is UTC+6.
CREATE TABLE IF NOT EXISTS calendar_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title varchar(200) NOT NULL,
  description text NOT NULL DEFAULT '',
  category varchar(20) NOT NULL DEFAULT 'other',
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  all_day boolean NOT NULL DEFAULT false,
  location varchar(255) NOT NULL DEFAULT '',
  latitude numeric(9, 6),
  longitude numeric(9, 6),
  -- Empty: every ward.
  target_wards text[] NOT NULL DEFAULT '{}',
  -- NULL: no limit.
  capacity integer,
  -- Kept equal to the participant rows by the join/leave batch (which holds the event's row lock).
  participant_count integer NOT NULL DEFAULT 0,
  -- RRULE-style repeats: FREQ (weekly|monthly), INTERVAL, and at most one of UNTIL / COUNT.
  recurrence_freq varchar(10),
  recurrence_interval smallint NOT NULL DEFAULT 1,
  recurrence_until timestamptz,
  recurrence_count integer,
  -- End of the last occurrence (NULL: a series without end); what "past" and range filters use.
  series_ends_at timestamptz,
  -- iCalendar SEQUENCE: grows with every edit.
  sequence integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT calendar_events_category_check CHECK (category IN ('public_holiday', 'city_event', 'vaccination', 'cleaning_drive', 'tax_deadline', 'meeting', 'other')),
  CONSTRAINT calendar_events_time_check CHECK (ends_at > starts_at),
  CONSTRAINT calendar_events_capacity_check CHECK (capacity IS NULL OR (capacity > 0 AND participant_count <= capacity)),
  CONSTRAINT calendar_events_participants_check CHECK (participant_count >= 0),
  CONSTRAINT calendar_events_recurrence_check CHECK (
    (recurrence_freq IS NULL AND recurrence_until IS NULL AND recurrence_count IS NULL)
    OR (recurrence_freq IN ('weekly', 'monthly') AND recurrence_interval BETWEEN 1 AND 12
        AND NOT (recurrence_until IS NOT NULL AND recurrence_count IS NOT NULL)
        AND (recurrence_count IS NULL OR recurrence_count BETWEEN 1 AND 1000)
        AND (recurrence_until IS NULL OR recurrence_until >= starts_at))
  ),
  CONSTRAINT calendar_events_coordinates_check CHECK ((latitude IS NULL OR latitude BETWEEN -90 AND 90) AND (longitude IS NULL OR longitude BETWEEN -180 AND 180))
);
--> statement-breakpoint
-- Range lists: events that start before the range ends and whose series has not ended before it starts.
CREATE INDEX IF NOT EXISTS idx_calendar_events_range ON calendar_events (starts_at, series_ends_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_calendar_events_target_wards ON calendar_events USING gin (target_wards);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS calendar_event_participants (
  event_id uuid NOT NULL REFERENCES calendar_events(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, user_id)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_calendar_event_participants_user ON calendar_event_participants (user_id);
--> statement-breakpoint
-- The occurrences of an event (or series) that overlap [p_from, p_to). Weekly: every
-- 7 × interval days (no DST in Dhaka, so days are 24 h). Monthly: the same Dhaka day of the month
-- and wall-clock time every `interval` months; months without that day are skipped (RFC 5545), and
-- COUNT counts occurrences, not months. The generated steps are bounded by the range (and COUNT),
-- never by the series' own length.
CREATE OR REPLACE FUNCTION calendar_occurrences(
  p_starts timestamptz, p_ends timestamptz, p_freq text, p_interval integer, p_until timestamptz, p_count integer,
  p_from timestamptz, p_to timestamptz
) RETURNS TABLE (occurrence integer, occ_starts timestamptz, occ_ends timestamptz)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 0, p_starts, p_ends
  WHERE p_freq IS NULL AND p_starts < p_to AND p_ends > p_from
  UNION ALL
  SELECT w.k, w.s, w.s + (p_ends - p_starts)
  FROM (
    SELECT k, p_starts + make_interval(days => 7 * p_interval * k) AS s
    FROM generate_series(
      greatest(0, floor(extract(epoch FROM (p_from - p_ends)) / (604800.0 * p_interval))::integer),
      least(coalesce(p_count, 1000000) - 1,
            floor(extract(epoch FROM (least(p_to, coalesce(p_until, p_to)) - p_starts)) / (604800.0 * p_interval))::integer)
    ) AS k
    WHERE p_freq = 'weekly'
  ) w
  WHERE w.s < p_to AND w.s + (p_ends - p_starts) > p_from AND (p_until IS NULL OR w.s <= p_until)
  UNION ALL
  SELECT m.n - 1, m.s, m.s + (p_ends - p_starts)
  FROM (
    SELECT s, row_number() OVER (ORDER BY k)::integer AS n, k
    FROM (
      SELECT k, ((((p_starts AT TIME ZONE 'UTC') + interval '6 hours') + make_interval(months => p_interval * k)) - interval '6 hours') AT TIME ZONE 'UTC' AS s
      FROM generate_series(
        -- With COUNT, occurrences are numbered from the first; without, start near the range.
        CASE WHEN p_count IS NULL THEN greatest(0, floor(extract(epoch FROM (p_from - p_ends)) / (2678400.0 * p_interval))::integer - 1) ELSE 0 END,
        least(CASE WHEN p_count IS NULL THEN 1000000 ELSE p_count * 4 + 8 END,
              ceil(extract(epoch FROM (least(p_to, coalesce(p_until, p_to)) - p_starts)) / (2419200.0 * p_interval))::integer + 1)
      ) AS k
      WHERE p_freq = 'monthly'
    ) steps
    -- Jan 31 + 1 month is Feb 28 in Postgres; RFC 5545 skips the month instead.
    WHERE extract(day FROM (s AT TIME ZONE 'UTC') + interval '6 hours') = extract(day FROM (p_starts AT TIME ZONE 'UTC') + interval '6 hours')
  ) m
  WHERE m.s < p_to AND m.s + (p_ends - p_starts) > p_from AND (p_until IS NULL OR m.s <= p_until) AND (p_count IS NULL OR m.n <= p_count)
$$;
--> statement-breakpoint
-- Gallery: media items whose bytes live in R2 (MEDIA binding) under object_key.
CREATE TABLE IF NOT EXISTS gallery_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title varchar(200) NOT NULL,
  description text NOT NULL DEFAULT '',
  category varchar(50) NOT NULL DEFAULT 'general',
  media_type varchar(10) NOT NULL,
  object_key varchar(255) NOT NULL UNIQUE,
  content_type varchar(50) NOT NULL,
  file_size bigint NOT NULL,
  width integer,
  height integer,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT gallery_items_media_type_check CHECK (media_type IN ('image', 'video')),
  CONSTRAINT gallery_items_size_check CHECK (file_size > 0 AND file_size <= CASE media_type WHEN 'image' THEN 10485760 ELSE 104857600 END),
  CONSTRAINT gallery_items_dimensions_check CHECK ((width IS NULL OR width > 0) AND (height IS NULL OR height > 0))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_gallery_items_public ON gallery_items (created_at DESC, id DESC);
--> statement-breakpoint
-- R2 objects that may exist without a gallery item: an upload in flight (written before the first
-- byte is stored, removed by the statement that creates the item) or an item's object whose delete
-- is pending (written by the statement that deletes the item, removed once R2 confirms). The cron
-- sweep deletes what stays behind, so no object outlives its item.
CREATE TABLE IF NOT EXISTS gallery_pending_objects (
  object_key varchar(255) PRIMARY KEY,
  reason varchar(10) NOT NULL,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT gallery_pending_objects_reason_check CHECK (reason IN ('upload', 'delete'))
);

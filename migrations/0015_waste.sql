-- Waste (issue 11): ward collection schedules, pickup requests (with photos, history and fee
-- payments) and secondary transfer stations (STS) with their load readings.
--
-- Stored enum values are the English codes of lib/enums.ts (waste_type, pickup_status, sts_status);
-- /meta/enums gives their Bengali and English labels.
CREATE TABLE IF NOT EXISTS waste_schedules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ward_number varchar(10) NOT NULL,
  waste_type varchar(20) NOT NULL,
  -- 0 = Sunday … 6 = Saturday (Postgres `extract(dow)`), ascending, no repeats.
  days_of_week smallint[] NOT NULL,
  -- A Dhaka wall-clock window within one day.
  start_time time NOT NULL,
  end_time time NOT NULL,
  collector varchar(150),
  vehicle varchar(100),
  notes text,
  is_active boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT waste_schedules_ward_type_unique UNIQUE (ward_number, waste_type),
  CONSTRAINT waste_schedules_type_check CHECK (waste_type IN ('household', 'recyclable', 'medical', 'construction', 'e_waste')),
  CONSTRAINT waste_schedules_days_check CHECK (cardinality(days_of_week) BETWEEN 1 AND 7 AND days_of_week <@ ARRAY[0, 1, 2, 3, 4, 5, 6]::smallint[]),
  CONSTRAINT waste_schedules_window_check CHECK (end_time > start_time)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS waste_pickup_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference_number varchar(20) NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  waste_type varchar(20) NOT NULL,
  description text NOT NULL,
  location varchar(255) NOT NULL,
  latitude numeric(10, 8),
  longitude numeric(11, 8),
  ward_number varchar(10),
  preferred_date date NOT NULL,
  status varchar(20) NOT NULL DEFAULT 'requested',
  scheduled_for timestamptz,
  -- What the city charges for this pickup (the `waste_pickup` service's fee when the request was
  -- made), or NULL: free. Paid when a linked payment (waste_pickup_payments) has completed.
  fee_amount numeric(12, 2),
  collected_at timestamptz,
  cancelled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT waste_pickup_type_check CHECK (waste_type IN ('household', 'recyclable', 'medical', 'construction', 'e_waste')),
  CONSTRAINT waste_pickup_status_check CHECK (status IN ('requested', 'scheduled', 'collected', 'cancelled')),
  CONSTRAINT waste_pickup_scheduled_check CHECK (status NOT IN ('scheduled', 'collected') OR scheduled_for IS NOT NULL),
  CONSTRAINT waste_pickup_fee_check CHECK (fee_amount IS NULL OR fee_amount > 0),
  CONSTRAINT waste_pickup_latitude_check CHECK (latitude BETWEEN -90 AND 90),
  CONSTRAINT waste_pickup_longitude_check CHECK (longitude BETWEEN -180 AND 180)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_waste_pickup_user_created ON waste_pickup_requests (user_id, created_at DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_waste_pickup_ward_created ON waste_pickup_requests (ward_number, created_at DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_waste_pickup_open ON waste_pickup_requests (status, created_at DESC) WHERE status IN ('requested', 'scheduled');
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS waste_pickup_photos (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  pickup_request_id uuid NOT NULL REFERENCES waste_pickup_requests(id) ON DELETE CASCADE,
  object_key varchar(255) NOT NULL UNIQUE,
  image_name varchar(255) NOT NULL,
  file_size integer NOT NULL,
  content_type varchar(50) NOT NULL,
  position smallint NOT NULL,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT waste_pickup_photos_position_check CHECK (position BETWEEN 1 AND 3)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_waste_pickup_photos_request ON waste_pickup_photos (pickup_request_id, position);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS waste_pickup_updates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  pickup_request_id uuid NOT NULL REFERENCES waste_pickup_requests(id) ON DELETE CASCADE,
  updated_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  old_status varchar(20),
  new_status varchar(20) NOT NULL,
  scheduled_for timestamptz,
  note text,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_waste_pickup_updates_request ON waste_pickup_updates (pickup_request_id, created_at);
--> statement-breakpoint
-- The link between a pickup request and the payments made for its fee (one request may see several
-- attempts: an abandoned checkout, then a paid one). The payment engine knows nothing about it:
-- payments are made and settled as every other city fee (service_type `waste_pickup`).
CREATE TABLE IF NOT EXISTS waste_pickup_payments (
  payment_id uuid PRIMARY KEY REFERENCES payments(id) ON DELETE CASCADE,
  pickup_request_id uuid NOT NULL REFERENCES waste_pickup_requests(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_waste_pickup_payments_request ON waste_pickup_payments (pickup_request_id);
--> statement-breakpoint
-- The fee for bulky (construction debris) and e-waste pickups, in the payable-services catalogue.
INSERT INTO payable_services (code, name_bn, name_en, fee_type, fixed_amount, sort_order) VALUES
  ('waste_pickup', 'বড় আকারের ও ই-বর্জ্য অপসারণ', 'Bulky and E-waste Pickup', 'fixed', 500.00, 35)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS waste_sts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar(150) NOT NULL UNIQUE,
  ward_number varchar(10) NOT NULL,
  latitude numeric(10, 8) NOT NULL,
  longitude numeric(11, 8) NOT NULL,
  capacity_tonnes numeric(10, 2) NOT NULL,
  -- Only ever changed together with a waste_sts_readings row (the last reading).
  current_load_tonnes numeric(10, 2) NOT NULL DEFAULT 0,
  status varchar(20) NOT NULL DEFAULT 'operational',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT waste_sts_capacity_check CHECK (capacity_tonnes > 0),
  CONSTRAINT waste_sts_load_check CHECK (current_load_tonnes >= 0),
  CONSTRAINT waste_sts_status_check CHECK (status IN ('operational', 'maintenance', 'closed')),
  CONSTRAINT waste_sts_latitude_check CHECK (latitude BETWEEN -90 AND 90),
  CONSTRAINT waste_sts_longitude_check CHECK (longitude BETWEEN -180 AND 180)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_waste_sts_ward ON waste_sts (ward_number);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS waste_sts_readings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sts_id uuid NOT NULL REFERENCES waste_sts(id) ON DELETE CASCADE,
  load_tonnes numeric(10, 2) NOT NULL,
  previous_load_tonnes numeric(10, 2) NOT NULL,
  -- The capacity when the reading was taken: over_capacity stays true of that moment.
  capacity_tonnes numeric(10, 2) NOT NULL,
  over_capacity boolean GENERATED ALWAYS AS (load_tonnes > capacity_tonnes) STORED,
  note text,
  recorded_by uuid REFERENCES users(id) ON DELETE SET NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT waste_sts_readings_load_check CHECK (load_tonnes >= 0)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_waste_sts_readings_sts ON waste_sts_readings (sts_id, recorded_at DESC, id DESC);
--> statement-breakpoint
-- Readings are the trace: nobody edits or deletes one (a station's deletion cascades, by design).
CREATE OR REPLACE FUNCTION waste_sts_readings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'waste_sts_readings is append-only' USING ERRCODE = 'CC409';
END
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS waste_sts_readings_no_change ON waste_sts_readings;
--> statement-breakpoint
CREATE TRIGGER waste_sts_readings_no_change BEFORE UPDATE ON waste_sts_readings
  FOR EACH ROW EXECUTE FUNCTION waste_sts_readings_append_only();

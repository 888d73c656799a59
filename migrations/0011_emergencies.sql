-- Emergencies (issue 10): a citizen's call for help, its response history, and the city's hotlines.
--
-- emergency_requests keeps responded_at (first staff response) and resolved_at so that response
-- and resolution times per ward can be computed in SQL by the dashboard.
CREATE TABLE IF NOT EXISTS emergency_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference_number varchar(20) NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  emergency_type varchar(50) NOT NULL,
  description text NOT NULL,
  location varchar(255) NOT NULL,
  latitude numeric(10, 8),
  longitude numeric(11, 8),
  ward_number varchar(10),
  priority varchar(20) NOT NULL DEFAULT 'উচ্চ',
  status varchar(30) NOT NULL DEFAULT 'জমা দেওয়া হয়েছে',
  assigned_to uuid REFERENCES users(id) ON DELETE SET NULL,
  responded_at timestamptz,
  resolved_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT emergency_requests_type_check CHECK (emergency_type IN ('অগ্নিকাণ্ড', 'চিকিৎসা জরুরি', 'পুলিশ', 'প্রাকৃতিক দুর্যোগ', 'অন্যান্য')),
  CONSTRAINT emergency_requests_status_check CHECK (status IN ('জমা দেওয়া হয়েছে', 'প্রক্রিয়াধীন', 'সমাধান হয়েছে')),
  CONSTRAINT emergency_requests_priority_check CHECK (priority IN ('উচ্চ', 'মধ্যম', 'নিম্ন')),
  CONSTRAINT emergency_requests_latitude_check CHECK (latitude BETWEEN -90 AND 90),
  CONSTRAINT emergency_requests_longitude_check CHECK (longitude BETWEEN -180 AND 180)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_emergency_user_created ON emergency_requests (user_id, created_at DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_emergency_created ON emergency_requests (created_at DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_emergency_ward_created ON emergency_requests (ward_number, created_at DESC);
--> statement-breakpoint
-- The desk's catch-up (`?since=`) reads what changed after an instant.
CREATE INDEX IF NOT EXISTS idx_emergency_updated ON emergency_requests (updated_at);
--> statement-breakpoint
-- The desk's snapshot: what is still open.
CREATE INDEX IF NOT EXISTS idx_emergency_open ON emergency_requests (created_at DESC) WHERE status <> 'সমাধান হয়েছে';
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS emergency_updates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  emergency_id uuid NOT NULL REFERENCES emergency_requests(id) ON DELETE CASCADE,
  updated_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  old_status varchar(30),
  new_status varchar(30) NOT NULL,
  assigned_to uuid REFERENCES users(id) ON DELETE SET NULL,
  note text,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_emergency_updates_emergency ON emergency_updates (emergency_id, created_at);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS emergency_contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name_bn varchar(150) NOT NULL,
  name_en varchar(150) NOT NULL,
  phone varchar(30) NOT NULL,
  category varchar(30) NOT NULL,
  description text,
  sort_order integer NOT NULL DEFAULT 100,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT emergency_contacts_category_check CHECK (category IN ('national', 'fire', 'ambulance', 'police', 'city', 'health', 'other'))
);
--> statement-breakpoint
-- The nation's hotlines and the city corporation's control room (README: check the control room's
-- number with the corporation before launch; admins edit these through the API).
INSERT INTO emergency_contacts (name_bn, name_en, phone, category, description, sort_order) VALUES
  ('জাতীয় জরুরি সেবা', 'National Emergency Service', '999', 'national', 'Police, fire service and ambulance, free, 24/7', 10),
  ('ফায়ার সার্ভিস ও সিভিল ডিফেন্স', 'Fire Service and Civil Defence', '16163', 'fire', 'Fire and rescue hotline', 20),
  ('অ্যাম্বুলেন্স (জাতীয় জরুরি সেবা)', 'Ambulance (National Emergency Service)', '999', 'ambulance', 'Ask for an ambulance', 30),
  ('স্বাস্থ্য বাতায়ন', 'Shastho Batayon health line', '16263', 'health', 'Doctor advice and ambulance referral', 35),
  ('পুলিশ (জাতীয় জরুরি সেবা)', 'Police (National Emergency Service)', '999', 'police', 'Ask for the police', 40),
  ('সিটি কর্পোরেশন নিয়ন্ত্রণ কক্ষ', 'City Corporation control room', '16106', 'city', 'Clean Care control room, 24/7', 50);

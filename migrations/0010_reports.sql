-- Dashboard reports: a task per request, built by the `reports` queue consumer into R2.
CREATE TABLE IF NOT EXISTS report_tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  requested_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  report_type varchar(20) NOT NULL,
  format varchar(10) NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  ward_number varchar(10),
  status varchar(20) NOT NULL DEFAULT 'processing',
  object_key varchar(255),
  row_count integer,
  failure_reason text,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  CONSTRAINT report_tasks_type_check CHECK (report_type IN ('daily', 'weekly', 'monthly', 'quarterly', 'yearly')),
  CONSTRAINT report_tasks_format_check CHECK (format IN ('csv')),
  CONSTRAINT report_tasks_status_check CHECK (status IN ('processing', 'completed', 'failed'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_report_tasks_requester ON report_tasks (requested_by, created_at DESC);

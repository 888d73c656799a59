-- Reports in XLSX and PDF as well as CSV (issue 12): the format check widens; nothing else changes.
ALTER TABLE report_tasks DROP CONSTRAINT IF EXISTS report_tasks_format_check;
--> statement-breakpoint
ALTER TABLE report_tasks ADD CONSTRAINT report_tasks_format_check CHECK (format IN ('csv', 'xlsx', 'pdf'));

/** The shapes of a report's data (no imports: the PDF layout and its Node render script use them too). */
export interface ComplaintRow {
  id: string;
  tracking_number: string;
  created_at: string | Date;
  cursor_at: string;
  category: string;
  priority: string;
  status: string;
  ward_number: string | null;
  title: string;
  resolved_at: string | Date | null;
  rating: number | null;
}

export interface GroupFigures {
  total: number;
  resolved: number;
  open: number;
  cancelled: number;
  resolution_rate: number | null;
  average_rating: number | null;
  median_resolution_hours: number | null;
}

export interface ReportSummary extends GroupFigures {
  rated: number;
  by_status: { status: string; total: number }[];
  by_priority: { priority: string; total: number }[];
  by_ward: (GroupFigures & { ward_number: string | null })[];
  by_category: (GroupFigures & { category: string })[];
  by_day: { day: string; total: number; resolved: number }[];
  /** The newest complaints (at most `latest`), newest first. */
  latest: Omit<ComplaintRow, "cursor_at">[];
}

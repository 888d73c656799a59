import type { ReportSummary } from "./report-data";
export const PDF_LATEST_ROWS = 40;
export async function renderReportPdf(_summary: ReportSummary, _meta: { periodStart: string; periodEnd: string; ward: string | null; generatedAt: Date }): Promise<Uint8Array> {
  throw new Error("PDF reports are not built yet");
}

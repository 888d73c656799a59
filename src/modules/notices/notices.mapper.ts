/** Database records → the contract's notice objects. */
import type { NoticeRecord } from "./notices.queries";

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

export function toNoticeDto(row: NoticeRecord) {
  return {
    id: row.id,
    title: row.title,
    content: row.content,
    category: row.category,
    priority: row.priority,
    is_urgent: row.is_urgent,
    target_wards: row.target_wards,
    published_at: iso(row.published_at)!,
    expires_at: iso(row.expires_at),
    is_active: row.is_active,
    created_by: row.created_by ? { id: row.created_by, name: row.created_by_name ?? "" } : null,
    view_count: row.view_count,
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
  };
}

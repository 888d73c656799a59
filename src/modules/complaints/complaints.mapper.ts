/** Database records → the contract's complaint objects. */
import type { ComplaintRecord, NearbyRecord } from "./complaints.queries";

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
const num = (v: string | null) => (v === null ? null : Number(v));

export function imageUrl(origin: string, complaintId: string, imageId: string): string {
  return `${origin}/api/v1/complaints/${complaintId}/images/${imageId}`;
}

export function toComplaintDto(row: ComplaintRecord, origin: string) {
  return {
    id: row.id,
    tracking_number: row.tracking_number,
    user: { id: row.user_id, name: row.user_name },
    title: row.title,
    description: row.description,
    category: row.category,
    priority: row.priority,
    status: row.status,
    location: row.location,
    latitude: num(row.latitude),
    longitude: num(row.longitude),
    ward_number: row.ward_number,
    assigned_to: row.assigned_to ? { id: row.assigned_to, name: row.assigned_name ?? "" } : null,
    images: row.images.map((i) => ({
      id: i.id,
      url: imageUrl(origin, row.id, i.id),
      image_name: i.image_name,
      file_size: i.file_size,
      content_type: i.content_type,
      uploaded_at: new Date(i.uploaded_at).toISOString(),
    })),
    rating: row.rating,
    feedback: row.feedback,
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    resolved_at: iso(row.resolved_at),
  };
}

export function toNearbyDto(row: NearbyRecord) {
  return {
    id: row.id,
    title: row.title,
    category: row.category,
    status: row.status,
    latitude: Number(row.latitude),
    longitude: Number(row.longitude),
    distance_m: row.distance_m,
    created_at: new Date(row.created_at).toISOString(),
  };
}

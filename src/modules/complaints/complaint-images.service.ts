/**
 * Complaint photos: at most five per complaint in all, 5 MB each, JPEG/PNG/WebP recognised by
 * their bytes, stored in R2 under random keys and streamed back only to those who may see the
 * complaint. Every file is checked before any is stored, so a bad sixth file stores nothing.
 */
import type { AuthUser } from "../../lib/tokens";
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { UserRow } from "../../db/types";
import { ApiError, validationError } from "../../lib/errors";
import { putImage, readImageUpload, streamObject } from "../../providers/storage";
import { isStaff } from "../users/users.service";
import { IMAGE_MAX_BYTES, MAX_IMAGES_PER_COMPLAINT } from "./complaints.schemas";
import { STATUS } from "./status-machine";

export interface StoredPhoto {
  object_key: string;
  image_name: string;
  file_size: number;
  content_type: string;
  /** 1-based, in upload order; offset by the photos the complaint already has. */
  position: number;
}

type ValidImage = Awaited<ReturnType<typeof readImageUpload>>;

const tooMany = (alreadyThere: number) =>
  validationError({ images: [`At most ${MAX_IMAGES_PER_COMPLAINT} photos per complaint (it has ${alreadyThere}).`] });

/** Checks count, size and type of every file (400/413/415) without storing anything. */
export async function validateComplaintImages(files: unknown[], alreadyThere: number): Promise<ValidImage[]> {
  if (alreadyThere + files.length > MAX_IMAGES_PER_COMPLAINT) throw tooMany(alreadyThere);
  const images: ValidImage[] = [];
  for (const file of files) images.push(await readImageUpload(file, IMAGE_MAX_BYTES, "images"));
  return images;
}

export async function storeComplaintImages(services: ServiceContext, images: ValidImage[], alreadyThere = 0): Promise<StoredPhoto[]> {
  const stored = await Promise.all(images.map((image) => putImage(services.env.MEDIA, "complaints", image)));
  return stored.map((s, i) => ({ object_key: s.key, image_name: s.name, file_size: s.size, content_type: s.contentType, position: alreadyThere + i + 1 }));
}

export async function deleteObjects(services: ServiceContext, keys: string[]): Promise<void> {
  if (keys.length) await services.env.MEDIA.delete(keys);
}

/** Multipart `images` may arrive as one file, several same-named fields, or `images[]`. */
export function filesFromForm(form: Record<string, unknown>): unknown[] {
  const value = form.images ?? form["images[]"];
  if (value === undefined || value === "") return [];
  return Array.isArray(value) ? value : [value];
}

interface ComplaintAccess {
  id: string;
  user_id: string;
  status: string;
  image_count: number;
}

async function accessFor(services: ServiceContext, viewer: AuthUser, complaintId: string): Promise<ComplaintAccess> {
  const { rows } = await services.db.execute<ComplaintAccess & Record<string, unknown>>(sql`
    select c.id, c.user_id, c.status, (select count(*)::int from complaint_images i where i.complaint_id = c.id) as image_count
    from complaints c
    where c.id = ${complaintId} ${isStaff(viewer) ? sql`` : sql`and c.user_id = ${viewer.id}`}`);
  if (!rows[0]) throw new ApiError("not_found");
  return rows[0];
}

const OPEN = [STATUS.submitted, STATUS.inProgress] as string[];

/**
 * Adds photos to an existing complaint (owner while it is open; staff any time). The complaint row
 * is locked while the count is checked, so two simultaneous uploads cannot pass five together.
 */
export async function addComplaintImages(services: ServiceContext, actor: AuthUser, complaintId: string, files: unknown[]) {
  if (files.length === 0) throw validationError({ images: ["Attach 1 to 5 image files."] });
  const access = await accessFor(services, actor, complaintId);
  if (!isStaff(actor) && !OPEN.includes(access.status)) throw new ApiError("conflict");
  const images = await validateComplaintImages(files, access.image_count);
  const stored = await storeComplaintImages(services, images, access.image_count);
  try {
    await services.interactive(async (tx) => {
      await tx.execute(sql`select id from complaints where id = ${complaintId} for update`);
      const { rows } = await tx.execute<{ id: string }>(sql`
        insert into complaint_images (complaint_id, object_key, image_name, file_size, content_type, position)
        select ${complaintId}, p.object_key, p.image_name, p.file_size, p.content_type, p.position
        from jsonb_to_recordset(${JSON.stringify(stored)}::jsonb)
             as p(object_key text, image_name text, file_size int, content_type text, position int)
        where (select count(*) from complaint_images where complaint_id = ${complaintId}) + ${stored.length} <= ${MAX_IMAGES_PER_COMPLAINT}
        returning id`);
      if (rows.length !== stored.length) throw tooMany(MAX_IMAGES_PER_COMPLAINT);
      await tx.execute(sql`update complaints set updated_at = now() where id = ${complaintId}`);
    });
  } catch (err) {
    await deleteObjects(services, stored.map((s) => s.object_key));
    throw err;
  }
}

async function findImage(services: ServiceContext, viewer: AuthUser, complaintId: string, imageId: string) {
  const { rows } = await services.db.execute<{ object_key: string; user_id: string; status: string }>(sql`
    select i.object_key, c.user_id, c.status from complaint_images i join complaints c on c.id = i.complaint_id
    where i.id = ${imageId} and c.id = ${complaintId} ${isStaff(viewer) ? sql`` : sql`and c.user_id = ${viewer.id}`}`);
  if (!rows[0]) throw new ApiError("not_found");
  return rows[0];
}

export async function streamComplaintImage(services: ServiceContext, viewer: AuthUser, complaintId: string, imageId: string): Promise<Response> {
  const image = await findImage(services, viewer, complaintId, imageId);
  // Private: only the owner and staff may see it, so shared caches must not keep it.
  return streamObject(services.env.MEDIA, image.object_key, "private, max-age=3600");
}

/** Owner while submitted, staff any: the row goes, then its R2 object. */
export async function deleteComplaintImage(services: ServiceContext, actor: AuthUser, complaintId: string, imageId: string): Promise<void> {
  const image = await findImage(services, actor, complaintId, imageId);
  if (!isStaff(actor) && image.status !== STATUS.submitted) throw new ApiError("conflict");
  const { rows } = await services.db.execute<{ object_key: string }>(sql`
    delete from complaint_images where id = ${imageId} and complaint_id = ${complaintId} returning object_key`);
  await deleteObjects(services, rows.map((r) => r.object_key));
}

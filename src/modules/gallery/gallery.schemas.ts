/** Gallery payloads (contract §8, issue 11). */
import { z } from "@hono/zod-openapi";

const person = z.object({ id: z.string().uuid(), name: z.string() });

export const galleryItemSchema = z
  .object({
    id: z.string().uuid(),
    title: z.string(),
    description: z.string(),
    category: z.string().openapi({ example: "cleaning_drive" }),
    media_type: z.enum(["image", "video"]),
    url: z.string().openapi({ description: "Public, immutable, supports Range", example: "https://api.example/api/v1/gallery/media/0b9e2c3e-2f55-4a53-8a43-3e1f5a2b9c10.mp4" }),
    thumbnail_url: z.string().nullable().openapi({ description: "Images: the image itself; videos: null (no poster frame is generated)" }),
    content_type: z.string().openapi({ example: "video/mp4" }),
    file_size: z.number().int(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    created_by: person.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("GalleryItem");

const category = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_-]{1,50}$/, "A category is 1–50 of a–z, 0–9, _ and -.")
  .openapi({ example: "cleaning_drive" });
const title = z.string().trim().min(1).max(200);
const description = z.string().trim().max(5000);
const dimension = z.coerce.number().int().min(1).max(65_535);

/** The upload's metadata rides in the query string; the body is the file's bytes. */
export const uploadQuery = z.object({
  title: title.openapi({ description: "Required (URL-encoded; Bengali welcome)" }),
  description: description.optional(),
  category: category.optional().openapi({ description: "Default `general`" }),
  width: dimension.optional().openapi({ description: "Videos: the frame width (images: read from the file)" }),
  height: dimension.optional().openapi({ description: "Videos: the frame height (images: read from the file)" }),
});
export type UploadInput = z.infer<typeof uploadQuery>;

export const updateItemJson = z
  .object({ title: title.optional(), description: description.optional(), category: category.optional() })
  .strict()
  .openapi("UpdateGalleryItem");
export type UpdateItemInput = z.infer<typeof updateItemJson>;

export const listQuery = z.object({
  category: category.optional(),
  media_type: z.enum(["image", "video"]).optional(),
});
export type GalleryFilters = z.infer<typeof listQuery>;

export const mediaParam = z.object({
  file: z
    .string()
    .regex(/^[0-9a-f-]{36}\.(jpg|png|webp|mp4|webm)$/)
    .openapi({ param: { name: "file", in: "path" }, example: "0b9e2c3e-2f55-4a53-8a43-3e1f5a2b9c10.mp4" }),
});

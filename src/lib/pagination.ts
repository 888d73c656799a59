/** Page-number pagination (contract §1): `?page=1&page_size=20` (max 100) → {count, next, previous, results}. */
import { z } from "@hono/zod-openapi";

export const paginationQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).openapi({ example: 1 }),
  page_size: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
});

export type PageRequest = z.infer<typeof paginationQuery>;

export function pageEnvelopeSchema<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    count: z.number().int(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });
}

export function pageLimits(page: PageRequest): { limit: number; offset: number } {
  return { limit: page.page_size, offset: (page.page - 1) * page.page_size };
}

export function pageEnvelope<T>(requestUrl: string, page: PageRequest, count: number, results: T[]) {
  const link = (n: number) => {
    const url = new URL(requestUrl);
    url.searchParams.set("page", String(n));
    url.searchParams.set("page_size", String(page.page_size));
    return url.toString();
  };
  const lastPage = Math.max(1, Math.ceil(count / page.page_size));
  return {
    count,
    next: page.page < lastPage ? link(page.page + 1) : null,
    previous: page.page > 1 ? link(Math.min(page.page - 1, lastPage)) : null,
    results,
  };
}

/**
 * Money without floats. Amounts travel as decimal strings with two places ("1000.00", contract §1),
 * are stored as numeric(12,2), and any arithmetic happens on integer paisa (1 taka = 100 paisa).
 * numeric(12,2) tops out below 10^10 taka = 10^12 paisa, well inside Number.MAX_SAFE_INTEGER.
 */
import { z } from "@hono/zod-openapi";

/** The largest amount numeric(12,2) can hold, in paisa. */
export const MAX_PAISA = 999_999_999_999;

const DECIMAL = /^(\d{1,10})(?:\.(\d{1,2}))?$/;

/** "500", "500.5", "500.50" → 50050 paisa; anything else (sign, exponent, 3+ decimals, junk) → undefined. */
export function toPaisa(value: string): number | undefined {
  const match = DECIMAL.exec(value.trim());
  if (!match) return undefined;
  const paisa = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return paisa <= MAX_PAISA ? paisa : undefined;
}

/** 50050 → "500.50". */
export function formatPaisa(paisa: number): string {
  if (!Number.isSafeInteger(paisa) || paisa < 0) throw new RangeError(`not an amount in paisa: ${paisa}`);
  return `${Math.floor(paisa / 100)}.${String(paisa % 100).padStart(2, "0")}`;
}

/** Normalises a stored or gateway decimal ("500", "500.5") to the two-place form; undefined if malformed. */
export function normalizeAmount(value: string): string | undefined {
  const paisa = toPaisa(value);
  return paisa === undefined ? undefined : formatPaisa(paisa);
}

/**
 * A positive amount in BDT, given as a JSON string ("500.00") or number (500, 500.5). A number is
 * read through its shortest decimal form, so 0.1 stays 0.1 and 500.005 is refused rather than rounded.
 * Yields the two-place string.
 */
export const amountSchema = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value;
    const paisa = toPaisa(text);
    if (paisa === undefined || paisa === 0) {
      ctx.addIssue({ code: "custom", message: "Enter a positive amount in taka with at most 2 decimal places, e.g. \"500.00\"." });
      return z.NEVER;
    }
    return formatPaisa(paisa);
  })
  .openapi({ type: "string", example: "500.00", description: "BDT, a positive decimal with at most 2 places (string or number)" });

/** Bangladeshi mobile numbers: accepted as 01XXXXXXXXX, 8801XXXXXXXXX or +8801XXXXXXXXX; stored as +880… */
const STORED = /^\+8801[3-9]\d{8}$/;

export function normalizePhone(input: string): string | null {
  const compact = input.replace(/[\s-]/g, "");
  let candidate: string;
  if (/^01\d{9}$/.test(compact)) candidate = `+88${compact}`;
  else if (/^8801\d{9}$/.test(compact)) candidate = `+${compact}`;
  else candidate = compact;
  return STORED.test(candidate) ? candidate : null;
}

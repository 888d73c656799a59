/**
 * Complaint workflow (contract §5): submitted → in_progress → resolved; submitted | in_progress →
 * cancelled. Resolved and cancelled are final. Anything else is a 409.
 */
export const STATUS = {
  submitted: "জমা দেওয়া হয়েছে",
  inProgress: "প্রক্রিয়াধীন",
  resolved: "সমাধান হয়েছে",
  cancelled: "বাতিল",
} as const;

const allowedMoves: Record<string, readonly string[]> = {
  [STATUS.submitted]: [STATUS.inProgress, STATUS.cancelled],
  [STATUS.inProgress]: [STATUS.resolved, STATUS.cancelled],
  [STATUS.resolved]: [],
  [STATUS.cancelled]: [],
};

export function canMove(from: string, to: string): boolean {
  return allowedMoves[from]?.includes(to) ?? false;
}

/** The statuses from which `to` may be reached (used to guard the UPDATE itself). */
export function sourcesOf(to: string): string[] {
  return Object.entries(allowedMoves)
    .filter(([, targets]) => targets.includes(to))
    .map(([from]) => from);
}

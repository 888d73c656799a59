/**
 * The step runner of the black-box tests (test/e2e, test/browser): a flow stops at its first
 * failure and its remaining steps are counted as skipped. Node-side only.
 */
export const tally = { passed: 0, failed: 0, skipped: 0 };

export class StepFailure extends Error {}

export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new StepFailure(message);
}

/** Runs `steps` in order; `onFailure` (e.g. a screenshot) runs once when one fails. */
export async function flow(title: string, steps: [string, () => Promise<void>][], onFailure?: (index: number) => Promise<void>): Promise<void> {
  console.log(`\n${title}`);
  for (const [i, [name, run]] of steps.entries()) {
    try {
      await run();
      tally.passed++;
      console.log(`  ✓ ${name}`);
    } catch (err) {
      tally.failed++;
      console.log(`  ✗ ${name}\n      ${err instanceof Error ? err.message.split("\n").slice(0, 6).join("\n      ") : String(err)}`);
      await onFailure?.(i).catch(() => undefined);
      for (const [rest] of steps.slice(i + 1)) {
        tally.skipped++;
        console.log(`  - ${rest} (skipped)`);
      }
      return;
    }
  }
}

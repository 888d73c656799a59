/**
 * A room's copy of its log into Postgres, and the object's one alarm.
 *
 * A sender's ack waits for its message's copy (`settle`, at most SETTLE_TIMEOUT_MS): room lists and
 * unread counts are read from Postgres, so an acknowledged message is in them at once. Copies run one
 * at a time and everything written while one runs goes in the next (a group commit), so a busy room
 * still copies in batches, one round trip each. The alarm, set a moment ahead (SYNC_DELAY_MS) after
 * every write, is the safety net: it copies whatever is still pending (500 messages per statement)
 * and sets itself again while anything is left. When Postgres cannot be reached the copy backs off (1 s, 2 s, 4 s … 30 s)
 * and messages keep being accepted meanwhile: the room's own log is all the room needs. The same
 * alarm also wakes the room when a socket's token expires (the caller passes those times in).
 */
import { withServiceContext } from "../src/context";
import { describeCopyError, syncRoomLog } from "../src/modules/chat/chat-sync.service";
import type { ChatLog } from "./chat-room-log";

export const SYNC_DELAY_MS = 250;
/** Longest an ack waits for its message's copy; after that the message is acked from the room's log alone. */
export const SETTLE_TIMEOUT_MS = 1000;
const SYNC_BATCH = 500;
const BACKOFF_MS = { first: 1000, max: 30_000 };
/** A copy that takes longer counts as failed (it is idempotent, so retrying is safe). */
const SYNC_TIMEOUT_MS = 20_000;
/** Batches per alarm, so that one alarm cannot run for ever. */
const MAX_ROUNDS = 20;

export class RoomSync {
  /** When the alarm is set for (null: none). Loaded before the first event, then kept in step. */
  private alarmAt: number | null = null;
  /** Consecutive failed copies (drives the backoff). */
  failures = 0;
  private notBefore = 0;
  /** Copies run one at a time (the alarm, acks and an explicit `syncNow` may overlap). */
  private chain: Promise<void> = Promise.resolve();
  /** The copy queued behind the running one, not started yet: later writers join it. */
  private queued: Promise<void> | null = null;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
    private readonly log: ChatLog,
    /** Who has an open socket in the room now (members offline get a notification of the copy). */
    private readonly online: () => string[] = () => [],
  ) {}

  /**
   * On wake: learn when the alarm is set, and set one if messages are waiting for the copy without
   * one (e.g. the object was reset between a write and its alarm), so that they go without waiting
   * for the next message.
   */
  async loadAlarm(): Promise<void> {
    this.alarmAt = await this.storage.getAlarm();
    if (this.alarmAt === null && this.log.hasPendingSync()) this.requested();
  }

  /** Sets the alarm for `at` unless one is already due sooner. */
  schedule(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    this.storage.setAlarm(at).catch((err: unknown) => console.error(JSON.stringify({ level: "error", msg: "chat setAlarm failed", error: String(err) })));
  }

  /** Something was written to the log: copy it soon (not sooner than the backoff allows). */
  requested(): void {
    this.schedule(Math.max(Date.now() + SYNC_DELAY_MS, this.notBefore));
  }

  /** The alarm is running: it is no longer scheduled, and copies if the backoff allows. */
  async onAlarm(): Promise<void> {
    this.alarmAt = null;
    if (Date.now() >= this.notBefore) await this.run();
  }

  /** When the next copy is due, or null if nothing is pending. */
  nextDue(): number | null {
    return this.log.hasPendingSync() ? Math.max(Date.now() + SYNC_DELAY_MS, this.notBefore) : null;
  }

  /**
   * Copies what the log holds now and resolves once that copy is done — at once when Postgres failed
   * recently (inside the backoff: senders are not made to wait on an outage), and after
   * SETTLE_TIMEOUT_MS at the latest. Never rejects: the message is already durable in the room's
   * log, and the alarm copies whatever this could not.
   */
  async settle(): Promise<void> {
    if (Date.now() < this.notBefore) return;
    await withTimeout(this.run(), SETTLE_TIMEOUT_MS).catch(() => undefined);
  }

  /** Copies now, whatever the backoff (development tools and tests). */
  now(): Promise<void> {
    this.notBefore = 0;
    return this.run();
  }

  private run(): Promise<void> {
    if (this.queued) return this.queued;
    const start = () => {
      this.queued = null; // from here on, new writes need the copy after this one
      return this.pass();
    };
    this.queued = this.chain = this.chain.then(start, start);
    return this.queued;
  }

  private async pass(): Promise<void> {
    const roomId = this.log.roomId;
    if (!roomId) return;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const messages = this.log.pending(SYNC_BATCH);
      const reads = this.log.pendingReads();
      if (messages.length === 0 && reads.length === 0) return;
      try {
        // The timeout covers closing the connection too: a hung database must not hold the alarm.
        const result = await withTimeout(
          withServiceContext(this.env, (services) => syncRoomLog(services, roomId, { messages, reads, online: this.online() })),
          SYNC_TIMEOUT_MS,
        );
        this.log.markCopied(result.copied);
        for (const r of result.rejected) {
          this.log.markRejected(r.id, r.error);
          console.error(JSON.stringify({ level: "error", msg: "chat message refused by Postgres; kept in the room log", room_id: roomId, message_id: r.id, error: r.error }));
        }
        this.log.markReadsCopied(reads);
        this.failures = 0;
        this.notBefore = 0;
        if (messages.length < SYNC_BATCH) return;
      } catch (err) {
        this.failures++;
        const backoff = Math.min(BACKOFF_MS.max, BACKOFF_MS.first * 2 ** (this.failures - 1));
        this.notBefore = Date.now() + backoff;
        console.warn(
          JSON.stringify({ level: "warn", msg: "chat copy to Postgres failed; will retry", room_id: roomId, attempt: this.failures, retry_in_ms: backoff, error: describeCopyError(err) }),
        );
        return;
      }
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
  });
}

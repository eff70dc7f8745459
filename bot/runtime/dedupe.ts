// Webhook de-duplication across instances, in two phases. An instance claims an update_id as "processing" for a
// short lease before handling it, and marks it "done" after the handler finished. A second delivery of the
// same update (Telegram's retry, a load balancer retrying on another instance) finds:
//   done        → "duplicate": answered 200, not handled again;
//   processing  → "busy": answered 503 so Telegram tries again later (the first instance may still finish it);
//   a processing claim whose lease ran out (its instance died) → claimed again and handled.
// A failed handling releases the claim at once, so the retry is processed.
import type { Redis } from "ioredis";
import type { PrismaClient } from "../../generated/prisma/client.ts";

export type Claim = "claimed" | "duplicate" | "busy";

export interface UpdateDeduper {
  readonly kind: "redis" | "postgres";
  /** Claim the update for this instance for `leaseMs`. */
  claim(updateId: number, leaseMs?: number): Promise<Claim>;
  /** The update was handled: keep it as done (later deliveries are duplicates). */
  done(updateId: number): Promise<void>;
  /** Forget a claim (handling failed; let Telegram's retry through). */
  release(updateId: number): Promise<void>;
  /** Delete old claims (no-op where they expire by themselves). */
  prune(): Promise<number>;
}

/** Telegram keeps an unconfirmed update for at most 24 hours; done claims live a little longer. */
export const CLAIM_TTL_SECONDS = 26 * 60 * 60;
/** How long a processing claim holds: longer than an update takes, short enough for a retry after a crash. */
export const PROCESSING_LEASE_MS = 30_000;

/** Redis: `SET key p NX PX lease`, then `SET key d EX ttl`. Keys `<prefix>{upd}:<id>`. */
export class RedisDeduper implements UpdateDeduper {
  readonly kind = "redis" as const;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = CLAIM_TTL_SECONDS,
  ) {}
  private key(id: number) {
    return `${this.prefix}{upd}:${id}`;
  }
  async claim(updateId: number, leaseMs = PROCESSING_LEASE_MS): Promise<Claim> {
    if ((await this.redis.set(this.key(updateId), "p", "PX", leaseMs, "NX")) === "OK") return "claimed";
    return (await this.redis.get(this.key(updateId))) === "d" ? "duplicate" : "busy";
  }
  async done(updateId: number): Promise<void> {
    await this.redis.set(this.key(updateId), "d", "EX", this.ttlSeconds);
  }
  async release(updateId: number): Promise<void> {
    await this.redis.del(this.key(updateId));
  }
  async prune(): Promise<number> {
    return 0;
  }
}

/** PostgreSQL: one row per update; the primary key decides who was first, the lease who may take over. */
export class PostgresDeduper implements UpdateDeduper {
  readonly kind = "postgres" as const;
  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlSeconds = CLAIM_TTL_SECONDS,
  ) {}
  async claim(updateId: number, leaseMs = PROCESSING_LEASE_MS): Promise<Claim> {
    const id = BigInt(updateId);
    const until = new Date(Date.now() + leaseMs).toISOString();
    const won = await this.prisma.$queryRaw<{ updateId: bigint }[]>`
      INSERT INTO "ProcessedUpdate" ("updateId", state, "claimedUntil", "createdAt")
      VALUES (${id}, 'processing', ${until}::timestamp, now())
      ON CONFLICT ("updateId") DO UPDATE SET state = 'processing', "claimedUntil" = EXCLUDED."claimedUntil"
       WHERE "ProcessedUpdate".state = 'processing' AND "ProcessedUpdate"."claimedUntil" < now()
      RETURNING "updateId"`;
    if (won.length) return "claimed";
    const row = await this.prisma.$queryRaw<{ state: string }[]>`
      SELECT state FROM "ProcessedUpdate" WHERE "updateId" = ${id}`;
    return row[0]?.state === "done" ? "duplicate" : "busy";
  }
  async done(updateId: number): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE "ProcessedUpdate" SET state = 'done', "claimedUntil" = NULL WHERE "updateId" = ${BigInt(updateId)}`;
  }
  async release(updateId: number): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM "ProcessedUpdate" WHERE "updateId" = ${BigInt(updateId)}`;
  }
  async prune(): Promise<number> {
    const before = new Date(Date.now() - this.ttlSeconds * 1000).toISOString();
    return this.prisma.$executeRaw`DELETE FROM "ProcessedUpdate" WHERE "createdAt" < ${before}::timestamp`;
  }
}

/**
 * Redis first, PostgreSQL when Redis does not answer: a Redis outage does not stop the webhook (both are
 * shared by every instance; an update claimed in one store during the switch could in the worst case be
 * claimed again in the other, where the decisions' version checks still keep each decision single).
 */
export class FallbackDeduper implements UpdateDeduper {
  readonly kind = "redis" as const;
  constructor(
    private readonly primary: UpdateDeduper,
    private readonly fallback: UpdateDeduper,
    private readonly onFallback: (e: unknown) => void = () => {},
  ) {}
  private async either<T>(f: (d: UpdateDeduper) => Promise<T>): Promise<T> {
    try {
      return await f(this.primary);
    } catch (e) {
      this.onFallback(e);
      return f(this.fallback);
    }
  }
  claim(updateId: number, leaseMs?: number) {
    return this.either((d) => d.claim(updateId, leaseMs));
  }
  done(updateId: number) {
    return this.either((d) => d.done(updateId));
  }
  release(updateId: number) {
    return this.either((d) => d.release(updateId));
  }
  prune() {
    return this.fallback.prune();
  }
}

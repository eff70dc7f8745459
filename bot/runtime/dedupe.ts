// Webhook de-duplication across instances: an update is handled by whoever claims its update_id first.
// Telegram re-sends an update it got no 2xx for, and a load balancer may retry a request on another
// instance; both must not decide twice. The claim is released when handling fails, so a retry is processed.
import type { Redis } from "ioredis";
import type { PrismaClient } from "../../generated/prisma/client.ts";

export interface UpdateDeduper {
  readonly kind: "redis" | "postgres";
  /** True for the first caller with this update id (it must handle the update), false for every later one. */
  claim(updateId: number): Promise<boolean>;
  /** Forget a claim (handling failed; let Telegram's retry through). */
  release(updateId: number): Promise<void>;
  /** Delete old claims (no-op where they expire by themselves). */
  prune(): Promise<number>;
}

/** Telegram keeps an unconfirmed update for at most 24 hours; claims live a little longer. */
export const CLAIM_TTL_SECONDS = 26 * 60 * 60;

/** `SET key NX EX ttl`: atomic across instances sharing the Redis; expires by itself. */
export class RedisDeduper implements UpdateDeduper {
  readonly kind = "redis" as const;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = CLAIM_TTL_SECONDS,
  ) {}
  private key(id: number) {
    return `${this.prefix}upd:${id}`;
  }
  async claim(updateId: number): Promise<boolean> {
    return (await this.redis.set(this.key(updateId), "1", "EX", this.ttlSeconds, "NX")) === "OK";
  }
  async release(updateId: number): Promise<void> {
    await this.redis.del(this.key(updateId));
  }
  async prune(): Promise<number> {
    return 0;
  }
}

/** INSERT … ON CONFLICT DO NOTHING into ProcessedUpdate: the primary key decides who was first. */
export class PostgresDeduper implements UpdateDeduper {
  readonly kind = "postgres" as const;
  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlSeconds = CLAIM_TTL_SECONDS,
  ) {}
  async claim(updateId: number): Promise<boolean> {
    const n = await this.prisma.$executeRaw`
      INSERT INTO "ProcessedUpdate" ("updateId") VALUES (${BigInt(updateId)}) ON CONFLICT DO NOTHING`;
    return n === 1;
  }
  async release(updateId: number): Promise<void> {
    await this.prisma.processedUpdate.deleteMany({ where: { updateId: BigInt(updateId) } });
  }
  async prune(): Promise<number> {
    const before = new Date(Date.now() - this.ttlSeconds * 1000);
    const r = await this.prisma.processedUpdate.deleteMany({ where: { createdAt: { lt: before } } });
    return r.count;
  }
}

// Key-value storage for sessions and conversation state: Redis when configured, memory otherwise.
import type { StorageAdapter } from "grammy";
import type { Redis } from "ioredis";

export class RedisStorage<T> implements StorageAdapter<T> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 60 * 60 * 24 * 30,
  ) {}
  async read(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(this.prefix + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }
  async write(key: string, value: T): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(value), "EX", this.ttlSeconds);
  }
  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

export class MemoryStorage<T> implements StorageAdapter<T> {
  private readonly map = new Map<string, string>();
  read(key: string): T | undefined {
    const raw = this.map.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  write(key: string, value: T): void {
    this.map.set(key, JSON.stringify(value));
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

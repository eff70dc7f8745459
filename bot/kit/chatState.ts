// The chat state of the update being handled (session + open prompt), read together with the user in one
// statement, handed to the session middleware and to the conversations plugin's storage without another round
// trip, and written back to PostgreSQL only when it changed.
import type { StorageAdapter } from "grammy";

type Save = (
  key: string,
  userId: string | null,
  state: { session?: unknown; prompt?: unknown },
) => Promise<void>;

export class ChatStates {
  private readonly open = new Map<string, { userId: string | null; prompt: unknown }>();
  constructor(private readonly save: Save) {}

  /** At the start of an update (updates of one key run one at a time). */
  begin(key: string, userId: string | null, prompt: unknown): void {
    this.open.set(key, { userId, prompt: prompt ?? undefined });
  }

  /** At the end of an update. */
  end(key: string): void {
    this.open.delete(key);
  }

  /** The conversations plugin's storage: the open prompt of the update's key. */
  promptStorage(): StorageAdapter<unknown> {
    return {
      read: (key) => this.open.get(key)?.prompt ?? undefined,
      write: async (key, value) => {
        const e = this.open.get(key);
        if (e) e.prompt = value;
        await this.save(key, e?.userId ?? null, { prompt: value });
      },
      delete: async (key) => {
        const e = this.open.get(key);
        if (e) e.prompt = undefined;
        await this.save(key, e?.userId ?? null, { prompt: null });
      },
    };
  }
}

// Albums (issue 14): several files sent at once reach the bot as one update per file, sharing a `media_group_id`,
// with nothing that says how many there are. Each file is taken as it comes (downloaded, stored, written to the
// draft: updates of one chat are handled one at a time), and the reply is deferred: the group is kept here, in the
// process, and ONE message listing every file of the group (attached or refused, and why) with the step's screen is
// sent once no file of the group came for ALBUM_QUIET_MS.
//
// Limits: the buffer lives in one process. With several instances behind a load balancer (webhook mode), the files
// of one album may reach different instances; each then answers once for the files it took (two or three replies
// instead of one), and each file is still written exactly once (a write that lost the version race is retried on
// the draft as it is now). A restart within the quiet period loses that reply (the files are kept). drainAlbums()
// sends every pending reply at once (tests, graceful shutdown).

/** How long the group may stay quiet before its reply is sent (Telegram delivers an album's updates together). */
export const ALBUM_QUIET_MS = 700;

export interface AlbumItem {
  name: string;
  ok: boolean;
  /** Why a file was not taken: a wizard:file.* key suffix ("too_big", "bad_type", "one_file", …). */
  reason?: string;
}

interface Group {
  /** The step the group's first file arrived at (later files of the group follow it). */
  step: string;
  items: AlbumItem[];
  timer?: ReturnType<typeof setTimeout>;
  flush?: (items: AlbumItem[]) => Promise<void>;
}

export class AlbumBuffer {
  private readonly groups = new Map<string, Group>();
  constructor(private readonly quietMs: number = ALBUM_QUIET_MS) {}

  /** The group of this key, if some of its files were already taken. */
  get(key: string): { step: string; items: readonly AlbumItem[] } | undefined {
    return this.groups.get(key);
  }

  /**
   * One file of the group: recorded, and the group's reply (re)scheduled; `flush` is the reply as this file left the
   * draft (the latest one wins). `onError` hears a failed reply (it is never retried).
   */
  add(
    key: string,
    step: string,
    item: AlbumItem,
    flush: (items: AlbumItem[]) => Promise<void>,
    onError: (e: unknown) => void,
  ): void {
    const g = this.groups.get(key) ?? { step, items: [] };
    g.items.push(item);
    g.flush = flush;
    if (g.timer) clearTimeout(g.timer);
    g.timer = setTimeout(() => void this.fire(key).catch(onError), this.quietMs);
    g.timer.unref?.();
    this.groups.set(key, g);
  }

  private async fire(key: string): Promise<void> {
    const g = this.groups.get(key);
    if (!g) return;
    this.groups.delete(key);
    if (g.timer) clearTimeout(g.timer);
    await g.flush?.(g.items);
  }

  /** Send every pending reply now. */
  async drain(): Promise<void> {
    await Promise.all([...this.groups.keys()].map((k) => this.fire(k)));
  }

  get size(): number {
    return this.groups.size;
  }
}

/** The process's album buffer. */
export const albums = new AlbumBuffer();

/** Send every pending album reply now (tests, shutdown). */
export const drainAlbums = (): Promise<void> => albums.drain();

/** The album key of a message (chat + media group), or null for a single message. */
export const albumKey = (ctx: {
  chat?: { id: number };
  message?: { media_group_id?: string };
}): string | null =>
  ctx.chat && ctx.message?.media_group_id ? `${ctx.chat.id}:${ctx.message.media_group_id}` : null;

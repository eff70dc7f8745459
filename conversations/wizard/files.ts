// The file steps (C6 SES permit, D2, D3): a file received (bot/kit/files.ts: checked before any download, stored by
// the FileStore port) and written to the draft, answered with ONE message: the step's screen with the file named
// above it. A file of an album is answered with the album (wizard/album.ts).
import type { StoredFileRef } from "../../domain/ports.ts";
import { receiveFile } from "../../bot/kit/files.ts";
import { escapeHtml } from "../../bot/kit/html.ts";
import type { AlbumItem } from "./album.ts";
import { type Change, commitQuietly, draftOf, t, type Wizard } from "./core.ts";
import type { Outcome } from "./flow.ts";
import { readProgress } from "./progress.ts";

/** Receive the message's file and write it with `change`; what became of it (never tells: the caller does). */
export async function takeFile(
  w: Wizard,
  change: (w: Wizard, file: StoredFileRef) => Change,
): Promise<AlbumItem> {
  const got = await receiveFile(w.ctx);
  if (!got.ok) return { name: got.fileName ?? "", ok: false, reason: got.error };
  const file = got.file;
  const added = [{ id: file.id, fileName: file.fileName, size: file.size, mimeType: file.mimeType }];
  let r = await commitQuietly(w, { ...change(w, file), files: added });
  // another write came first (an album's file on another instance): once more on the draft as it is now
  if (r?.kind === "stale" && w.ctx.user) {
    const fresh = await w.ctx.app.drafts.load(draftOf(w).id, w.ctx.user.id);
    if (fresh?.actions.includes("EDIT")) {
      w.view = fresh;
      w.p = readProgress(fresh.draft.progress);
      r = await commitQuietly(w, { ...change(w, file), files: added });
    }
  }
  return r ? { name: file.fileName, ok: false, reason: "not_saved" } : { name: file.fileName, ok: true };
}

/** The reply to a single file: the step's screen with the file named above it, or what was wrong. */
export async function fileAnswer(w: Wizard, item: AlbumItem): Promise<Outcome> {
  if (item.ok) return { note: t(w, "file.saved", { name: escapeHtml(item.name) }) };
  await w.ctx.reply(t(w, `file.${item.reason ?? "not_saved"}`), { parse_mode: "HTML" });
  return item.reason === "not_a_file" ? "render" : "done";
}

/** The line above the screen after an album: every file, attached or not (and why). */
export function albumNote(w: Wizard, items: readonly AlbumItem[]): string {
  const taken = items.filter((i) => i.ok).length;
  const lines = items.map((i, n) =>
    i.ok
      ? t(w, "album.line_ok", { n: n + 1, name: escapeHtml(i.name) })
      : t(w, "album.line_refused", {
          n: n + 1,
          name: escapeHtml(i.name || "—"),
          reason: t(w, `album.reason.${i.reason ?? "not_saved"}`),
        }),
  );
  return `${t(w, "album.title", { count: taken, total: items.length })}\n${lines.join("\n")}`;
}

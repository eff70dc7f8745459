// Attachments: PDF / JPEG / PNG sent as a document or a photo, ≤ 20 MB (G5, DECISIONS 18).
// The size is checked BEFORE downloading; the bytes are fetched through getFile +
// `${apiRoot}/file/bot<token>/<path>` and stored under FILES_DIR by SHA-256 (StoredFile row).
import { createHash } from "node:crypto";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Message } from "grammy/types";
import { ALLOWED_MIME_TYPES, MAX_FILE_BYTES } from "../../domain/types.ts";
import type { AppContext } from "../context.ts";

/** Injectable through deps.services.download (tests); defaults to the global fetch. */
export type DownloadFn = (url: string) => Promise<Response>;

export interface IncomingFile {
  fileId: string;
  fileName: string;
  mimeType: string;
  size?: number;
}

export type FileError = "not_a_file" | "bad_type" | "too_big" | "download_failed";

export interface StoredFileRef {
  id: string;
  fileName: string;
  size: number;
  mimeType: string;
  sha256: string;
}

/** The document or the largest photo of a message; null when the message carries neither. */
export function incomingFile(msg: Message | undefined): IncomingFile | null {
  if (!msg) return null;
  if (msg.document) {
    const d = msg.document;
    return {
      fileId: d.file_id,
      fileName: d.file_name ?? "document",
      mimeType: (d.mime_type ?? "").toLowerCase(),
      size: d.file_size,
    };
  }
  if (msg.photo?.length) {
    const p = msg.photo.reduce((a, b) => ((b.file_size ?? 0) > (a.file_size ?? 0) ? b : a));
    return {
      fileId: p.file_id,
      fileName: `photo_${msg.message_id}.jpg`,
      mimeType: "image/jpeg",
      size: p.file_size,
    };
  }
  return null;
}

/** Type and size check without downloading anything. */
export function checkIncoming(f: IncomingFile): FileError | null {
  if (!(ALLOWED_MIME_TYPES as readonly string[]).includes(f.mimeType)) {
    const ext = f.fileName.toLowerCase().split(".").pop();
    const byExt = ext === "pdf" || ext === "jpg" || ext === "jpeg" || ext === "png";
    if (!byExt || f.mimeType !== "") return "bad_type";
  }
  if (f.size !== undefined && f.size > MAX_FILE_BYTES) return "too_big";
  return null;
}

const MIME_BY_EXT: Record<string, string> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
};

/** Receive the file of the current message: check, download, store. */
export async function receiveFile(
  ctx: AppContext,
): Promise<{ ok: true; file: StoredFileRef } | { ok: false; error: FileError }> {
  const f = incomingFile(ctx.message);
  if (!f) return { ok: false, error: "not_a_file" };
  const bad = checkIncoming(f);
  if (bad) return { ok: false, error: bad };
  const mimeType =
    f.mimeType || MIME_BY_EXT[f.fileName.toLowerCase().split(".").pop() ?? ""] || "application/pdf";
  const meta = await ctx.api.getFile(f.fileId);
  if (meta.file_size !== undefined && meta.file_size > MAX_FILE_BYTES) return { ok: false, error: "too_big" };
  if (!meta.file_path) return { ok: false, error: "download_failed" };
  const { config } = ctx.deps;
  const token = config.BOT_TOKEN ?? "sandbox:token";
  const url = `${config.BOT_API_ROOT}/file/bot${token}/${meta.file_path}`;
  const download = (ctx.deps.services.download as DownloadFn | undefined) ?? ((u: string) => fetch(u));
  let bytes: Buffer;
  try {
    const res = await download(url);
    if (!res.ok) return { ok: false, error: "download_failed" };
    bytes = Buffer.from(await res.arrayBuffer());
  } catch {
    return { ok: false, error: "download_failed" };
  }
  if (bytes.length > MAX_FILE_BYTES) return { ok: false, error: "too_big" };
  const stored = await storeBytes(ctx, bytes, { fileName: f.fileName, mimeType, telegramFileId: f.fileId });
  return { ok: true, file: stored };
}

/** Write bytes under FILES_DIR/<sha[0..2]>/<sha> (once per content) and record a StoredFile. */
export async function storeBytes(
  ctx: Pick<AppContext, "deps" | "user">,
  bytes: Buffer,
  meta: { fileName: string; mimeType: string; telegramFileId?: string },
): Promise<StoredFileRef> {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const dir = resolve(ctx.deps.config.FILES_DIR, sha256.slice(0, 2));
  const path = join(dir, sha256);
  await mkdir(dir, { recursive: true });
  const exists = await stat(path).then(
    (s) => s.size === bytes.length,
    () => false,
  );
  if (!exists) await writeFile(path, bytes);
  const row = await ctx.deps.prisma.storedFile.create({
    data: {
      sha256,
      size: bytes.length,
      mimeType: meta.mimeType,
      fileName: meta.fileName.slice(0, 255),
      storagePath: join(sha256.slice(0, 2), sha256),
      telegramFileId: meta.telegramFileId ?? null,
      uploadedById: ctx.user?.id ?? null,
    },
  });
  return { id: row.id, fileName: row.fileName, size: row.size, mimeType: row.mimeType, sha256 };
}

/** Human size, e.g. "1.2 MB". */
export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

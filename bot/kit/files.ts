// Receiving a file from Telegram (G5, DECISIONS 18): PDF, JPEG or PNG sent as a document or a photo, ≤ 20 MB.
// The type and the size are checked BEFORE anything is downloaded; then getFile, the bytes through the Bot API's
// file server (ctx.download), and the FileStore port keeps them by SHA-256 with the file's record.
import type { Message } from "grammy/types";
import type { StoredFileRef } from "../../domain/ports.ts";
import { ALLOWED_MIME_TYPES, MAX_FILE_BYTES } from "../../domain/types.ts";
import type { AppContext } from "../context.ts";

export interface IncomingFile {
  fileId: string;
  fileName: string;
  mimeType: string;
  size?: number;
}

export type FileError = "not_a_file" | "bad_type" | "too_big" | "download_failed";

const MIME_BY_EXT: Record<string, string> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
};

const extOf = (name: string) => name.toLowerCase().split(".").pop() ?? "";

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

/** Type and size, without downloading anything. */
export function checkIncoming(f: IncomingFile): FileError | null {
  if (!(ALLOWED_MIME_TYPES as readonly string[]).includes(f.mimeType)) {
    // a document without a type is taken by its extension
    if (f.mimeType !== "" || !MIME_BY_EXT[extOf(f.fileName)]) return "bad_type";
  }
  if (f.size !== undefined && f.size > MAX_FILE_BYTES) return "too_big";
  return null;
}

/** Receive the file of the current message: check, getFile (size again), download, store. */
export async function receiveFile(
  ctx: AppContext,
): Promise<{ ok: true; file: StoredFileRef } | { ok: false; error: FileError; fileName?: string }> {
  const f = incomingFile(ctx.message);
  if (!f) return { ok: false, error: "not_a_file" };
  const bad = checkIncoming(f);
  if (bad) return { ok: false, error: bad, fileName: f.fileName };
  const mimeType = f.mimeType || MIME_BY_EXT[extOf(f.fileName)] || "application/pdf";
  const meta = await ctx.api.getFile(f.fileId);
  if (meta.file_size !== undefined && meta.file_size > MAX_FILE_BYTES)
    return { ok: false, error: "too_big", fileName: f.fileName };
  if (!meta.file_path) return { ok: false, error: "download_failed", fileName: f.fileName };
  const token = ctx.config.BOT_TOKEN ?? "sandbox:token";
  let bytes: Buffer;
  try {
    const res = await ctx.download(`${ctx.config.BOT_API_ROOT}/file/bot${token}/${meta.file_path}`);
    if (!res.ok) return { ok: false, error: "download_failed", fileName: f.fileName };
    bytes = Buffer.from(await res.arrayBuffer());
  } catch {
    return { ok: false, error: "download_failed", fileName: f.fileName };
  }
  if (bytes.length > MAX_FILE_BYTES) return { ok: false, error: "too_big", fileName: f.fileName };
  const file = await ctx.app.drafts.putFile(bytes, {
    fileName: f.fileName,
    mimeType,
    telegramFileId: f.fileId,
    uploadedById: ctx.user?.id ?? null,
  });
  return { ok: true, file };
}

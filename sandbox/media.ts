// Files: what the bot uploads and what a person sends, kept in memory with Telegram's file_id /
// file_unique_id / file_path; the bot's download URL (/file/bot<token>/<file_path>) and the page's
// download (/ui/files/<file_id>), and what Telegram checks about photos.
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { extname } from "node:path";
import type { UploadedFile } from "./body.ts";
import { bad, LIMITS, type StoredFile, type TgFileRef } from "./types.ts";

const MIME: Record<string, string> = {
  ".pdf": "application/pdf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".txt": "text/plain",
  ".csv": "text/csv",
  ".json": "application/json",
  ".zip": "application/zip",
  ".doc": "application/msword",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".xls": "application/vnd.ms-excel",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export function guessMime(name: string, bytes: Buffer, declared?: string): string {
  const byExt = MIME[extname(name).toLowerCase()];
  if (byExt) return byExt;
  if (bytes.subarray(0, 5).toString("latin1") === "%PDF-") return "application/pdf";
  if (declared && declared !== "application/octet-stream") return declared;
  return "application/octet-stream";
}

/** The image format by its first bytes (what Telegram can turn into a photo), or undefined. */
export function imageKind(b: Buffer): "png" | "jpeg" | "gif" | "webp" | undefined {
  if (b.length > 8 && b.readUInt32BE(0) === 0x89504e47) return "png";
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b.length > 6 && b.subarray(0, 4).toString("latin1") === "GIF8") return "gif";
  if (
    b.length > 12 &&
    b.subarray(0, 4).toString("latin1") === "RIFF" &&
    b.subarray(8, 12).toString() === "WEBP"
  )
    return "webp";
  return undefined;
}

/** Width and height of a PNG or JPEG (0×0 when unknown). */
export function imageSize(b: Buffer): { width: number; height: number } {
  if (b.length > 24 && b.readUInt32BE(0) === 0x89504e47)
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) {
        i++;
        continue;
      }
      const marker = b[i + 1]!;
      const len = b.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
      }
      i += 2 + len;
    }
  }
  return { width: 0, height: 0 };
}

const randomId = (bytes = 12) => randomBytes(bytes).toString("base64url");

export function docRef(f: StoredFile): TgFileRef {
  return {
    file_id: f.file_id,
    file_unique_id: f.file_unique_id,
    file_size: f.file_size,
    ...(f.file_name ? { file_name: f.file_name } : {}),
    ...(f.mime_type ? { mime_type: f.mime_type } : {}),
  };
}

export function photoSizes(f: StoredFile): TgFileRef[] {
  return [
    {
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_size: f.file_size,
      width: f.width ?? 0,
      height: f.height ?? 0,
    },
  ];
}

export type FileKind = "documents" | "photos";

export class MediaStore {
  private readonly files = new Map<string, StoredFile>();
  private seq = 0;

  get(fileId: string): StoredFile | undefined {
    return this.files.get(fileId);
  }

  byPath(filePath: string): StoredFile | undefined {
    for (const f of this.files.values()) if (f.file_path === filePath) return f;
    return undefined;
  }

  store(bytes: Buffer, name: string, folder: FileKind, declared?: string): StoredFile {
    const n = ++this.seq;
    const ext = extname(name).toLowerCase() || (folder === "photos" ? ".jpg" : "");
    const f: StoredFile = {
      file_id: `${folder === "photos" ? "AgAC" : "BQAC"}${randomId(18)}_${n}`,
      file_unique_id: `AQAD${randomId(6)}`,
      file_size: bytes.length,
      file_name: name,
      mime_type: guessMime(name, bytes, declared),
      file_path: `${folder}/file_${n}${ext}`,
      bytes,
      ...(folder === "photos" ? imageSize(bytes) : {}),
    };
    this.files.set(f.file_id, f);
    return f;
  }

  /**
   * A file parameter of a Bot API call, as Telegram reads it: `attach://<part>`, the multipart part named
   * after the field, or the file_id of a stored file. Uploads are checked (non-empty; a photo ≤ 10 MB and
   * an image) and stored.
   */
  input(v: unknown, files: Map<string, UploadedFile>, field: string, folder: FileKind): StoredFile {
    if ((v === undefined || v === "") && files.has(field)) v = `attach://${field}`;
    if (v === undefined || v === "") throw bad(`there is no ${field} in the request`);
    const s = String(v);
    if (s.startsWith("attach://")) {
      const up = files.get(s.slice(9));
      if (!up) throw bad(`there is no ${field} in the request`);
      this.checkUpload(up.bytes, folder);
      return this.store(up.bytes, up.filename, folder, up.contentType);
    }
    const existing = this.files.get(s);
    if (!existing) throw bad("wrong file identifier/HTTP URL specified");
    if (folder === "photos" && !existing.file_path.startsWith("photos/"))
      throw bad("can't use file of type Document as Photo");
    if (folder === "documents" && existing.file_path.startsWith("photos/"))
      throw bad("can't use file of type Photo as Document");
    return existing;
  }

  /** An album item's `media` (attach://<part> or a file_id); "media not found" when the part is missing. */
  albumItem(media: unknown, files: Map<string, UploadedFile>, folder: FileKind): StoredFile {
    const s = typeof media === "string" ? media : "";
    if (s.startsWith("attach://")) {
      const up = files.get(s.slice(9));
      if (!up) throw bad("can't parse InputMedia: media not found");
      this.checkUpload(up.bytes, folder);
      return this.store(up.bytes, up.filename, folder, up.contentType);
    }
    if (!s) throw bad("can't parse InputMedia: media not found");
    return this.input(s, files, "media", folder);
  }

  private checkUpload(bytes: Buffer, folder: FileKind): void {
    if (bytes.length === 0) throw bad("file must be non-empty");
    if (folder !== "photos") return;
    if (bytes.length > LIMITS.photo) {
      throw bad(
        `file of size ${bytes.length} bytes is too big for a photo; the maximum size is ${LIMITS.photo} bytes`,
      );
    }
    if (!imageKind(bytes)) throw bad("IMAGE_PROCESS_FAILED");
  }

  /** getFile: the file's path for the download URL; Telegram refuses files over 20 MB. */
  getFile(fileId: string): TgFileRef & { file_path: string } {
    const f = this.files.get(fileId);
    if (!f) throw bad("invalid file_id");
    if (f.bytes.length > LIMITS.download) throw bad("file is too big");
    return {
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_size: f.file_size,
      file_path: f.file_path,
    };
  }

  /** GET /file/bot<token>/<file_path>: the bytes, as Telegram's file server sends them. */
  serveBotDownload(res: ServerResponse, filePath: string): void {
    const f = this.byPath(filePath);
    if (!f) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error_code: 404, description: "Not Found" }));
      return;
    }
    res.writeHead(200, {
      "content-type": f.mime_type ?? "application/octet-stream",
      "content-length": f.bytes.length,
    });
    res.end(f.bytes);
  }

  /**
   * GET /ui/files/<file_id>[?inline=1]: the page's download. Inline only for images; nothing a file contains
   * may run in the sandbox's origin.
   */
  servePageDownload(res: ServerResponse, fileId: string, wantInline: boolean): boolean {
    const f = this.files.get(fileId);
    if (!f) return false;
    const inline = wantInline && /^image\/(png|jpeg|gif|webp)$/.test(f.mime_type ?? "");
    res.writeHead(200, {
      "content-type": inline ? f.mime_type! : "application/octet-stream",
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox; default-src 'none'",
      "content-length": f.bytes.length,
      "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(f.file_name ?? "file")}`,
    });
    res.end(f.bytes);
    return true;
  }
}

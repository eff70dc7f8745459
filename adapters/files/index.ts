// The FileStore port (DECISIONS 18): the record of every file (StoredFile: SHA-256, size, type, name, Telegram's
// file_id of a copy) in PostgreSQL, the bytes in a backend: the local disk (the embedded default, FILES_DIR) or
// PostgreSQL itself (several instances serve each other's files).
import { createHash } from "node:crypto";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { FileStore, StoredFileRef } from "../../domain/ports.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";

/** Where the bytes live. */
export interface BlobBackend {
  readonly kind: "disk" | "postgres";
  /** Keep the bytes under their hash (idempotent). Returns the storage path recorded with the file. */
  put(sha256: string, bytes: Buffer): Promise<string>;
  /** The bytes, or null when they are gone. */
  get(path: string, sha256: string): Promise<Buffer | null>;
}

export function diskBackend(dir: string): BlobBackend {
  return {
    kind: "disk",
    async put(sha256, bytes) {
      const rel = join(sha256.slice(0, 2), sha256);
      const path = resolve(dir, rel);
      await mkdir(resolve(dir, sha256.slice(0, 2)), { recursive: true });
      const exists = await stat(path).then(
        (s) => s.size === bytes.length,
        () => false,
      );
      if (!exists) await writeFile(path, bytes);
      return rel;
    },
    async get(rel) {
      try {
        return await readFile(resolve(dir, rel));
      } catch {
        return null;
      }
    },
  };
}

/** PostgreSQL: the bytes in "FileBlob" by SHA-256 (every instance of the bot serves every file). */
export function postgresBackend(prisma: PrismaClient): BlobBackend {
  return {
    kind: "postgres",
    async put(sha256, bytes) {
      await prisma.$executeRaw`
        INSERT INTO "FileBlob" (sha256, bytes) VALUES (${sha256}, ${bytes}) ON CONFLICT (sha256) DO NOTHING`;
      return `db:${sha256}`;
    },
    async get(_path, sha256) {
      const rows = await prisma.$queryRaw<
        { bytes: Uint8Array }[]
      >`SELECT bytes FROM "FileBlob" WHERE sha256 = ${sha256}`;
      return rows[0] ? Buffer.from(rows[0].bytes) : null;
    },
  };
}

const refOf = (r: {
  id: string;
  fileName: string;
  size: number;
  mimeType: string;
  sha256: string;
  telegramFileId: string | null;
}): StoredFileRef => ({
  id: r.id,
  fileName: r.fileName,
  size: r.size,
  mimeType: r.mimeType,
  sha256: r.sha256,
  telegramFileId: r.telegramFileId,
});

export function createFileStore(prisma: PrismaClient, blobs: BlobBackend): FileStore {
  return {
    async put(bytes, meta) {
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const storagePath = await blobs.put(sha256, bytes);
      const row = await prisma.storedFile.create({
        data: {
          sha256,
          size: bytes.length,
          mimeType: meta.mimeType,
          fileName: meta.fileName.slice(0, 255),
          storagePath,
          telegramFileId: meta.telegramFileId ?? null,
          uploadedById: meta.uploadedById ?? null,
        },
      });
      return refOf(row);
    },
    async meta(id) {
      const row = await prisma.storedFile.findUnique({ where: { id } });
      return row ? refOf(row) : null;
    },
    async read(id) {
      const row = await prisma.storedFile.findUnique({ where: { id } });
      if (!row) return null;
      const bytes = await blobs.get(row.storagePath, row.sha256);
      if (!bytes) return null;
      // Never hand out bytes that are not the recorded ones.
      if (createHash("sha256").update(bytes).digest("hex") !== row.sha256) return null;
      return { ref: refOf(row), bytes };
    },
    async rememberTelegramId(id, telegramFileId) {
      await prisma.storedFile.updateMany({ where: { id }, data: { telegramFileId } });
    },
  };
}

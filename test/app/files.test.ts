// The FileStore port: the disk of the embedded default, and PostgreSQL shared by several instances; a file
// whose bytes are gone or changed is reported missing (never another file's bytes).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFileStore, diskBackend, postgresBackend } from "../../adapters/files/index.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
const dirs: string[] = [];

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await db?.drop();
});

describe("file store", () => {
  it("two instances on PostgreSQL serve each other's files", async () => {
    const a = createFileStore(db.prisma, postgresBackend(db.prisma));
    const b = createFileStore(db.prisma, postgresBackend(db.prisma));
    const put = await a.put(Buffer.from("%PDF-1.4 свидетельство"), {
      fileName: "свидетельство.pdf",
      mimeType: "application/pdf",
    });
    const got = await b.read(put.id);
    expect(got?.bytes.toString()).toBe("%PDF-1.4 свидетельство");
    expect(got?.ref).toMatchObject({ fileName: "свидетельство.pdf", size: put.size, sha256: put.sha256 });
    await b.rememberTelegramId(put.id, "tg-file-1");
    expect((await a.meta(put.id))?.telegramFileId).toBe("tg-file-1");
  });

  it("the same bytes twice are kept once (content-addressed), as two records", async () => {
    const s = createFileStore(db.prisma, postgresBackend(db.prisma));
    const one = await s.put(Buffer.from("same"), { fileName: "a.pdf", mimeType: "application/pdf" });
    const two = await s.put(Buffer.from("same"), { fileName: "b.pdf", mimeType: "application/pdf" });
    expect(one.id).not.toBe(two.id);
    expect(await db.prisma.fileBlob.count({ where: { sha256: one.sha256 } })).toBe(1);
  });

  it("a removed or altered file on disk is reported missing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fsms-files-"));
    dirs.push(dir);
    const s = createFileStore(db.prisma, diskBackend(dir));
    const f = await s.put(Buffer.from("original bytes"), { fileName: "x.pdf", mimeType: "application/pdf" });
    expect((await s.read(f.id))?.bytes.toString()).toBe("original bytes");
    writeFileSync(join(dir, f.sha256.slice(0, 2), f.sha256), "tampered");
    expect(await s.read(f.id)).toBeNull();
    rmSync(join(dir, f.sha256.slice(0, 2)), { recursive: true });
    expect(await s.read(f.id)).toBeNull();
    expect(await s.read("00000000-0000-4000-8000-000000000000")).toBeNull();
  });
});

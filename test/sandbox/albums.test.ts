// Several files sent at once reach the bot as Telegram clients send them: one message and one update per
// file, sharing a media_group_id, the caption with the first, albums of at most 10.
import { Bot } from "grammy";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Sandbox, type TgUpdate } from "../../sandbox/server.ts";
import { call, PERSON, TOKEN } from "./helpers.ts";

let sandbox: Sandbox;
const chat = PERSON.id;
const file = (n: number) => ({
  name: `scan-${n}.pdf`,
  bytes: Buffer.from(`%PDF-1.4 ${n}`),
  mimeType: "application/pdf",
});

beforeAll(async () => {
  sandbox = await Sandbox.start({ persons: [PERSON] });
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(async () => {
  const r = await call<TgUpdate[]>(sandbox, "getUpdates", { offset: -1 });
  const last = r.result!.at(-1);
  if (last) await call(sandbox, "getUpdates", { offset: last.update_id + 1 });
});

describe("incoming albums", () => {
  it("three files are three updates with one media_group_id, the caption on the first", async () => {
    const sent = sandbox.sendAlbum(chat, [file(1), file(2), file(3)], { caption: "Документы базы № 1" });
    const updates = (await call<TgUpdate[]>(sandbox, "getUpdates", {})).result!;
    expect(updates).toHaveLength(3);
    const group = updates[0]!.message!.media_group_id;
    expect(group).toMatch(/^\d+$/);
    expect(updates.map((u) => u.message!.media_group_id)).toEqual([group, group, group]);
    expect(updates.map((u) => u.message!.document!.file_name)).toEqual([
      "scan-1.pdf",
      "scan-2.pdf",
      "scan-3.pdf",
    ]);
    expect(updates.map((u) => u.message!.caption)).toEqual(["Документы базы № 1", undefined, undefined]);
    expect(sent.map((m) => m.message_id)).toEqual(updates.map((u) => u.message!.message_id));
  });

  it("more than 10 files become albums of 10; one file is a plain message", async () => {
    const sent = sandbox.sendAlbum(
      chat,
      Array.from({ length: 12 }, (_, i) => file(i)),
    );
    const groups = sent.map((m) => m.media_group_id);
    expect(new Set(groups.slice(0, 10)).size).toBe(1);
    expect(new Set(groups.slice(10)).size).toBe(1);
    expect(groups[0]).not.toBe(groups[10]);
    const [single] = sandbox.sendAlbum(chat, [file(99)]);
    expect(single!.media_group_id).toBeUndefined();
  });

  it("the page uploads an album as multipart (files in part order), photos too", async () => {
    const form = new FormData();
    for (const n of [1, 2])
      form.append(`file${n}`, new Blob([file(n).bytes], { type: "application/pdf" }), `Лицензия ${n}.pdf`);
    const res = await fetch(
      `${sandbox.url}/ui/chats/${chat}/album?caption=${encodeURIComponent("Лицензии")}`,
      {
        method: "POST",
        headers: { "x-sandbox": "1" },
        body: form,
      },
    );
    const body = (await res.json()) as {
      messages: { media_group_id: string; document: { file_name: string } }[];
    };
    expect(body.messages.map((m) => m.document.file_name)).toEqual(["Лицензия 1.pdf", "Лицензия 2.pdf"]);
    expect(body.messages[0]!.media_group_id).toBe(body.messages[1]!.media_group_id);
    const updates = (await call<TgUpdate[]>(sandbox, "getUpdates", {})).result!;
    expect(updates.map((u) => u.message!.caption)).toEqual(["Лицензии", undefined]);
  });

  it("a grammY bot receives each file of the album with the same media_group_id", async () => {
    const bot = new Bot(TOKEN, { client: { apiRoot: sandbox.url } });
    const seen: { group?: string; name?: string }[] = [];
    bot.on("message:document", (ctx) => {
      seen.push({ group: ctx.message.media_group_id, name: ctx.message.document.file_name });
    });
    await new Promise<void>((resolve) => {
      void bot.start({ timeout: 1, onStart: () => resolve() });
    });
    try {
      sandbox.sendAlbum(chat, [file(7), file(8)]);
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(2);
      expect(seen[0]!.group).toBeDefined();
      expect(seen.map((s) => s.group)).toEqual([seen[0]!.group, seen[0]!.group]);
      expect(seen.map((s) => s.name)).toEqual(["scan-7.pdf", "scan-8.pdf"]);
    } finally {
      await bot.stop();
    }
  });
});

// Files: grammY's multipart uploads land in the sandbox's file store, getFile + download return the
// same bytes, and files a person sends can be fetched by the bot the same way.
import { randomBytes } from "node:crypto";
import { Api, InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sandbox } from "../../sandbox/server.ts";
import { call, PERSON, TOKEN } from "./helpers.ts";

let sandbox: Sandbox;
let api: Api;
const chat = PERSON.id;

async function download(path: string): Promise<Buffer> {
  const res = await fetch(`${sandbox.url}/file/bot${TOKEN}/${path}`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

// a 2×3 PNG (header is enough for the size)
const png = Buffer.concat([
  Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"),
  Buffer.from([0, 0, 0, 2, 0, 0, 0, 3]),
  Buffer.from("0806000000", "hex"),
  randomBytes(32),
]);

beforeAll(async () => {
  sandbox = await Sandbox.start({ persons: [PERSON] });
  api = new Api(TOKEN, { apiRoot: sandbox.url });
});
afterAll(async () => {
  await sandbox.close();
});

describe("files", () => {
  it("round-trips a document uploaded by grammY (multipart) through getFile and the download URL", async () => {
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(200_000)]);
    const msg = await api.sendDocument(chat, new InputFile(bytes, "Заявка №1.pdf"), {
      caption: "<b>Заявка</b> &amp; согласие",
      parse_mode: "HTML",
    });
    expect(msg.document).toMatchObject({
      file_name: "Заявка №1.pdf",
      mime_type: "application/pdf",
      file_size: bytes.length,
    });
    expect(msg.caption).toBe("Заявка & согласие");
    expect(msg.caption_entities).toEqual([{ type: "bold", offset: 0, length: 6 }]);
    const file = await api.getFile(msg.document!.file_id);
    expect(file.file_path).toMatch(/^documents\/file_\d+\.pdf$/);
    expect((await download(file.file_path!)).equals(bytes)).toBe(true);
    // the page offers the same bytes as a download with the file name
    const res = await fetch(`${sandbox.url}/ui/files/${encodeURIComponent(msg.document!.file_id)}`);
    expect(res.headers.get("content-disposition")).toContain(encodeURIComponent("Заявка №1.pdf"));
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("re-sends a stored file by file_id and refuses an unknown one", async () => {
    const first = await api.sendDocument(chat, new InputFile(Buffer.from("hello"), "a.txt"));
    const again = await api.sendDocument(chat, first.document!.file_id);
    expect(again.document!.file_id).toBe(first.document!.file_id);
    const bad = await call(sandbox, "sendDocument", { chat_id: chat, document: "no-such-file" });
    expect(bad.description).toBe("Bad Request: wrong file identifier/HTTP URL specified");
    expect((await call(sandbox, "getFile", { file_id: "no-such-file" })).description).toBe(
      "Bad Request: invalid file_id",
    );
  });

  it("stores photos with their size", async () => {
    const msg = await api.sendPhoto(chat, new InputFile(png, "scan.png"));
    expect(msg.photo!.at(-1)).toMatchObject({ width: 2, height: 3, file_size: png.length });
    const file = await api.getFile(msg.photo!.at(-1)!.file_id);
    expect((await download(file.file_path!)).equals(png)).toBe(true);
  });

  it("lets the bot fetch a document a person sent", async () => {
    const bytes = randomBytes(5000);
    const m = sandbox.sendFile(chat, { name: "license.pdf", bytes, mimeType: "application/pdf" });
    expect(m.document).toMatchObject({
      file_name: "license.pdf",
      mime_type: "application/pdf",
      file_size: 5000,
    });
    const file = await api.getFile(m.document!.file_id);
    expect((await download(file.file_path!)).equals(bytes)).toBe(true);
  });

  it("uploads from the page's API (raw body) and announces it as a document message", async () => {
    const bytes = randomBytes(1234);
    const res = await fetch(`${sandbox.url}/ui/chats/${chat}/file?name=${encodeURIComponent("СЭС.jpg")}`, {
      method: "POST",
      headers: { "x-sandbox": "1", "content-type": "image/jpeg" },
      body: bytes,
    });
    const body = (await res.json()) as { message: { document: { file_id: string; file_name: string } } };
    expect(body.message.document.file_name).toBe("СЭС.jpg");
    expect(sandbox.file(body.message.document.file_id)!.bytes.equals(bytes)).toBe(true);
    // without the header, another site's page cannot post
    const forged = await fetch(`${sandbox.url}/ui/chats/${chat}/text`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ text: "hi" }),
    });
    expect(forged.status).toBe(403);
  });
});

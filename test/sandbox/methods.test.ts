// The methods the product is about to use, with Telegram's limits and error texts: albums (sendMediaGroup),
// map pins (sendLocation, sendVenue), photos, chat actions, commands per chat scope and language, the bot's
// descriptions, and a person who blocked the bot.
import { Api, GrammyError, InputFile, InputMediaBuilder } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sandbox, type SandboxEvent, type TgMessage } from "../../sandbox/server.ts";
import { call, PERSON, TOKEN } from "./helpers.ts";

let sandbox: Sandbox;
let api: Api;
const chat_id = PERSON.id;
const KK = { id: 555002, first_name: "Ерлан", language_code: "kk" };
const BLOCKER = { id: 555003, first_name: "Блок", language_code: "ru" };

// a 2×3 PNG header is enough for a photo
const png = Buffer.concat([
  Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"),
  Buffer.from([0, 0, 0, 2, 0, 0, 0, 3]),
  Buffer.from("0806000000", "hex"),
  Buffer.alloc(32, 7),
]);
const pdf = (s: string) => Buffer.from(`%PDF-1.4 ${s}`);

/** A multipart sendMediaGroup with the given items (each `media` is attach://<name> of an uploaded part). */
async function album(
  items: Record<string, unknown>[],
  parts: Record<string, Buffer>,
  extra: Record<string, string> = {},
) {
  const form = new FormData();
  form.set("chat_id", String(chat_id));
  form.set("media", JSON.stringify(items));
  for (const [k, v] of Object.entries(extra)) form.set(k, v);
  for (const [name, bytes] of Object.entries(parts)) form.set(name, new Blob([bytes]), `${name}.pdf`);
  const res = await fetch(`${sandbox.url}/bot${TOKEN}/sendMediaGroup`, { method: "POST", body: form });
  return {
    status: res.status,
    ...((await res.json()) as { ok: boolean; result?: TgMessage[]; description?: string }),
  };
}

/** grammY's sendMediaGroup, its messages as the sandbox's type (grammY's union lacks media_group_id). */
const sendGroup = async (media: Parameters<Api["sendMediaGroup"]>[1]) =>
  (await api.sendMediaGroup(chat_id, media)) as unknown as TgMessage[];

const events: SandboxEvent[] = [];

beforeAll(async () => {
  sandbox = await Sandbox.start({ persons: [PERSON, KK, BLOCKER] });
  sandbox.events.on("event", (e: SandboxEvent) => events.push(e));
  api = new Api(TOKEN, { apiRoot: sandbox.url });
});
afterAll(async () => {
  await sandbox.close();
});

describe("sendMediaGroup", () => {
  it("sends 2–10 documents as one message each, sharing a media_group_id, each with its caption", async () => {
    const msgs = await sendGroup([
      InputMediaBuilder.document(new InputFile(pdf("a"), "Свидетельство.pdf"), {
        caption: "<b>Свидетельство</b> · SHA-256 ab12",
        parse_mode: "HTML",
      }),
      InputMediaBuilder.document(new InputFile(pdf("b"), "Заявка.pdf"), { caption: "Заявка о включении" }),
      InputMediaBuilder.document(new InputFile(pdf("c"), "Согласие.pdf")),
    ]);
    expect(msgs).toHaveLength(3);
    const group = msgs[0]!.media_group_id;
    expect(group).toMatch(/^\d+$/);
    expect(msgs.map((m) => m.media_group_id)).toEqual([group, group, group]);
    expect(msgs.map((m) => m.document?.file_name)).toEqual([
      "Свидетельство.pdf",
      "Заявка.pdf",
      "Согласие.pdf",
    ]);
    expect(msgs.map((m) => m.caption)).toEqual([
      "Свидетельство · SHA-256 ab12",
      "Заявка о включении",
      undefined,
    ]);
    expect(msgs[0]!.caption_entities).toEqual([{ type: "bold", offset: 0, length: 13 }]);
    // consecutive messages of the chat, and the files download
    const ids = msgs.map((m) => m.message_id);
    expect(ids[2]! - ids[0]!).toBe(2);
    const file = await api.getFile(msgs[1]!.document!.file_id);
    const res = await fetch(`${sandbox.url}/file/bot${TOKEN}/${file.file_path}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf("b"))).toBe(true);
  });

  it("sends photos as an album and re-sends stored files by file_id", async () => {
    const first = await sendGroup([
      InputMediaBuilder.photo(new InputFile(png, "a.png")),
      InputMediaBuilder.photo(new InputFile(png, "b.png"), { caption: "Фасад" }),
    ]);
    expect(first.map((m) => m.photo?.at(-1)?.width)).toEqual([2, 2]);
    const again = await sendGroup([
      InputMediaBuilder.photo(first[0]!.photo!.at(-1)!.file_id),
      InputMediaBuilder.photo(first[1]!.photo!.at(-1)!.file_id),
    ]);
    expect(again[0]!.media_group_id).not.toBe(first[0]!.media_group_id);
  });

  it("sends a single item as a plain message, outside any album (as Telegram does)", async () => {
    const [only] = await sendGroup([InputMediaBuilder.document(new InputFile(pdf("x"), "x.pdf"))]);
    expect(only!.media_group_id).toBeUndefined();
    expect(only!.document?.file_name).toBe("x.pdf");
  });

  it.each([
    ["no media", undefined, 'Bad Request: parameter "media" is required'],
    ["an empty list", [], "Bad Request: there are no messages to send"],
    [
      "eleven items",
      Array.from({ length: 11 }, () => ({ type: "document", media: "attach://a" })),
      "Bad Request: too many messages to send as an album",
    ],
    [
      "a document with a photo",
      [
        { type: "photo", media: "attach://p" },
        { type: "document", media: "attach://a" },
      ],
      "Bad Request: document can't be mixed with other media types",
    ],
    [
      "a missing part",
      [
        { type: "document", media: "attach://a" },
        { type: "document", media: "attach://missing" },
      ],
      "Bad Request: can't parse InputMedia: media not found",
    ],
    [
      "an animation",
      [{ type: "animation", media: "attach://a" }],
      `Bad Request: can't parse InputMedia: type "animation" can't be used in sendMediaGroup`,
    ],
    [
      "a sticker",
      [{ type: "sticker", media: "attach://a" }],
      `Bad Request: can't parse InputMedia: type "sticker" is unsupported`,
    ],
    [
      "a caption over 1024 characters",
      [
        { type: "document", media: "attach://a", caption: "c".repeat(1025) },
        { type: "document", media: "attach://a" },
      ],
      "Bad Request: message caption is too long",
    ],
  ])("refuses %s with Telegram's text, and sends nothing", async (_what, media, description) => {
    const before = sandbox.messages(chat_id).length;
    const form = new FormData();
    form.set("chat_id", String(chat_id));
    if (media !== undefined) form.set("media", JSON.stringify(media));
    form.set("a", new Blob([pdf("a")]), "a.pdf");
    form.set("p", new Blob([png]), "p.png");
    const res = await fetch(`${sandbox.url}/bot${TOKEN}/sendMediaGroup`, { method: "POST", body: form });
    expect(await res.json()).toMatchObject({ ok: false, error_code: 400, description });
    expect(sandbox.messages(chat_id).length).toBe(before);
  });

  it("accepts a caption of exactly 1024 characters and measures it after HTML parsing", async () => {
    const r = await album(
      [
        { type: "document", media: "attach://a", caption: `<b>${"я".repeat(1024)}</b>`, parse_mode: "HTML" },
        { type: "document", media: "attach://b" },
      ],
      { a: pdf("a"), b: pdf("b") },
    );
    expect(r.ok).toBe(true);
    expect(r.result![0]!.caption).toHaveLength(1024);
  });

  it("does not read reply_markup (albums cannot carry buttons)", async () => {
    const r = await album(
      [
        { type: "document", media: "attach://a" },
        { type: "document", media: "attach://b" },
      ],
      { a: pdf("a"), b: pdf("b") },
      { reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "x", callback_data: "x" }]] }) },
    );
    expect(r.result!.every((m) => m.reply_markup === undefined)).toBe(true);
  });
});

describe("sendLocation and sendVenue", () => {
  it("sends a map pin: a location, and a venue with its title and address", async () => {
    const loc = await api.sendLocation(chat_id, 51.128207, 71.43042);
    expect(loc.location).toEqual({ latitude: 51.128207, longitude: 71.43042 });
    const venue = await api.sendVenue(
      chat_id,
      43.238949,
      76.889709,
      "Поликлиника № 7",
      "г. Алматы, ул. Абая, 1",
    );
    expect(venue.venue).toEqual({
      location: { latitude: 43.238949, longitude: 76.889709 },
      title: "Поликлиника № 7",
      address: "г. Алматы, ул. Абая, 1",
    });
    expect(venue.location).toEqual({ latitude: 43.238949, longitude: 76.889709 });
  });

  it.each([
    ["sendLocation", { longitude: 71 }, "Bad Request: latitude is empty"],
    ["sendLocation", { latitude: 51 }, "Bad Request: longitude is empty"],
    ["sendLocation", { latitude: 91, longitude: 71 }, "Bad Request: wrong location specified"],
    ["sendLocation", { latitude: 51, longitude: -181 }, "Bad Request: wrong location specified"],
    [
      "sendLocation",
      { latitude: 51, longitude: 71, live_period: 30 },
      "Bad Request: wrong live location period specified",
    ],
    [
      "sendVenue",
      { latitude: 51, longitude: 200, title: "x", address: "y" },
      "Bad Request: wrong venue location specified",
    ],
    ["sendVenue", { longitude: 71, title: "x", address: "y" }, "Bad Request: latitude is empty"],
  ])("%s %j → %s", async (method, params, description) => {
    expect(await call(sandbox, method, { chat_id, ...params })).toMatchObject({ status: 400, description });
  });
});

describe("sendPhoto", () => {
  it("refuses bytes that are not an image (IMAGE_PROCESS_FAILED) and a photo over 10 MB", async () => {
    await expect(api.sendPhoto(chat_id, new InputFile(pdf("no"), "scan.png"))).rejects.toMatchObject({
      description: "Bad Request: IMAGE_PROCESS_FAILED",
    });
    const big = Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)]);
    await expect(api.sendPhoto(chat_id, new InputFile(big, "big.png"))).rejects.toMatchObject({
      description: `Bad Request: file of size ${big.length} bytes is too big for a photo; the maximum size is 10485760 bytes`,
    });
  });

  it("refuses a document's file_id as a photo", async () => {
    const doc = await api.sendDocument(chat_id, new InputFile(pdf("d"), "d.pdf"));
    await expect(api.sendPhoto(chat_id, doc.document!.file_id)).rejects.toMatchObject({
      description: "Bad Request: can't use file of type Document as Photo",
    });
  });
});

describe("sendChatAction", () => {
  it("shows the action in the chat and refuses an unknown one", async () => {
    await api.sendChatAction(chat_id, "upload_document");
    expect(events.at(-1)).toEqual({ type: "action", chat_id, action: "upload_document" });
    expect((await call(sandbox, "sendChatAction", { chat_id, action: "dancing" })).description).toBe(
      "Bad Request: wrong parameter action in request",
    );
  });
});

describe("commands per scope and language", () => {
  it("a chat sees its chat-scope commands in its language, others the defaults", async () => {
    await api.setMyCommands([{ command: "start", description: "Начать" }]);
    await api.setMyCommands([{ command: "start", description: "Бастау" }], { language_code: "kk" });
    await api.setMyCommands(
      [
        { command: "queue", description: "Очередь" },
        { command: "help", description: "Справка" },
      ],
      { scope: { type: "chat", chat_id } },
    );
    await api.setMyCommands([{ command: "queue", description: "Кезек" }], {
      scope: { type: "chat", chat_id: KK.id },
      language_code: "kk",
    });
    expect(sandbox.commandsFor(chat_id).map((c) => c.command)).toEqual(["queue", "help"]);
    expect(sandbox.commandsFor(KK.id)).toEqual([{ command: "queue", description: "Кезек" }]);
    expect(sandbox.commandsFor(BLOCKER.id)).toEqual([{ command: "start", description: "Начать" }]);
    // getMyCommands answers exactly the scope and language asked, with no fallback
    expect(await api.getMyCommands({ scope: { type: "chat", chat_id: KK.id } })).toEqual([]);
    expect(await api.getMyCommands({ scope: { type: "chat", chat_id: KK.id }, language_code: "kk" })).toEqual(
      [{ command: "queue", description: "Кезек" }],
    );
    // the page reads the same list for the chat
    const page = (await (await fetch(`${sandbox.url}/ui/chats/${KK.id}`)).json()) as { commands: unknown };
    expect(page.commands).toEqual([{ command: "queue", description: "Кезек" }]);
    // deleting the chat scope falls back to the language default
    await api.deleteMyCommands({ scope: { type: "chat", chat_id: KK.id }, language_code: "kk" });
    expect(sandbox.commandsFor(KK.id)).toEqual([{ command: "start", description: "Бастау" }]);
  });

  it.each([
    [{ scope: { type: "everyone" } }, "Bad Request: can't parse BotCommandScope: Unsupported type specified"],
    [{ scope: { type: "chat", chat_id: 42 } }, "Bad Request: chat not found"],
    [{ scope: "{not json" }, "Bad Request: can't parse BotCommandScope JSON object"],
    [{ language_code: "rus" }, "Bad Request: LANG_CODE_INVALID"],
    [{ commands: [{ command: "x", description: "" }] }, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"],
    [{ commands: [{ command: "x".repeat(33), description: "d" }] }, "Bad Request: BOT_COMMAND_INVALID"],
  ])("setMyCommands %j → %s", async (params, description) => {
    const r = await call(sandbox, "setMyCommands", {
      commands: [{ command: "a", description: "b" }],
      ...params,
    });
    expect(r).toMatchObject({ status: 400, description });
  });
});

describe("the bot's name and descriptions", () => {
  it("keeps a description per language (0–512) and a short one (0–120), falling back to the default", async () => {
    await api.setMyDescription("Бот реестра ФСМС");
    await api.setMyDescription("ӘМСҚ тізілімінің боты", { language_code: "kk" });
    await api.setMyShortDescription("Реестр");
    expect(await api.getMyDescription({ language_code: "kk" })).toEqual({
      description: "ӘМСҚ тізілімінің боты",
    });
    expect(sandbox.profileText("description", "kk")).toBe("ӘМСҚ тізілімінің боты");
    expect(sandbox.profileText("description", "en")).toBe("Бот реестра ФСМС");
    expect(await api.getMyShortDescription()).toEqual({ short_description: "Реестр" });
    const page = (await (await fetch(`${sandbox.url}/ui/chats/${KK.id}`)).json()) as { description: string };
    expect(page.description).toBe("ӘМСҚ тізілімінің боты");
    expect((await call(sandbox, "setMyDescription", { description: "d".repeat(512) })).ok).toBe(true);
    expect((await call(sandbox, "setMyDescription", { description: "d".repeat(513) })).status).toBe(400);
    expect(
      (await call(sandbox, "setMyShortDescription", { short_description: "s".repeat(121) })).status,
    ).toBe(400);
    // an empty description removes it
    await api.setMyDescription("", { language_code: "kk" });
    expect(sandbox.profileText("description", "kk")).toBe("d".repeat(512));
  });
});

describe("a person who blocked the bot", () => {
  it("answers 403 Forbidden: bot was blocked by the user to sends, and accepts them again after unblocking", async () => {
    sandbox.block(BLOCKER.id);
    const err = await api.sendMessage(BLOCKER.id, "hi").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect(err).toMatchObject({ error_code: 403, description: "Forbidden: bot was blocked by the user" });
    sandbox.block(BLOCKER.id, false);
    expect((await api.sendMessage(BLOCKER.id, "hi")).text).toBe("hi");
  });
});

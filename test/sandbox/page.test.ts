// The page in kk and ru: every text it uses exists in both languages (locales/<lang>/sandbox.json), no
// text is written into the page's code, and the newcomer path: «starting…» until the bot polls, demo invites.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sandbox } from "../../sandbox/server.ts";
import { pageTexts } from "../../sandbox/ui.ts";
import { call, PERSON } from "./helpers.ts";

const PUBLIC = resolve(import.meta.dirname, "../../sandbox/public");
const read = (f: string) => readFileSync(join(PUBLIC, f), "utf8");
const texts = pageTexts();

function keysOf(obj: unknown, prefix = ""): string[] {
  if (!obj || typeof obj !== "object") return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}
const lookup = (lang: "kk" | "ru", key: string) =>
  key.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], texts[lang]);

describe("the page's texts", () => {
  it("has the same keys in kk and ru, none empty", () => {
    expect(keysOf(texts.kk).sort()).toEqual(keysOf(texts.ru).sort());
    for (const lang of ["kk", "ru"] as const)
      for (const k of keysOf(texts[lang]))
        expect(String(lookup(lang, k)).trim(), `${lang}:${k}`).not.toBe("");
  });

  it("every key the page uses (data-i18n attributes, t(...) calls) exists in both languages", () => {
    const html = read("index.html");
    const js = ["app.js", "render.js", "i18n.js"].map(read).join("\n");
    const used = new Set([
      ...[...html.matchAll(/data-i18n(?:-[a-z-]+)?="([\w.]+)"/g)].map((m) => m[1]!),
      ...[...js.matchAll(/\bt\(\s*["`]([\w.]+)["`]/g)].map((m) => m[1]!),
      ...[...js.matchAll(/t\(`action\.\$\{[^}]+\}`\)/g)].flatMap(() => ["action.typing", "action.other"]),
    ]);
    expect(used.size).toBeGreaterThan(40);
    const missing = [...used].filter(
      (k) => typeof lookup("kk", k) !== "string" || typeof lookup("ru", k) !== "string",
    );
    expect(missing).toEqual([]);
  });

  it("writes no Russian or Kazakh text into the page's code (all of it comes from the locale files)", () => {
    for (const f of ["app.js", "render.js", "i18n.js"]) {
      const cyrillic = read(f)
        .split("\n")
        .filter((l) => !/^\s*(\/\/|\*|\/\*\*)/.test(l) && /\p{Script=Cyrillic}/u.test(l));
      expect(cyrillic, f).toEqual([]);
    }
  });

  it("uses the official wording (GLOSSARY): «Болдырмау» for Cancel, «Жіберу» for Send, «Песочница»", () => {
    expect(lookup("kk", "dialog.cancel")).toBe("Болдырмау");
    expect(lookup("kk", "dialog.send")).toBe("Жіберу");
    expect(lookup("ru", "page.brand")).toBe("Песочница Telegram");
    expect(lookup("kk", "action.typing")).toBe("жазып жатыр…");
    expect(lookup("ru", "action.typing")).toBe("печатает…");
  });
});

describe("the page's API: ready state and invites", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.start({
      persons: [PERSON],
      invites: [
        {
          code: "demo_reviewer",
          name: "Жанар Бекова",
          label: { kk: "Жанар · Қараушы", ru: "Жанар · Рассматривающий" },
        },
      ],
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  const info = async () =>
    (await (await fetch(`${sandbox.url}/ui/info`)).json()) as { ready: boolean; invites: { code: string }[] };

  it("serves both languages' texts to the page", async () => {
    const res = await fetch(`${sandbox.url}/ui/i18n`);
    const body = (await res.json()) as Record<string, { page: { brand: string } }>;
    expect(body.kk!.page.brand).toBe("Telegram құмсалғышы");
    expect(body.ru!.page.brand).toBe("Песочница Telegram");
  });

  it("is not ready until the bot calls getUpdates for the first time", async () => {
    expect((await info()).ready).toBe(false);
    const ready = sandbox.waitFor(() => sandbox.ready, 2000);
    await call(sandbox, "getUpdates", {});
    await ready;
    expect((await info()).ready).toBe(true);
  });

  it("lists the invites and sends /start <code> as a new person in the page's language", async () => {
    expect((await info()).invites).toMatchObject([{ code: "demo_reviewer" }]);
    const res = await fetch(`${sandbox.url}/ui/invites`, {
      method: "POST",
      headers: { "x-sandbox": "1", "content-type": "application/json" },
      body: JSON.stringify({ code: "demo_reviewer", language_code: "kk" }),
    });
    const { person } = (await res.json()) as {
      person: { id: number; first_name: string; language_code: string };
    };
    expect(person).toMatchObject({ first_name: "Жанар Бекова", language_code: "kk" });
    expect(sandbox.messages(person.id).map((m) => m.text)).toEqual(["/start demo_reviewer"]);
    const unknown = await fetch(`${sandbox.url}/ui/invites`, {
      method: "POST",
      headers: { "x-sandbox": "1", "content-type": "application/json" },
      body: JSON.stringify({ code: "nope" }),
    });
    expect(unknown.status).toBe(404);
  });

  it("names a new person after the page's language and answers 400 to a bad action", async () => {
    const res = await fetch(`${sandbox.url}/ui/persons`, {
      method: "POST",
      headers: { "x-sandbox": "1", "content-type": "application/json" },
      body: JSON.stringify({ language_code: "kk", default_name: "Жаңа пайдаланушы" }),
    });
    const { person } = (await res.json()) as { person: { id: number; first_name: string } };
    expect(person.first_name).toMatch(/^Жаңа пайдаланушы \d+$/);
    const empty = await fetch(`${sandbox.url}/ui/chats/${person.id}/text`, {
      method: "POST",
      headers: { "x-sandbox": "1", "content-type": "application/json" },
      body: JSON.stringify({ text: "  " }),
    });
    expect(empty.status).toBe(400);
  });
});

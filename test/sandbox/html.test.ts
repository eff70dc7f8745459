// The Telegram HTML parser of the sandbox (pure).
import { describe, expect, it } from "vitest";
import { detectEntities, HtmlParseError, parseTelegramHtml } from "../../sandbox/html.ts";

describe("parseTelegramHtml", () => {
  it("supports the tags and attribute forms Telegram accepts", () => {
    const r = parseTelegramHtml(
      "<strong>a</strong><em>b</em><ins>c</ins><del>d</del><tg-spoiler>e</tg-spoiler>" +
        "<span class=tg-spoiler>f</span><code>g</code><blockquote expandable>h</blockquote><a href='tg://user?id=1'>i</a>",
    );
    expect(r.text).toBe("abcdefghi");
    expect(r.entities.map((e) => e.type)).toEqual([
      "bold",
      "italic",
      "underline",
      "strikethrough",
      "spoiler",
      "spoiler",
      "code",
      "expandable_blockquote",
      "text_link",
    ]);
  });

  it("trims the text and moves the entities with it", () => {
    expect(parseTelegramHtml("\n  <b>x</b> \n")).toEqual({
      text: "x",
      entities: [{ type: "bold", offset: 0, length: 1 }],
    });
  });

  it("keeps an unknown named entity and a bare ampersand as text", () => {
    expect(parseTelegramHtml("&nbsp; AT&T").text).toBe("&nbsp; AT&T");
  });

  it("drops a link with an unsafe URL but keeps its text", () => {
    expect(parseTelegramHtml('<a href="javascript:alert(1)">x</a>')).toEqual({ text: "x", entities: [] });
  });

  it("throws HtmlParseError for bad markup", () => {
    expect(() => parseTelegramHtml("<i>x")).toThrow(HtmlParseError);
    expect(() => parseTelegramHtml("<a href=fms.kz/x>x</a>")).toThrow(/Unexpected end of name token/);
    expect(() => parseTelegramHtml('<a href="x>y</a>')).toThrow(/Unclosed start tag/);
  });
});

describe("detectEntities", () => {
  it("finds commands, URLs, mentions and hashtags outside code", () => {
    const text = "/help see https://fms.kz/a?b=1. @fsms_bot #заявка `x`";
    const found = detectEntities(text).map((e) => [e.type, text.slice(e.offset, e.offset + e.length)]);
    expect(found).toEqual([
      ["bot_command", "/help"],
      ["url", "https://fms.kz/a?b=1"],
      ["mention", "@fsms_bot"],
      ["hashtag", "#заявка"],
    ]);
    expect(detectEntities("/x", [{ type: "code", offset: 0, length: 2 }])).toEqual([
      { type: "code", offset: 0, length: 2 },
    ]);
  });
});

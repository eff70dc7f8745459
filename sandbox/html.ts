// Telegram's HTML parse mode, as the Bot API server does it (tdlib's parse_html): returns the plain
// text and its entities, or throws the error text Telegram answers with ("Unsupported start tag ...").
// Offsets and lengths are in UTF-16 code units, like Telegram's; error positions are UTF-8 byte offsets.
//
// Faithful details worth knowing:
//   - only b/strong, i/em, u/ins, s/strike/del, a, code, pre, blockquote, tg-spoiler, span class="tg-spoiler"
//     and tg-emoji are allowed; `<br>`, `<p>`, `<div>`... are "Unsupported start tag";
//   - a bare `<` starts a tag (so "a < b" fails), while a bare `&` that is not one of &lt; &gt; &amp; &quot;
//     or a numeric reference is kept as it is (Telegram accepts "A & B");
//   - the result is trimmed of leading/trailing whitespace, entities follow.

export interface TgEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export class HtmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HtmlParseError";
  }
}

const ALLOWED = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "s",
  "strike",
  "del",
  "u",
  "ins",
  "tg-spoiler",
  "tg-emoji",
  "span",
  "pre",
  "code",
  "blockquote",
]);

const isSpace = (c: string | undefined) =>
  c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v";
const isAlpha = (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/** Decodes an HTML entity at `pos` ("&lt;", "&#65;", "&#x41"); the ";" is optional as in tdlib. */
function decodeEntity(text: string, pos: number): { ch: string; end: number } | null {
  let end = pos + 1;
  let code = 0;
  if (text[end] === "#") {
    end++;
    if (text[end] === "x" || text[end] === "X") {
      end++;
      const start = end;
      while (isHex(text[end])) {
        code = code * 16 + Number.parseInt(text[end]!, 16);
        if (code >= 0x10ffff) return null;
        end++;
      }
      if (end === start) return null;
    } else {
      const start = end;
      while (isDigit(text[end])) {
        code = code * 10 + (text.charCodeAt(end) - 48);
        if (code >= 0x10ffff) return null;
        end++;
      }
      if (end === start) return null;
    }
    if (code === 0 || (code >= 0xd800 && code <= 0xdfff)) return null;
  } else {
    while (isAlpha(text[end])) end++;
    const name = text.slice(pos + 1, end);
    const named: Record<string, number> = { lt: 60, gt: 62, amp: 38, quot: 34 };
    const c = named[name];
    if (c === undefined) return null;
    code = c;
  }
  if (text[end] === ";") end++;
  return { ch: String.fromCodePoint(code), end };
}

interface Open {
  tag: string;
  arg: string;
  /** UTF-16 offset in the result where the entity starts. */
  offset: number;
  /** Index in the source just after the start tag (for <a> without href). */
  sourceAfter: number;
}

function normalizeUrl(url: string): string | null {
  const u = url.trim();
  if (!u) return null;
  if (/^(https?|tg|ftp|mailto):/i.test(u)) return u;
  if (/^[a-z][a-z0-9+.-]*:/i.test(u)) return null; // javascript:, data:, ...
  if (/^[^\s/]+\.[^\s/]+/.test(u)) return `http://${u}`;
  return null;
}

/** Parses Telegram HTML. Throws HtmlParseError with Telegram's wording (without "Bad Request: can't parse entities: "). */
export function parseTelegramHtml(source: string): { text: string; entities: TgEntity[] } {
  const byteOffset = (pos: number) => Buffer.byteLength(source.slice(0, pos), "utf8");
  let out = "";
  const entities: TgEntity[] = [];
  const stack: Open[] = [];
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source[i]!;
    if (c === "&") {
      const d = decodeEntity(source, i);
      if (d) {
        out += d.ch;
        i = d.end;
        continue;
      }
    }
    if (c !== "<") {
      out += c;
      i++;
      continue;
    }
    const begin = i;
    i++;
    if (source[i] !== "/") {
      // start tag
      while (i < n && !isSpace(source[i]) && source[i] !== ">") i++;
      if (i >= n) throw new HtmlParseError(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
      const tag = source.slice(begin + 1, i).toLowerCase();
      if (!ALLOWED.has(tag)) {
        throw new HtmlParseError(`Unsupported start tag "${tag}" at byte offset ${byteOffset(begin)}`);
      }
      let arg = "";
      while (source[i] !== ">") {
        while (i < n && isSpace(source[i])) i++;
        if (i >= n) throw new HtmlParseError(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
        if (source[i] === ">") break;
        const attrBegin = i;
        while (i < n && !isSpace(source[i]) && !"=>/\"'".includes(source[i]!)) i++;
        const attr = source.slice(attrBegin, i).toLowerCase();
        if (!attr) {
          throw new HtmlParseError(
            `Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(begin)}`,
          );
        }
        while (i < n && isSpace(source[i])) i++;
        if (source[i] !== "=") {
          if (i >= n)
            throw new HtmlParseError(`Unclosed start tag "${tag}" at byte offset ${byteOffset(begin)}`);
          if (tag === "blockquote" && attr === "expandable") arg = "1";
          continue;
        }
        i++;
        while (i < n && isSpace(source[i])) i++;
        if (i >= n)
          throw new HtmlParseError(`Unclosed start tag "${tag}" at byte offset ${byteOffset(begin)}`);
        let value = "";
        const q = source[i];
        if (q !== '"' && q !== "'") {
          const tokenBegin = i;
          while (i < n && /[A-Za-z0-9.-]/.test(source[i]!)) i++;
          value = source.slice(tokenBegin, i).toLowerCase();
          if (i >= n || (!isSpace(source[i]) && source[i] !== ">")) {
            throw new HtmlParseError(`Unexpected end of name token at byte offset ${byteOffset(tokenBegin)}`);
          }
        } else {
          i++;
          while (i < n && source[i] !== q) {
            if (source[i] === "&") {
              const d = decodeEntity(source, i);
              if (d) {
                value += d.ch;
                i = d.end;
                continue;
              }
            }
            value += source[i];
            i++;
          }
          if (i >= n) throw new HtmlParseError(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
          i++;
        }
        if (tag === "a" && attr === "href") arg = value;
        else if (tag === "code" && attr === "class" && value.startsWith("language-")) arg = value.slice(9);
        else if (tag === "span" && attr === "class" && value.startsWith("tg-")) arg = value.slice(3);
        else if (tag === "tg-emoji" && attr === "emoji-id") arg = value;
        else if (tag === "blockquote" && attr === "expandable") arg = "1";
      }
      if (tag === "span" && arg !== "spoiler") {
        throw new HtmlParseError(
          `Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(begin)}`,
        );
      }
      i++; // '>'
      stack.push({ tag, arg, offset: out.length, sourceAfter: i });
      continue;
    }
    // end tag
    if (stack.length === 0)
      throw new HtmlParseError(`Unexpected end tag at byte offset ${byteOffset(begin)}`);
    i++;
    const nameBegin = i;
    while (i < n && !isSpace(source[i]) && source[i] !== ">") i++;
    const endName = source.slice(nameBegin, i).toLowerCase();
    while (i < n && isSpace(source[i])) i++;
    if (source[i] !== ">") throw new HtmlParseError(`Unclosed end tag at byte offset ${byteOffset(begin)}`);
    const open = stack.pop()!;
    if (endName && endName !== open.tag) {
      throw new HtmlParseError(
        `Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${open.tag}>", found "</${endName}>"`,
      );
    }
    const length = out.length - open.offset;
    if (length > 0) {
      const offset = open.offset;
      const last = entities.at(-1);
      switch (open.tag) {
        case "b":
        case "strong":
          entities.push({ type: "bold", offset, length });
          break;
        case "i":
        case "em":
          entities.push({ type: "italic", offset, length });
          break;
        case "u":
        case "ins":
          entities.push({ type: "underline", offset, length });
          break;
        case "s":
        case "strike":
        case "del":
          entities.push({ type: "strikethrough", offset, length });
          break;
        case "tg-spoiler":
        case "span":
          entities.push({ type: "spoiler", offset, length });
          break;
        case "tg-emoji":
          if (!/^\d+$/.test(open.arg)) throw new HtmlParseError("Invalid custom emoji identifier specified");
          entities.push({ type: "custom_emoji", offset, length, custom_emoji_id: open.arg });
          break;
        case "blockquote":
          entities.push({ type: open.arg ? "expandable_blockquote" : "blockquote", offset, length });
          break;
        case "a": {
          const url = normalizeUrl(open.arg || source.slice(open.sourceAfter, begin));
          if (url) entities.push({ type: "text_link", offset, length, url });
          break;
        }
        case "pre":
          if (last && last.type === "code" && last.offset === offset && last.length === length) {
            last.type = "pre";
          } else entities.push({ type: "pre", offset, length });
          break;
        case "code":
          if (last && last.type === "pre" && last.offset === offset && last.length === length) {
            if (open.arg) last.language = open.arg;
          } else if (stack.at(-1)?.tag === "pre" && stack.at(-1)!.offset === offset) {
            // <pre><code class="language-x">…</code></pre>: becomes one pre entity when </pre> closes
            entities.push({ type: "code", offset, length, ...(open.arg ? { language: open.arg } : {}) });
          } else entities.push({ type: "code", offset, length });
          break;
      }
    }
    i++;
  }
  if (stack.length) {
    throw new HtmlParseError(`Can't find end tag corresponding to start tag "${stack.at(-1)!.tag}"`);
  }
  return trimEntities(out, entities);
}

/** Telegram trims the text; entities are clipped to what is left. Sorted by offset, longer first. */
export function trimEntities(text: string, entities: TgEntity[]): { text: string; entities: TgEntity[] } {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const end = trimmed.length;
  const out: TgEntity[] = [];
  for (const e of entities) {
    const start = Math.max(0, e.offset - lead);
    const stop = Math.min(end, e.offset + e.length - lead);
    if (stop > start) out.push({ ...e, offset: start, length: stop - start });
  }
  out.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: trimmed, entities: out };
}

/** What a Telegram client/server detects by itself in text: /commands, @mentions, URLs, #hashtags. */
export function detectEntities(text: string, existing: TgEntity[] = []): TgEntity[] {
  const found: TgEntity[] = [];
  const taken = (start: number, end: number) =>
    existing.some(
      (e) =>
        (e.type === "code" || e.type === "pre" || e.type === "text_link") &&
        start < e.offset + e.length &&
        end > e.offset,
    );
  const patterns: [RegExp, string][] = [
    [/(^|[\s(])(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)(?=$|[\s.,;:!?)])/g, "bot_command"],
    [/(^|[\s(])(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/g, "url"],
    [/(^|[\s(])(@[A-Za-z0-9_]{5,32})(?=$|[^A-Za-z0-9_])/g, "mention"],
    [/(^|[\s(])(#[\p{L}\p{N}_]{1,64})(?=$|[^\p{L}\p{N}_])/gu, "hashtag"],
  ];
  for (const [re, type] of patterns) {
    for (const m of text.matchAll(re)) {
      const offset = (m.index ?? 0) + m[1]!.length;
      const length = m[2]!.length;
      if (!taken(offset, offset + length)) found.push({ type, offset, length });
    }
  }
  return [...existing, ...found].sort((a, b) => a.offset - b.offset || b.length - a.length);
}

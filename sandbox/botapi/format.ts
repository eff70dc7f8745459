// What Telegram checks in a message's text and keyboard before sending it: HTML parse mode, lengths
// (after parsing), entities, and the reply markup (inline buttons, callback_data ≤ 64 bytes, URLs).
import { detectEntities, HtmlParseError, parseTelegramHtml, type TgEntity } from "../html.ts";
import { bad, LIMITS, type Markup, obj, str } from "../types.ts";

/** Text or caption as Telegram stores it: parsed (HTML), trimmed, measured, with detected entities. */
export function formatText(
  raw: unknown,
  parseMode: unknown,
  entitiesParam: unknown,
  kind: "text" | "caption",
): { text: string; entities: TgEntity[] } {
  const source = str(raw) ?? "";
  if (kind === "text" && !source.trim()) throw bad("message text is empty");
  let text = source;
  let entities: TgEntity[] = [];
  const mode = str(parseMode)?.toLowerCase();
  if (mode === "html") {
    try {
      ({ text, entities } = parseTelegramHtml(source));
    } catch (e) {
      if (e instanceof HtmlParseError) throw bad(`can't parse entities: ${e.message}`);
      throw e;
    }
    if (kind === "text" && !text) throw bad("text must be non-empty");
  } else if (mode) {
    if (mode !== "markdown" && mode !== "markdownv2") throw bad(`unsupported parse_mode`);
    // Markdown is not used by this bot: shown as plain text
    text = source.trim();
  } else {
    text = source.trim();
    entities = obj<TgEntity[]>(entitiesParam, "entities") ?? [];
  }
  if (kind === "text" && text.length > LIMITS.text) throw bad("message is too long");
  if (kind === "caption" && text.length > LIMITS.caption) throw bad("message caption is too long");
  return { text, entities: detectEntities(text, entities) };
}

export function entitiesField(key: "entities" | "caption_entities", list: TgEntity[]) {
  return list.length ? { [key]: list } : {};
}

const INLINE_ACTIONS = [
  "callback_data",
  "url",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

/** Validates a reply markup like Telegram; returns the markup to keep (inline on the message, reply on the chat). */
export function checkMarkup(raw: unknown, inlineOnly = false): Markup | undefined {
  const m = obj<Markup>(raw, "reply keyboard markup");
  if (m === undefined) return undefined;
  if (typeof m !== "object" || m === null || Array.isArray(m))
    throw bad("can't parse reply keyboard markup JSON object");
  if ("inline_keyboard" in m) {
    const rows = m.inline_keyboard;
    if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
      throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    }
    let count = 0;
    for (const row of rows as Record<string, unknown>[][]) {
      for (const b of row) {
        count++;
        if (typeof b !== "object" || b === null)
          throw bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        if (typeof b.text !== "string")
          throw bad('can\'t parse inline keyboard button: Field "text" must be of type String');
        if (!b.text.trim()) throw bad("BUTTON_TEXT_INVALID");
        if (!INLINE_ACTIONS.some((a) => b[a] !== undefined)) {
          throw bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        }
        if (b.callback_data !== undefined) {
          const bytes = Buffer.byteLength(String(b.callback_data), "utf8");
          if (bytes < 1 || bytes > LIMITS.callbackData) throw bad("BUTTON_DATA_INVALID");
        }
        if (b.url !== undefined && !/^(https?|tg):\/\/\S+$/i.test(String(b.url)))
          throw bad("BUTTON_URL_INVALID");
      }
    }
    if (count > 100) throw bad("reply markup is too long");
    return rows.length ? { inline_keyboard: rows } : undefined;
  }
  if (inlineOnly) throw bad("inline keyboard expected");
  if ("keyboard" in m) {
    const rows = m.keyboard;
    if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
      throw bad('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays');
    }
    for (const b of rows.flat() as unknown[]) {
      const text = typeof b === "string" ? b : (b as { text?: unknown })?.text;
      if (typeof text !== "string" || !text.trim())
        throw bad('can\'t parse keyboard button: Field "text" must be of type String');
    }
    return m; // applied to the chat by botMessage
  }
  if ("remove_keyboard" in m || "force_reply" in m) return m;
  throw bad('can\'t find field "inline_keyboard"');
}

// Telegram HTML: ONE escape, one clip and one split that never cut a tag or an entity, and the plain text a
// message shows (to compare a screen with the message it would replace: an unchanged edit is refused).

/** Telegram's limits. */
export const MESSAGE_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
/** What we aim under, leaving room for a header or "…". */
export const SAFE_MESSAGE = 3900;

import { escapeHtml } from "../../domain/format.ts";

/** Escape a user-provided value for Telegram HTML. */
export { escapeHtml };

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"' };

/** The text a message shows for this HTML (tags dropped, entities decoded): what Telegram returns as `text`. */
export function htmlToText(html: string): string {
  return html.replace(/<[^>]+>/g, "").replace(/&(lt|gt|amp|quot);/g, (m) => ENTITIES[m] ?? m);
}

/** The visible length of an HTML text (Telegram counts characters after entity parsing). */
export const visibleLength = (html: string): number => [...htmlToText(html)].length;

const TAG = /<(\/?)([a-z-]+)(?:\s[^>]*)?>/gi;

/** Tags left open at the end of `html`, in opening order (with their full opening text). */
function openTags(html: string): { name: string; open: string }[] {
  const stack: { name: string; open: string }[] = [];
  for (const m of html.matchAll(TAG)) {
    const name = m[2]!.toLowerCase();
    if (m[1]) {
      const i = stack.map((x) => x.name).lastIndexOf(name);
      if (i >= 0) stack.splice(i, 1);
    } else stack.push({ name, open: m[0] });
  }
  return stack;
}

/** Cut `html` at a line break (or a space) so that at most `max` characters remain visible; tags balanced. */
function cutAt(html: string, max: number): { head: string; tail: string } {
  // Find the largest source index whose visible prefix fits.
  let visible = 0;
  let i = 0;
  let lastBreak = -1;
  let lastSpace = -1;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === "<") {
      const end = html.indexOf(">", i);
      i = end < 0 ? html.length : end + 1;
      continue;
    }
    let step = 1;
    if (ch === "&") {
      const end = html.indexOf(";", i);
      if (end > i && end - i <= 8) step = end - i + 1;
    } else if (ch >= "\uD800" && ch <= "\uDBFF") step = 2;
    if (visible + 1 > max) break;
    visible++;
    if (ch === "\n") lastBreak = i;
    else if (ch === " ") lastSpace = i;
    i += step;
  }
  if (i >= html.length) return { head: html, tail: "" };
  const at = lastBreak > i / 2 ? lastBreak : lastSpace > i / 2 ? lastSpace : i;
  return { head: html.slice(0, at), tail: html.slice(at).replace(/^[\n ]/, "") };
}

/** Keep at most `max` visible characters: cut at a line break, close the open tags, end with «…». */
export function clipHtml(html: string, max = SAFE_MESSAGE): string {
  if (visibleLength(html) <= max) return html;
  const { head } = cutAt(html, max - 2);
  const open = openTags(head);
  return `${head}\n…${open
    .reverse()
    .map((t) => `</${t.name}>`)
    .join("")}`;
}

/** Split into pages of at most `max` visible characters; a tag open at a cut is closed and reopened. */
export function splitHtml(html: string, max = SAFE_MESSAGE): string[] {
  const pages: string[] = [];
  let rest = html;
  while (visibleLength(rest) > max) {
    const { head, tail } = cutAt(rest, max);
    const open = openTags(head);
    pages.push(
      head +
        open
          .slice()
          .reverse()
          .map((t) => `</${t.name}>`)
          .join(""),
    );
    rest = open.map((t) => t.open).join("") + tail;
  }
  if (rest.trim()) pages.push(rest);
  return pages.length ? pages : [""];
}

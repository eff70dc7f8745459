// How a message looks: text with Telegram's entities, documents, photos, albums (one bubble, each file
// with its name, size and caption), a map pin card for a location or venue (drawn here: no map tiles, no
// internet), contacts, and the inline keyboard under a message.
import { coordOf, sizeOf, t, timeOf } from "./i18n.js";

export const esc = (s) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );

const safeUrl = (u) => (/^(https?|tg|mailto):/i.test(u) ? u : "#");

/** What the page does when a button is pressed (set by app.js). */
const actions = { press: () => {}, copied: () => {} };
export function setActions(a) {
  Object.assign(actions, a);
}

// ───────────────────────────── entities → HTML ─────────────────────────────

export function renderEntities(text, entities) {
  const sorted = (entities || []).slice().sort((a, b) => a.offset - b.offset || b.length - a.length);
  const root = { start: 0, end: text.length, children: [], e: null };
  const stack = [root];
  for (const e of sorted) {
    const start = e.offset;
    while (stack.length > 1 && start >= stack[stack.length - 1].end) stack.pop();
    const parent = stack[stack.length - 1];
    const end = Math.min(e.offset + e.length, parent.end);
    if (end <= start) continue;
    const node = { start, end, children: [], e };
    parent.children.push(node);
    stack.push(node);
  }
  const emit = (node) => {
    let html = "";
    let pos = node.start;
    for (const ch of node.children) {
      html += esc(text.slice(pos, ch.start));
      html += wrap(ch.e, emit(ch), text.slice(ch.start, ch.end));
      pos = ch.end;
    }
    return html + esc(text.slice(pos, node.end));
  };
  return emit(root);
}

function wrap(e, inner, raw) {
  switch (e.type) {
    case "bold":
      return `<b>${inner}</b>`;
    case "italic":
      return `<i>${inner}</i>`;
    case "underline":
      return `<u>${inner}</u>`;
    case "strikethrough":
      return `<s>${inner}</s>`;
    case "spoiler":
      return `<span class="spoiler">${inner}</span>`;
    case "code":
      return `<code>${inner}</code>`;
    case "pre":
      return `<pre${e.language ? ` data-lang="${esc(e.language)}"` : ""}>${inner}</pre>`;
    case "blockquote":
    case "expandable_blockquote":
      return `<blockquote>${inner}</blockquote>`;
    case "text_link":
      return `<a href="${esc(safeUrl(e.url))}" target="_blank" rel="noopener noreferrer">${inner}</a>`;
    case "url":
      return `<a href="${esc(safeUrl(raw))}" target="_blank" rel="noopener noreferrer">${inner}</a>`;
    case "bot_command":
      return `<span class="cmd" data-cmd="${esc(raw)}">${inner}</span>`;
    default:
      return inner;
  }
}

// ───────────────────────────── parts of a message ─────────────────────────────

export function previewOf(m) {
  if (!m) return "";
  if (m.text) return m.text.slice(0, 80);
  if (m.document) return `📎 ${m.document.file_name || t("message.file")}`;
  if (m.photo) return `🖼 ${t("message.photo")}`;
  if (m.venue) return `📍 ${m.venue.title || t("message.location")}`;
  if (m.location) return `📍 ${t("message.location")}`;
  if (m.contact) return `👤 ${t("message.contact")}`;
  return "";
}

const fileHref = (id) => `/ui/files/${encodeURIComponent(id)}`;

function documentHtml(d) {
  const href = fileHref(d.file_id);
  return `<div class="doc"><a class="doc-icon" href="${href}" download title="${esc(t("message.download"))}">⬇</a>
    <div class="doc-body"><div class="doc-name">${esc(d.file_name || t("message.file"))}</div>
    <div class="doc-size">${esc(sizeOf(d.file_size))} · <a href="${href}" download class="download">${esc(t("message.download"))}</a></div></div></div>`;
}

function photoHtml(photo) {
  const big = photo[photo.length - 1];
  const src = `${fileHref(big.file_id)}?inline=1`;
  return `<a href="${src}" target="_blank"><img class="photo" alt="${esc(t("message.photo"))}" src="${src}"></a>`;
}

/** A pin on a drawn "map" with the coordinates, the venue's title and address, and links that are not loaded. */
export function mapHtml(location, venue) {
  const la = coordOf(location.latitude);
  const lo = coordOf(location.longitude);
  const osm = `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=16/${la}/${lo}`;
  return `<div class="map-card">
    <div class="map-canvas" title="${esc(t("map.offline"))}" aria-hidden="true"><span class="pin"></span></div>
    <div class="map-info">
      ${venue?.title ? `<div class="venue-title">${esc(venue.title)}</div>` : ""}
      ${venue?.address ? `<div class="venue-address">${esc(venue.address)}</div>` : ""}
      <div class="coords"><span class="coords-label">${esc(t("map.coordinates"))}:</span> ${la}, ${lo}</div>
      <div class="map-links"><a href="geo:${la},${lo}">${esc(t("map.open_in_maps"))}</a> · <a href="${esc(osm)}" target="_blank" rel="noopener noreferrer">${esc(t("map.osm"))}</a></div>
    </div></div>`;
}

const metaHtml = (m) =>
  `<span class="meta">${m.edit_date ? `${esc(t("message.edited"))} ` : ""}${timeOf(m.edit_date || m.date)}</span>`;

function bodyHtml(m, withMeta = true) {
  let body = "";
  if (m.reply_to_message) body += `<div class="reply-quote">${esc(previewOf(m.reply_to_message))}</div>`;
  if (m.photo) body += photoHtml(m.photo);
  if (m.document) body += documentHtml(m.document);
  if (m.location) body += mapHtml(m.location, m.venue);
  if (m.contact)
    body += `<div class="contact">👤 ${esc(m.contact.first_name)} · ${esc(m.contact.phone_number)}</div>`;
  const meta = withMeta ? metaHtml(m) : "";
  if (m.text !== undefined) body += `<div class="text">${renderEntities(m.text, m.entities)}${meta}</div>`;
  else if (m.caption)
    body += `<div class="caption">${renderEntities(m.caption, m.caption_entities)}${meta}</div>`;
  else if (meta) body += `<div>${meta}</div>`;
  return body;
}

function keyboardNode(m) {
  const kb = document.createElement("div");
  kb.className = "inline-kb";
  for (const row of m.reply_markup.inline_keyboard) {
    const r = document.createElement("div");
    r.className = "kb-row";
    for (const b of row) {
      const btn = document.createElement("button");
      btn.type = "button";
      btn.className = "kb-btn";
      btn.textContent = b.text;
      if (b.callback_data !== undefined) {
        btn.dataset.data = b.callback_data;
        btn.addEventListener("click", () => actions.press(m.message_id, b.callback_data, btn));
      } else if (b.url) {
        btn.innerHTML = `${esc(b.text)}<span class="link-mark">↗</span>`;
        btn.addEventListener("click", () => window.open(b.url, "_blank", "noopener"));
      } else if (b.copy_text) {
        btn.addEventListener("click", () => {
          navigator.clipboard?.writeText(b.copy_text.text);
          actions.copied();
        });
      } else {
        btn.disabled = true;
        btn.title = t("message.unsupported_button");
      }
      r.append(btn);
    }
    kb.append(r);
  }
  return kb;
}

/** One message as its own bubble (with its inline keyboard). */
export function messageNode(m) {
  const el = document.createElement("div");
  el.className = `msg ${m.from?.is_bot ? "in" : "out"}`;
  el.dataset.id = String(m.message_id);
  el.innerHTML = `<div class="bubble">${bodyHtml(m)}</div>`;
  if (m.reply_markup?.inline_keyboard?.length) el.append(keyboardNode(m));
  return el;
}

/** One file of an album (a row inside the album's bubble). */
export function albumItemNode(m) {
  const el = document.createElement("div");
  el.className = `album-item${m.photo ? " photo-item" : ""}`;
  el.dataset.id = String(m.message_id);
  el.innerHTML = bodyHtml({ ...m, reply_to_message: undefined }, false);
  return el;
}

/** The bubble that holds an album's messages (they share a media_group_id). */
export function albumNode(m) {
  const el = document.createElement("div");
  el.className = `msg album ${m.from?.is_bot ? "in" : "out"}`;
  el.dataset.group = m.media_group_id;
  el.innerHTML = `<div class="bubble">${m.reply_to_message ? `<div class="reply-quote">${esc(previewOf(m.reply_to_message))}</div>` : ""}<div class="album-items${m.photo ? " photos" : ""}"></div><div class="album-meta">${metaHtml(m)}</div></div>`;
  return el;
}

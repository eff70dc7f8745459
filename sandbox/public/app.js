// The sandbox web chat: plain JS, no build step. Talks to the sandbox's /ui/... API and follows
// /ui/events (server-sent events) to show new messages, edits, toasts and keyboards live.

const $ = (id) => document.getElementById(id);
const els = {
  app: $("app"),
  persons: $("persons"),
  botName: $("botName"),
  newUser: $("newUser"),
  messages: $("messages"),
  emptyHint: $("emptyHint"),
  chatTitle: $("chatTitle"),
  chatStatus: $("chatStatus"),
  chatAvatar: $("chatAvatar"),
  back: $("back"),
  composer: $("composer"),
  text: $("text"),
  send: $("send"),
  menuBtn: $("menuBtn"),
  attachBtn: $("attachBtn"),
  kbToggle: $("kbToggle"),
  fileInput: $("fileInput"),
  commandsMenu: $("commandsMenu"),
  attachMenu: $("attachMenu"),
  replyKeyboard: $("replyKeyboard"),
  toasts: $("toasts"),
  locationModal: $("locationModal"),
  locationForm: $("locationForm"),
  personModal: $("personModal"),
  personForm: $("personForm"),
  alertModal: $("alertModal"),
  alertText: $("alertText"),
};

const state = {
  bot: null,
  persons: new Map(),
  chatId: null,
  keyboard: null,
  keyboardHidden: false,
  commands: [],
  pending: new Map(), // callback_query_id → button element
  typingTimer: null,
  fileAsPhoto: false,
};

// ───────────────────────────── helpers ─────────────────────────────

const esc = (s) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );

const COLORS = ["#e17076", "#faa774", "#a695e7", "#7bc862", "#6ec9cb", "#65aadd", "#ee7aae"];
const colorOf = (id) => COLORS[Math.abs(Number(BigInt(id) % 7n))];
const initials = (p) => ((p.first_name || "?")[0] + ((p.last_name || "")[0] || "")).toUpperCase();
const fullName = (p) => [p.first_name, p.last_name].filter(Boolean).join(" ");
const timeOf = (unix) =>
  new Date(unix * 1000).toLocaleTimeString("ru-RU", { hour: "2-digit", minute: "2-digit" });
const sizeOf = (n) =>
  n == null
    ? ""
    : n < 1024
      ? `${n} B`
      : n < 1048576
        ? `${(n / 1024).toFixed(1)} KB`
        : `${(n / 1048576).toFixed(1)} MB`;
const safeUrl = (u) => (/^(https?|tg|mailto):/i.test(u) ? u : "#");

async function api(path, body, opts = {}) {
  const res = await fetch(path, {
    method: body === undefined && !opts.post ? "GET" : "POST",
    headers: {
      "x-sandbox": "1",
      ...(opts.raw
        ? { "content-type": opts.type || "application/octet-stream" }
        : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : opts.raw ? body : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
  return data;
}

function toast(text, kind = "") {
  const t = document.createElement("div");
  t.className = `toast ${kind}`;
  t.textContent = text;
  els.toasts.append(t);
  setTimeout(() => t.remove(), kind === "error" ? 6000 : 3000);
}

function showModal(modal) {
  modal.hidden = false;
  const first = modal.querySelector("input, select, button.primary");
  if (first) first.focus();
}
for (const m of document.querySelectorAll(".modal")) {
  m.addEventListener("click", (e) => {
    if (e.target === m || e.target.closest("[data-close]")) m.hidden = true;
  });
}

// ───────────────────────────── entities → HTML ─────────────────────────────

function renderEntities(text, entities) {
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

// ───────────────────────────── persons (left pane) ─────────────────────────────

function renderPersons() {
  els.persons.innerHTML = "";
  for (const p of state.persons.values()) {
    const li = document.createElement("li");
    li.className = `person${p.id === state.chatId ? " active" : ""}`;
    li.dataset.id = String(p.id);
    li.innerHTML = `
      <div class="avatar" style="background:${colorOf(p.id)}">${esc(initials(p))}</div>
      <div class="info">
        <div class="name-row"><span class="name">${esc(fullName(p))}</span><span class="time">${p.last ? timeOf(p.last.date) : ""}</span></div>
        <div class="role">${esc(p.role || "")}</div>
        <div class="preview">${p.last ? esc((p.last.from_bot ? "" : "Вы: ") + p.last.text) : ""}</div>
      </div>`;
    li.addEventListener("click", () => openChat(p.id));
    els.persons.append(li);
  }
}

function notePreview(chatId, message) {
  const p = state.persons.get(chatId);
  if (!p) return;
  p.last = { text: previewOf(message), date: message.date, from_bot: !!message.from?.is_bot };
  renderPersons();
}

function previewOf(m) {
  if (m.text) return m.text.slice(0, 80);
  if (m.document) return `📎 ${m.document.file_name || "файл"}`;
  if (m.photo) return "🖼 Фото";
  if (m.location) return "📍 Геопозиция";
  if (m.contact) return "👤 Контакт";
  return "";
}

// ───────────────────────────── chat (right pane) ─────────────────────────────

async function openChat(id) {
  state.chatId = id;
  location.hash = `chat=${id}`;
  els.app.classList.add("in-chat");
  const data = await api(`/ui/chats/${id}`);
  const p = data.person;
  els.chatTitle.textContent = fullName(p);
  els.chatStatus.textContent = p.role || (p.username ? `@${p.username}` : "");
  els.chatStatus.classList.remove("typing");
  els.chatAvatar.textContent = initials(p);
  els.chatAvatar.style.background = colorOf(p.id);
  els.messages.innerHTML = "";
  for (const m of data.messages) appendMessage(m, false);
  if (!data.messages.length) {
    els.messages.append(els.emptyHint);
    els.emptyHint.hidden = false;
  }
  state.commands = data.commands;
  state.keyboardHidden = false;
  setKeyboard(data.keyboard);
  els.text.disabled = false;
  els.send.disabled = false;
  els.text.focus();
  renderPersons();
  scrollDown();
}

function scrollDown() {
  els.messages.scrollTop = els.messages.scrollHeight;
}

function messageNode(m) {
  const mine = !m.from?.is_bot;
  const wrapEl = document.createElement("div");
  wrapEl.className = `msg ${mine ? "out" : "in"}`;
  wrapEl.dataset.id = String(m.message_id);
  let body = "";
  if (m.reply_to_message) body += `<div class="reply-quote">${esc(previewOf(m.reply_to_message))}</div>`;
  if (m.photo) {
    const big = m.photo[m.photo.length - 1];
    body += `<a href="/ui/files/${encodeURIComponent(big.file_id)}?inline=1" target="_blank"><img class="photo" alt="photo" src="/ui/files/${encodeURIComponent(big.file_id)}?inline=1"></a>`;
  }
  if (m.document) {
    const d = m.document;
    const href = `/ui/files/${encodeURIComponent(d.file_id)}`;
    body += `<div class="doc"><a class="doc-icon" href="${href}" download title="Скачать">⬇</a>
      <div><div class="doc-name">${esc(d.file_name || "file")}</div>
      <div class="doc-size">${sizeOf(d.file_size)} · <a href="${href}" download class="download">скачать</a></div></div></div>`;
  }
  if (m.location) {
    const { latitude: la, longitude: lo } = m.location;
    body += `<div class="location"><a target="_blank" rel="noopener" href="https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=16/${la}/${lo}">📍 ${la.toFixed(5)}, ${lo.toFixed(5)}</a></div>`;
  }
  if (m.contact)
    body += `<div class="contact">👤 ${esc(m.contact.first_name)} · ${esc(m.contact.phone_number)}</div>`;
  const meta = `<span class="meta">${m.edit_date ? "изменено " : ""}${timeOf(m.edit_date || m.date)}</span>`;
  if (m.text !== undefined) body += `<div class="text">${renderEntities(m.text, m.entities)}${meta}</div>`;
  else if (m.caption)
    body += `<div class="caption">${renderEntities(m.caption, m.caption_entities)}${meta}</div>`;
  else body += `<div>${meta}</div>`;
  wrapEl.innerHTML = `<div class="bubble">${body}</div>`;
  const rows = m.reply_markup?.inline_keyboard;
  if (rows?.length) {
    const kb = document.createElement("div");
    kb.className = "inline-kb";
    for (const row of rows) {
      const r = document.createElement("div");
      r.className = "kb-row";
      for (const b of row) {
        const btn = document.createElement("button");
        btn.type = "button";
        btn.className = "kb-btn";
        btn.textContent = b.text;
        if (b.callback_data !== undefined) {
          btn.dataset.data = b.callback_data;
          btn.addEventListener("click", () => press(m.message_id, b.callback_data, btn));
        } else if (b.url) {
          btn.innerHTML = `${esc(b.text)}<span class="link-mark">↗</span>`;
          btn.addEventListener("click", () => window.open(b.url, "_blank", "noopener"));
        } else if (b.copy_text) {
          btn.addEventListener("click", () => {
            navigator.clipboard?.writeText(b.copy_text.text);
            toast("Скопировано");
          });
        } else {
          btn.disabled = true;
          btn.title = "Этот тип кнопки в песочнице не поддерживается";
        }
        r.append(btn);
      }
      kb.append(r);
    }
    wrapEl.append(kb);
  }
  return wrapEl;
}

function appendMessage(m, scroll = true) {
  els.emptyHint.hidden = true;
  els.messages.append(messageNode(m));
  if (scroll) scrollDown();
}

function replaceMessage(m) {
  const old = els.messages.querySelector(`.msg[data-id="${m.message_id}"]`);
  if (!old) return appendMessage(m);
  const fresh = messageNode(m);
  fresh.classList.add("flash");
  old.replaceWith(fresh);
}

function systemLine(text, kind = "") {
  const d = document.createElement("div");
  d.className = `system ${kind}`;
  d.textContent = text;
  els.messages.append(d);
  scrollDown();
}

// ───────────────────────────── actions ─────────────────────────────

async function sendText(text) {
  if (!state.chatId || !text.trim()) return;
  try {
    await api(`/ui/chats/${state.chatId}/text`, { text });
  } catch (e) {
    toast(e.message, "error");
  }
}

async function press(messageId, data, btn) {
  btn.classList.add("pending");
  try {
    const r = await api(`/ui/chats/${state.chatId}/callback`, { message_id: messageId, data });
    state.pending.set(r.callback_query_id, btn);
    setTimeout(() => {
      if (state.pending.get(r.callback_query_id) === btn) {
        state.pending.delete(r.callback_query_id);
        btn.classList.remove("pending");
      }
    }, 15000);
  } catch (e) {
    btn.classList.remove("pending");
    toast(e.message, "error");
  }
}

async function sendFile(file, asPhoto) {
  const q = new URLSearchParams({ name: file.name });
  if (asPhoto) q.set("photo", "1");
  try {
    await api(`/ui/chats/${state.chatId}/file?${q}`, file, { raw: true, type: file.type });
  } catch (e) {
    toast(e.message, "error");
  }
}

async function sendContact() {
  try {
    await api(`/ui/chats/${state.chatId}/contact`, {}, { post: true });
  } catch (e) {
    toast(e.message, "error");
  }
}

function setKeyboard(kb) {
  state.keyboard = kb;
  els.kbToggle.hidden = !kb;
  els.text.placeholder = kb?.input_field_placeholder || "Сообщение";
  renderKeyboard();
}

function renderKeyboard() {
  const kb = state.keyboard;
  els.replyKeyboard.innerHTML = "";
  els.replyKeyboard.hidden = !kb || state.keyboardHidden;
  if (!kb) return;
  for (const row of kb.keyboard) {
    const r = document.createElement("div");
    r.className = "kb-row";
    for (const b of row) {
      const btn = document.createElement("button");
      btn.type = "button";
      const text = typeof b === "string" ? b : b.text;
      btn.textContent = text;
      btn.addEventListener("click", () => {
        if (b.request_location) return showModal(els.locationModal);
        if (b.request_contact) return sendContact();
        sendText(text);
      });
      r.append(btn);
    }
    els.replyKeyboard.append(r);
  }
}

function renderCommands() {
  els.commandsMenu.innerHTML = "";
  const list = state.commands.length ? state.commands : [{ command: "start", description: "" }];
  for (const c of list) {
    const b = document.createElement("button");
    b.type = "button";
    b.innerHTML = `<span class="cmd-name">/${esc(c.command)}</span><span class="cmd-desc">${esc(c.description)}</span>`;
    b.addEventListener("click", () => {
      els.commandsMenu.hidden = true;
      sendText(`/${c.command}`);
    });
    els.commandsMenu.append(b);
  }
}

// ───────────────────────────── wiring ─────────────────────────────

els.composer.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = els.text.value;
  els.text.value = "";
  autosize();
  sendText(text);
});
els.text.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    els.composer.requestSubmit();
  }
});
function autosize() {
  els.text.style.height = "auto";
  els.text.style.height = `${Math.min(els.text.scrollHeight, 160)}px`;
}
els.text.addEventListener("input", autosize);

els.messages.addEventListener("click", (e) => {
  const cmd = e.target.closest(".cmd");
  if (cmd) return sendText(cmd.dataset.cmd);
  const sp = e.target.closest(".spoiler");
  if (sp) sp.classList.add("shown");
});

els.menuBtn.addEventListener("click", () => {
  if (!state.chatId) return;
  els.attachMenu.hidden = true;
  renderCommands();
  els.commandsMenu.hidden = !els.commandsMenu.hidden;
});
els.attachBtn.addEventListener("click", () => {
  if (!state.chatId) return;
  els.commandsMenu.hidden = true;
  els.attachMenu.hidden = !els.attachMenu.hidden;
});
document.addEventListener("click", (e) => {
  if (!e.target.closest("#attachMenu, #attachBtn")) els.attachMenu.hidden = true;
  if (!e.target.closest("#commandsMenu, #menuBtn")) els.commandsMenu.hidden = true;
});
els.attachMenu.addEventListener("click", (e) => {
  const kind = e.target.closest("[data-attach]")?.dataset.attach;
  if (!kind) return;
  els.attachMenu.hidden = true;
  if (kind === "document" || kind === "photo") {
    state.fileAsPhoto = kind === "photo";
    els.fileInput.accept = kind === "photo" ? "image/*" : "";
    els.fileInput.click();
  } else if (kind === "location") showModal(els.locationModal);
  else if (kind === "contact") sendContact();
});
els.fileInput.addEventListener("change", () => {
  const f = els.fileInput.files?.[0];
  if (f) sendFile(f, state.fileAsPhoto);
  els.fileInput.value = "";
});
els.kbToggle.addEventListener("click", () => {
  state.keyboardHidden = !state.keyboardHidden;
  renderKeyboard();
});
els.back.addEventListener("click", () => els.app.classList.remove("in-chat"));

els.locationForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  els.locationModal.hidden = true;
  try {
    await api(`/ui/chats/${state.chatId}/location`, {
      latitude: Number($("lat").value),
      longitude: Number($("lon").value),
    });
  } catch (err) {
    toast(err.message, "error");
  }
});

els.newUser.addEventListener("click", () => {
  $("personName").value = "";
  showModal(els.personModal);
});
els.personForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  els.personModal.hidden = true;
  const r = await api("/ui/persons", {
    first_name: $("personName").value,
    language_code: $("personLang").value,
  });
  state.persons.set(r.person.id, { ...r.person, last: null });
  openChat(r.person.id);
});

// ───────────────────────────── live events ─────────────────────────────

function onEvent(ev) {
  const here = ev.chat_id !== undefined && ev.chat_id === state.chatId;
  switch (ev.type) {
    case "message":
      notePreview(ev.chat_id, ev.message);
      if (here) {
        appendMessage(ev.message);
        els.chatStatus.classList.remove("typing");
        els.chatStatus.textContent = state.persons.get(state.chatId)?.role || "";
      }
      break;
    case "edit":
      if (here) replaceMessage(ev.message);
      break;
    case "delete":
      if (here) els.messages.querySelector(`.msg[data-id="${ev.message_id}"]`)?.remove();
      break;
    case "keyboard":
      if (here) {
        state.keyboardHidden = false;
        setKeyboard(ev.keyboard);
      }
      break;
    case "toast": {
      const btn = state.pending.get(ev.callback_query_id);
      if (btn) {
        btn.classList.remove("pending");
        state.pending.delete(ev.callback_query_id);
      }
      if (!here) break;
      if (ev.show_alert && ev.text) {
        els.alertText.textContent = ev.text;
        showModal(els.alertModal);
      } else if (ev.text) toast(ev.text);
      if (ev.url) window.open(ev.url, "_blank", "noopener");
      break;
    }
    case "action":
      if (here) {
        els.chatStatus.textContent = ev.action === "typing" ? "печатает…" : "отправляет файл…";
        els.chatStatus.classList.add("typing");
        clearTimeout(state.typingTimer);
        state.typingTimer = setTimeout(() => {
          els.chatStatus.classList.remove("typing");
          els.chatStatus.textContent = state.persons.get(state.chatId)?.role || "";
        }, 5000);
      }
      break;
    case "api_error":
      if (here) systemLine(`${ev.method}: ${ev.description}`, "error");
      else toast(`${ev.method}: ${ev.description}`, "error");
      break;
    case "person":
      if (!state.persons.has(ev.person.id)) {
        state.persons.set(ev.person.id, { ...ev.person, last: null });
        renderPersons();
      }
      break;
    case "commands":
      if (state.chatId) api(`/ui/chats/${state.chatId}`).then((d) => (state.commands = d.commands));
      break;
  }
}

function connect() {
  const es = new EventSource("/ui/events");
  let opened = false;
  es.onmessage = (e) => onEvent(JSON.parse(e.data));
  es.onopen = () => {
    // after a reconnect, reload what may have been missed
    if (opened && state.chatId) openChat(state.chatId);
    opened = true;
  };
}

async function boot() {
  const info = await api("/ui/info");
  state.bot = info.bot;
  els.botName.textContent = `${info.bot.first_name} · @${info.bot.username}`;
  for (const p of info.persons) state.persons.set(p.id, p);
  renderPersons();
  connect();
  const m = /chat=(\d+)/.exec(location.hash);
  if (m && state.persons.has(Number(m[1]))) openChat(Number(m[1]));
}

boot().catch((e) => toast(`Sandbox недоступен: ${e.message}`, "error"));

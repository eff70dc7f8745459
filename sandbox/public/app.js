// The sandbox web chat: plain JS modules, no build step. Talks to the sandbox's /ui/... API and follows
// /ui/events (server-sent events) to show new messages, edits, toasts, chat actions and keyboards live.
// Texts: i18n.js (kk/ru); how messages look: render.js.
import { applyStatic, currentLang, initialLang, loadTexts, setLang, t, timeOf } from "./i18n.js";
import { albumItemNode, albumNode, esc, messageNode, previewOf, setActions } from "./render.js";

const $ = (id) => document.getElementById(id);
const IDS = `app persons botName newUser invites inviteList messages emptyHint chatTitle chatStatus chatAvatar
  back composer text send menuBtn attachBtn kbToggle fileInput commandsMenu attachMenu replyKeyboard toasts
  locationModal locationForm personModal personForm alertModal alertText starting langSwitch chat`;
const els = Object.fromEntries(
  IDS.trim()
    .split(/\s+/)
    .map((id) => [id, $(id)]),
);

const state = {
  bot: null,
  ready: false,
  persons: new Map(),
  invites: [],
  chatId: null,
  chat: null, // the open chat as GET /ui/chats/:id returned it (description, commands...)
  keyboard: null,
  keyboardHidden: false,
  commands: [],
  /** callback_query_id → the pressed button (its spinner runs until the bot answers or the query times out). */
  pending: new Map(),
  /** Answers and timeouts that arrived before the press request returned its id (the bot was that fast). */
  early: new Map(),
  typingTimer: null,
  fileAsPhoto: false,
};

// ───────────────────────────── helpers ─────────────────────────────

const COLORS = ["#e17076", "#faa774", "#a695e7", "#7bc862", "#6ec9cb", "#65aadd", "#ee7aae"];
const colorOf = (id) => COLORS[Math.abs(Number(BigInt(id) % 7n))];
const initials = (p) => ((p.first_name || "?")[0] + ((p.last_name || "")[0] || "")).toUpperCase();
const fullName = (p) => [p.first_name, p.last_name].filter(Boolean).join(" ");
const roleOf = (p) =>
  (typeof p.role === "object" && p.role ? p.role[currentLang()] || p.role.ru : p.role) ||
  t("persons.new_user_role");

async function api(path, body, opts = {}) {
  const res = await fetch(path, {
    method: body === undefined && !opts.post ? "GET" : "POST",
    headers: {
      "x-sandbox": "1",
      ...(opts.form
        ? {}
        : { "content-type": opts.raw ? opts.type || "application/octet-stream" : "application/json" }),
    },
    body: body === undefined ? undefined : opts.raw || opts.form ? body : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
  return data;
}

function toast(text, kind = "") {
  const el = document.createElement("div");
  el.className = `toast ${kind}`;
  el.textContent = text;
  els.toasts.append(el);
  setTimeout(() => el.remove(), kind === "error" ? 6000 : 3000);
}
const fail = (e) => toast(e.message, "error");

function showModal(modal) {
  modal.hidden = false;
  modal.querySelector("input, select, button.primary")?.focus();
}
for (const m of document.querySelectorAll(".modal")) {
  m.addEventListener("click", (e) => {
    if (e.target === m || e.target.closest("[data-close]")) m.hidden = true;
  });
}

// ───────────────────────────── persons and invites (left pane) ─────────────────────────────

function renderPersons() {
  els.persons.innerHTML = "";
  for (const p of state.persons.values()) {
    const li = document.createElement("li");
    li.className = `person${p.id === state.chatId ? " active" : ""}`;
    li.dataset.id = String(p.id);
    const last = p.last;
    const you = last && !last.from?.is_bot ? t("persons.you") : "";
    li.innerHTML = `
      <div class="avatar" style="background:${colorOf(p.id)}">${esc(initials(p))}</div>
      <div class="info">
        <div class="name-row"><span class="name">${esc(fullName(p))}</span><span class="time">${last ? timeLabel(last) : ""}</span></div>
        <div class="role">${esc(roleOf(p))}</div>
        <div class="preview">${last ? esc(you + previewOf(last)) : ""}</div>
      </div>`;
    li.addEventListener("click", () => openChat(p.id));
    els.persons.append(li);
  }
}
const timeLabel = (m) => esc(timeOf(m.date));

function renderInvites() {
  els.invites.hidden = !state.invites.length;
  els.inviteList.innerHTML = "";
  for (const inv of state.invites) {
    const li = document.createElement("li");
    const label = typeof inv.label === "string" ? inv.label : inv.label[currentLang()] || inv.label.ru;
    li.innerHTML = `<div class="invite-label">${esc(label)}</div><code>/start ${esc(inv.code)}</code>`;
    const b = document.createElement("button");
    b.type = "button";
    b.className = "invite-open";
    b.textContent = t("invites.open");
    b.disabled = !state.ready;
    b.dataset.code = inv.code;
    b.addEventListener("click", async () => {
      try {
        const r = await api("/ui/invites", { code: inv.code, language_code: currentLang() });
        state.persons.set(r.person.id, { ...r.person, last: null });
        openChat(r.person.id);
      } catch (e) {
        fail(e);
      }
    });
    li.append(b);
    els.inviteList.append(li);
  }
}

function notePreview(chatId, message) {
  const p = state.persons.get(chatId);
  if (!p) return;
  p.last = message;
  renderPersons();
}

// ───────────────────────────── the bot is starting / ready ─────────────────────────────

function setReady(ready) {
  const was = state.ready;
  state.ready = ready;
  els.starting.hidden = ready;
  const open = ready && state.chatId !== null;
  for (const el of [els.text, els.send, els.menuBtn, els.attachBtn]) el.disabled = !open;
  for (const b of els.inviteList.querySelectorAll("button")) b.disabled = !ready;
  if (ready && !was && state.bot) toast(t("starting.ready"));
}

// ───────────────────────────── chat (right pane) ─────────────────────────────

async function openChat(id) {
  state.chatId = id;
  location.hash = `chat=${id}`;
  els.app.classList.add("in-chat");
  const data = await api(`/ui/chats/${id}`);
  state.chat = data;
  const p = data.person;
  els.chatTitle.removeAttribute("data-i18n");
  els.chatTitle.textContent = fullName(p);
  setStatus();
  els.chatAvatar.textContent = initials(p);
  els.chatAvatar.style.background = colorOf(p.id);
  els.messages.innerHTML = "";
  for (const m of data.messages) appendMessage(m, false);
  renderEmptyHint();
  state.commands = data.commands;
  state.keyboardHidden = false;
  setKeyboard(data.keyboard);
  setReady(state.ready);
  if (state.ready) els.text.focus();
  renderPersons();
  scrollDown();
}

function setStatus(text) {
  const p = state.persons.get(state.chatId) || state.chat?.person;
  els.chatStatus.classList.toggle("typing", !!text);
  els.chatStatus.textContent = text || (p ? roleOf(p) : "");
}

/** An empty chat shows what the bot says about itself (setMyDescription), else how to begin. */
function renderEmptyHint() {
  if (els.messages.querySelector(".msg")) return;
  const description = state.chat?.description;
  els.emptyHint.innerHTML = description
    ? `<div class="empty-title">${esc(t("chat.description_title"))}</div><div class="empty-text">${esc(description)}</div>`
    : esc(t("chat.empty"));
  els.messages.append(els.emptyHint);
  els.emptyHint.hidden = false;
}

function scrollDown() {
  els.messages.scrollTop = els.messages.scrollHeight;
}

function appendMessage(m, scroll = true) {
  els.emptyHint.hidden = true;
  if (m.media_group_id) {
    let group = els.messages.lastElementChild;
    if (group?.dataset.group !== m.media_group_id) {
      group = albumNode(m);
      els.messages.append(group);
    }
    group.querySelector(".album-items").append(albumItemNode(m));
  } else els.messages.append(messageNode(m));
  if (scroll) scrollDown();
}

function replaceMessage(m) {
  const old = els.messages.querySelector(`[data-id="${m.message_id}"]`);
  if (!old) return appendMessage(m);
  const fresh = old.classList.contains("album-item") ? albumItemNode(m) : messageNode(m);
  fresh.classList.add("flash");
  old.replaceWith(fresh);
}

function removeMessage(id) {
  const el = els.messages.querySelector(`[data-id="${id}"]`);
  const album = el?.closest(".album");
  el?.remove();
  if (album && !album.querySelector(".album-item")) album.remove();
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
    fail(e);
  }
}

/**
 * A pressed button spins until the bot answers the callback query (or the query times out, shown in the
 * chat). The bot may answer before this request returns the query's id: such answers wait in state.early.
 */
async function press(messageId, data, btn) {
  btn.classList.add("pending");
  try {
    const r = await api(`/ui/chats/${state.chatId}/callback`, { message_id: messageId, data });
    const early = state.early.get(r.callback_query_id);
    state.early.delete(r.callback_query_id);
    if (early) settle(btn, early);
    else state.pending.set(r.callback_query_id, btn);
  } catch (e) {
    btn.classList.remove("pending");
    fail(e);
  }
}

function settle(btn, outcome) {
  btn.classList.remove("pending");
  if (outcome.timeout) {
    btn.classList.add("timed-out");
    setTimeout(() => btn.classList.remove("timed-out"), 2000);
    const seconds = Math.round(outcome.after_ms / 1000);
    systemLine(t("callback.timeout", { button: btn.textContent, seconds }), "warn");
  }
}

/** An answer or a timeout for a query: settles its button, or keeps it for a press still on its way. */
function callbackOutcome(id, outcome) {
  const btn = state.pending.get(id);
  if (btn) {
    state.pending.delete(id);
    settle(btn, outcome);
    return;
  }
  state.early.set(id, outcome);
  setTimeout(() => state.early.delete(id), 60_000);
}

async function sendFiles(files, asPhoto) {
  if (!files.length) return;
  try {
    if (files.length === 1) {
      const q = new URLSearchParams({ name: files[0].name });
      if (asPhoto) q.set("photo", "1");
      await api(`/ui/chats/${state.chatId}/file?${q}`, files[0], { raw: true, type: files[0].type });
      return;
    }
    const form = new FormData();
    for (const [i, f] of files.entries()) form.append(`file${i}`, f, f.name);
    await api(`/ui/chats/${state.chatId}/album${asPhoto ? "?photo=1" : ""}`, form, { form: true });
  } catch (e) {
    fail(e);
  }
}

async function sendContact() {
  try {
    await api(`/ui/chats/${state.chatId}/contact`, {}, { post: true });
  } catch (e) {
    fail(e);
  }
}

function setKeyboard(kb) {
  state.keyboard = kb;
  els.kbToggle.hidden = !kb;
  els.text.placeholder = kb?.input_field_placeholder || t("composer.placeholder");
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

/** The "/" menu: the commands the bot set for this chat's scope and the person's language. */
function renderCommands(filter = "") {
  els.commandsMenu.innerHTML = "";
  const list = state.commands.filter((c) => c.command.startsWith(filter));
  if (!state.commands.length) {
    const d = document.createElement("div");
    d.className = "popup-note";
    d.textContent = t("commands.none");
    els.commandsMenu.append(d);
  }
  for (const c of list) {
    const b = document.createElement("button");
    b.type = "button";
    b.innerHTML = `<span class="cmd-name">/${esc(c.command)}</span><span class="cmd-desc">${esc(c.description)}</span>`;
    b.addEventListener("click", () => {
      els.commandsMenu.hidden = true;
      els.text.value = "";
      sendText(`/${c.command}`);
    });
    els.commandsMenu.append(b);
  }
  return list.length;
}

// ───────────────────────────── wiring ─────────────────────────────

setActions({ press, copied: () => toast(t("message.copied")) });

els.composer.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = els.text.value;
  els.text.value = "";
  els.commandsMenu.hidden = true;
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
els.text.addEventListener("input", () => {
  autosize();
  // typing "/" lists the commands, as Telegram does
  const m = /^\/(\w*)$/.exec(els.text.value);
  els.commandsMenu.hidden = !(m && renderCommands(m[1]));
});

els.messages.addEventListener("click", (e) => {
  const cmd = e.target.closest(".cmd");
  if (cmd) return sendText(cmd.dataset.cmd);
  e.target.closest(".spoiler")?.classList.add("shown");
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
  if (!e.target.closest("#commandsMenu, #menuBtn, #text")) els.commandsMenu.hidden = true;
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
// several files at once go as one album (or albums of 10), as Telegram clients send them
els.fileInput.addEventListener("change", () => {
  sendFiles([...(els.fileInput.files || [])], state.fileAsPhoto);
  els.fileInput.value = "";
});
els.chat.addEventListener("dragover", (e) => {
  if (state.ready && state.chatId) e.preventDefault();
});
els.chat.addEventListener("drop", (e) => {
  if (!state.ready || !state.chatId) return;
  e.preventDefault();
  sendFiles([...(e.dataTransfer?.files || [])], false);
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
    fail(err);
  }
});

els.newUser.addEventListener("click", () => {
  $("personName").value = "";
  $("personLang").value = currentLang();
  showModal(els.personModal);
});
els.personForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  els.personModal.hidden = true;
  try {
    const r = await api("/ui/persons", {
      first_name: $("personName").value,
      language_code: $("personLang").value,
      default_name: t("person.default_name"),
    });
    state.persons.set(r.person.id, { ...r.person, last: null });
    openChat(r.person.id);
  } catch (err) {
    fail(err);
  }
});

els.langSwitch.addEventListener("click", (e) => {
  const next = e.target.closest("[data-lang]")?.dataset.lang;
  if (!next || next === currentLang()) return;
  setLang(next, true);
  renderPersons();
  renderInvites();
  if (state.chatId !== null) openChat(state.chatId);
  else renderEmptyHint();
});

// ───────────────────────────── live events ─────────────────────────────

const ACTIONS = ["typing", "upload_document", "upload_photo", "find_location"];

function onEvent(ev) {
  const here = ev.chat_id !== undefined && ev.chat_id === state.chatId;
  switch (ev.type) {
    case "message":
      notePreview(ev.chat_id, ev.message);
      if (here) {
        appendMessage(ev.message);
        setStatus();
      }
      break;
    case "edit":
      if (here) replaceMessage(ev.message);
      break;
    case "delete":
      if (here) removeMessage(ev.message_id);
      break;
    case "keyboard":
      if (here) {
        state.keyboardHidden = false;
        setKeyboard(ev.keyboard);
      }
      break;
    case "toast":
      callbackOutcome(ev.callback_query_id, { answered: true });
      if (!here) break;
      if (ev.show_alert && ev.text) {
        els.alertText.textContent = ev.text;
        showModal(els.alertModal);
      } else if (ev.text) toast(ev.text);
      if (ev.url) window.open(ev.url, "_blank", "noopener");
      break;
    case "callback_timeout":
      callbackOutcome(ev.callback_query_id, { timeout: true, after_ms: ev.after_ms });
      break;
    case "action":
      if (here) {
        setStatus(t(`action.${ACTIONS.includes(ev.action) ? ev.action : "other"}`));
        clearTimeout(state.typingTimer);
        state.typingTimer = setTimeout(() => setStatus(), 5000);
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
    case "profile":
      if (state.chatId !== null)
        api(`/ui/chats/${state.chatId}`).then((d) => {
          state.commands = d.commands;
          state.chat = d;
          renderEmptyHint();
        });
      break;
    case "ready":
      setReady(true);
      break;
  }
}

function connect() {
  const es = new EventSource("/ui/events");
  let opened = false;
  es.onmessage = (e) => onEvent(JSON.parse(e.data));
  es.onopen = async () => {
    // after a reconnect, reload what may have been missed
    if (opened) {
      const info = await api("/ui/info").catch(() => null);
      if (info) setReady(info.ready);
      if (state.chatId !== null) openChat(state.chatId);
    }
    opened = true;
  };
}

async function boot() {
  setLang(initialLang());
  await loadTexts();
  setLang(currentLang());
  const info = await api("/ui/info");
  state.bot = info.bot;
  state.invites = info.invites || [];
  els.botName.textContent = `${info.bot.first_name} · @${info.bot.username}`;
  for (const p of info.persons) state.persons.set(p.id, p);
  renderPersons();
  renderInvites();
  renderEmptyHint();
  setReady(info.ready);
  connect();
  const m = /chat=(\d+)/.exec(location.hash);
  if (m && state.persons.has(Number(m[1]))) openChat(Number(m[1]));
}

applyStatic();
boot().catch((e) => toast(t("page.unavailable", { error: e.message }), "error"));

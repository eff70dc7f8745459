// Staff screens: the card with the buttons of the allowed actions, the pickers (grounds, checkers, exclusion
// reason), the queue, the history. Pure: data in, Screen out.
import { InlineKeyboard } from "grammy";
import type { Names } from "../../../app/classifiers.ts";
import type { Deadline } from "../../../app/dashboard.ts";
import type { QueuePage, StaffView } from "../../../app/staff.ts";
import { QUEUE_COUNT_CAP, QUEUE_PAGE } from "../../../app/staff.ts";
import { workingDaysBetween } from "../../../domain/calendar.ts";
import type { AppSnapshot } from "../../../domain/contracts.ts";
import type { Action, StaffRole } from "../../../domain/types.ts";
import type { Cursor } from "../../../app/index.ts";
import { cb } from "../../kit/callbacks.ts";
import { nameIn } from "../../kit/format.ts";
import { escapeHtml } from "../../kit/html.ts";
import type { Lang, Translate } from "../../kit/i18n.ts";
import type { Screen } from "../../kit/ui.ts";
import { actionRows, STAFF_ACTION_BUTTONS } from "../../views/actions.ts";
import { cardSummary, historyLines, noticeLines } from "../../views/card.ts";
import { deadlineLines } from "../../views/deadline.ts";
import { roleLabel, statusLabel } from "../../views/labels.ts";
import { V } from "./verbs.ts";

export interface View {
  t: Translate;
  lang: Lang;
  names: Names;
}

/** The card of an application for a staff member, with the buttons of the actions allowed right now. */
export function cardScreen(
  v: View,
  view: StaffView,
  opts: {
    header?: string;
    snapshot?: AppSnapshot;
    actions?: readonly Action[];
    deadline?: Deadline | null;
  } = {},
): Screen {
  const app = opts.snapshot ?? view.facts.snapshot;
  const actions = opts.actions ?? view.actions;
  const text = [
    opts.header ? `<b>${opts.header}</b>` : `<b>${v.t("notify:title.card")}</b>`,
    ...deadlineLines(v.t, opts.deadline, { mark: true }),
    ...cardSummary(v, view.card, app),
    ...(opts.snapshot && !opts.snapshot.activeNotice ? [] : noticeLines(v, view.card)),
  ].join("\n");
  const rows = actionRows(v.t, { id: app.id, version: app.version }, actions, STAFF_ACTION_BUTTONS);
  rows.push([{ text: v.t("staff:btn.audit"), callback_data: cb(V.audit, [app.id]) }]);
  return { text, keyboard: { inline_keyboard: rows } };
}

export function historyScreen(v: View, view: StaffView): Screen {
  const lines = [v.t("staff:audit.title")];
  const h = historyLines(v, view.card.history);
  lines.push(...(h.length ? h : [v.t("staff:audit.empty")]));
  return {
    text: lines.join("\n"),
    keyboard: new InlineKeyboard().text(v.t("staff:btn.back"), cb(V.view, [view.card.id])),
  };
}

export interface RejectionDraft {
  app: string;
  v: number;
  grounds: string[];
  note?: string;
}

export function groundsScreen(
  v: View,
  d: RejectionDraft,
  grounds: { code: string; nameKk: string; nameRu: string }[],
): Screen {
  const kb = new InlineKeyboard();
  for (const g of grounds) {
    const on = d.grounds.includes(g.code);
    kb.text(`${on ? "✅ " : ""}${nameIn(v.lang, g)}`, cb(V.ground, [d.app, g.code], d.v)).row();
  }
  kb.text(v.t("staff:btn.add_note"), cb(V.note, [d.app], d.v)).row();
  kb.text(v.t("staff:btn.reject_application"), cb(V.rejectionOk, [d.app], d.v)).row();
  kb.text(v.t("staff:btn.back"), cb(V.view, [d.app]));
  const lines = [v.t("staff:grounds.title")];
  if (d.note) lines.push(v.t("staff:grounds.note", { note: escapeHtml(d.note) }));
  return { text: lines.join("\n"), keyboard: kb };
}

export interface CheckerDraft {
  app: string;
  v: number;
  ids: string[];
  /** The branch's checkers offered (not the reviewer), as shown. */
  candidates: { id: string; name: string }[];
}

export function checkersScreen(v: View, d: CheckerDraft): Screen {
  const kb = new InlineKeyboard();
  for (const c of d.candidates)
    kb.text(`${d.ids.includes(c.id) ? "✅ " : ""}${c.name}`, cb(V.toggleChecker, [d.app, c.id], d.v)).row();
  if (d.candidates.length) kb.text(v.t("staff:btn.send"), cb(V.send, [d.app], d.v)).row();
  kb.text(v.t("staff:btn.back"), cb(V.view, [d.app]));
  return {
    text: d.candidates.length ? v.t("staff:checkers.title") : v.t("staff:checkers.none"),
    keyboard: kb,
  };
}

export interface ExclusionDraft {
  app: string;
  v: number;
  reason?: string;
  ground?: string;
}

export function exclusionScreen(
  v: View,
  d: ExclusionDraft,
  reasons: { code: string; nameKk: string; nameRu: string }[],
): Screen {
  const kb = new InlineKeyboard();
  if (!d.reason) {
    for (const r of reasons) kb.text(nameIn(v.lang, r), cb(V.exclusionReason, [d.app, r.code], d.v)).row();
    kb.text(v.t("staff:btn.back"), cb(V.view, [d.app]));
    return { text: v.t("staff:exclusion.title"), keyboard: kb };
  }
  const lines = [v.t("staff:exclusion.chosen", { reason: escapeHtml(v.names.exclusionReason(d.reason)) })];
  if (d.ground) lines.push(v.t("staff:exclusion.ground", { ground: escapeHtml(d.ground) }));
  kb.text(v.t("staff:btn.add_ground"), cb(V.exclusionGround, [d.app], d.v)).row();
  kb.text(v.t("staff:btn.form_exclusion"), cb(V.exclusionOk, [d.app], d.v)).row();
  kb.text(v.t("staff:btn.back"), cb(V.view, [d.app]));
  return { text: lines.join("\n"), keyboard: kb };
}

// ───────────── queue ─────────────

/**
 * Where a queue page starts: page number (for the title and line numbers) and the keyset cursor of the
 * neighbouring page, `n` after the last row of the previous page, `p` before the first row of the next one.
 * In the callback data: `fs.q:<role>:<page>:<n|p>:<statusChangedAt ms, base 36>:<id>` (≤ 64 bytes).
 */
export interface QueuePos {
  page: number;
  dir?: "n" | "p";
  cursor?: Cursor;
}

/** Parse the ids of a `fs.q` button (after the role); anything malformed is the first page. */
export function queuePosOf(ids: readonly string[]): QueuePos {
  const page = Math.max(0, Math.min(1_000_000, Number.parseInt(ids[0] ?? "0", 10) || 0));
  const [dir, at, id] = ids.slice(1);
  const ms = at ? Number.parseInt(at, 36) : Number.NaN;
  if ((dir !== "n" && dir !== "p") || !id || !Number.isFinite(ms) || page === 0) return { page: 0 };
  return { page, dir, cursor: { at: new Date(ms), id } };
}

const queueButton = (
  role: StaffRole,
  page: number,
  dir: "n" | "p",
  c: { statusChangedAt: Date; id: string },
) => cb(V.queue, [role, page, dir, c.statusChangedAt.getTime().toString(36), c.id]);

export function queueScreen(v: View, q: QueuePage, pos: QueuePos, now: Date): Screen {
  if (!q.role) return { text: v.t("staff:queue.no_role") };
  const r = q.role;
  // A short backwards page (rows left the queue meanwhile) starts the list again from the top.
  const p = pos.dir === "p" && !q.more ? 0 : pos.page;
  const hasPrev = pos.dir === "p" ? q.more : p > 0;
  const hasNext = pos.dir === "p" ? true : q.more;
  const capped = q.total > QUEUE_COUNT_CAP;
  const knownPages = Math.max(1, Math.ceil(Math.min(q.total, QUEUE_COUNT_CAP) / QUEUE_PAGE), p + 1);
  const pages = capped ? `${knownPages}+` : knownPages;
  const kb = new InlineKeyboard();
  for (const other of q.roles.filter((x) => x !== r)) kb.text(roleLabel(v.t, other), cb(V.queue, [other, 0]));
  if (q.roles.length > 1) kb.row();
  const lines = [v.t("staff:queue.title", { role: roleLabel(v.t, r), page: p + 1, pages })];
  if (!q.items.length) lines.push(v.t("staff:queue.empty"));
  q.items.forEach((a, i) => {
    const n = p * QUEUE_PAGE + i + 1;
    const age = Math.max(0, workingDaysBetween(a.statusChangedAt, now));
    const org = nameIn(v.lang, { nameKk: a.orgNameKk, nameRu: a.orgNameRu });
    lines.push(v.t("staff:queue.line", { n, org: escapeHtml(org), status: statusLabel(v.t, a.status), age }));
    kb.text(`${n}. ${org.slice(0, 40)}`, cb(V.view, [a.id])).row();
  });
  const first = q.items[0];
  const last = q.items[q.items.length - 1];
  if (hasPrev && first)
    kb.text(v.t("staff:btn.prev"), p - 1 === 0 ? cb(V.queue, [r, 0]) : queueButton(r, p - 1, "p", first));
  if (hasNext && last) kb.text(v.t("staff:btn.next"), queueButton(r, p + 1, "n", last));
  return { text: lines.join("\n"), keyboard: kb };
}

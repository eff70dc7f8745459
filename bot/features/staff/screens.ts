// Staff screens: the application card, the pickers (grounds, checkers, exclusion reason), queue and audit.
import { createHash } from "node:crypto";
import { InlineKeyboard } from "grammy";
import { workingDaysBetween } from "../../../domain/calendar.ts";
import type { AppSnapshot } from "../../../domain/contracts.ts";
import type { Actor, StaffRole, Status } from "../../../domain/types.ts";
import type { PrismaClient } from "../../../generated/prisma/client.ts";
import { cb } from "../../callbacks.ts";
import { escapeHtml, type Lang, type Translate } from "../../i18n.ts";
import { clip, fmtKzTime, nameIn } from "../../outbox/format.ts";
import { noticeLines, reasonNames, renderOutbox } from "../../outbox/render.ts";
import { type Cursor, openQueueCount, openQueuePage } from "../../../prisma/store/applications.ts";
import { actionsKeyboard, V } from "./keyboards.ts";
import { actionsFor, loadSnapshot, rolesFor } from "./snapshot.ts";

export interface Screen {
  text: string;
  reply_markup?: InlineKeyboard;
}

/** The card of an application for a staff member, with the buttons of the actions allowed right now. */
export async function cardScreen(
  prisma: PrismaClient,
  t: Translate,
  lang: Lang,
  appId: string,
  userId: string,
  header?: string,
  known: { app?: AppSnapshot; actor?: Actor } = {},
): Promise<Screen | null> {
  // What the caller already read in this press (the transition's own snapshot, the press's roles) is not
  // read again; the rest is read in parallel (outside any transaction, each on its own connection).
  const [app, actor, r, notice] = await Promise.all([
    known.app ?? loadSnapshot(prisma, appId),
    known.actor ?? rolesFor(prisma, userId, appId),
    renderOutbox(prisma, { kind: "card", payload: {}, applicationId: appId, userId, chatId: 0n }, lang),
    noticeLines(prisma, appId, lang, t),
  ]);
  if (!app || !actor || actor.staffRoles.length === 0) return null;
  const text = clip([header ? `<b>${header}</b>` : null, r.text, ...notice].filter(Boolean).join("\n"));
  return { text, reply_markup: actionsKeyboard(t, app, actionsFor(app, actor)) };
}

export interface RejectionDraft {
  app: string;
  v: number;
  grounds: string[];
  note?: string;
}

export async function groundsScreen(
  prisma: PrismaClient,
  t: Translate,
  lang: Lang,
  d: RejectionDraft,
): Promise<Screen> {
  const grounds = await prisma.rejectionGround.findMany({
    where: { active: true },
    orderBy: { sort: "asc" },
  });
  const kb = new InlineKeyboard();
  for (const g of grounds) {
    const on = d.grounds.includes(g.code);
    kb.text(`${on ? "✅ " : ""}${nameIn(lang, g)}`, cb(V.ground, [d.app, g.code], d.v)).row();
  }
  kb.text(t("staff:btn.add_note"), cb(V.note, [d.app], d.v)).row();
  kb.text(t("staff:btn.reject_application"), cb(V.rejectionOk, [d.app], d.v)).row();
  kb.text(t("staff:btn.back"), cb(V.view, [d.app]));
  const lines = [t("staff:grounds.title")];
  if (d.note) lines.push(t("staff:grounds.note", { note: escapeHtml(d.note) }));
  return { text: lines.join("\n"), reply_markup: kb };
}

export interface CheckerDraft {
  app: string;
  v: number;
  ids: string[];
}

/** The branch's checkers, without the reviewer themself (I-NOT-SELF). */
export async function branchCheckers(prisma: PrismaClient, appId: string, selfId: string) {
  const app = await prisma.application.findUnique({
    where: { id: appId },
    select: { region: { select: { branch: { select: { id: true } } } } },
  });
  const branchId = app?.region?.branch?.id;
  if (!branchId) return [];
  const m = await prisma.staffMembership.findMany({
    where: { branchId, role: "CHECKER", userId: { not: selfId } },
    include: { user: { select: { id: true, fullName: true, username: true } } },
    orderBy: { createdAt: "asc" },
  });
  return m.map((x) => ({ id: x.user.id, name: x.user.fullName ?? x.user.username ?? x.user.id.slice(0, 8) }));
}

export async function checkersScreen(
  prisma: PrismaClient,
  t: Translate,
  d: CheckerDraft,
  selfId: string,
): Promise<Screen> {
  const list = await branchCheckers(prisma, d.app, selfId);
  const kb = new InlineKeyboard();
  for (const c of list) {
    kb.text(`${d.ids.includes(c.id) ? "✅ " : ""}${c.name}`, cb(V.toggleChecker, [d.app, c.id], d.v)).row();
  }
  if (list.length) kb.text(t("staff:btn.send"), cb(V.send, [d.app], d.v)).row();
  kb.text(t("staff:btn.back"), cb(V.view, [d.app]));
  return { text: list.length ? t("staff:checkers.title") : t("staff:checkers.none"), reply_markup: kb };
}

export interface ExclusionDraft {
  app: string;
  v: number;
  reason?: string;
  ground?: string;
}

export async function exclusionScreen(
  prisma: PrismaClient,
  t: Translate,
  lang: Lang,
  d: ExclusionDraft,
): Promise<Screen> {
  const kb = new InlineKeyboard();
  if (!d.reason) {
    const reasons = await prisma.exclusionReason.findMany({
      where: { active: true },
      orderBy: { sort: "asc" },
    });
    for (const r of reasons) kb.text(nameIn(lang, r), cb(V.exclusionReason, [d.app, r.code], d.v)).row();
    kb.text(t("staff:btn.back"), cb(V.view, [d.app]));
    return { text: t("staff:exclusion.title"), reply_markup: kb };
  }
  const [name] = await reasonNames(prisma, "EXCLUSION", [d.reason], lang);
  const lines = [t("staff:exclusion.chosen", { reason: escapeHtml(name ?? d.reason) })];
  if (d.ground) lines.push(t("staff:exclusion.ground", { ground: escapeHtml(d.ground) }));
  kb.text(t("staff:btn.add_ground"), cb(V.exclusionGround, [d.app], d.v)).row();
  kb.text(t("staff:btn.form_exclusion"), cb(V.exclusionOk, [d.app], d.v)).row();
  kb.text(t("staff:btn.back"), cb(V.view, [d.app]));
  return { text: lines.join("\n"), reply_markup: kb };
}

/**
 * The exact exclusion notice the approver confirms, and its SHA-256 (the Signer signs this hash).
 * Deterministic: built from stored data only, so the hash shown and the hash confirmed are the same.
 */
export async function exclusionDocument(prisma: PrismaClient, appId: string) {
  const app = await prisma.application.findUnique({ where: { id: appId }, include: { org: true } });
  const n = await prisma.notice.findFirst({
    where: { applicationId: appId, kind: "EXCLUSION", deletedAt: null },
    orderBy: { createdAt: "desc" },
  });
  if (!app || !n) return null;
  const reasons = await reasonNames(prisma, "EXCLUSION", n.reasons, "ru");
  const doc = [
    "Уведомление об исключении из базы данных субъектов здравоохранения",
    `Заявка: ${app.id} (версия ${app.versionNo})`,
    `Организация: ${app.org.nameRu}`,
    `БИН/ИИН: ${app.org.bin}`,
    `Причина: ${reasons.join("; ")}`,
    n.additionalGround ? `Дополнительное основание: ${n.additionalGround}` : null,
    `Сформировано: ${n.createdAt.toISOString()}`,
  ]
    .filter(Boolean)
    .join("\n");
  return { text: doc, sha256: createHash("sha256").update(doc, "utf8").digest("hex") };
}

// ───────────── queue ─────────────

export const QUEUE_PAGE = 5;

const QUEUE_STATUSES: Record<StaffRole, Status[]> = {
  REVIEWER: ["UNDER_REVIEW"],
  CHECKER: ["AGREED_CHECK", "REJECTED_CHECK"],
  APPROVER: ["CONFIRMED_APPROVAL", "REJECTED_APPROVAL"],
  MANAGER: ["UNDER_REVIEW", "AGREED_CHECK", "REJECTED_CHECK", "CONFIRMED_APPROVAL", "REJECTED_APPROVAL"],
};

/** The queue's size is counted up to this many rows ("100+"), not exactly on every page. */
export const QUEUE_COUNT_CAP = 100;

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

export async function queueScreen(
  prisma: PrismaClient,
  t: Translate,
  lang: Lang,
  userId: string,
  role: StaffRole | undefined,
  pos: QueuePos | number,
  now: Date,
): Promise<Screen> {
  const at: QueuePos = typeof pos === "number" ? { page: 0 } : pos;
  const memberships = await prisma.staffMembership.findMany({
    where: { userId },
    select: { role: true, branch: { select: { regionCode: true } } },
  });
  if (!memberships.length) return { text: t("staff:queue.no_role") };
  const roles = [...new Set(memberships.map((m) => m.role))];
  const r: StaffRole = role && roles.includes(role) ? role : roles[0]!;
  const filter = {
    regions: [...new Set(memberships.filter((m) => m.role === r).map((m) => m.branch.regionCode))],
    statuses: QUEUE_STATUSES[r],
    ...(r === "CHECKER" ? { checkerId: userId } : {}),
  };
  // Independent reads, in parallel outside any transaction: the page (keyset) and the capped count.
  const [pageRows, total] = await Promise.all([
    openQueuePage(prisma, filter, {
      limit: QUEUE_PAGE,
      ...(at.cursor ? (at.dir === "p" ? { before: at.cursor } : { after: at.cursor }) : {}),
    }),
    openQueueCount(prisma, filter, QUEUE_COUNT_CAP),
  ]);
  const apps = pageRows.items;
  // A short backwards page (rows left the queue meanwhile) starts the list again from the top.
  const p = at.dir === "p" && !pageRows.more ? 0 : at.page;
  const hasPrev = at.dir === "p" ? pageRows.more : p > 0;
  const hasNext = at.dir === "p" ? true : pageRows.more;
  const capped = total > QUEUE_COUNT_CAP;
  const knownPages = Math.max(1, Math.ceil(Math.min(total, QUEUE_COUNT_CAP) / QUEUE_PAGE), p + 1);
  const pages = capped ? `${knownPages}+` : knownPages;
  const kb = new InlineKeyboard();
  for (const other of roles.filter((x) => x !== r))
    kb.text(t(`staff:role.${other}`), cb(V.queue, [other, 0]));
  if (roles.length > 1) kb.row();
  const lines = [t("staff:queue.title", { role: t(`staff:role.${r}`), page: p + 1, pages })];
  if (!apps.length) lines.push(t("staff:queue.empty"));
  apps.forEach((a, i) => {
    const n = p * QUEUE_PAGE + i + 1;
    const age = Math.max(0, workingDaysBetween(a.statusChangedAt, now));
    const org = nameIn(lang, { nameKk: a.orgNameKk, nameRu: a.orgNameRu });
    lines.push(
      t("staff:queue.line", { n, org: escapeHtml(org), status: t(`notify:status.${a.status}`), age }),
    );
    kb.text(`${n}. ${org.slice(0, 40)}`, cb(V.view, [a.id])).row();
  });
  const first = apps[0];
  const last = apps[apps.length - 1];
  if (hasPrev && first)
    kb.text(t("staff:btn.prev"), p - 1 === 0 ? cb(V.queue, [r, 0]) : queueButton(r, p - 1, "p", first));
  if (hasNext && last) kb.text(t("staff:btn.next"), queueButton(r, p + 1, "n", last));
  return { text: lines.join("\n"), reply_markup: kb };
}

// ───────────── audit ─────────────

export async function auditScreen(
  prisma: PrismaClient,
  t: Translate,
  lang: Lang,
  appId: string,
): Promise<Screen> {
  const events = await prisma.auditEvent.findMany({
    where: { applicationId: appId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    take: 60,
  });
  const actorIds = [...new Set(events.map((e) => e.actorId).filter((x): x is string => !!x))];
  const users = await prisma.user.findMany({
    where: { id: { in: actorIds } },
    select: { id: true, fullName: true },
  });
  const lines = [t("staff:audit.title")];
  if (!events.length) lines.push(t("staff:audit.empty"));
  for (const e of events) {
    const who = users.find((u) => u.id === e.actorId)?.fullName ?? t("staff:system");
    let line = t("staff:audit.line", {
      at: fmtKzTime(e.at),
      who: escapeHtml(who),
      action: t(`staff:action.${e.action}`, { defaultValue: escapeHtml(e.action) }),
    });
    if (e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus) {
      line += `, ${t("staff:audit.move", { from: t(`notify:status.${e.fromStatus}`), to: t(`notify:status.${e.toStatus}`) })}`;
    }
    if (e.reasons.length) {
      const kind =
        e.decisionKind === "EXCLUSION" || e.action.includes("EXCLUSION") ? "EXCLUSION" : "REJECTION";
      const names = await reasonNames(prisma, kind, e.reasons, lang);
      line += `; ${t("staff:audit.reasons", { value: names.map(escapeHtml).join("; ") })}`;
    }
    if (e.note) line += `; ${t("staff:audit.note", { value: escapeHtml(e.note) })}`;
    lines.push(line);
  }
  const kb = new InlineKeyboard().text(t("staff:btn.back"), cb(V.view, [appId]));
  return { text: clip(lines.join("\n")), reply_markup: kb };
}

// The screens of the branch manager's picture: the photo's buttons (periods, the oldest overdue items), the
// stage deadlines with their audit, the morning digest setting, the digests' texts. Pure: data and `t`.
import { InlineKeyboard } from "grammy";
import type { DashboardAccess } from "../../../app/dashboard.ts";
import type { QueuePage } from "../../../app/staff.ts";
import type { BranchDashboard } from "../../../domain/dashboard.ts";
import { formatDateTime } from "../../../domain/format.ts";
import {
  DASHBOARD_PERIODS,
  type DashboardPeriod,
  MAX_THRESHOLD_DAYS,
  MIN_THRESHOLD_DAYS,
  SLA_STAGES,
  type StageThresholds,
  type BranchDigestSchedule,
  type StaffDigestSchedule,
  stageClock,
} from "../../../domain/sla.ts";
import { cb } from "../../kit/callbacks.ts";
import { CAPTION_LIMIT, clipHtml, escapeHtml } from "../../kit/html.ts";
import type { Lang, Translate } from "../../kit/i18n.ts";
import type { Screen } from "../../kit/ui.ts";
import { dashboardCaption } from "../../views/dashboard.ts";
import { deadlineLine } from "../../views/deadline.ts";
import { V as STAFF } from "../staff/verbs.ts";
import { DB } from "./verbs.ts";

export interface DashboardState {
  branchId: string;
  period: DashboardPeriod;
  offset: number;
}

const orgIn = (lang: Lang, o: { orgNameKk: string; orgNameRu: string }) =>
  lang === "kk" ? o.orgNameKk : o.orgNameRu;
const short = (s: string, n = 28) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Oldest offsets a period can go back to. */
export const MAX_BACK = 12;

/** The photo's buttons: the three periods (the shown one marked), back/forward, the oldest overdue items. */
export function dashboardKeyboard(
  t: Translate,
  lang: Lang,
  d: BranchDashboard,
  s: DashboardState,
  access: DashboardAccess,
  /** The person's other branches (an approver or manager of several), with their names. */
  others: readonly { branchId: string; name: string }[] = [],
): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const p of DASHBOARD_PERIODS) {
    const label = t(`dashboard:period.${p}`);
    kb.text(p === s.period && s.offset === 0 ? `• ${label}` : label, cb(DB.period, [s.branchId, p, 0]));
  }
  kb.row();
  if (s.offset > -MAX_BACK)
    kb.text(t("dashboard:bot.btn.earlier"), cb(DB.period, [s.branchId, s.period, s.offset - 1]));
  if (s.offset < 0)
    kb.text(t("dashboard:bot.btn.later"), cb(DB.period, [s.branchId, s.period, s.offset + 1]));
  kb.row();
  for (const o of d.overdue.slice(0, 3))
    kb.text(
      t("dashboard:bot.btn.overdue", { org: short(orgIn(lang, o)), days: o.overdueDays }),
      cb(STAFF.view, [o.applicationId]),
    ).row();
  for (const o of others.slice(0, 4))
    kb.text(`🏢 ${short(o.name, 30)}`, cb(DB.period, [o.branchId, s.period, 0])).row();
  if (access.manager) {
    kb.text(t("dashboard:bot.btn.export"), cb(DB.export, [s.branchId, s.period, Math.min(s.offset, -1)]));
    kb.text(t("dashboard:bot.btn.thresholds"), cb(DB.thresholds, [s.branchId]));
  }
  return kb;
}

/** The caption with the period named (the views' caption holds the key numbers). */
export function captionOf(t: Translate, lang: Lang, d: BranchDashboard, access: DashboardAccess): string {
  const c = dashboardCaption(t, lang, d);
  return access.manager ? c : clipHtml(`${c}\n${t("dashboard:bot.read_only")}`, CAPTION_LIMIT);
}

/** The stage deadlines of a branch, with − / + per stage for a manager and the last audited changes. */
export function thresholdsScreen(
  t: Translate,
  branchId: string,
  th: StageThresholds,
  history: readonly {
    stage: string | null;
    oldValue: unknown;
    newValue: unknown;
    actorName: string | null;
    at: Date;
    key: string;
  }[],
  manager: boolean,
  digest?: BranchDigestSchedule,
): Screen {
  const lines = [t("dashboard:bot.thresholds.title")];
  for (const s of SLA_STAGES)
    lines.push(t("dashboard:bot.thresholds.line", { stage: t(`dashboard:stage.${s}`), count: th[s] }));
  const changes = history.filter((h) => h.key === "sla_threshold" && h.stage).slice(0, 5);
  if (changes.length) {
    lines.push("", t("dashboard:bot.thresholds.history"));
    for (const h of changes)
      lines.push(
        t("dashboard:bot.thresholds.change", {
          at: formatDateTime(h.at),
          name: escapeHtml(h.actorName ?? t("dashboard:chart.unknown_person")),
          stage: t(`dashboard:stage.${h.stage}`),
          from: (h.oldValue as { days?: number })?.days ?? "?",
          to: (h.newValue as { days?: number })?.days ?? "?",
        }),
      );
  }
  if (digest) lines.push("", weeklyLine(t, digest));
  if (!manager) lines.push("", t("dashboard:bot.read_only"));
  const kb = new InlineKeyboard();
  if (manager)
    for (const s of SLA_STAGES) {
      const d = th[s];
      kb.text("➖", d > MIN_THRESHOLD_DAYS ? cb(DB.setThreshold, [branchId, s, d - 1], d) : cb(DB.noop))
        .text(t(`dashboard:stage.${s}`), cb(DB.noop))
        .text("➕", d < MAX_THRESHOLD_DAYS ? cb(DB.setThreshold, [branchId, s, d + 1], d) : cb(DB.noop))
        .row();
    }
  if (manager && digest) {
    const w = (weekday: number, minute: number, on: boolean) =>
      cb(DB.weekly, [branchId, weekday, minute, on ? "on" : "off"]);
    for (let d = 1; d <= 5; d++)
      kb.text(
        `${d === digest.weekday ? "• " : ""}${t(`dashboard:bot.weekday.${d}`)}`,
        w(d, digest.minute, digest.enabled),
      );
    kb.row();
    if (digest.minute >= 60)
      kb.text(`◀ ${hhmm(digest.minute - 60)}`, w(digest.weekday, digest.minute - 60, digest.enabled));
    kb.text(hhmm(digest.minute), cb(DB.noop));
    if (digest.minute < 23 * 60)
      kb.text(`${hhmm(digest.minute + 60)} ▶`, w(digest.weekday, digest.minute + 60, digest.enabled));
    kb.row();
    kb.text(
      t(digest.enabled ? "dashboard:bot.btn.weekly_off" : "dashboard:bot.btn.weekly_on"),
      w(digest.weekday, digest.minute, !digest.enabled),
    ).row();
  }
  kb.text(t("dashboard:bot.btn.back"), cb(DB.period, [branchId, "week", 0]));
  return { text: lines.join("\n"), keyboard: kb };
}

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** «Еженедельная сводка: понедельник, 09:00 (время Астаны), включена». */
export function weeklyLine(t: Translate, d: BranchDigestSchedule): string {
  return t("dashboard:bot.weekly.setting", {
    day: t(`dashboard:bot.weekday_long.${d.weekday}`),
    time: hhmm(d.minute),
    state: t(d.enabled ? "dashboard:bot.weekly.enabled" : "dashboard:bot.weekly.disabled"),
  });
}

/** A staff member's morning digest setting. */
export function digestSettingScreen(t: Translate, s: StaffDigestSchedule): Screen {
  const hh = `${String(s.hour).padStart(2, "0")}:00`;
  const text = [
    t("dashboard:bot.digest.title"),
    t("dashboard:bot.digest.explain", { time: hh }),
    t(s.enabled ? "dashboard:bot.digest.on" : "dashboard:bot.digest.off"),
  ].join("\n\n");
  const kb = new InlineKeyboard()
    .text(
      t(s.enabled ? "dashboard:bot.btn.digest_off" : "dashboard:bot.btn.digest_on"),
      cb(DB.digest, [s.enabled ? "off" : "on", s.hour]),
    )
    .row();
  if (s.hour > 6)
    kb.text(
      `◀ ${String(s.hour - 1).padStart(2, "0")}:00`,
      cb(DB.digest, [s.enabled ? "on" : "off", s.hour - 1]),
    );
  kb.text(hh, cb(DB.noop));
  if (s.hour < 12)
    kb.text(
      `${String(s.hour + 1).padStart(2, "0")}:00 ▶`,
      cb(DB.digest, [s.enabled ? "on" : "off", s.hour + 1]),
    );
  return { text, keyboard: kb };
}

/** The weekly digest's caption: the title, the key numbers, then the breach list (most overdue first). */
export function branchDigestCaption(t: Translate, lang: Lang, d: BranchDashboard): string {
  const head = [t("dashboard:bot.weekly.title"), dashboardCaption(t, lang, d)];
  const items = d.overdue.map((o) => {
    const c = stageClock(o.status, o.since, d.thresholds, d.now);
    return c ? `• ${escapeHtml(short(orgIn(lang, o), 40))} — ${deadlineLine(t, c, { now: d.now })}` : "";
  });
  const list = items.filter(Boolean);
  const body = list.length ? [t("dashboard:bot.weekly.breaches", { count: d.open.breached }), ...list] : [];
  let out = [...head, ...body].join("\n");
  while (out.length > CAPTION_LIMIT && list.length) {
    list.pop();
    out = [...head, t("dashboard:bot.weekly.breaches", { count: d.open.breached }), ...list, "…"].join("\n");
  }
  return clipHtml(out, CAPTION_LIMIT);
}

/** The morning digest of a staff member's queues: the count per role and the oldest items with their clocks. */
export function staffDigestScreen(
  t: Translate,
  lang: Lang,
  pages: readonly { page: QueuePage; thresholds: StageThresholds | null }[],
  now: Date,
): Screen {
  const lines = [t("dashboard:bot.morning.title")];
  const kb = new InlineKeyboard();
  let any = false;
  for (const { page: p, thresholds: th } of pages) {
    if (!p.role) continue;
    lines.push("", t("dashboard:bot.morning.role", { role: t(`common:roles.${p.role}`), count: p.total }));
    for (const it of p.items) {
      any = true;
      const c = th ? stageClock(it.status, it.statusChangedAt, th, now) : null;
      const line = c ? deadlineLine(t, c, { now, mark: true }) : formatDateTime(it.statusChangedAt);
      lines.push(`• ${escapeHtml(short(orgIn(lang, it), 40))} — ${line}`);
      kb.text(short(orgIn(lang, it), 30), cb(STAFF.view, [it.id])).row();
    }
  }
  if (!any) lines.push("", t("dashboard:bot.morning.empty"));
  return { text: lines.join("\n"), keyboard: kb };
}

// «Мои заявки»: the organisation's applications with their status, the history timeline (AuditEvent)
// and «Просмотр версий».
import { Composer, InlineKeyboard } from "grammy";
import { STATUSES, type Status } from "../../domain/types.ts";
import { cb, cbData, cbPattern } from "../callbacks.ts";
import type { AppContext } from "../context.ts";
import { escapeHtml, type Translate } from "../i18n.ts";
import { backToMenu, loadRoles, MENU } from "../keyboards.ts";
import { fmtKzTime, nameIn } from "../outbox/format.ts";
import { pageWindow } from "../paging.ts";
import type { Feature } from "./index.ts";

export const PAGE_SIZE = 5;
/** Callback verbs (e.g. a notification button to the application: `cb(STATUS_VERBS.view, [appId])`). */
export const STATUS_VERBS = { list: "st.l", view: "st.v", versions: "st.ver" } as const;
const V = STATUS_VERBS;

/** The kk/ru label of any of the 11 statuses. */
export const statusLabel = (t: Translate, s: Status | string) =>
  (STATUSES as readonly string[]).includes(s) ? t(`status:labels.${s}`) : s;

function clip(text: string, max = 4000): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf("\n"), max / 2))}\n…`;
}

async function orgIdsOf(ctx: AppContext): Promise<string[]> {
  const roles = await loadRoles(ctx);
  return [...new Set(roles.org.map((r) => r.orgId))];
}

async function showList(ctx: AppContext, page: number, edit: boolean) {
  const orgIds = await orgIdsOf(ctx);
  const send = (text: string, reply_markup: InlineKeyboard) =>
    edit && ctx.callbackQuery?.message
      ? ctx.editMessageText(text, { parse_mode: "HTML", reply_markup })
      : ctx.reply(text, { parse_mode: "HTML", reply_markup });
  if (!orgIds.length) {
    await send(ctx.t("status:no_org"), backToMenu(ctx.t));
    return;
  }
  const where = { orgId: { in: orgIds } };
  const total = await ctx.deps.prisma.application.count({ where });
  if (!total) {
    await send(ctx.t("status:empty"), backToMenu(ctx.t));
    return;
  }
  const { page: p, pages, skip } = pageWindow(total, page, PAGE_SIZE);
  const apps = await ctx.deps.prisma.application.findMany({
    where,
    orderBy: [{ statusChangedAt: "desc" }, { id: "asc" }],
    skip,
    take: PAGE_SIZE,
    include: { region: true, org: { select: { nameKk: true, nameRu: true } } },
  });
  const lines = [ctx.t("status:list_title", { count: total }), ctx.t("status:page", { page: p + 1, pages })];
  const kb = new InlineKeyboard();
  apps.forEach((a, i) => {
    const n = skip + i + 1;
    lines.push(
      ctx.t("status:list_item", {
        n,
        org: escapeHtml(nameIn(ctx.lang, a.org)),
        region: escapeHtml(a.region ? nameIn(ctx.lang, a.region) : "—"),
        version: a.versionNo,
        status: statusLabel(ctx.t, a.status),
        date: fmtKzTime(a.statusChangedAt),
      }),
    );
    kb.text(ctx.t("status:open_n", { n }), cb(V.view, [a.id])).row();
  });
  if (pages > 1) {
    if (p > 0) kb.text(ctx.t("status:prev"), cb(V.list, [p - 1]));
    if (p < pages - 1) kb.text(ctx.t("status:next"), cb(V.list, [p + 1]));
    kb.row();
  }
  kb.text(ctx.t("common:menu.back"), cb(MENU.menu));
  await send(clip(lines.join("\n\n")), kb);
}

/** The application, if the user may see it: a member of its organisation or staff of its region's branch. */
async function loadVisible(ctx: AppContext, id: string | undefined) {
  if (!id || !ctx.user) return null;
  const app = await ctx.deps.prisma.application.findUnique({
    where: { id },
    include: { region: { include: { branch: true } }, org: true },
  });
  if (!app) return null;
  const roles = await loadRoles(ctx);
  const member = roles.org.some((r) => r.orgId === app.orgId);
  const staff = app.region?.branch && roles.staff.some((s) => s.branchId === app.region?.branch?.id);
  return member || staff ? app : null;
}

async function reasonNames(ctx: AppContext, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const [grounds, excl] = await Promise.all([
    ctx.deps.prisma.rejectionGround.findMany({ where: { code: { in: codes } } }),
    ctx.deps.prisma.exclusionReason.findMany({ where: { code: { in: codes } } }),
  ]);
  return new Map([...grounds, ...excl].map((r) => [r.code, nameIn(ctx.lang, r)]));
}

async function showDetail(ctx: AppContext, id: string | undefined) {
  const app = await loadVisible(ctx, id);
  if (!app) {
    await ctx.answerCallbackQuery({ text: ctx.t("status:not_found"), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  const events = await ctx.deps.prisma.auditEvent.findMany({
    where: { applicationId: app.id },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: 20,
  });
  const actorIds = [...new Set(events.map((e) => e.actorId).filter((x): x is string => !!x))];
  const actors = new Map(
    (
      await ctx.deps.prisma.user.findMany({
        where: { id: { in: actorIds } },
        select: { id: true, fullName: true },
      })
    ).map((u) => [u.id, u.fullName ?? "—"]),
  );
  const reasons = await reasonNames(ctx, [...new Set(events.flatMap((e) => e.reasons))]);
  const lines = [
    ctx.t("status:detail", {
      org: escapeHtml(nameIn(ctx.lang, app.org)),
      bin: app.org.bin,
      region: escapeHtml(app.region ? nameIn(ctx.lang, app.region) : "—"),
      version: app.versionNo,
      status: statusLabel(ctx.t, app.status),
      date: fmtKzTime(app.statusChangedAt),
      created: fmtKzTime(app.createdAt),
    }),
  ];
  if (app.headRejectReason && app.status === "DRAFT") {
    lines.push(ctx.t("status:head_reason", { reason: escapeHtml(app.headRejectReason) }));
  }
  lines.push(ctx.t("status:history"));
  if (!events.length) lines.push(ctx.t("status:history_empty"));
  for (const e of [...events].reverse()) {
    const parts = [
      ctx.t("status:event", {
        date: fmtKzTime(e.at),
        who: escapeHtml(e.actorId ? (actors.get(e.actorId) ?? "—") : ctx.t("status:system")),
        action: escapeHtml(ctx.t(`status:actions.${e.action}`, { defaultValue: e.action })),
      }),
    ];
    if (e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus) {
      parts.push(
        ctx.t("status:event_move", {
          from: statusLabel(ctx.t, e.fromStatus),
          to: statusLabel(ctx.t, e.toStatus),
        }),
      );
    }
    if (e.reasons.length) {
      parts.push(
        ctx.t("status:event_reasons", {
          reasons: escapeHtml(e.reasons.map((r) => reasons.get(r) ?? r).join("; ")),
        }),
      );
    }
    if (e.note) parts.push(ctx.t("status:event_note", { note: escapeHtml(e.note) }));
    lines.push(parts.join("\n"));
  }
  const kb = new InlineKeyboard();
  const versions = await ctx.deps.prisma.application.count({ where: { chainId: app.chainId } });
  if (versions > 1) kb.text(ctx.t("status:versions_button"), cb(V.versions, [app.id])).row();
  kb.text(ctx.t("status:back_to_list"), cb(V.list, [0])).row();
  kb.text(ctx.t("common:menu.back"), cb(MENU.menu));
  await ctx.reply(clip(lines.join("\n\n")), { parse_mode: "HTML", reply_markup: kb });
}

async function showVersions(ctx: AppContext, id: string | undefined) {
  const app = await loadVisible(ctx, id);
  if (!app) {
    await ctx.answerCallbackQuery({ text: ctx.t("status:not_found"), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  const versions = await ctx.deps.prisma.application.findMany({
    where: { chainId: app.chainId },
    orderBy: { versionNo: "desc" },
    select: { id: true, versionNo: true, status: true, statusChangedAt: true },
  });
  const kb = new InlineKeyboard();
  const lines = [ctx.t("status:versions_title", { org: escapeHtml(nameIn(ctx.lang, app.org)) })];
  for (const v of versions) {
    lines.push(
      ctx.t("status:version_item", {
        version: v.versionNo,
        status: statusLabel(ctx.t, v.status),
        date: fmtKzTime(v.statusChangedAt),
      }),
    );
    kb.text(ctx.t("status:open_version", { version: v.versionNo }), cb(V.view, [v.id])).row();
  }
  kb.text(ctx.t("status:back_to_list"), cb(V.list, [0]));
  await ctx.reply(clip(lines.join("\n")), { parse_mode: "HTML", reply_markup: kb });
}

const composer = new Composer<AppContext>();
composer.command(["applications", "status"], (ctx) => showList(ctx, 0, false));
composer.callbackQuery(cbPattern(MENU.applications), async (ctx) => {
  await ctx.answerCallbackQuery();
  await showList(ctx, 0, false);
});
composer.callbackQuery(cbPattern(V.list), async (ctx) => {
  const page = Number(cbData(ctx)?.ids[0] ?? 0);
  await ctx.answerCallbackQuery();
  await showList(ctx, Number.isInteger(page) ? page : 0, true);
});
composer.callbackQuery(cbPattern(V.view), (ctx) => showDetail(ctx, cbData(ctx)?.ids[0]));
composer.callbackQuery(cbPattern(V.versions), (ctx) => showVersions(ctx, cbData(ctx)?.ids[0]));

export const feature: Feature = { name: "status", composer };

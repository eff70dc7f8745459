// The branch manager's picture (issue 15): /dashboard sends the branch's chart as a photo with the key numbers
// (a manager, or an approver read-only; only their own branch), the periods switch in place, the oldest overdue
// items open the staff card; /export sends the register and a period's decisions as CSV and XLSX; the stage
// deadlines are edited by a manager (audited); /digest lets a staff member take one morning digest of their
// queue instead of one push per item. Every press re-reads the person's roles and the data.
import { Composer, GrammyError, InputFile } from "grammy";
import { dashboardChart } from "../../../adapters/charts/dashboard.ts";
import { csvWriter } from "../../../adapters/export/csv.ts";
import { xlsxWriter } from "../../../adapters/export/xlsx.ts";
import { accessTo, dashboardBranches, type DashboardAccess } from "../../../app/dashboard.ts";
import { isStaff, type Memberships } from "../../../domain/access.ts";
import {
  type DashboardPeriod,
  isDashboardPeriod,
  isSlaStage,
  validateBranchDigest,
  validateStaffDigest,
} from "../../../domain/sla.ts";
import type { AppContext } from "../../context.ts";
import { cbData, cbPattern } from "../../kit/callbacks.ts";
import type { Feature } from "../../kit/feature.ts";
import { CAPTION_LIMIT, clipHtml } from "../../kit/html.ts";
import { answer, show, tell } from "../../kit/ui.ts";
import { dashboardChartInput } from "../../views/dashboard.ts";
import { exportFileName, exportTable } from "../../views/exports.ts";
import { dayMonth } from "../../views/deadline.ts";
import { firstError } from "../../views/labels.ts";
import {
  captionOf,
  type DashboardState,
  dashboardKeyboard,
  digestSettingScreen,
  MAX_BACK,
  thresholdsScreen,
  weeklyLine,
} from "./screens.ts";
import { DB } from "./verbs.ts";

const composer = new Composer<AppContext>();
const pm = composer.chatType("private");

const canSee = (m: Memberships) => dashboardBranches(m).length > 0;
const manages = (m: Memberships) => dashboardBranches(m).some((a) => a.manager);

/** The access to the branch named by a button (or the person's first), or tell why not. */
async function accessOrRefuse(
  ctx: AppContext,
  branchId?: string,
  manager = false,
): Promise<DashboardAccess | null> {
  const a = accessTo(ctx.memberships, branchId);
  if (!a || (manager && !a.manager)) {
    await tell(ctx, ctx.t(manager ? "dashboard:bot.manager_only" : "dashboard:bot.denied"));
    return null;
  }
  return a;
}

async function otherBranches(ctx: AppContext, branchId: string) {
  const others = dashboardBranches(ctx.memberships).filter((a) => a.branchId !== branchId);
  if (!others.length) return [];
  const names = await ctx.app.classifiers.names(ctx.lang);
  return others.map((a) => ({ branchId: a.branchId, name: names.branch(a.branchId) }));
}

/** Render the dashboard of a state: the PNG, its caption and buttons (null: the branch is gone). */
async function render(ctx: AppContext, s: DashboardState, access: DashboardAccess) {
  const d = await ctx.app.dashboard.load(s.branchId, s.period, s.offset);
  if (!d) return null;
  const png = dashboardChart.renderPng(dashboardChartInput(ctx.t, ctx.lang, d));
  return {
    png,
    caption: captionOf(ctx.t, ctx.lang, d, access),
    keyboard: dashboardKeyboard(ctx.t, ctx.lang, d, s, access, await otherBranches(ctx, s.branchId)),
  };
}

async function sendDashboard(ctx: AppContext, s: DashboardState, access: DashboardAccess) {
  await ctx.replyWithChatAction("upload_photo").catch(() => {});
  const r = await render(ctx, s, access);
  if (!r) return tell(ctx, ctx.t("dashboard:bot.denied"));
  await ctx.replyWithPhoto(new InputFile(r.png, "dashboard.png"), {
    caption: r.caption,
    parse_mode: "HTML",
    reply_markup: r.keyboard,
  });
}

pm.command("dashboard", async (ctx) => {
  const a = await accessOrRefuse(ctx);
  if (a) await sendDashboard(ctx, { branchId: a.branchId, period: "week", offset: 0 }, a);
});

/** `db.p:<branch>:<period>:<offset>` → the state, or null when forged. */
function stateOf(ctx: AppContext): DashboardState | null {
  const d = cbData(ctx);
  const [branchId, period, off] = d?.ids ?? [];
  const offset = Number(off);
  if (
    !branchId ||
    !isDashboardPeriod(period) ||
    !Number.isInteger(offset) ||
    offset > 0 ||
    offset < -MAX_BACK
  )
    return null;
  return { branchId, period: period as DashboardPeriod, offset };
}

composer.callbackQuery(cbPattern(DB.period), async (ctx) => {
  const s = stateOf(ctx);
  if (!s) return answer(ctx, ctx.t("common:errors.stale_button"), true);
  const a = await accessOrRefuse(ctx, s.branchId);
  if (!a) return;
  const msg = ctx.callbackQuery.message;
  // Pressed under the photo: replace the picture in place; from a text screen (the deadlines): a new photo.
  if (!msg || !("photo" in msg) || !msg.photo) {
    await answer(ctx);
    return sendDashboard(ctx, s, a);
  }
  const r = await render(ctx, s, a);
  if (!r) return tell(ctx, ctx.t("dashboard:bot.denied"));
  await answer(ctx);
  try {
    await ctx.editMessageMedia(
      { type: "photo", media: new InputFile(r.png, "dashboard.png"), caption: r.caption, parse_mode: "HTML" },
      { reply_markup: r.keyboard },
    );
  } catch (e) {
    if (!(e instanceof GrammyError) || e.error_code !== 400) throw e;
    if (/not modified/i.test(e.description)) return;
    await ctx.replyWithPhoto(new InputFile(r.png, "dashboard.png"), {
      caption: r.caption,
      parse_mode: "HTML",
      reply_markup: r.keyboard,
    });
  }
});

// ───────────── exports ─────────────

async function sendExports(ctx: AppContext, a: DashboardAccess, period: DashboardPeriod, offset: number) {
  await ctx.replyWithChatAction("upload_document").catch(() => {});
  const now = ctx.app.clock.now();
  for (const kind of ["register", "decisions"] as const) {
    const x = await ctx.app.dashboard.exportRows(a.branchId, kind, period, offset);
    if (!x) return tell(ctx, ctx.t("dashboard:bot.denied"));
    const table = exportTable(ctx.t, ctx.lang, kind, x.rows);
    const caption =
      kind === "register"
        ? ctx.t("dashboard:bot.export.register", { count: x.rows.length })
        : ctx.t("dashboard:bot.export.decisions", {
            count: x.rows.length,
            from: dayMonth(x.period.from, now),
            to: dayMonth(new Date(x.period.to.getTime() - 1), now),
          });
    for (const w of [csvWriter, xlsxWriter])
      await ctx.replyWithDocument(
        new InputFile(w.write(table), exportFileName(ctx.t, kind, x.regionCode, now, w.extension)),
        { caption: clipHtml(caption, CAPTION_LIMIT), parse_mode: "HTML" },
      );
  }
}

pm.command("export", async (ctx) => {
  const a = await accessOrRefuse(ctx, undefined, true);
  if (a) await sendExports(ctx, a, "month", -1);
});

composer.callbackQuery(cbPattern(DB.export), async (ctx) => {
  const s = stateOf(ctx);
  if (!s || s.offset > -1) return answer(ctx, ctx.t("common:errors.stale_button"), true);
  const a = await accessOrRefuse(ctx, s.branchId, true);
  if (!a) return;
  await answer(ctx);
  await sendExports(ctx, a, s.period, s.offset);
});

// ───────────── stage deadlines (a manager edits, audited) ─────────────

async function thresholds(ctx: AppContext, a: DashboardAccess) {
  const th = await ctx.app.dashboard.thresholds(a.branchId);
  if (!th) return tell(ctx, ctx.t("dashboard:bot.denied"));
  const history = await ctx.app.dashboard.history(a.branchId, 10);
  const digest = await ctx.app.dashboard.branchDigest(a.branchId);
  await show(ctx, thresholdsScreen(ctx.t, a.branchId, th, history, a.manager, digest), {
    fresh: !ctx.callbackQuery?.message || "photo" in ctx.callbackQuery.message,
  });
}

pm.command("deadlines", async (ctx) => {
  const a = await accessOrRefuse(ctx);
  if (a) await thresholds(ctx, a);
});

composer.callbackQuery(cbPattern(DB.thresholds), async (ctx) => {
  const a = await accessOrRefuse(ctx, cbData(ctx)?.ids[0]);
  if (!a) return;
  await answer(ctx);
  await thresholds(ctx, a);
});

composer.callbackQuery(cbPattern(DB.setThreshold), async (ctx) => {
  const d = cbData(ctx);
  const [branchId, stage, raw] = d?.ids ?? [];
  const days = Number(raw);
  if (!d || !branchId || !isSlaStage(stage) || !Number.isInteger(days) || d.version === undefined)
    return answer(ctx, ctx.t("common:errors.stale_button"), true);
  const a = await accessOrRefuse(ctx, branchId, true);
  if (!a || !ctx.user) return;
  const current = await ctx.app.dashboard.thresholds(branchId);
  if (!current) return tell(ctx, ctx.t("dashboard:bot.denied"));
  if (current[stage] !== d.version) {
    await answer(ctx, ctx.t("dashboard:bot.thresholds.stale"), true);
    return thresholds(ctx, a);
  }
  const r = await ctx.app.dashboard.setThreshold({
    memberships: ctx.memberships,
    userId: ctx.user.id,
    branchId,
    stage,
    days,
  });
  if (!r.ok) return tell(ctx, firstError(ctx.t, r.errors));
  await answer(
    ctx,
    ctx.t("dashboard:bot.thresholds.changed", {
      stage: ctx.t(`dashboard:stage.${stage}`),
      from: r.value.from,
      to: r.value.to,
    }),
  );
  await thresholds(ctx, a);
});

/** The branch's weekly digest: a working weekday, an Astana time, on or off (a manager; audited). */
composer.callbackQuery(cbPattern(DB.weekly), async (ctx) => {
  const [branchId, wd, min, onOff] = cbData(ctx)?.ids ?? [];
  const weekday = Number(wd);
  const minute = Number(min);
  if (!branchId || (onOff !== "on" && onOff !== "off") || validateBranchDigest({ weekday, minute }).length)
    return answer(ctx, ctx.t("common:errors.stale_button"), true);
  const a = await accessOrRefuse(ctx, branchId, true);
  if (!a || !ctx.user) return;
  const r = await ctx.app.dashboard.setBranchDigest({
    memberships: ctx.memberships,
    userId: ctx.user.id,
    branchId,
    weekday,
    minute,
    enabled: onOff === "on",
  });
  if (!r.ok) return tell(ctx, firstError(ctx.t, r.errors));
  await answer(ctx, r.value.changed ? weeklyLine(ctx.t, r.value.to) : undefined);
  await thresholds(ctx, a);
});

composer.callbackQuery(cbPattern(DB.noop), (ctx) => answer(ctx));

// ───────────── the morning digest of a staff member's queue ─────────────

async function digestScreen(ctx: AppContext) {
  if (!ctx.user || !isStaff(ctx.memberships)) return tell(ctx, ctx.t("dashboard:bot.staff_only"));
  await show(ctx, digestSettingScreen(ctx.t, await ctx.app.dashboard.staffDigest(ctx.user.id)));
}

pm.command("digest", (ctx) => digestScreen(ctx));

composer.callbackQuery(cbPattern(DB.digest), async (ctx) => {
  const [onOff, rawHour] = cbData(ctx)?.ids ?? [];
  const hour = Number(rawHour);
  if ((onOff !== "on" && onOff !== "off") || validateStaffDigest({ hour }).length)
    return answer(ctx, ctx.t("common:errors.stale_button"), true);
  if (!ctx.user || !isStaff(ctx.memberships)) return tell(ctx, ctx.t("dashboard:bot.staff_only"));
  const r = await ctx.app.dashboard.setStaffDigest({
    memberships: ctx.memberships,
    userId: ctx.user.id,
    enabled: onOff === "on",
    hour,
  });
  if (!r.ok) return tell(ctx, firstError(ctx.t, r.errors));
  await answer(ctx, r.value.changed ? ctx.t("dashboard:bot.digest.saved") : undefined);
  await show(ctx, digestSettingScreen(ctx.t, r.value.to));
});

export const feature: Feature = {
  name: "dashboard",
  composer,
  verbs: { verbs: Object.values(DB) },
  commands: [
    { command: "dashboard", for: canSee },
    { command: "export", for: manages },
    { command: "deadlines", for: canSee },
    { command: "digest", for: isStaff },
  ],
};

// Dispatch: a wizard button (wz.<verb>:<draft>:<args>@<version>) or a message while the wizard waits
// for one → the step's action/input → show the (new) current step.
import type { AppContext } from "../../bot/context.ts";
import { cbData } from "../../bot/callbacks.ts";
import * as bases from "../bases.ts";
import * as documents from "../documents.ts";
import * as kato from "../kato.ts";
import * as region from "../region.ts";
import * as subject from "../subject.ts";
import * as summary from "../summary.ts";
import { loadW, show, stale, t, type W } from "./core.ts";
import type { ActionDef, Outcome, StepDef } from "./flow.ts";
import type { Step } from "./progress.ts";

const STEP_DEFS: Partial<Record<Step, StepDef>> = {
  ...subject.steps,
  ...region.steps,
  ...bases.steps,
  ...kato.steps,
  ...documents.steps,
  ...summary.steps,
};

/** Toggle / page / done of the multi-selects: scope "s" (A6), "c" (A7), "b" (C7 of the current base). */
const MULTI: Record<string, ActionDef> = {
  tg: {
    steps: ["A_SUP", "A_CO", "C_SUB"],
    async run(w, [scope, idx]) {
      const expected: Step = scope === "s" ? "A_SUP" : scope === "c" ? "A_CO" : "C_SUB";
      if (w.p.step !== expected) {
        await stale(w.ctx);
        return "done";
      }
      const page = Math.floor(Number(idx) / 5);
      const ok =
        scope === "b"
          ? await bases.toggleBaseSubtype(w, Number(idx))
          : await subject.toggleRoleSubtype(w, scope as "s" | "c", Number(idx));
      return ok ? { page } : "done";
    },
  },
  pg: { steps: ["A_SUP", "A_CO", "C_SUB"], run: async (_w, [, p]) => ({ page: Number(p) || 0 }) },
  ok: {
    steps: ["A_SUP", "A_CO", "C_SUB"],
    run(w, [scope]) {
      return scope === "b" ? bases.baseSubtypesDone(w) : subject.roleSubtypesDone(w, scope as "s" | "c");
    },
  },
};

const ACTIONS: Record<string, ActionDef> = {
  ...MULTI,
  ...subject.actions,
  ...region.actions,
  ...bases.actions,
  ...kato.actions,
  ...documents.actions,
  ...summary.actions,
};

export async function renderCurrent(w: W, opts: { page?: number; fresh?: boolean } = {}): Promise<void> {
  const def = STEP_DEFS[w.p.step];
  if (!def) return;
  const view = await def.render(w, opts.page ?? 0);
  await show(w.ctx, view, { fresh: opts.fresh });
}

/** Is this user allowed to work on this draft? (re-checked on every update) */
async function mayEdit(ctx: AppContext, w: W): Promise<boolean> {
  if (!ctx.user) return false;
  const roles = await ctx.deps.prisma.orgMembership.findMany({
    where: { userId: ctx.user.id, orgId: w.app.orgId },
    select: { role: true },
  });
  const r = new Set(roles.map((x) => x.role));
  return r.has("SUPPLIER") && (r.has("ORG_ADMIN") || w.app.authorId === ctx.user.id);
}

/** A wizard button. */
export async function handleWizardCallback(ctx: AppContext): Promise<void> {
  const data = cbData(ctx);
  const verb = data?.verb.slice(3) ?? "";
  const action = ACTIONS[verb];
  const appId = data?.ids[0];
  if (!data || !action || !appId || data.version === undefined) {
    await stale(ctx);
    return;
  }
  const w = await loadW(ctx, appId);
  if (!w) {
    await ctx.answerCallbackQuery({ text: ctx.t("wizard:gone"), show_alert: true });
    return;
  }
  if (!(await mayEdit(ctx, w))) {
    await ctx.answerCallbackQuery({ text: ctx.t("wizard:forbidden"), show_alert: true });
    return;
  }
  if (w.app.status !== "DRAFT") {
    await ctx.answerCallbackQuery({ text: ctx.t("wizard:not_draft"), show_alert: true });
    return;
  }
  // An old message (another version of the draft) or a button of another step: nothing changes.
  if (data.version !== w.app.version || !action.steps.includes(w.p.step)) {
    await stale(ctx);
    return;
  }
  ctx.session.awaiting = { kind: "wizard", id: w.app.id };
  const out = await action.run(w, data.ids.slice(1));
  if (out === "done") return;
  await ctx.answerCallbackQuery().catch(() => {});
  await renderCurrent(w, { page: typeof out === "object" ? out.page : 0 });
}

/** A message while the wizard waits for one (text, file, location, anything else). */
export async function handleWizardInput(ctx: AppContext, appId: string): Promise<void> {
  const w = await loadW(ctx, appId);
  if (w?.app.status !== "DRAFT" || !(await mayEdit(ctx, w))) {
    ctx.session.awaiting = undefined;
    await ctx.reply(ctx.t("wizard:gone"));
    return;
  }
  const def = STEP_DEFS[w.p.step];
  let out: Outcome = "render";
  if (def?.input) out = await def.input(w);
  else await ctx.reply(t(w, "wrong.expect_button"), { parse_mode: "HTML" });
  if (out === "render") await renderCurrent(w, { fresh: true });
}

/** Open the wizard at the draft's current step (create, resume after a restart, edit). */
export async function resumeWizard(
  ctx: AppContext,
  appId: string,
  opts: { fresh?: boolean } = {},
): Promise<boolean> {
  const w = await loadW(ctx, appId);
  if (w?.app.status !== "DRAFT" || !(await mayEdit(ctx, w))) return false;
  ctx.session.awaiting = { kind: "wizard", id: w.app.id };
  await renderCurrent(w, { fresh: opts.fresh ?? true });
  return true;
}

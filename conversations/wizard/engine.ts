// Dispatch: a wizard button (wz.<verb>:<draft>:<args>@<version>) or a message while the wizard waits for one →
// the step's action or input → the (new) current step, drawn from the draft as the write left it. Every press is
// re-authorised on the draft's read: only its author edits (the table's T2, DECISIONS 25); anyone else of the
// organisation is told so and may read it (the drafts feature shows it read-only).
import type { AppContext } from "../../bot/context.ts";
import { cbData } from "../../bot/kit/callbacks.ts";
import { incomingFile } from "../../bot/kit/files.ts";
import { clipHtml } from "../../bot/kit/html.ts";
import { show, tell } from "../../bot/kit/ui.ts";
import { errorText } from "../../bot/views/labels.ts";
import { decide } from "../../domain/stateMachine.ts";
import * as bases from "../bases.ts";
import * as documents from "../documents.ts";
import * as prefill from "../prefill.ts";
import * as region from "../region.ts";
import * as subject from "../subject.ts";
import * as summary from "../summary.ts";
import { type AlbumItem, albumKey, albums } from "./album.ts";
import { draftOf, loadWizard, stale, t, type View, type Wizard } from "./core.ts";
import { albumNote } from "./files.ts";
import { type ActionDef, type Outcome, type RenderOpts, type StepDef, stepCounter } from "./flow.ts";
import type { Step } from "./progress.ts";

declare module "../../bot/kit/session.ts" {
  interface SessionSlots {
    /** The draft the wizard waits for an answer to (with `awaiting: "wizard"`). */
    wizard?: { id: string };
  }
}

/** `ctx.session.awaiting` while the wizard waits for the next message. */
export const WIZARD_AWAITING = "wizard";

const STEP_DEFS: Partial<Record<Step, StepDef>> = {
  ...prefill.steps,
  ...subject.steps,
  ...region.steps,
  ...bases.steps,
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
    run: (w, [scope]) =>
      scope === "b" ? bases.baseSubtypesDone(w) : subject.roleSubtypesDone(w, scope as "s" | "c"),
  },
};

const ACTIONS: Record<string, ActionDef> = {
  ...MULTI,
  ...prefill.actions,
  ...subject.actions,
  ...region.actions,
  ...bases.actions,
  ...documents.actions,
  ...summary.actions,
};

/** The current step's screen: «Шаг N из M» above it, and a note above that (a file attached…). */
export async function screenOf(w: Wizard, opts: Partial<RenderOpts> = {}): Promise<View> {
  const def = STEP_DEFS[w.p.step];
  const view = def ? await def.render(w, { page: 0, ...opts }) : { text: t(w, "gone"), kb: [] };
  const { n, m } = stepCounter(w);
  const counter = t(w, "step", { n, m });
  return { text: `${opts.note ? `${opts.note}\n\n` : ""}${counter}\n${view.text}`, kb: view.kb };
}

export async function renderCurrent(
  w: Wizard,
  opts: Partial<RenderOpts> & { fresh?: boolean } = {},
): Promise<void> {
  const view = await screenOf(w, opts);
  await show(
    w.ctx,
    { text: view.text, keyboard: { inline_keyboard: view.kb.filter((r) => r.length > 0) } },
    { fresh: opts.fresh },
  );
}

/** Why this person may not change the draft now (the table's T2), or null. */
export function editRefusal(w: Wizard): string | null {
  if (w.view.actions.includes("EDIT")) return null;
  const r = decide(w.view.facts.snapshot, "EDIT", w.view.facts.actor, { patch: {} });
  const e = r.ok ? undefined : r.errors[0];
  if (e?.code === "wrong_status") return w.ctx.t("wizard:not_draft");
  return errorText(w.ctx.t, e ?? { code: "not_author" });
}

const wait = (ctx: AppContext, id: string) => {
  ctx.session.awaiting = WIZARD_AWAITING;
  if (ctx.session.wizard?.id !== id) ctx.session.wizard = { id };
};

export const leave = (ctx: AppContext, id?: string) => {
  if (ctx.session.awaiting === WIZARD_AWAITING && (!id || ctx.session.wizard?.id === id)) {
    ctx.session.awaiting = undefined;
    ctx.session.wizard = undefined;
  }
};

/** A wizard button. */
export async function handleWizardCallback(ctx: AppContext): Promise<void> {
  const data = cbData(ctx);
  const action = data ? ACTIONS[data.verb.slice(3)] : undefined;
  const appId = data?.ids[0];
  if (!data || !action || !appId || data.version === undefined) return stale(ctx);
  const w = await loadWizard(ctx, appId);
  if (!w) return tell(ctx, ctx.t("wizard:gone"));
  const refusal = editRefusal(w);
  if (refusal) return tell(ctx, refusal);
  // An old message (another version of the draft) or a button of another step: nothing changes.
  if (data.version !== draftOf(w).version || !action.steps.includes(w.p.step)) return stale(ctx);
  wait(ctx, appId);
  const out: Outcome = await action.run(w, data.ids.slice(1));
  if (out === "done") return;
  await renderCurrent(w, typeof out === "object" ? out : {});
}

const FILE_STEPS: Partial<Record<Step, (w: Wizard) => Promise<AlbumItem>>> = {
  C_SES: bases.takeSesFile,
  D2: (w) => documents.takeDocument(w, "REGISTRATION"),
  D3: (w) => documents.takeDocument(w, "POWER_OF_ATTORNEY"),
};
/** Steps that take one file: the other files of an album are refused (one reply says so). */
const ONE_FILE: ReadonlySet<string> = new Set(["C_SES"]);

/** A file of an album: taken at the step the album's first file came to; ONE reply for the group later. */
async function albumFile(ctx: AppContext, w: Wizard, key: string): Promise<void> {
  const group = albums.get(key);
  const step = (group?.step ?? w.p.step) as Step;
  const name = incomingFile(ctx.message)?.fileName ?? "";
  const take = FILE_STEPS[step];
  let item: AlbumItem;
  if (!take) item = { name, ok: false, reason: "not_expected" };
  else if (group && ONE_FILE.has(step)) item = { name, ok: false, reason: "one_file" };
  else item = await take(w);
  const chatId = ctx.chat?.id;
  albums.add(
    key,
    step,
    item,
    async (items) => {
      if (chatId === undefined) return;
      const view = await screenOf(w, { note: albumNote(w, items) });
      await ctx.api.sendMessage(chatId, clipHtml(view.text), {
        parse_mode: "HTML",
        reply_markup: { inline_keyboard: view.kb.filter((r) => r.length > 0) },
        link_preview_options: { is_disabled: true },
      });
    },
    (e) => ctx.log.warn({ err: e instanceof Error ? e.message : String(e) }, "album reply failed"),
  );
}

/** A message while the wizard waits for one (text, file, location, anything else). */
export async function handleWizardInput(ctx: AppContext, appId: string): Promise<void> {
  const w = await loadWizard(ctx, appId);
  const refusal = w ? editRefusal(w) : ctx.t("wizard:gone");
  if (!w || refusal) {
    leave(ctx);
    await ctx.reply(refusal ?? ctx.t("wizard:gone"), { parse_mode: "HTML" });
    return;
  }
  const key = albumKey(ctx);
  if (key && incomingFile(ctx.message)) return albumFile(ctx, w, key);
  const def = STEP_DEFS[w.p.step];
  let out: Outcome = "render";
  if (def?.input) out = await def.input(w);
  else await ctx.reply(t(w, "wrong.expect_button"), { parse_mode: "HTML" });
  if (out !== "done") await renderCurrent(w, { ...(typeof out === "object" ? out : {}), fresh: true });
}

/** Open the wizard at the draft's current step (create, resume after a restart, edit); false when not allowed. */
export async function resumeWizard(
  ctx: AppContext,
  appId: string,
  opts: { fresh?: boolean; note?: string } = {},
): Promise<boolean> {
  const w = await loadWizard(ctx, appId);
  if (!w || editRefusal(w)) return false;
  wait(ctx, appId);
  await renderCurrent(w, { fresh: opts.fresh ?? true, ...(opts.note ? { note: opts.note } : {}) });
  return true;
}

/** Open the wizard on a draft already read (no second read). */
export async function openWizard(w: Wizard, opts: { fresh?: boolean; note?: string } = {}): Promise<void> {
  wait(w.ctx, draftOf(w).id);
  await renderCurrent(w, { fresh: opts.fresh ?? true, ...(opts.note ? { note: opts.note } : {}) });
}

// The wizard's shared machinery: the per-update wizard (the draft as this person sees it, the reference lists in
// the reader's language), writing an answer, multi-select keyboards with ✅ toggles and pages.
//
// Design note: the wizard keeps no replayed conversation state. Each step is a pure function of the draft row
// (Application.progress says where the supplier is). A press or a message costs ONE read (the draft and the
// person's decision facts, app.drafts.load) and at most ONE write (app.drafts.edit → app.act "EDIT", which the
// transition table authorises: only the author edits); the next screen is drawn from the draft as the write left
// it, in memory. The reference lists come from memory (app.classifiers).
import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { App } from "../../app/index.ts";
import type { AddedFile, DraftView, PickedKato, Refusal } from "../../app/drafts.ts";
import type { Names } from "../../app/classifiers.ts";
import type { AppContext } from "../../bot/context.ts";
import { fmtDate } from "../../bot/kit/format.ts";
import { cb } from "../../bot/kit/callbacks.ts";
import { escapeHtml } from "../../bot/kit/html.ts";
import { pageWindow } from "../../bot/kit/paging.ts";
import { tell } from "../../bot/kit/ui.ts";
import { errorText } from "../../bot/views/labels.ts";
import { type BaseInput, baseInputOf, type DraftPatch } from "../../domain/drafts.ts";
import { katoName } from "../../domain/kato.ts";
import { availableSubtypes, isPharmacyQuestionAvailable } from "../../domain/rules.ts";
import type { SubjectRole } from "../../domain/types.ts";
import { type Progress, readProgress, type Step } from "./progress.ts";

export type Classifiers = Awaited<ReturnType<App["classifiers"]["get"]>>;
export type WizardDraft = DraftView["draft"];

export interface View {
  text: string;
  kb: InlineKeyboardButton[][];
}

/** One update's wizard: the draft as this person sees it (replaced after a write) and the reference lists. */
export interface Wizard {
  ctx: AppContext;
  view: DraftView;
  p: Progress;
  c: Classifiers;
  names: Names;
}

export const draftOf = (w: Wizard): WizardDraft => w.view.draft;

/** The draft `id` as this person sees it (one read), or null (unknown, another's unsaved draft, not their organisation). */
export async function loadWizard(ctx: AppContext, id: string): Promise<Wizard | null> {
  if (!ctx.user) return null;
  const view = await ctx.app.drafts.load(id, ctx.user.id);
  if (!view) return null;
  return wizardOf(ctx, view);
}

export async function wizardOf(ctx: AppContext, view: DraftView): Promise<Wizard> {
  const [c, names] = await Promise.all([ctx.app.classifiers.get(), ctx.app.classifiers.names(ctx.lang)]);
  return { ctx, view, p: readProgress(view.draft.progress), c, names };
}

export const t = (w: Wizard, key: string, opts?: Record<string, unknown>): string =>
  w.ctx.t(`wizard:${key}`, opts);

/** Callback data of a wizard button: verb, the draft id, args, the draft version it was drawn for. */
export const wcb = (w: Wizard, verb: string, ...args: (string | number)[]): string =>
  cb(`wz.${verb}`, [draftOf(w).id, ...args], draftOf(w).version);

export const btn = (text: string, data: string): InlineKeyboardButton => ({ text, callback_data: data });

export const subtypeName = (w: Wizard, code: string): string => w.names.subtype(code);

export const formatDate = fmtDate;

/** A pressed button that no longer matches the draft (old message, double tap, other device). */
export async function stale(ctx: AppContext): Promise<void> {
  await tell(ctx, ctx.t("wizard:stale"));
}

export async function alert(ctx: AppContext, text: string): Promise<void> {
  await tell(ctx, text);
}

/** Why a write was refused, in the person's language (an alert on a press, a message otherwise). */
export async function refused(ctx: AppContext, r: Refusal): Promise<void> {
  if (r.kind === "stale") await stale(ctx);
  else if (r.kind === "not_found") await tell(ctx, ctx.t("wizard:gone"));
  else if (r.kind === "denied") await tell(ctx, errorText(ctx.t, r.errors[0]));
  else await tell(ctx, ctx.t("errors:open_in_region"));
}

/**
 * Write one answer and move on (T2 through the transition table: only the author; the optimistic version). On
 * success `w` holds the draft as the write left it; on a refusal the person is told why and nothing changes.
 */
export async function commit(w: Wizard, change: Change): Promise<boolean> {
  const r = await commitQuietly(w, change);
  if (r) await refused(w.ctx, r);
  return r === null;
}

export interface Change {
  patch?: DraftPatch;
  progress?: Partial<Progress> & { step?: Step };
  files?: AddedFile[];
  kato?: PickedKato;
}

/** `commit` without telling: the refusal, or null when written. */
export async function commitQuietly(w: Wizard, change: Change): Promise<Refusal | null> {
  const progress = change.progress ? ({ ...w.p, ...change.progress } as Progress) : undefined;
  const patch: DraftPatch = { ...change.patch, ...(progress ? { progress } : {}) };
  const r = await w.ctx.app.drafts.edit(w.view, patch, { files: change.files, kato: change.kato });
  if (!r.ok) return r;
  w.view = r.view;
  w.p = readProgress(r.view.draft.progress);
  return null;
}

/** The bases as the store writes them (order = position). */
export const basesInput = (w: Wizard): BaseInput[] => draftOf(w).bases.map(baseInputOf);

/** The bases with one of them (by position) changed. */
export const withBase = (w: Wizard, position: number, change: Partial<BaseInput>): BaseInput[] =>
  draftOf(w).bases.map((b) => (b.position === position ? { ...baseInputOf(b), ...change } : baseInputOf(b)));

/** File ids of the draft's documents of one kind, in order. */
export const docIds = (w: Wizard, kind: string): string[] =>
  draftOf(w)
    .documents.filter((d) => d.kind === kind)
    .map((d) => d.fileId);

export interface MultiItem {
  code: string;
  name: string;
}

export const PAGE = 5;

/** A multi-select list: numbered full names in the text, ✅ toggle buttons, pages, «Готово». */
export function multiSelect(
  w: Wizard,
  o: { scope: string; header: string; items: MultiItem[]; selected: ReadonlySet<string>; page: number },
): View {
  const { page, pages, skip } = pageWindow(o.items.length, o.page, PAGE);
  const slice = o.items.slice(skip, skip + PAGE);
  const lines = slice.map(
    (it, i) => `${o.selected.has(it.code) ? "✅" : "▫️"} ${skip + i + 1}. ${escapeHtml(it.name)}`,
  );
  const kb = new InlineKeyboard();
  slice.forEach((it, i) => {
    const idx = skip + i;
    const short = it.name.length > 48 ? `${it.name.slice(0, 47)}…` : it.name;
    kb.text(`${o.selected.has(it.code) ? "✅" : "▫️"} ${idx + 1}. ${short}`, wcb(w, "tg", o.scope, idx)).row();
  });
  if (pages > 1) {
    if (page > 0) kb.text("◀️", wcb(w, "pg", o.scope, page - 1));
    kb.text(`${page + 1}/${pages}`, wcb(w, "pg", o.scope, page));
    if (page < pages - 1) kb.text("▶️", wcb(w, "pg", o.scope, page + 1));
    kb.row();
  }
  kb.text(t(w, "btn.done", { count: o.selected.size }), wcb(w, "ok", o.scope));
  const body = o.items.length ? lines.join("\n") : t(w, "multi.empty");
  return {
    text: `${o.header}\n\n${body}\n\n${t(w, "multi.selected", { count: o.selected.size })}`,
    kb: kb.inline_keyboard,
  };
}

/** The subtypes chosen in Section A (A6 ∪ A7), in catalogue order. */
export function chosenSubtypes(w: Wizard): string[] {
  const d = draftOf(w);
  const set = new Set([
    ...(d.asSupplier ? d.supplierSubtypes : []),
    ...(d.asCoExecutor ? d.coExecutorSubtypes : []),
  ]);
  return w.c.subtypes.map((s) => s.code).filter((c) => set.has(c));
}

/** Subtypes the licence appendices allow for a status (SPEC A6/A7), in catalogue order. */
export function availableFor(w: Wizard, role: SubjectRole): MultiItem[] {
  return availableSubtypes(w.view.pool, role, w.c.subtypes).map((code) => ({
    code,
    name: subtypeName(w, code),
  }));
}

/** A9 is available iff A6 contains a PHC subtype (I-PHARMACY). */
export function pharmacyApplies(
  w: Wizard,
  d: Pick<WizardDraft, "asSupplier" | "supplierSubtypes"> = draftOf(w),
): boolean {
  const requirements = w.c.requirements.map((r) => ({
    ...r,
    condition: r.condition === "PHARMACY" ? ("PHARMACY" as const) : null,
  }));
  return isPharmacyQuestionAvailable(d, { subtypes: w.c.subtypes, requirements });
}

/** SPEC §3.7: the ownership form is locked once the first version was saved; editable in «Внести изменение». */
export const ownershipLocked = (w: Wizard): boolean =>
  w.view.facts.snapshot.saved && draftOf(w).versionNo === 1;

/** A name in the reader's language. */
export const named = (w: Wizard, row: { nameKk: string | null; nameRu: string }): string =>
  w.ctx.lang === "kk" && row.nameKk ? row.nameKk : row.nameRu;

/** The KATO name of a base in the reader's language (or null). */
export const katoNameOf = (w: Wizard, b: WizardDraft["bases"][number]): string | null =>
  b.katoNameRu ? katoName({ nameKk: b.katoNameKk ?? null, nameRu: b.katoNameRu }, w.ctx.lang) : null;

/** A stored file's name (documents and SES permits), from the draft's read. */
export const fileNameOf = (w: Wizard, id: string | null): string | null =>
  id
    ? (draftOf(w).saveFacts.files.find((f) => f.id === id)?.fileName ??
      draftOf(w).documents.find((x) => x.fileId === id)?.fileName ??
      null)
    : null;

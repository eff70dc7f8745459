// The wizard's shared machinery: the per-update wizard context, showing a step, writing an answer
// with the optimistic version, multi-select keyboards with ✅ toggles and pagination.
//
// Design note: the wizard keeps no replayed conversation state. Each step is a pure function of the
// draft row (Application.progress says where the supplier is), so every button press or message costs
// one DB read + one versioned write, Redis holds only the small session, and a restart resumes as is.
import { GrammyError, InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { cb } from "../../bot/callbacks.ts";
import type { AppContext } from "../../bot/context.ts";
import { escapeHtml } from "../../bot/i18n.ts";
import { pageWindow } from "../../bot/paging.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import {
  type BaseInput,
  baseInputOf,
  type DraftPatch,
  type OpenApplication,
  updateDraft,
} from "../../prisma/store/applications.ts";
import type { Progress, Step } from "./progress.ts";
import { readProgress } from "./progress.ts";
import { type DraftFull, loadDraft } from "./repo.ts";

export interface View {
  text: string;
  kb: InlineKeyboardButton[][];
}

export interface W {
  ctx: AppContext;
  app: DraftFull;
  p: Progress;
  /** The care-subtype catalogue (small), loaded once per update. */
  subtypes: SubtypeRow[];
}

export interface SubtypeRow {
  code: string;
  nameKk: string;
  nameRu: string;
  isPhc: boolean;
  asSupplier: boolean;
  asCoExecutor: boolean;
}

export async function loadW(ctx: AppContext, id: string): Promise<W | null> {
  const app = await loadDraft(ctx.deps.prisma, id);
  if (!app) return null;
  const subtypes = await ctx.deps.prisma.careSubtype.findMany({
    orderBy: [{ sort: "asc" }, { code: "asc" }],
    select: { code: true, nameKk: true, nameRu: true, isPhc: true, asSupplier: true, asCoExecutor: true },
  });
  return { ctx, app, p: readProgress(app.progress), subtypes };
}

export const t = (w: W, key: string, opts?: Record<string, unknown>): string =>
  w.ctx.t(`wizard:${key}`, opts);

/** Callback data of a wizard button: verb, the draft id, args, the draft version it was drawn for. */
export const wcb = (w: W, verb: string, ...args: (string | number)[]): string =>
  cb(`wz.${verb}`, [w.app.id, ...args], w.app.version);

/** «dd.mm.yyyy» in Kazakhstan time (UTC+5). */
export function formatDate(d: Date): string {
  const k = new Date(d.getTime() + 5 * 3600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(k.getUTCDate())}.${p(k.getUTCMonth() + 1)}.${k.getUTCFullYear()}`;
}

export const btn = (text: string, data: string): InlineKeyboardButton => ({ text, callback_data: data });

export const subtypeName = (w: W, code: string): string => {
  const s = w.subtypes.find((x) => x.code === code);
  return s ? (w.ctx.lang === "kk" ? s.nameKk : s.nameRu) : code;
};

export const named = (lang: string, row: { nameKk: string | null; nameRu: string }): string =>
  lang === "kk" && row.nameKk ? row.nameKk : row.nameRu;

/** Show a view: edit the pressed message, or send a new one for a typed answer or a file. */
export async function show(ctx: AppContext, view: View, opts: { fresh?: boolean } = {}): Promise<void> {
  view = { ...view, text: clipHtml(view.text) };
  const reply_markup = { inline_keyboard: view.kb.filter((row) => row.length > 0) };
  const msg = ctx.callbackQuery?.message;
  if (msg && !opts.fresh) {
    try {
      await ctx.api.editMessageText(msg.chat.id, msg.message_id, view.text, {
        parse_mode: "HTML",
        reply_markup,
      });
      return;
    } catch (e) {
      if (e instanceof GrammyError && /not modified/i.test(e.description)) return;
      if (!(e instanceof GrammyError)) throw e;
    }
  }
  await ctx.reply(view.text, { parse_mode: "HTML", reply_markup });
}

/** Keep a message under Telegram's 4096 characters: cut at a line break and close open tags. */
export function clipHtml(text: string, max = 3900): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  cut = cut
    .slice(0, Math.max(cut.lastIndexOf("\n"), max / 2))
    .replace(/<[^>]*$/, "")
    .replace(/&[a-z#0-9]*$/i, "");
  const open: string[] = [];
  for (const m of cut.matchAll(/<(\/?)(b|i|code)>/g)) {
    if (m[1]) open.pop();
    else open.push(m[2]!);
  }
  return `${cut}\n…${open
    .reverse()
    .map((t) => `</${t}>`)
    .join("")}`;
}

/** A pressed button that no longer matches the draft (old message, double tap, other device). */
export async function stale(ctx: AppContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("wizard:stale"), show_alert: true });
  else await ctx.reply(ctx.t("wizard:stale"));
}

export async function alert(ctx: AppContext, text: string): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: true });
  else await ctx.reply(escapeHtml(text), { parse_mode: "HTML" });
}

/**
 * Write one answer and move on: the patch + new progress through the store's updateDraft (version
 * check, version + 1, audit "EDIT"). On success `w` is reloaded; on a conflict (old button, double tap,
 * another device) the supplier is told and nothing changes. Returns success.
 */
export async function commit(
  w: W,
  change: {
    field: string;
    patch?: DraftPatch;
    progress?: Partial<Progress> & { step?: Step };
    /** DECISIONS 8 refused the region inside the write (a race with another draft). */
    onOpenInRegion?: (open: OpenApplication) => Promise<void>;
  },
): Promise<boolean> {
  const progress = change.progress ? ({ ...w.p, ...change.progress } as Progress) : undefined;
  const res = await updateDraft(
    w.ctx.deps.prisma,
    w.app.id,
    w.app.version,
    { ...change.patch, ...(progress ? { progress: progress as unknown as Prisma.InputJsonValue } : {}) },
    { actorId: w.ctx.user?.id ?? w.app.authorId, now: w.ctx.deps.now() },
  );
  if (!res.ok) {
    if (res.reason === "open_in_region" && change.onOpenInRegion) await change.onOpenInRegion(res.open);
    else await stale(w.ctx);
    return false;
  }
  const fresh = await loadDraft(w.ctx.deps.prisma, w.app.id);
  if (!fresh) return false;
  w.app = fresh;
  w.p = readProgress(fresh.progress);
  return true;
}

/** The bases as the store writes them (order = position). */
export function basesInput(w: W): BaseInput[] {
  return w.app.bases.map(baseInputOf);
}

/** The bases with one of them (by position) changed. */
export function withBase(w: W, position: number, change: Partial<BaseInput>): BaseInput[] {
  return w.app.bases.map((b) =>
    b.position === position ? { ...baseInputOf(b), ...change } : baseInputOf(b),
  );
}

/** File ids of the draft's documents of one kind, in order. */
export const docIds = (w: W, kind: string): string[] =>
  w.app.documents.filter((d) => d.kind === kind).map((d) => d.fileId);

export interface MultiItem {
  code: string;
  name: string;
}

export const PAGE = 5;

/** A multi-select list: numbered full names in the text, ✅ toggle buttons, pages, «Готово». */
export function multiSelect(
  w: W,
  o: { scope: string; header: string; items: MultiItem[]; selected: ReadonlySet<string>; page: number },
): View {
  const { page, pages, skip } = pageWindow(o.items.length, o.page, PAGE);
  const slice = o.items.slice(skip, skip + PAGE);
  const lines = slice.map((it, i) => {
    const n = skip + i + 1;
    return `${o.selected.has(it.code) ? "✅" : "▫️"} ${n}. ${escapeHtml(it.name)}`;
  });
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
  const text = `${o.header}\n\n${body}\n\n${t(w, "multi.selected", { count: o.selected.size })}`;
  return { text, kb: kb.inline_keyboard };
}

/** The subtypes chosen in Section A (A6 ∪ A7), in catalogue order. */
export function chosenSubtypes(w: W): string[] {
  const set = new Set([
    ...(w.app.asSupplier ? w.app.supplierSubtypes : []),
    ...(w.app.asCoExecutor ? w.app.coExecutorSubtypes : []),
  ]);
  return w.subtypes.map((s) => s.code).filter((c) => set.has(c));
}

/** A9 is available iff A6 contains a PHC subtype (I-PHARMACY). */
export function pharmacyApplies(w: W): boolean {
  const phc = new Set(w.subtypes.filter((s) => s.isPhc).map((s) => s.code));
  return w.app.asSupplier && w.app.supplierSubtypes.some((c) => phc.has(c));
}

/** Ownership form is locked when editing a saved first version (SPEC §3.7); editable in «Внести изменение». */
export function ownershipLocked(w: W): boolean {
  return Boolean(w.p.saved) && w.app.versionNo === 1;
}

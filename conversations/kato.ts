// C5 «КАТО» of a production base: the picker, level by level inside the application's region (paged, in the
// reader's language and alphabetical order), with a search by typed name in either spelling. Only objects of
// the edition in force are offered; one outside the region is refused (domain/plausibility.ts).
// Reads: prisma/store/kato.ts (to be routed through app/).
import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../bot/i18n.ts";
import { KATO_SEARCH_MIN, type KatoLang, katoInRegion, katoName, katoPathText } from "../domain/kato.ts";
import { katoRegionErrors } from "../domain/plausibility.ts";
import {
  type KatoNode,
  katoByCodes,
  katoById,
  katoChildren,
  katoWithPath,
  searchKato,
} from "../prisma/store/kato.ts";
import { wrongInput } from "./bases.ts";
import { commit, named, t, type View, type W, wcb, withBase } from "./wizard/core.ts";
import type { ActionDef, Outcome, StepDef } from "./wizard/flow.ts";
import type { Step } from "./wizard/progress.ts";

const KATO_PAGE = 8;
const SEARCH_LIMIT = 10;

const lang = (w: W): KatoLang => (w.ctx.lang === "kk" ? "kk" : "ru");
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const currentBase = (w: W) => w.app.bases.find((b) => b.position === w.p.pos);

/** The application's region as a КАТО node id (the picker's root), or null (the whole country). */
export function regionRoot(w: W): number | null {
  const code = w.app.region?.katoCode;
  return code && /^\d{9}$/.test(code) ? Number(code) : null;
}

/** «Астана қаласы › Есіл ауданы (711210000)» for a stored code, in the reader's language. */
export async function katoLabel(w: W, code: string | null): Promise<string> {
  if (!code) return "—";
  const k = (await katoByCodes(w.ctx.deps.prisma, [code])).get(code);
  return k ? `${katoPathText(k.path, lang(w))} (${code})` : code;
}

async function katoView(w: W, page: number): Promise<View> {
  const prisma = w.ctx.deps.prisma;
  const root = regionRoot(w);
  // a node left from before the region was chosen or changed: start again at the region
  const inside = w.p.kato && root !== null ? katoInRegion(String(w.p.kato), String(root)) : true;
  const parentId = (inside ? w.p.kato : null) ?? root;
  const {
    items,
    page: pg,
    pages,
  } = await katoChildren(prisma, parentId, lang(w), { page, pageSize: KATO_PAGE });
  const kb = new InlineKeyboard();
  for (const r of items)
    kb.text(`${r.isLeaf ? "📍" : "📂"} ${clip(katoName(r, lang(w)), 50)}`, wcb(w, "kt", r.id)).row();
  if (pages > 1) {
    if (pg > 0) kb.text("◀️", wcb(w, "kp", pg - 1));
    kb.text(`${pg + 1}/${pages}`, wcb(w, "kp", pg));
    if (pg < pages - 1) kb.text("▶️", wcb(w, "kp", pg + 1));
    kb.row();
  }
  if (parentId !== null && parentId !== root) kb.text(t(w, "btn.up"), wcb(w, "ku"));
  const b = currentBase(w);
  if (b?.katoCode) kb.text(t(w, "btn.keep"), wcb(w, "ks"));
  kb.row().text(t(w, "btn.to_bases"), wcb(w, "bl"));
  const here = parentId === null ? null : await katoWithPath(prisma, parentId);
  const text = t(w, "c.kato", {
    n: b?.position ?? "?",
    address: escapeHtml(b?.address ?? ""),
    path: here ? escapeHtml(katoPathText(here.path, lang(w))) : t(w, "c.kato_root"),
    current: escapeHtml(await katoLabel(w, b?.katoCode ?? null)),
  });
  return { text, kb: kb.inline_keyboard };
}

/** A search result's button: the name and the two levels above it. */
function resultLabel(w: W, k: KatoNode, path: readonly KatoNode[]): string {
  const above = katoPathText(path.slice(0, -1).slice(-2), lang(w));
  return clip(`${k.isLeaf ? "📍" : "📂"} ${katoName(k, lang(w))}${above ? ` (${above})` : ""}`, 60);
}

async function search(w: W): Promise<Outcome> {
  const q = w.ctx.message?.text?.trim();
  if (!q || q.startsWith("/")) return wrongInput(w, "expect_kato");
  if (q.length < KATO_SEARCH_MIN) return wrongInput(w, "kato_short");
  const prisma = w.ctx.deps.prisma;
  const found = await searchKato(prisma, q, {
    regionKatoCode: w.app.region?.katoCode ?? null,
    lang: lang(w),
    limit: SEARCH_LIMIT,
  });
  if (!found.length) {
    const key = w.app.region ? "kato:not_found_region" : "wizard:c.kato_not_found";
    const region = w.app.region ? escapeHtml(named(w.ctx.lang, w.app.region)) : "";
    await w.ctx.reply(w.ctx.t(key, { q: escapeHtml(q), region }), { parse_mode: "HTML" });
    return "done";
  }
  const paths = await katoByCodes(
    prisma,
    found.map((k) => k.code),
  );
  const kb = new InlineKeyboard();
  for (const k of found) kb.text(resultLabel(w, k, paths.get(k.code)?.path ?? [k]), wcb(w, "kt", k.id)).row();
  kb.text(t(w, "btn.back"), wcb(w, "kp", 0));
  await w.ctx.reply(t(w, "c.kato_found", { q: escapeHtml(q), count: found.length }), {
    parse_mode: "HTML",
    reply_markup: kb,
  });
  return "done";
}

export const steps: Partial<Record<Step, StepDef>> = {
  C_KATO: { render: (w, page = 0) => katoView(w, page), input: search },
};

const go =
  (step: Step, extra: Partial<W["p"]> = {}) =>
  async (w: W): Promise<Outcome> => {
    const ok = await commit(w, { field: "progress", progress: { step, ...extra } });
    return ok ? "render" : "done";
  };

/** Tell the supplier (an alert on a button, else a message) and stay on the step. */
async function refuse(w: W, text: string): Promise<Outcome> {
  if (w.ctx.callbackQuery) await w.ctx.answerCallbackQuery();
  await w.ctx.reply(text, { parse_mode: "HTML" });
  return "done";
}

export const actions: Record<string, ActionDef> = {
  ks: { steps: ["C_KATO"], run: (w) => go("C_SES")(w) },
  kp: { steps: ["C_KATO"], run: async (_w, [p]) => ({ page: Number(p) || 0 }) },
  ku: {
    steps: ["C_KATO"],
    async run(w) {
      const root = regionRoot(w);
      const cur = w.p.kato && w.p.kato !== root ? await katoById(w.ctx.deps.prisma, w.p.kato) : null;
      const up = cur?.parentId ?? null;
      // never above the application's region
      return go("C_KATO", { kato: up === null || up === root ? null : up })(w);
    },
  },
  kt: {
    steps: ["C_KATO"],
    async run(w, [id]) {
      const k = await katoById(w.ctx.deps.prisma, Number(id));
      const b = currentBase(w);
      if (!k || !b) return "render";
      if (!k.active) return refuse(w, w.ctx.t("kato:inactive", { name: escapeHtml(katoName(k, lang(w))) }));
      const outside = katoRegionErrors(k.code, w.app.region?.katoCode ?? null);
      if (outside.length && w.app.region)
        return refuse(
          w,
          w.ctx.t("kato:outside_region", {
            name: escapeHtml(katoName(k, lang(w))),
            region: escapeHtml(named(w.ctx.lang, w.app.region)),
          }),
        );
      if (!k.isLeaf) return go("C_KATO", { kato: k.id })(w);
      const ok = await commit(w, {
        field: "bases.kato",
        patch: { bases: withBase(w, b.position, { katoCode: k.code }) },
        progress: { step: "C_SES" },
      });
      return ok ? "render" : "done";
    },
  },
};

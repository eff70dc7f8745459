// C5 «КАТО» of a production base: level by level inside the application's region down to a leaf (paged, in the
// reader's language and alphabetical order, the edition in force only), «⬆️ Уровнем выше» never above the
// region, or a search by typed name in either spelling («Еңбекші» = «Енбекши»). An object outside the region is
// refused (domain/plausibility.ts), an object of an earlier edition is not offered (and refused at «Сохранить»).
// The level shown travels in the buttons (kt/kp/ku carry the node's code), so walking the tree writes nothing;
// picking a leaf is the step's one write. Reads: app.drafts.katoChildren / katoSearch (one statement each).
//
//   wz.kt:<draft>:<code|0>@v   open a node (0: the region)       wz.kp:<draft>:<code|0>:<page>@v   a page of a level
//   wz.ku:<draft>:<code|0>@v   up (to that level)                wz.kl:<draft>:<code>@v            pick a leaf
//   wz.ks:<draft>@v            keep the current KATO
import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../bot/kit/html.ts";
import { answer } from "../bot/kit/ui.ts";
import { KATO_SEARCH_MIN, katoName, katoPathText } from "../domain/kato.ts";
import { katoRegionErrors } from "../domain/plausibility.ts";
import { commit, draftOf, named, t, type View, type Wizard, wcb, withBase } from "./wizard/core.ts";
import type { ActionDef, Outcome, RenderOpts, StepDef } from "./wizard/flow.ts";

const ROOT = "0";
const codeArg = (code: string | null | undefined) => code ?? ROOT;
const isCode = (s: string | undefined): s is string => !!s && /^\d{9}$/.test(s);
const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const currentBase = (w: Wizard) => draftOf(w).bases.find((b) => b.position === w.p.pos);

/** The application's region as a KATO code: the picker's root (null: the whole country). */
export const regionRoot = (w: Wizard): string | null => {
  const code = w.c.regions.find((r) => r.code === draftOf(w).regionCode)?.katoCode;
  return isCode(code) ? code : null;
};

/** A level to show: the one asked for when it lies inside the region, else the region itself. */
function levelOf(w: Wizard, asked: string | null | undefined): string | null {
  const root = regionRoot(w);
  if (!asked) return root;
  return root === null || katoRegionErrors(asked, root).length === 0 ? asked : root;
}

/** «город Астана › район Есиль (711210000)» for the current base's object (read with the draft). */
function currentLabel(w: Wizard): string {
  const b = currentBase(w);
  if (!b?.katoCode) return "—";
  const path = b.katoPath ?? [];
  return path.length ? `${katoPathText(path, w.ctx.lang)} (${b.katoCode})` : b.katoCode;
}

async function katoView(w: Wizard, o: RenderOpts): Promise<View> {
  const root = regionRoot(w);
  const level = await w.ctx.app.drafts.katoChildren(levelOf(w, o.kato), w.ctx.lang, o.page);
  const node = level.node?.code ?? null;
  const kb = new InlineKeyboard();
  for (const k of level.items) {
    const name = short(katoName(k, w.ctx.lang), 50);
    kb.text(
      `${k.isLeaf ? "📍" : "📂"} ${name}`,
      k.isLeaf ? wcb(w, "kl", k.code) : wcb(w, "kt", k.code),
    ).row();
  }
  if (level.pages > 1) {
    if (level.page > 0) kb.text("◀️", wcb(w, "kp", codeArg(node), level.page - 1));
    kb.text(`${level.page + 1}/${level.pages}`, wcb(w, "kp", codeArg(node), level.page));
    if (level.page < level.pages - 1) kb.text("▶️", wcb(w, "kp", codeArg(node), level.page + 1));
    kb.row();
  }
  // never above the application's region
  if (node !== null && node !== root) kb.text(t(w, "btn.up"), wcb(w, "ku", codeArg(level.node?.parentCode)));
  const b = currentBase(w);
  if (b?.katoCode) kb.text(t(w, "btn.keep"), wcb(w, "ks"));
  kb.row().text(t(w, "btn.to_bases"), wcb(w, "bl"));
  const text = t(w, "c.kato", {
    n: b?.position ?? "?",
    address: escapeHtml(b?.address ?? ""),
    path: level.path.length ? escapeHtml(katoPathText(level.path, w.ctx.lang)) : t(w, "c.kato_root"),
    current: escapeHtml(currentLabel(w)),
  });
  return { text, kb: kb.inline_keyboard };
}

/** A typed name: the region's objects whose name contains it, as buttons (a new message). */
async function search(w: Wizard): Promise<Outcome> {
  const q = w.ctx.message?.text?.trim();
  const wrong = async (key: string) => {
    await w.ctx.reply(t(w, `wrong.${key}`), { parse_mode: "HTML" });
    return "render" as const;
  };
  if (!q || q.startsWith("/")) return wrong("expect_kato");
  if (q.length < KATO_SEARCH_MIN) return wrong("kato_short");
  const region = w.c.regions.find((r) => r.code === draftOf(w).regionCode);
  const found = await w.ctx.app.drafts.katoSearch(q, regionRoot(w), w.ctx.lang);
  if (!found.length) {
    const text = region
      ? w.ctx.t("kato:not_found_region", { q: escapeHtml(q), region: escapeHtml(named(w, region)) })
      : t(w, "c.kato_not_found", { q: escapeHtml(q) });
    await w.ctx.reply(text, { parse_mode: "HTML" });
    return "done";
  }
  const kb = new InlineKeyboard();
  for (const k of found) {
    const above = katoPathText(k.parents, w.ctx.lang);
    const label = `${k.isLeaf ? "📍" : "📂"} ${katoName(k, w.ctx.lang)}${above ? ` (${above})` : ""}`;
    kb.text(short(label, 60), k.isLeaf ? wcb(w, "kl", k.code) : wcb(w, "kt", k.code)).row();
  }
  kb.text(t(w, "btn.back"), wcb(w, "kp", ROOT, 0));
  await w.ctx.reply(t(w, "c.kato_found", { q: escapeHtml(q), count: found.length }), {
    parse_mode: "HTML",
    reply_markup: kb,
  });
  return "done";
}

export const katoStep: StepDef = { render: katoView, input: search };

/** Tell the supplier (a message with the reason) and stay at the step. */
async function refuse(w: Wizard, text: string): Promise<Outcome> {
  await answer(w.ctx);
  await w.ctx.reply(text, { parse_mode: "HTML" });
  return "done";
}

/** An object outside the application's region (a forged or old button) is refused with the region named. */
async function outsideRegion(w: Wizard, code: string): Promise<Outcome | null> {
  const root = regionRoot(w);
  if (root === null || katoRegionErrors(code, root).length === 0) return null;
  const region = w.c.regions.find((r) => r.code === draftOf(w).regionCode);
  const k = await w.ctx.app.drafts.katoObject(code);
  return refuse(
    w,
    w.ctx.t("kato:outside_region", {
      name: escapeHtml(k ? katoName(k, w.ctx.lang) : code),
      region: escapeHtml(region ? named(w, region) : ""),
    }),
  );
}

const open = (code: string | undefined, page = 0): Partial<RenderOpts> => ({
  kato: isCode(code) ? code : null,
  page,
});

export const katoActions: Record<string, ActionDef> = {
  kt: {
    steps: ["C_KATO"],
    async run(w, [code]) {
      if (isCode(code)) {
        const refused = await outsideRegion(w, code);
        if (refused) return refused;
      }
      return open(code);
    },
  },
  kp: { steps: ["C_KATO"], run: async (_w, [code, p]) => open(code, Number(p) || 0) },
  ku: { steps: ["C_KATO"], run: async (_w, [code]) => open(code) },
  ks: {
    steps: ["C_KATO"],
    run: async (w) => ((await commit(w, { progress: { step: "C_SES" } })) ? "render" : "done"),
  },
  kl: {
    steps: ["C_KATO"],
    async run(w, [code]) {
      const b = currentBase(w);
      if (!b || !isCode(code)) return "render";
      const refused = await outsideRegion(w, code);
      if (refused) return refused;
      // only the edition in force is offered; a forged pick of another is refused at «Сохранить» (kato_inactive)
      const ok = await commit(w, {
        patch: { bases: withBase(w, b.position, { katoCode: code }) },
        progress: { step: "C_SES" },
        kato: { code, nameKk: null, nameRu: code },
      });
      return ok ? "render" : "done";
    },
  },
};

// A8 «Регион, населению которого будут оказываться услуги»: one region per application; a region
// with another open application of the organisation is refused, naming that application (DECISIONS 8).
import { InlineKeyboard } from "grammy";
import { cb } from "../bot/callbacks.ts";
import { escapeHtml } from "../bot/i18n.ts";
import { commit, formatDate, named, t, type W, wcb } from "./wizard/core.ts";
import { type ActionDef, afterRegion, type StepDef } from "./wizard/flow.ts";
import type { Step } from "./wizard/progress.ts";
import { findOpenInRegion, type OpenApplication } from "../prisma/store/applications.ts";

export const steps: Partial<Record<Step, StepDef>> = {
  REGION: {
    async render(w) {
      const regions = await w.ctx.deps.prisma.region.findMany({
        orderBy: [{ sort: "asc" }, { code: "asc" }],
      });
      const kb = new InlineKeyboard();
      regions.forEach((r, i) => {
        kb.text((w.app.regionCode === r.code ? "✅ " : "") + named(w.ctx.lang, r), wcb(w, "reg", r.code));
        if (i % 2 === 1) kb.row();
      });
      return { text: `${t(w, "region.ask")}\n\n${t(w, "region.m6")}`, kb: kb.inline_keyboard };
    },
  },
};

export const actions: Record<string, ActionDef> = {
  reg: {
    steps: ["REGION"],
    async run(w, [code]) {
      const region = code ? await w.ctx.deps.prisma.region.findUnique({ where: { code } }) : null;
      if (!region) return "render";
      const open = await findOpenInRegion(w.ctx.deps.prisma, w.app.orgId, region.code, w.app.id);
      if (open) {
        await refuse(w, region, open);
        return "done";
      }
      const ok = await commit(w, {
        field: "regionCode",
        patch: { regionCode: region.code },
        progress: { step: afterRegion(w) },
        onOpenInRegion: (o) => refuse(w, region, o),
      });
      if (!ok) return "done";
      return "render";
    },
  },
};

/** DECISIONS 8: name the open application of the organisation in that region. */
async function refuse(w: W, region: { nameKk: string; nameRu: string }, open: OpenApplication) {
  const text = t(w, "region.taken", {
    region: escapeHtml(named(w.ctx.lang, region)),
    date: formatDate(open.createdAt),
    status: w.ctx.t(`drafts:status.${open.status}`),
    no: open.versionNo,
  });
  if (w.ctx.callbackQuery) await w.ctx.answerCallbackQuery();
  await w.ctx.reply(text, {
    parse_mode: "HTML",
    reply_markup: new InlineKeyboard().text(w.ctx.t("drafts:btn.open"), cb("ap.view", [open.id])),
  });
}

// A8 «Регион, населению которого будут оказываться услуги»: one region per application. A region where the
// organisation already has a saved open application is refused, naming it (DECISIONS 8; unsaved drafts block
// nothing: DECISIONS 28); a region where it has an included one is refused with «Внести изменение» on that one
// (issue 14, domain checkIncludedInRegion). Both facts come with the draft's read: this step is one read + one write.
import { InlineKeyboard } from "grammy";
import { cb } from "../bot/kit/callbacks.ts";
import { escapeHtml } from "../bot/kit/html.ts";
import { answer } from "../bot/kit/ui.ts";
import { statusLabel } from "../bot/views/labels.ts";
import { checkIncludedInRegion } from "../domain/draftRules.ts";
import { AP } from "./drafts.ts";
import { commit, draftOf, formatDate, named, t, type Wizard, wcb } from "./wizard/core.ts";
import { type ActionDef, afterRegion, type StepDef } from "./wizard/flow.ts";
import type { Step } from "./wizard/progress.ts";

export const steps: Partial<Record<Step, StepDef>> = {
  REGION: {
    render(w) {
      const kb = new InlineKeyboard();
      w.c.regions.forEach((r, i) => {
        kb.text((draftOf(w).regionCode === r.code ? "✅ " : "") + named(w, r), wcb(w, "reg", r.code));
        if (i % 2 === 1) kb.row();
      });
      return { text: `${t(w, "region.ask")}\n\n${t(w, "region.m6")}`, kb: kb.inline_keyboard };
    },
  },
};

type RegionApp = Wizard["view"]["draft"]["saveFacts"]["open"][number];

/** The message naming the application that takes the region, with the buttons to open it (or change it). */
async function refuse(
  w: Wizard,
  key: "region.taken" | "region.included",
  region: { nameKk: string; nameRu: string },
  other: RegionApp,
) {
  const text = t(w, key, {
    region: escapeHtml(named(w, region)),
    date: formatDate(other.createdAt),
    status: statusLabel(w.ctx.t, other.status),
    no: other.versionNo,
  });
  const kb = new InlineKeyboard();
  if (key === "region.included")
    kb.text(w.ctx.t("drafts:btn.changes"), cb(AP.changes, [other.id], other.version)).row();
  kb.text(w.ctx.t("drafts:btn.open"), cb(AP.view, [other.id]));
  await answer(w.ctx);
  await w.ctx.reply(text, { parse_mode: "HTML", reply_markup: kb });
}

export const actions: Record<string, ActionDef> = {
  reg: {
    steps: ["REGION"],
    async run(w, [code]) {
      const d = draftOf(w);
      const region = w.c.regions.find((r) => r.code === code);
      if (!region) return "render";
      const sf = d.saveFacts;
      const included = checkIncludedInRegion({ regionCode: region.code, chainId: d.chainId }, sf.included)[0];
      const inc = included && sf.included.find((x) => x.id === included.params?.applicationId);
      if (inc) {
        await refuse(w, "region.included", region, inc);
        return "done";
      }
      const open = sf.open.find((x) => x.regionCode === region.code && x.id !== d.id);
      if (open) {
        await refuse(w, "region.taken", region, open);
        return "done";
      }
      return (await commit(w, { patch: { regionCode: region.code }, progress: afterRegion(w) }))
        ? "render"
        : "done";
    },
  },
};

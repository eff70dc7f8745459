// The summary: every section with its completeness, a jump back to any section, and «Сохранить»
// (validateForSave; every error in the user's language with the section to fix).
import type { InlineKeyboardButton } from "grammy/types";
import { escapeHtml } from "../bot/i18n.ts";
import { draftActions } from "./drafts.ts";
import { katoName, katoPathText } from "../domain/kato.ts";
import { baseRegion, confirmationKey } from "../domain/plausibility.ts";
import { katoByCodes } from "../prisma/store/kato.ts";
import {
  basesInput,
  btn,
  commit,
  named,
  ownershipLocked,
  subtypeName,
  t,
  type W,
  wcb,
} from "./wizard/core.ts";
import { type ActionDef, firstOfA, type StepDef } from "./wizard/flow.ts";
import { STEPS, type Step } from "./wizard/progress.ts";
import { errorLines, lockedFields, sectionOf, validateDraft } from "./wizard/validate.ts";
import { licencesText } from "./documents.ts";
import { ensureFreshLicences } from "./wizard/licences.ts";

const SECTIONS = ["A", "R", "C", "D"] as const;
/** Errors that a fresh licence request can fix (D1). */
const LICENCE_CODES = new Set(["licences_stale", "licences_required"]);
type Section = (typeof SECTIONS)[number];

async function summaryText(w: W, bad: ReadonlySet<Section>): Promise<string> {
  const a = w.app;
  const prisma = w.ctx.deps.prisma;
  const form = a.ownershipFormCode
    ? await prisma.ownershipForm.findUnique({ where: { code: a.ownershipFormCode } })
    : null;
  const mark = (s: Section) => (bad.has(s) ? "⚠️" : "✅");
  const roles = [a.asSupplier ? t(w, "role.supplier") : null, a.asCoExecutor ? t(w, "role.coexec") : null]
    .filter(Boolean)
    .join(", ");
  const list = (codes: string[]) =>
    codes.length ? codes.map((c) => escapeHtml(subtypeName(w, c))).join("; ") : "—";
  const d2 = a.documents.filter((d) => d.kind === "REGISTRATION").length;
  const d3 = a.documents.filter((d) => d.kind === "POWER_OF_ATTORNEY").length;
  const katos = await katoByCodes(
    prisma,
    a.bases.map((b) => b.katoCode ?? ""),
  );
  const katoLabel = (code: string | null) => {
    const k = code ? katos.get(code) : undefined;
    return k
      ? katoPathText(k.path.slice(1), w.ctx.lang === "kk" ? "kk" : "ru") ||
          katoName(k, w.ctx.lang === "kk" ? "kk" : "ru")
      : (code ?? "—");
  };
  const parts = [
    t(w, "sum.title", { no: a.versionNo }),
    `${mark("A")} <b>${t(w, "section.A")}</b>`,
    t(w, "sum.a", {
      nameKk: escapeHtml(a.org.nameKk),
      nameRu: escapeHtml(a.org.nameRu),
      bin: escapeHtml(a.org.bin),
      ownership: form ? escapeHtml(named(w.ctx.lang, form)) : "—",
      roles: roles || "—",
      supplier: a.asSupplier ? list(a.supplierSubtypes) : "—",
      coexec: a.asCoExecutor ? list(a.coExecutorSubtypes) : "—",
      pharmacy: a.hasPharmacy === null ? "—" : t(w, a.hasPharmacy ? "yes" : "no"),
    }),
    `${mark("R")} <b>${t(w, "section.R")}</b>: ${a.region ? escapeHtml(named(w.ctx.lang, a.region)) : "—"}`,
    `${mark("C")} <b>${t(w, "section.C")}</b>: ${t(w, "sum.bases", { count: a.bases.length })}`,
    ...a.bases.map((b) =>
      [
        t(w, "sum.base", { n: b.position, address: escapeHtml(b.address), subtypes: list(b.subtypes) }),
        w.ctx.t("kato:sum_base", { kato: escapeHtml(katoLabel(b.katoCode)) }),
      ].join("\n"),
    ),
    `${mark("D")} <b>${t(w, "section.D")}</b>`,
    `${t(w, "d.d1_title")}\n${licencesText(w)}`,
    t(w, "sum.d", { d2, d3 }),
  ];
  return parts.join("\n");
}

function jumpButtons(w: W, only?: ReadonlySet<Section>): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  const sections = SECTIONS.filter((s) => !only || only.has(s));
  for (let i = 0; i < sections.length; i += 2)
    rows.push(sections.slice(i, i + 2).map((s) => btn(t(w, `btn.jump_${s}`), wcb(w, "j", s))));
  return rows;
}

export const steps: Partial<Record<Step, StepDef>> = {
  SUM: {
    async render(w) {
      const report = await validateDraft(w.ctx.deps.prisma, w.app, w.ctx.deps.now());
      const bad = new Set(report.errors.map(sectionOf));
      let text = await summaryText(w, bad);
      if (text.length > 3500) text = `${text.slice(0, 3490)}…`;
      text = balanceCut(text);
      const kb = jumpButtons(w);
      if (report.errors.some((e) => LICENCE_CODES.has(e.code)))
        kb.push([btn(t(w, "btn.licences"), wcb(w, "lic"))]);
      kb.push([btn(t(w, "btn.save"), wcb(w, "sv"))]);
      kb.push([btn(t(w, "btn.later"), wcb(w, "lt"))]);
      return { text, kb };
    },
  },
};

/** After a cut, drop a dangling tag or entity so the HTML stays valid. */
function balanceCut(text: string): string {
  let s = text.replace(/<[^>]*$/, "").replace(/&[a-z#0-9]*$/i, "");
  const open = (s.match(/<b>/g) ?? []).length - (s.match(/<\/b>/g) ?? []).length;
  if (open > 0) s += "</b>";
  return s;
}

export const actions: Record<string, ActionDef> = {
  /** D1 older than 24 h: request the licences again and attach the fresh ones (DECISIONS 1). */
  lic: {
    steps: ["SUM"],
    async run(w) {
      if (w.ctx.callbackQuery) await w.ctx.answerCallbackQuery();
      const licences = await ensureFreshLicences(w.ctx, w.app.org, wcb(w, "lic"));
      if (!licences) return "done";
      const ok = await commit(w, { field: "licences", patch: { licenceIds: licences.map((l) => l.id) } });
      if (!ok) return "done";
      const { renderCurrent } = await import("./wizard/engine.ts");
      await renderCurrent(w, { fresh: true });
      return "done";
    },
  },
  j: {
    steps: STEPS,
    async run(w, [s]) {
      const target: Record<string, Step> = {
        A: firstOfA(ownershipLocked(w)),
        R: "REGION",
        C: "C_LIST",
        D: "D2",
      };
      const step = target[s ?? ""];
      if (!step) return "render";
      const ok = await commit(w, { field: "progress", progress: { step, sum: true } });
      return ok ? "render" : "done";
    },
  },
  lt: {
    steps: STEPS,
    async run(w) {
      if (w.ctx.session.awaiting?.kind === "wizard") w.ctx.session.awaiting = undefined;
      if (w.ctx.callbackQuery) await w.ctx.answerCallbackQuery();
      await w.ctx.reply(t(w, "later"), { parse_mode: "HTML" });
      return "done";
    },
  },
  sv: {
    steps: ["SUM"],
    async run(w) {
      const report = await validateDraft(w.ctx.deps.prisma, w.app, w.ctx.deps.now());
      if (!report.ok) {
        const lines = await errorLines(w.ctx, report.errors);
        const bad = new Set(report.errors.map(sectionOf));
        let text = `${t(w, "save.errors", { count: lines.length })}\n\n${lines.join("\n")}`;
        if (text.length > 4000) text = balanceCut(`${text.slice(0, 3990)}…`);
        if (w.ctx.callbackQuery) await w.ctx.answerCallbackQuery();
        const kb = jumpButtons(w, bad);
        await w.ctx.reply(text, { parse_mode: "HTML", reply_markup: { inline_keyboard: kb } });
        return "done";
      }
      if (report.warnings.length) {
        // plausibility warnings nobody confirmed yet (e.g. the region changed after the coordinates):
        // shown, and saved only when the supplier confirms them
        const lines = await errorLines(w.ctx, report.warnings);
        if (w.ctx.callbackQuery) await w.ctx.answerCallbackQuery();
        await w.ctx.reply(`${w.ctx.t("kato:save_confirm")}\n\n${lines.join("\n")}`, {
          parse_mode: "HTML",
          reply_markup: {
            inline_keyboard: [
              [btn(w.ctx.t("kato:btn.confirm_save"), wcb(w, "svc"))],
              ...jumpButtons(w, new Set<Section>(["C"])),
            ],
          },
        });
        return "done";
      }
      return save(w);
    },
  },
  /** «Подтвердить и сохранить»: the warned bases' coordinates are confirmed as they are, then saved. */
  svc: {
    steps: ["SUM"],
    async run(w) {
      const report = await validateDraft(w.ctx.deps.prisma, w.app, w.ctx.deps.now());
      if (!report.ok) return actions.sv!.run(w, []);
      const regionKato = w.app.region?.katoCode ?? null;
      const warned = new Set(report.warnings.map((e) => Number(e.params?.row)));
      const bases = basesInput(w).map((b, i) =>
        warned.has(i + 1) && b.latitude != null && b.longitude != null
          ? {
              ...b,
              coordsConfirmed: confirmationKey(
                b.latitude,
                b.longitude,
                baseRegion({ katoCode: b.katoCode ?? null }, regionKato),
              ),
            }
          : b,
      );
      const ok = await commit(w, { field: "bases.coordinates", patch: { bases } });
      return ok ? save(w) : "done";
    },
  },
};

/** «Сохранить» after validation passed: record it, and tell the supplier what they can do next. */
async function save(w: W): Promise<"done"> {
  const ok = await commit(w, {
    field: "save",
    progress: { step: "SUM", saved: true, sum: true, locked: lockedFields(w.app) },
  });
  if (!ok) return "done";
  if (w.ctx.session.awaiting?.kind === "wizard") w.ctx.session.awaiting = undefined;
  if (w.ctx.callbackQuery) await w.ctx.answerCallbackQuery();
  await w.ctx.reply(t(w, "save.ok"), {
    parse_mode: "HTML",
    reply_markup: { inline_keyboard: draftActions(w.ctx, w.app) },
  });
  return "done";
}

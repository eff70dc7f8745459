// The summary: every section with its completeness, a jump back to any section, «Сохранить» (validateForSave in
// app/drafts.ts; every error in the person's language with its section; the table's SAVE) and «Получить
// лицензии» when D1 is older than 24 h (DECISIONS 1).
import type { InlineKeyboardButton } from "grammy/types";
import { escapeHtml } from "../bot/kit/html.ts";
import { katoPathText } from "../domain/kato.ts";
import { answer } from "../bot/kit/ui.ts";
import { statusLabel } from "../bot/views/labels.ts";
import { licencesText } from "./documents.ts";
import { draftActions } from "./drafts.ts";
import { licencesRefreshed } from "./licences.ts";
import {
  btn,
  commit,
  draftOf,
  formatDate,
  katoNameOf,
  named,
  refused,
  subtypeName,
  t,
  type Wizard,
  wcb,
} from "./wizard/core.ts";
import { type ActionDef, firstOfA, type StepDef } from "./wizard/flow.ts";
import { STEPS, type Step } from "./wizard/progress.ts";
import { errorLines, type Section, sectionOf } from "./wizard/validate.ts";

const SECTIONS = ["A", "R", "C", "D"] as const;
/** Errors that a fresh licence request can fix (D1). */
const LICENCE_CODES = new Set(["licences_stale", "licences_required"]);

function summaryText(w: Wizard, bad: ReadonlySet<Section>): string {
  const a = draftOf(w);
  const mark = (s: Section) => (bad.has(s) ? "⚠️" : "✅");
  const roles = [a.asSupplier ? t(w, "role.supplier") : null, a.asCoExecutor ? t(w, "role.coexec") : null]
    .filter(Boolean)
    .join(", ");
  const list = (codes: readonly string[]) =>
    codes.length ? codes.map((c) => escapeHtml(subtypeName(w, c))).join("; ") : "—";
  const count = (kind: string) => a.documents.filter((d) => d.kind === kind).length;
  const pending = new Set(w.p.prefill?.pending ?? []);
  const wait = (item: string) => (pending.has(item) ? ` ${t(w, "pf.pending_mark")}` : "");
  return [
    t(w, "sum.title", { no: a.versionNo }),
    `${mark("A")} <b>${t(w, "section.A")}</b>${wait("A")}`,
    t(w, "sum.a", {
      nameKk: escapeHtml(a.org.nameKk),
      nameRu: escapeHtml(a.org.nameRu),
      bin: escapeHtml(a.org.bin),
      ownership: escapeHtml(w.names.ownershipForm(a.ownershipFormCode) ?? "—"),
      roles: roles || "—",
      supplier: a.asSupplier ? list(a.supplierSubtypes) : "—",
      coexec: a.asCoExecutor ? list(a.coExecutorSubtypes) : "—",
      pharmacy: a.hasPharmacy === null ? "—" : t(w, a.hasPharmacy ? "yes" : "no"),
    }),
    `${mark("R")} <b>${t(w, "section.R")}</b>: ${a.region ? escapeHtml(named(w, a.region)) : "—"}`,
    `${mark("C")} <b>${t(w, "section.C")}</b>: ${t(w, "sum.bases", { count: a.bases.length })}`,
    ...a.bases.map((b) =>
      [
        t(w, "sum.base", { n: b.position, address: escapeHtml(b.address), subtypes: list(b.subtypes) }) +
          wait(`C:${b.position}`),
        w.ctx.t("kato:sum_base", { kato: escapeHtml(katoLine(w, b)) }),
      ].join("\n"),
    ),
    `${mark("D")} <b>${t(w, "section.D")}</b>${wait("D")}`,
    `${t(w, "d.d1_title")}\n${licencesText(w)}`,
    t(w, "sum.d", { d2: count("REGISTRATION"), d3: count("POWER_OF_ATTORNEY") }),
  ].join("\n");
}

/**
 * The application as a person who may not (or not now) edit it reads it (the drafts feature's «Просмотр»): who
 * made it, its status, whether it was saved, the head's reason when returned, a stale form, then every section.
 */
export function readOnlyText(w: Wizard): string {
  const a = draftOf(w);
  const snap = w.view.facts.snapshot;
  const lines = [
    w.ctx.t("drafts:view", {
      org: escapeHtml(named(w, a.org)),
      bin: escapeHtml(a.org.bin),
      region: a.region ? escapeHtml(named(w, a.region)) : "—",
      status: statusLabel(w.ctx.t, snap.status),
      no: a.versionNo,
      created: formatDate(a.createdAt),
      saved: snap.saved ? w.ctx.t("drafts:saved_yes") : w.ctx.t("drafts:saved_no"),
    }),
  ];
  if (a.headRejectReason)
    lines.push(w.ctx.t("content:head_reason", { reason: escapeHtml(a.headRejectReason) }));
  if (snap.formState === "stale" && w.view.actions.includes("GENERATE_FORM"))
    lines.push(w.ctx.t("drafts:form_stale_note"));
  return `${lines.join("\n")}\n\n${summaryText(w, new Set())}`;
}

/** A base's KATO as the summary shows it: the path below the region (the region is the application's). */
function katoLine(w: Wizard, b: ReturnType<typeof draftOf>["bases"][number]): string {
  if (!b.katoCode) return "—";
  const path = b.katoPath ?? [];
  return katoPathText(path.slice(1), w.ctx.lang) || katoNameOf(w, b) || b.katoCode;
}

function jumpButtons(w: Wizard, only?: ReadonlySet<Section>): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  const sections = SECTIONS.filter((s) => !only || only.has(s));
  for (let i = 0; i < sections.length; i += 2)
    rows.push(sections.slice(i, i + 2).map((s) => btn(t(w, `btn.jump_${s}`), wcb(w, "j", s))));
  return rows;
}

export const steps: Partial<Record<Step, StepDef>> = {
  SUM: {
    async render(w) {
      const report = await w.ctx.app.drafts.validate(w.view);
      const kb = jumpButtons(w);
      if (report.errors.some((e) => LICENCE_CODES.has(e.code)))
        kb.push([btn(t(w, "btn.licences"), wcb(w, "lic"))]);
      kb.push([btn(t(w, "btn.save"), wcb(w, "sv"))]);
      kb.push([btn(t(w, "btn.later"), wcb(w, "lt"))]);
      return { text: summaryText(w, new Set(report.errors.map(sectionOf))), kb };
    },
  },
};

/** Where a jump to a section leads (its confirmation first when it was carried over and not yet confirmed). */
function jumpTarget(w: Wizard, s: string): Step | null {
  const pending = w.p.prefill?.pending ?? [];
  if (s === "A") return pending.includes("A") ? "PF_A" : firstOfA(w);
  if (s === "R") return "REGION";
  if (s === "C") return "C_LIST";
  if (s === "D") return pending.includes("D") ? "PF_D" : "D2";
  return null;
}

const leaveWizard = (w: Wizard) => {
  if (w.ctx.session.awaiting === "wizard") w.ctx.session.awaiting = undefined;
};

export const actions: Record<string, ActionDef> = {
  /** D1 older than 24 h: request the licences again and attach the fresh ones (DECISIONS 1). */
  lic: {
    steps: ["SUM"],
    async run(w) {
      await answer(w.ctx);
      const note = await licencesRefreshed(w);
      return note === null ? "done" : { note };
    },
  },
  j: {
    steps: STEPS,
    async run(w, [s]) {
      const step = jumpTarget(w, s ?? "");
      if (!step) return "render";
      return (await commit(w, { progress: { step, sum: true } })) ? "render" : "done";
    },
  },
  lt: {
    steps: STEPS,
    async run(w) {
      leaveWizard(w);
      await answer(w.ctx);
      await w.ctx.reply(t(w, "later"), { parse_mode: "HTML" });
      return "done";
    },
  },
  sv: { steps: ["SUM"], run: (w) => save(w, false) },
  /** «Подтвердить и сохранить»: the warned bases' coordinates are confirmed as they are, then saved. */
  svc: { steps: ["SUM"], run: (w) => save(w, true) },
};

/** «Сохранить»: every error at once; unconfirmed coordinate warnings are asked about first; then the table's SAVE. */
async function save(w: Wizard, confirmWarnings: boolean): Promise<"done"> {
  const r = await w.ctx.app.drafts.save(w.view, { confirmWarnings });
  await answer(w.ctx);
  if (r.ok) {
    w.view = r.view;
    leaveWizard(w);
    await w.ctx.reply(t(w, "save.ok"), {
      parse_mode: "HTML",
      reply_markup: { inline_keyboard: draftActions(w.ctx.t, r.view.draft, r.view.actions) },
    });
    return "done";
  }
  if (r.kind === "invalid") {
    const lines = errorLines(w.ctx, r.report.errors, w.names, w.c.regions);
    await w.ctx.reply(`${t(w, "save.errors", { count: lines.length })}\n\n${lines.join("\n")}`, {
      parse_mode: "HTML",
      reply_markup: { inline_keyboard: jumpButtons(w, new Set(r.report.errors.map(sectionOf))) },
    });
    return "done";
  }
  if (r.kind === "warnings") {
    // plausibility warnings nobody confirmed yet (e.g. the region changed after the coordinates): shown, and saved
    // only when the supplier confirms them
    const lines = errorLines(w.ctx, r.report.warnings, w.names, w.c.regions);
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
  if (r.kind === "open_in_region" && r.open) {
    const region = w.c.regions.find((x) => x.code === draftOf(w).regionCode);
    await w.ctx.reply(
      t(w, "region.taken", {
        region: escapeHtml(region ? named(w, region) : "—"),
        date: formatDate(r.open.createdAt),
        status: statusLabel(w.ctx.t, r.open.status),
        no: r.open.versionNo,
      }),
      { parse_mode: "HTML" },
    );
    return "done";
  }
  await refused(w.ctx, r);
  return "done";
}

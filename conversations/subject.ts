// Section A «Субъект здравоохранения»: A1–A3 read-only, A4 ownership form, A5 status, A6/A7 care subtypes (only
// those the licence appendices allow), A9 pharmacy. Choosing subtypes also decides D1 (app/drafts: the licences
// whose codes match a selected subtype are the application's).
import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../bot/kit/html.ts";
import type { BaseInput } from "../domain/drafts.ts";
import {
  alert,
  availableFor,
  basesInput,
  commit,
  draftOf,
  multiSelect,
  named,
  ownershipLocked,
  pharmacyApplies,
  t,
  type View,
  type Wizard,
  type WizardDraft,
  wcb,
} from "./wizard/core.ts";
import { type ActionDef, nextInA, type Outcome, type StepDef } from "./wizard/flow.ts";
import type { Step } from "./wizard/progress.ts";

/** A1–A3, always read-only. */
export function subjectHeader(w: Wizard): string {
  const o = draftOf(w).org;
  return t(w, "a.header", {
    nameKk: escapeHtml(o.nameKk),
    nameRu: escapeHtml(o.nameRu),
    bin: escapeHtml(o.bin),
  });
}

const ROLE_KEYS = ["role.supplier", "role.coexec", "role.both"] as const;

function subtypesView(w: Wizard, role: "s" | "c", page: number): View {
  const d = draftOf(w);
  const items = availableFor(w, role === "s" ? "SUPPLIER" : "CO_EXECUTOR");
  const selected = new Set(role === "s" ? d.supplierSubtypes : d.coExecutorSubtypes);
  const header = t(w, role === "s" ? "a.subtypes_supplier" : "a.subtypes_coexec");
  const view = multiSelect(w, { scope: role, header, items, selected, page });
  if (!items.length) view.text += `\n\n${t(w, "a.no_subtypes")}`;
  return view;
}

export const steps: Partial<Record<Step, StepDef>> = {
  A_OWN: {
    render(w) {
      const kb = new InlineKeyboard();
      w.c.ownershipForms.forEach((f, i) => {
        kb.text((draftOf(w).ownershipFormCode === f.code ? "✅ " : "") + named(w, f), wcb(w, "own", i)).row();
      });
      return { text: `${subjectHeader(w)}\n\n${t(w, "a.ownership")}`, kb: kb.inline_keyboard };
    },
  },
  A_ROLE: {
    render(w) {
      const d = draftOf(w);
      const kb = new InlineKeyboard();
      const current = d.asSupplier && d.asCoExecutor ? 2 : d.asCoExecutor ? 1 : d.asSupplier ? 0 : -1;
      ROLE_KEYS.forEach((k, i) => {
        kb.text((current === i ? "✅ " : "") + t(w, k), wcb(w, "role", i)).row();
      });
      const own = ownershipLocked(w)
        ? `\n${t(w, "a.ownership_locked", { value: escapeHtml(w.names.ownershipForm(d.ownershipFormCode) ?? "—") })}`
        : "";
      return { text: `${subjectHeader(w)}${own}\n\n${t(w, "a.role")}`, kb: kb.inline_keyboard };
    },
  },
  A_SUP: { render: (w, o) => subtypesView(w, "s", o.page) },
  A_CO: { render: (w, o) => subtypesView(w, "c", o.page) },
  A_PHARM: {
    render(w) {
      const d = draftOf(w);
      const kb = new InlineKeyboard()
        .text((d.hasPharmacy === true ? "✅ " : "") + t(w, "yes"), wcb(w, "ph", 1))
        .text((d.hasPharmacy === false ? "✅ " : "") + t(w, "no"), wcb(w, "ph", 0));
      return { text: t(w, "a.pharmacy"), kb: kb.inline_keyboard };
    },
  },
};

/** Subtypes no longer chosen in Section A leave the bases too (only when something changes). */
function keepBaseSubtypes(w: Wizard, keep: ReadonlySet<string>): { bases?: BaseInput[] } {
  if (draftOf(w).bases.every((b) => b.subtypes.every((c) => keep.has(c)))) return {};
  return {
    bases: basesInput(w).map((b) => ({ ...b, subtypes: (b.subtypes ?? []).filter((c) => keep.has(c)) })),
  };
}

/** Toggle a subtype of A6 / A7 (scopes "s" and "c"). */
export async function toggleRoleSubtype(w: Wizard, role: "s" | "c", idx: number): Promise<boolean> {
  const d = draftOf(w);
  const item = availableFor(w, role === "s" ? "SUPPLIER" : "CO_EXECUTOR")[idx];
  if (!item) return false;
  const list = role === "s" ? d.supplierSubtypes : d.coExecutorSubtypes;
  const next = list.includes(item.code) ? list.filter((c) => c !== item.code) : [...list, item.code];
  const stillChosen = new Set([
    ...(role === "s" ? next : d.asSupplier ? d.supplierSubtypes : []),
    ...(role === "c" ? next : d.asCoExecutor ? d.coExecutorSubtypes : []),
  ]);
  // A9 goes with the last PHC subtype
  const after: Pick<WizardDraft, "asSupplier" | "supplierSubtypes"> = {
    asSupplier: d.asSupplier,
    supplierSubtypes: role === "s" ? next : d.supplierSubtypes,
  };
  const pharmacyReset =
    role === "s" && !pharmacyApplies(w, after) && d.hasPharmacy !== null ? { hasPharmacy: null } : {};
  return commit(w, {
    patch: {
      ...(role === "s" ? { supplierSubtypes: next } : { coExecutorSubtypes: next }),
      ...pharmacyReset,
      ...keepBaseSubtypes(w, stillChosen),
    },
  });
}

export const actions: Record<string, ActionDef> = {
  own: {
    steps: ["A_OWN"],
    async run(w, [i]) {
      if (ownershipLocked(w)) {
        await alert(w.ctx, t(w, "a.ownership_locked_alert"));
        return "done";
      }
      const f = w.c.ownershipForms[Number(i)];
      if (!f) return "render";
      return (await commit(w, { patch: { ownershipFormCode: f.code }, progress: { step: "A_ROLE" } }))
        ? "render"
        : "done";
    },
  },
  role: {
    steps: ["A_ROLE"],
    async run(w, [i]) {
      const n = Number(i);
      if (![0, 1, 2].includes(n)) return "render";
      const d = draftOf(w);
      const asSupplier = n === 0 || n === 2;
      const asCoExecutor = n === 1 || n === 2;
      const keep = new Set([
        ...(asSupplier ? d.supplierSubtypes : []),
        ...(asCoExecutor ? d.coExecutorSubtypes : []),
      ]);
      const ok = await commit(w, {
        patch: {
          asSupplier,
          asCoExecutor,
          ...(asSupplier ? {} : { supplierSubtypes: [], hasPharmacy: null }),
          ...(asCoExecutor ? {} : { coExecutorSubtypes: [] }),
          ...keepBaseSubtypes(w, keep),
        },
        progress: { step: asSupplier ? "A_SUP" : "A_CO" },
      });
      return ok ? "render" : "done";
    },
  },
  ph: {
    steps: ["A_PHARM"],
    async run(w, [v]) {
      return (await commit(w, { patch: { hasPharmacy: v === "1" }, progress: nextInA(w, "A_PHARM") }))
        ? "render"
        : "done";
    },
  },
};

/** «Готово» on A6/A7: at least one subtype for a chosen status, then the next step of Section A. */
export async function roleSubtypesDone(w: Wizard, role: "s" | "c"): Promise<Outcome> {
  const d = draftOf(w);
  if (!(role === "s" ? d.supplierSubtypes : d.coExecutorSubtypes).length) {
    await alert(w.ctx, t(w, "a.choose_one"));
    return "done";
  }
  return (await commit(w, { progress: nextInA(w, role === "s" ? "A_SUP" : "A_CO") })) ? "render" : "done";
}

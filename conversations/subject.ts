// Section A «Субъект здравоохранения»: A1–A3 read-only, A4 ownership form, A5 status,
// A6/A7 care subtypes (only those the licence appendices allow), A9 pharmacy.
import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../bot/i18n.ts";
import type { BaseInput } from "../prisma/store/applications.ts";
import {
  alert,
  basesInput,
  chosenSubtypes,
  commit,
  type MultiItem,
  multiSelect,
  named,
  ownershipLocked,
  subtypeName,
  t,
  type View,
  type W,
  wcb,
} from "./wizard/core.ts";
import { type ActionDef, nextInA, type StepDef } from "./wizard/flow.ts";

/** A1–A3, always read-only. */
export function subjectHeader(w: W): string {
  const o = w.app.org;
  return t(w, "a.header", {
    nameKk: escapeHtml(o.nameKk),
    nameRu: escapeHtml(o.nameRu),
    bin: escapeHtml(o.bin),
  });
}

/** Subtypes the licence appendices allow for a status (SPEC A6/A7). */
export function availableFor(w: W, role: "s" | "c"): MultiItem[] {
  const allowed = new Set<string>();
  for (const al of w.app.licences)
    for (const ap of al.licence.appendices) for (const c of ap.careSubtypes) allowed.add(c);
  return w.subtypes
    .filter((s) => allowed.has(s.code) && (role === "s" ? s.asSupplier : s.asCoExecutor))
    .map((s) => ({ code: s.code, name: subtypeName(w, s.code) }));
}

async function ownershipForms(w: W) {
  return w.ctx.deps.prisma.ownershipForm.findMany({ orderBy: [{ sort: "asc" }, { code: "asc" }] });
}

const ROLE_KEYS = ["role.supplier", "role.coexec", "role.both"] as const;

export const steps: Partial<Record<import("./wizard/progress.ts").Step, StepDef>> = {
  A_OWN: {
    async render(w) {
      const forms = await ownershipForms(w);
      const kb = new InlineKeyboard();
      forms.forEach((f, i) => {
        const mark = w.app.ownershipFormCode === f.code ? "✅ " : "";
        kb.text(mark + named(w.ctx.lang, f), wcb(w, "own", i)).row();
      });
      return { text: `${subjectHeader(w)}\n\n${t(w, "a.ownership")}`, kb: kb.inline_keyboard };
    },
  },
  A_ROLE: {
    async render(w) {
      const kb = new InlineKeyboard();
      const current =
        w.app.asSupplier && w.app.asCoExecutor ? 2 : w.app.asCoExecutor ? 1 : w.app.asSupplier ? 0 : -1;
      ROLE_KEYS.forEach((k, i) => {
        kb.text((current === i ? "✅ " : "") + t(w, k), wcb(w, "role", i)).row();
      });
      let own = "";
      if (ownershipLocked(w)) {
        const f = w.app.ownershipFormCode
          ? await w.ctx.deps.prisma.ownershipForm.findUnique({ where: { code: w.app.ownershipFormCode } })
          : null;
        own = `\n${t(w, "a.ownership_locked", { value: f ? escapeHtml(named(w.ctx.lang, f)) : "—" })}`;
      }
      return { text: `${subjectHeader(w)}${own}\n\n${t(w, "a.role")}`, kb: kb.inline_keyboard };
    },
  },
  A_SUP: { render: (w, page = 0) => subtypesView(w, "s", page) },
  A_CO: { render: (w, page = 0) => subtypesView(w, "c", page) },
  A_PHARM: {
    render(w) {
      const kb = new InlineKeyboard()
        .text((w.app.hasPharmacy === true ? "✅ " : "") + t(w, "yes"), wcb(w, "ph", 1))
        .text((w.app.hasPharmacy === false ? "✅ " : "") + t(w, "no"), wcb(w, "ph", 0));
      return { text: t(w, "a.pharmacy"), kb: kb.inline_keyboard };
    },
  },
};

function subtypesView(w: W, role: "s" | "c", page: number): View {
  const items = availableFor(w, role);
  const selected = new Set(role === "s" ? w.app.supplierSubtypes : w.app.coExecutorSubtypes);
  const header = t(w, role === "s" ? "a.subtypes_supplier" : "a.subtypes_coexec");
  const view = multiSelect(w, { scope: role, header, items, selected, page });
  if (!items.length) view.text += `\n\n${t(w, "a.no_subtypes")}`;
  return view;
}

/** Subtypes no longer chosen in Section A leave the bases too (only when something changes). */
function keepBaseSubtypes(w: W, keep: ReadonlySet<string>): { bases?: BaseInput[] } {
  if (w.app.bases.every((b) => b.subtypes.every((c) => keep.has(c)))) return {};
  return {
    bases: basesInput(w).map((b) => ({ ...b, subtypes: (b.subtypes ?? []).filter((c) => keep.has(c)) })),
  };
}

/** Toggle / page / done for A6 and A7 (scopes "s" and "c"). */
export async function toggleRoleSubtype(w: W, role: "s" | "c", idx: number) {
  const items = availableFor(w, role);
  const item = items[idx];
  if (!item) return false;
  const list = role === "s" ? w.app.supplierSubtypes : w.app.coExecutorSubtypes;
  const next = list.includes(item.code) ? list.filter((c) => c !== item.code) : [...list, item.code];
  const data = role === "s" ? { supplierSubtypes: next } : { coExecutorSubtypes: next };
  // a subtype no longer chosen in Section A leaves the bases too; A9 goes with the last PHC subtype
  const stillChosen = new Set([
    ...(role === "s" ? next : w.app.asSupplier ? w.app.supplierSubtypes : []),
    ...(role === "c" ? next : w.app.asCoExecutor ? w.app.coExecutorSubtypes : []),
  ]);
  const phc = new Set(w.subtypes.filter((s) => s.isPhc).map((s) => s.code));
  const pharmacyReset =
    role === "s" && !next.some((c) => phc.has(c)) && w.app.hasPharmacy !== null ? { hasPharmacy: null } : {};
  return commit(w, {
    field: role === "s" ? "supplierSubtypes" : "coExecutorSubtypes",
    patch: { ...data, ...pharmacyReset, ...keepBaseSubtypes(w, stillChosen) },
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
      const forms = await ownershipForms(w);
      const f = forms[Number(i)];
      if (!f) return "render";
      const ok = await commit(w, {
        field: "ownershipFormCode",
        patch: { ownershipFormCode: f.code },
        progress: { step: "A_ROLE" },
      });
      return ok ? "render" : "done";
    },
  },
  role: {
    steps: ["A_ROLE"],
    async run(w, [i]) {
      const n = Number(i);
      if (![0, 1, 2].includes(n)) return "render";
      const asSupplier = n === 0 || n === 2;
      const asCoExecutor = n === 1 || n === 2;
      const keep = new Set([
        ...(asSupplier ? w.app.supplierSubtypes : []),
        ...(asCoExecutor ? w.app.coExecutorSubtypes : []),
      ]);
      const ok = await commit(w, {
        field: "subjectStatus",
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
      const ok = await commit(w, {
        field: "hasPharmacy",
        patch: { hasPharmacy: v === "1" },
        progress: { step: nextInA(w, "A_PHARM") },
      });
      return ok ? "render" : "done";
    },
  },
};

/** «Готово» on A6/A7: at least one subtype for a chosen status, then the next step of Section A. */
export async function roleSubtypesDone(w: W, role: "s" | "c") {
  const list = role === "s" ? w.app.supplierSubtypes : w.app.coExecutorSubtypes;
  if (!list.length) {
    await alert(w.ctx, t(w, "a.choose_one"));
    return "done" as const;
  }
  const step = nextInA(w, role === "s" ? "A_SUP" : "A_CO");
  const ok = await commit(w, { field: "progress", progress: { step } });
  return ok ? ("render" as const) : ("done" as const);
}

export { chosenSubtypes };

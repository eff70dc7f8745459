// «Nothing typed twice» (issue 14): a new application or version starts with what the organisation's previous one
// said (app/drafts.ts, domain prefillFrom). Nothing is taken silently: Section A, each production base and the
// documents are shown once, with «✅ Оставить» (confirmed as is) and «✏️ Изменить» (the section's steps, with the
// values pre-selected). «Сохранить» refuses what was not confirmed (domain unconfirmedPrefill).
//
//   wz.pk:<draft>@v   keep (the confirmation step's item)      wz.pc:<draft>@v   change it
import { escapeHtml } from "../bot/kit/html.ts";
import {
  btn,
  chosenSubtypes,
  commit,
  draftOf,
  fileNameOf,
  formatDate,
  katoNameOf,
  subtypeName,
  t,
  type View,
  type Wizard,
  wcb,
} from "./wizard/core.ts";
import {
  type ActionDef,
  afterA,
  afterBases,
  firstOfA,
  nextPendingOrSum,
  type StepDef,
  type Target,
} from "./wizard/flow.ts";
import { pendingStep, type Progress, type Step } from "./wizard/progress.ts";

const list = (w: Wizard, codes: readonly string[]) =>
  codes.length ? codes.map((c) => escapeHtml(subtypeName(w, c))).join("; ") : "—";

function header(w: Wizard): string {
  const from = w.p.prefill?.from;
  return from ? t(w, "pf.from", { no: from.versionNo, date: formatDate(new Date(from.createdAt)) }) : "";
}

const buttons = (w: Wizard) => [[btn(t(w, "pf.keep"), wcb(w, "pk")), btn(t(w, "pf.change"), wcb(w, "pc"))]];

function sectionA(w: Wizard): View {
  const d = draftOf(w);
  const roles = [d.asSupplier ? t(w, "role.supplier") : null, d.asCoExecutor ? t(w, "role.coexec") : null]
    .filter(Boolean)
    .join(", ");
  const body = t(w, "pf.a", {
    ownership: escapeHtml(w.names.ownershipForm(d.ownershipFormCode) ?? "—"),
    roles: roles || "—",
    supplier: d.asSupplier ? list(w, d.supplierSubtypes) : "—",
    coexec: d.asCoExecutor ? list(w, d.coExecutorSubtypes) : "—",
    pharmacy: d.hasPharmacy === null ? "—" : t(w, d.hasPharmacy ? "yes" : "no"),
  });
  return {
    text: `${header(w)}\n\n<b>${t(w, "section.A")}</b>\n${body}\n\n${t(w, "pf.ask")}`,
    kb: buttons(w),
  };
}

function base(w: Wizard): View {
  const b = draftOf(w).bases.find((x) => x.position === w.p.pos);
  if (!b) return { text: t(w, "c.none"), kb: [[btn(t(w, "btn.to_bases"), wcb(w, "bl"))]] };
  const body = t(w, "pf.base", {
    n: b.position,
    address: escapeHtml(b.address),
    coords: b.latitude !== null && b.longitude !== null ? `${b.latitude}, ${b.longitude}` : "—",
    kato: b.katoCode ? escapeHtml(katoNameOf(w, b) ?? b.katoCode) : "—",
    ses: b.sesFileId ? escapeHtml(fileNameOf(w, b.sesFileId) ?? "✅") : "—",
    subtypes: list(
      w,
      b.subtypes.filter((c) => chosenSubtypes(w).includes(c)),
    ),
  });
  return {
    text: `${header(w)}\n\n<b>${t(w, "section.C")}</b>\n${body}\n\n${t(w, "pf.ask")}`,
    kb: buttons(w),
  };
}

function documents(w: Wizard): View {
  const files = (kind: string) => {
    const names = draftOf(w)
      .documents.filter((x) => x.kind === kind)
      .map((x) => escapeHtml(x.fileName ?? "—"));
    return names.length ? names.join("; ") : "—";
  };
  const body = t(w, "pf.d", { d2: files("REGISTRATION"), d3: files("POWER_OF_ATTORNEY") });
  return {
    text: `${header(w)}\n\n<b>${t(w, "section.D")}</b>\n${body}\n\n${t(w, "pf.ask")}`,
    kb: buttons(w),
  };
}

export const steps: Partial<Record<Step, StepDef>> = {
  PF_A: { render: sectionA },
  PF_C: { render: base },
  PF_D: { render: documents },
};

/** The item the current confirmation step is about. */
function itemOf(p: Progress): string | null {
  if (p.step === "PF_A") return "A";
  if (p.step === "PF_D") return "D";
  if (p.step === "PF_C" && p.pos) return `C:${p.pos}`;
  return null;
}

/** Where «Оставить» leads: the next thing to confirm or to answer. */
function afterKeep(w: Wizard, item: string, pending: string[]): Target {
  if (item === "A") return afterA(w, pending);
  if (item === "D") return w.p.sum ? nextPendingOrSum(w, pending) : { step: "D3" };
  const nextBase = pending.find((x) => x.startsWith("C:"));
  if (nextBase) return pendingStep(nextBase);
  if (w.p.sum) return nextPendingOrSum(w, pending);
  const complete = draftOf(w).bases.every(
    (b) => b.latitude !== null && !!b.katoCode && !!b.sesFileId && b.subtypes.length > 0,
  );
  return complete ? afterBases(w, pending) : { step: "C_LIST" };
}

/** Where «Изменить» leads: the section's own steps. */
function change(w: Wizard, item: string): Target {
  if (item === "A") return { step: firstOfA(w) };
  if (item === "D") return { step: "D2" };
  return { step: "C_COORD", pos: w.p.pos };
}

async function resolve(w: Wizard, keep: boolean) {
  const pf = w.p.prefill;
  const item = itemOf(w.p);
  if (!pf || !item) return "render" as const;
  const pending = pf.pending.filter((x) => x !== item);
  const target = keep ? afterKeep(w, item, pending) : change(w, item);
  const ok = await commit(w, { progress: { ...target, prefill: { ...pf, pending } } });
  return ok ? ("render" as const) : ("done" as const);
}

export const actions: Record<string, ActionDef> = {
  pk: { steps: ["PF_A", "PF_C", "PF_D"], run: (w) => resolve(w, true) },
  pc: { steps: ["PF_A", "PF_C", "PF_D"], run: (w) => resolve(w, false) },
};

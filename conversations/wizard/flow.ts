// Step definitions, the order of the steps given the answers so far, and the step counter («Шаг N из M»). Pure
// functions of the draft and the progress.
import {
  draftOf,
  ownershipLocked,
  pharmacyApplies,
  type View,
  type Wizard,
  type WizardDraft,
} from "./core.ts";
import { type Progress, pendingStep, type Step } from "./progress.ts";

/** What a step's screen may be asked to show besides the draft. */
export interface RenderOpts {
  /** The page of a list (multi-select, bases, KATO level). */
  page: number;
  /** C_KATO: the node whose children to show (null: the top level). */
  kato?: string | null;
  /** A line above the screen (a file attached, coordinates saved…). */
  note?: string;
}

export interface StepDef {
  render(w: Wizard, opts: RenderOpts): Promise<View> | View;
  /** A message (text, file, location) while at this step; absent = the step expects buttons. */
  input?(w: Wizard): Promise<Outcome>;
}

/** After an action: show the (new) current step (with options), or "done": the action answered itself. */
export type Outcome = "render" | "done" | Partial<RenderOpts>;

export interface ActionDef {
  /** Steps at which this button is valid (a button of another step is stale). */
  steps: readonly Step[];
  run(w: Wizard, args: string[]): Promise<Outcome>;
}

export type Target = Pick<Progress, "step" | "pos">;

const pendingOf = (w: Wizard): string[] => w.p.prefill?.pending ?? [];

/** The first step of Section A that the supplier may change. */
export const firstOfA = (w: Wizard): Step => (ownershipLocked(w) ? "A_ROLE" : "A_OWN");

/** The first confirmation still pending, else the summary. */
export function nextPendingOrSum(w: Wizard, pending: readonly string[] = pendingOf(w)): Target {
  return pending[0] ? pendingStep(pending[0]) : { step: "SUM" };
}

/** After Section A: the region (a new draft), or back to the summary. */
export const afterA = (w: Wizard, pending?: readonly string[]): Target =>
  w.p.sum ? nextPendingOrSum(w, pending) : { step: "REGION" };

/** The step after `step` in Section A, given the answers so far (`d`: the draft as it will be). */
export function nextInA(
  w: Wizard,
  step: Step,
  d: Pick<WizardDraft, "asSupplier" | "asCoExecutor" | "supplierSubtypes"> = draftOf(w),
): Target {
  const order: Step[] = ["A_OWN", "A_ROLE", "A_SUP", "A_CO", "A_PHARM"];
  for (let i = order.indexOf(step) + 1; i < order.length; i++) {
    const s = order[i]!;
    if (s === "A_SUP" && !d.asSupplier) continue;
    if (s === "A_CO" && !d.asCoExecutor) continue;
    if (s === "A_PHARM" && !pharmacyApplies(w, d)) continue;
    return { step: s };
  }
  return afterA(w);
}

export const afterRegion = (w: Wizard): Target => (w.p.sum ? nextPendingOrSum(w) : { step: "C_LIST" });

/** After the bases: the documents (their confirmation when carried over), or back to the summary. */
export function afterBases(w: Wizard, pending: readonly string[] = pendingOf(w)): Target {
  if (w.p.sum) return nextPendingOrSum(w, pending);
  return pending.includes("D") ? { step: "PF_D" } : { step: "D2" };
}

/** The steps as they stand now (skipped ones do not count), one key per step a person answers. */
export function stepSequence(w: Wizard): string[] {
  const d = draftOf(w);
  const pending = new Set(pendingOf(w));
  const seq: string[] = [];
  if (pending.has("A")) seq.push("PF_A");
  else {
    if (!ownershipLocked(w)) seq.push("A_OWN");
    seq.push("A_ROLE");
    if (d.asSupplier) seq.push("A_SUP");
    if (d.asCoExecutor) seq.push("A_CO");
    if (pharmacyApplies(w)) seq.push("A_PHARM");
  }
  seq.push("REGION", "C_LIST");
  for (const b of d.bases) {
    if (pending.has(`C:${b.position}`)) seq.push(`PF_C#${b.position}`);
    else for (const s of ["C_COORD", "C_KATO", "C_SES", "C_SUB"]) seq.push(`${s}#${b.position}`);
  }
  if (pending.has("D")) seq.push("PF_D");
  else seq.push("D2", "D3");
  seq.push("SUM");
  return seq;
}

const PER_BASE: ReadonlySet<Step> = new Set(["PF_C", "C_COORD", "C_KATO", "C_SES", "C_SUB"]);

/** «Шаг N из M»: where the current step stands among the steps as they stand now. */
export function stepCounter(w: Wizard): { n: number; m: number } {
  const seq = stepSequence(w);
  const { step, pos } = w.p;
  let key: string = step;
  if (PER_BASE.has(step)) key = `${step}#${pos ?? 0}`;
  if (step === "C_ADDR") key = "C_LIST";
  let i = seq.indexOf(key);
  if (i < 0 && step === "PF_C") i = seq.indexOf(`C_COORD#${pos ?? 0}`);
  if (i < 0 && step.startsWith("A_"))
    i = Math.max(
      0,
      seq.findIndex((s) => s.startsWith("A_") || s === "PF_A"),
    );
  if (i < 0 && step === "PF_A") i = 0;
  if (i < 0 && step === "PF_D") i = seq.indexOf("D2");
  if (i < 0) i = seq.indexOf("C_LIST");
  return { n: i + 1, m: seq.length };
}

// Step definitions and the order of the steps.
import type { Step } from "./progress.ts";
import { pharmacyApplies, type View, type W } from "./core.ts";

export interface StepDef {
  render(w: W, page?: number): Promise<View> | View;
  /** A message (text, file, location) while at this step; absent = the step expects buttons. */
  input?(w: W): Promise<Outcome>;
}

/** After an action: "render" shows the (new) current step; "done" means the action answered itself. */
export type Outcome = "render" | "done";

export interface ActionDef {
  /** Steps at which this button is valid (a button of another step is stale). */
  steps: readonly Step[];
  run(w: W, args: string[]): Promise<Outcome | { page: number }>;
}

/** The first step of Section A that the supplier may change. */
export function firstOfA(locked: boolean): Step {
  return locked ? "A_ROLE" : "A_OWN";
}

/** The step after `step` in Section A, given the answers so far. */
export function nextInA(w: W, step: Step): Step {
  const order: Step[] = ["A_OWN", "A_ROLE", "A_SUP", "A_CO", "A_PHARM"];
  for (let i = order.indexOf(step) + 1; i < order.length; i++) {
    const s = order[i]!;
    if (s === "A_SUP" && !w.app.asSupplier) continue;
    if (s === "A_CO" && !w.app.asCoExecutor) continue;
    if (s === "A_PHARM" && !pharmacyApplies(w)) continue;
    return s;
  }
  return w.p.sum ? "SUM" : "REGION";
}

export const afterRegion = (w: W): Step => (w.p.sum ? "SUM" : "C_LIST");
export const afterBases = (w: W): Step => (w.p.sum ? "SUM" : "D2");

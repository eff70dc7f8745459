// Where the supplier is in the wizard. Kept in Application.progress (PostgreSQL) and written with the step's answer
// in the same statement, so a restart, a new device or a lost session resumes at the same step. UI state only: the
// content is in the application's columns. The KATO level and a list's page travel in the buttons instead.

export const STEPS = [
  "PF_A", // confirm Section A carried over from the previous application (issue 14)
  "A_OWN", // A4 ownership form
  "A_ROLE", // A5 subject status
  "A_SUP", // A6 subtypes as «Поставщик»
  "A_CO", // A7 subtypes as «Соисполнитель»
  "A_PHARM", // A9 pharmacy (only with a PHC subtype)
  "REGION", // A8
  "C_LIST", // production bases
  "PF_C", // confirm a base carried over (pos)
  "C_ADDR", // typed address of a new base
  "C_COORD", // C3/C4
  "C_KATO", // C5
  "C_SES", // C6
  "C_SUB", // C7
  "PF_D", // confirm the documents carried over
  "D2", // registration certificate(s)
  "D3", // power of attorney (optional)
  "SUM", // summary / save
] as const;
export type Step = (typeof STEPS)[number];

export interface Progress {
  step: Step;
  /** Production base position the C_* and PF_C steps work on. */
  pos?: number;
  /** Coordinates typed at C_COORD that raised a plausibility warning, not saved until confirmed (cc) or dropped (cn). */
  pending?: { lat: number; lon: number };
  /** The summary was reached once: finishing a section returns to it. */
  sum?: boolean;
  /**
   * Issue 14 «nothing typed twice»: the application the draft was pre-filled from, and the parts the supplier has
   * not confirmed yet («A», «C:<position>», «D»; read by app/drafts.ts pendingOf: «Сохранить» refuses them).
   */
  prefill?: { from: { id: string; versionNo: number; createdAt: string }; pending: string[] };
}

export function readProgress(raw: unknown): Progress {
  const p = (raw ?? {}) as Partial<Progress>;
  const step = STEPS.includes(p.step as Step) ? (p.step as Step) : "A_OWN";
  return { ...p, step };
}

export const SECTION_OF: Record<Step, "A" | "R" | "C" | "D" | "S"> = {
  PF_A: "A",
  A_OWN: "A",
  A_ROLE: "A",
  A_SUP: "A",
  A_CO: "A",
  A_PHARM: "A",
  REGION: "R",
  C_LIST: "C",
  PF_C: "C",
  C_ADDR: "C",
  C_COORD: "C",
  C_KATO: "C",
  C_SES: "C",
  C_SUB: "C",
  PF_D: "D",
  D2: "D",
  D3: "D",
  SUM: "S",
};

/** The confirmation step of a pending prefill item. */
export function pendingStep(item: string): Pick<Progress, "step" | "pos"> {
  const c = /^C:(\d+)$/.exec(item);
  if (item === "A") return { step: "PF_A" };
  if (c) return { step: "PF_C", pos: Number(c[1]) };
  return { step: "PF_D" };
}

/**
 * The progress a new draft (T1) or version (T20, `sum`: it starts complete, at the summary) starts with: the
 * first confirmation when something was carried over.
 */
export function startProgress(
  p: { pending: readonly string[]; from: { id: string; versionNo: number; createdAt: Date } | null },
  opts: { sum?: boolean } = {},
): Progress {
  const pending = [...p.pending];
  const sum = opts.sum ? { sum: true } : {};
  if (!p.from || pending.length === 0) return { step: opts.sum ? "SUM" : "A_OWN", ...sum };
  const prefill = {
    from: { id: p.from.id, versionNo: p.from.versionNo, createdAt: p.from.createdAt.toISOString() },
    pending,
  };
  if (pending.includes("A")) return { step: "PF_A", ...sum, prefill };
  if (opts.sum) return { ...pendingStep(pending[0]!), ...sum, prefill };
  return { step: "A_OWN", prefill };
}

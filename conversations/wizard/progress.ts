// Where the supplier is in the wizard. Kept in Application.progress (PostgreSQL), so a restart,
// a new device or a lost Redis session resumes at the same step.

export const STEPS = [
  "A_OWN", // A4 ownership form
  "A_ROLE", // A5 subject status
  "A_SUP", // A6 subtypes as «Поставщик»
  "A_CO", // A7 subtypes as «Соисполнитель»
  "A_PHARM", // A9 pharmacy (only with a PHC subtype)
  "REGION", // A8
  "C_LIST", // production bases
  "C_ADDR", // typed address of a new base
  "C_COORD", // C3/C4
  "C_KATO", // C5
  "C_SES", // C6
  "C_SUB", // C7
  "D2", // registration certificate(s)
  "D3", // power of attorney (optional)
  "SUM", // summary / save
] as const;
export type Step = (typeof STEPS)[number];

export interface Progress {
  step: Step;
  /** Production base position the C_* steps work on. */
  pos?: number;
  /** The KATO node the supplier is in (C_KATO); null = the top level. */
  kato?: number | null;
  /** Coordinates typed at C_COORD that raised a plausibility warning, not saved until confirmed. */
  pending?: { lat: number; lon: number };
  /** The summary was reached once: finishing a section returns to it. */
  sum?: boolean;
  /** «Сохранить» passed validation at least once. */
  saved?: boolean;
  /**
   * The saved draft's fields that never change afterwards (§3.7: A1–A3; A4 while editing the first
   * version), as they were at the last successful «Сохранить». The domain's immutability check compares
   * the draft against them (wizard/validate.ts `previousDraft`), so the lock does not rest on the UI alone.
   */
  locked?: LockedFields;
}

export interface LockedFields {
  nameKk: string;
  nameRu: string;
  bin: string;
  ownershipFormCode: string | null;
}

export function readProgress(raw: unknown): Progress {
  const p = (raw ?? {}) as Partial<Progress>;
  const step = STEPS.includes(p.step as Step) ? (p.step as Step) : "A_OWN";
  return { ...p, step };
}

export const SECTION_OF: Record<Step, "A" | "R" | "C" | "D" | "S"> = {
  A_OWN: "A",
  A_ROLE: "A",
  A_SUP: "A",
  A_CO: "A",
  A_PHARM: "A",
  REGION: "R",
  C_LIST: "C",
  C_ADDR: "C",
  C_COORD: "C",
  C_KATO: "C",
  C_SES: "C",
  C_SUB: "C",
  D2: "D",
  D3: "D",
  SUM: "S",
};

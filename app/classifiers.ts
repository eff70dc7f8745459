// The reference lists in memory (loaded once, small): names in a language, and the shapes the domain's rules
// take (R1–R3 requirements, licence parents).
import type { Classifiers as RuleClassifiers } from "../domain/rules.ts";
import type { DecisionKind } from "../domain/types.ts";
import type { Classifiers, Named, Store } from "../prisma/store/index.ts";

export type Lang = "kk" | "ru";

const nameOf = (lang: Lang, n: Named | undefined, fallback: string) =>
  n ? (lang === "kk" && n.nameKk ? n.nameKk : n.nameRu) : fallback;

/** A classifier name in both languages (the documents pick the reader's). */
export interface Bilingual {
  kk: string;
  ru: string;
}

export type ListName =
  | "subtypes"
  | "regions"
  | "ownershipForms"
  | "licenceCodes"
  | "grounds"
  | "exclusionReasons";

export interface ClassifierCache {
  get(): Promise<Classifiers>;
  /** The name of a code of one list in both languages (an unknown code is shown as given). */
  bilingual(list: ListName): Promise<(code: string) => Bilingual>;
  /** Names in a language; unknown codes are shown as given. */
  names(lang: Lang): Promise<Names>;
  /** R1–R3 and the classifier facts validateForSave and licenceNotices take. */
  rules(): Promise<
    Required<
      Pick<RuleClassifiers, "subtypes" | "requirements" | "licenceParents" | "ownershipForms" | "regions">
    >
  >;
  reload(): void;
}

export interface Names {
  subtype(code: string): string;
  region(code: string | null): string | null;
  ownershipForm(code: string | null): string | null;
  licenceCode(code: string): string;
  reason(kind: DecisionKind, code: string): string;
  ground(code: string): string;
  exclusionReason(code: string): string;
  branch(id: string): string;
}

export function createClassifierCache(store: Store): ClassifierCache {
  let loading: Promise<Classifiers> | null = null;
  const get = () => {
    loading ??= store.classifiers().catch((e) => {
      loading = null;
      throw e;
    });
    return loading;
  };
  return {
    get,
    reload: () => {
      loading = null;
    },
    async bilingual(list) {
      const c = await get();
      const by = new Map((c[list] as Named[]).map((x) => [x.code, x]));
      return (code) => {
        const n = by.get(code);
        return n ? { kk: n.nameKk || n.nameRu, ru: n.nameRu } : { kk: code, ru: code };
      };
    },
    async names(lang) {
      const c = await get();
      const by = <T extends Named>(xs: T[]) => new Map(xs.map((x) => [x.code, x]));
      const subtypes = by(c.subtypes);
      const regions = by(c.regions);
      const forms = by(c.ownershipForms);
      const codes = by(c.licenceCodes);
      const grounds = by(c.grounds);
      const reasons = by(c.exclusionReasons);
      const branches = new Map(
        c.branches.map((b) => [b.id, { code: b.id, nameKk: b.nameKk, nameRu: b.nameRu }]),
      );
      return {
        subtype: (code) => nameOf(lang, subtypes.get(code), code),
        region: (code) => (code ? nameOf(lang, regions.get(code), code) : null),
        ownershipForm: (code) => (code ? nameOf(lang, forms.get(code), code) : null),
        licenceCode: (code) => nameOf(lang, codes.get(code), code),
        ground: (code) => nameOf(lang, grounds.get(code), code),
        exclusionReason: (code) => nameOf(lang, reasons.get(code), code),
        reason: (kind, code) =>
          kind === "EXCLUSION"
            ? nameOf(lang, reasons.get(code), code)
            : nameOf(lang, grounds.get(code), code),
        branch: (id) => nameOf(lang, branches.get(id), id),
      };
    },
    async rules() {
      const c = await get();
      const licenceParents: Record<string, string> = {};
      for (const x of c.licenceCodes) if (x.parentCode) licenceParents[x.code] = x.parentCode;
      return {
        subtypes: c.subtypes,
        requirements: c.requirements.map((r) => ({
          subtypeCode: r.subtypeCode,
          asStatus: r.asStatus,
          licenceCode: r.licenceCode,
          condition: r.condition === "PHARMACY" ? "PHARMACY" : null,
          ruleId: r.ruleId,
        })),
        licenceParents,
        ownershipForms: c.ownershipForms.map((f) => f.code),
        regions: c.regions.map((r) => r.code),
      };
    },
  };
}

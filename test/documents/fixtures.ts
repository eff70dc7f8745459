// Plain data for the documents, with real classifier names (prisma/data) so the checks see what a person
// would: every code resolved to its name in both languages.
import { readFileSync } from "node:fs";
import type {
  AppendixData,
  ApplicationFormData,
  Bilingual,
  ConsentData,
  NoticeData,
} from "../../adapters/pdf/types.ts";

const json = (p: string) =>
  JSON.parse(readFileSync(new URL(`../../prisma/data/${p}`, import.meta.url), "utf8"));
type Named = { code: string; nameKk: string; nameRu: string };
const ekmu = json("ekmu.json") as { subtypes: Named[] };
const classifiers = json("classifiers.json") as { ownershipForms: Named[]; licenceCodes: Named[] };
const reasons = json("reasons.json") as { rejectionGrounds: Named[]; exclusionReasons: Named[] };
const regions = json("regions.json") as {
  regions: (Named & { branch: { nameKk: string; nameRu: string } })[];
};

const byCode = (list: Named[], code: string): Bilingual => {
  const x = list.find((n) => n.code === code);
  if (!x) throw new Error(`fixture: no ${code}`);
  return { kk: x.nameKk, ru: x.nameRu };
};

/** Every classifier code the documents could leak (subtypes, licence codes, ownership forms, grounds). */
export const ALL_CODES: string[] = [
  ...ekmu.subtypes,
  ...classifiers.ownershipForms,
  ...classifiers.licenceCodes,
  ...reasons.rejectionGrounds,
  ...reasons.exclusionReasons,
  ...regions.regions,
].map((n) => n.code);

export const subtype = (code: string) => byCode(ekmu.subtypes, code);
const licenceCode = (code: string) => byCode(classifiers.licenceCodes, code);
const astana = regions.regions.find((r) => r.code === "ASTANA")!;
export const REGION: Bilingual = { kk: astana.nameKk, ru: astana.nameRu };
export const BRANCH: Bilingual = { kk: astana.branch.nameKk, ru: astana.branch.nameRu };
const ASTANA_KATO: Bilingual = { kk: "Астана қаласы", ru: "г. Астана" };
const ESIL: Bilingual = { kk: "Есіл ауданы", ru: "район Есиль" };
const SARYARKA: Bilingual = { kk: "Сарыарқа ауданы", ru: "район Сарыарка" };

export const CHAIN_ID = "4ce558c2-1704-4bf9-9a1e-7f3c2b9d0e11";
export const APP = { number: "4CE558C2", versionNo: 2 };

export const ORG = {
  nameKk: "«Денсаулық-Орталық» ЖШС",
  nameRu: "ТОО «Денсаулык-Центр»",
  bin: "210940012345",
};

/** Values printed as given (one spelling for both languages): the checks leave them out. */
export const AS_GIVEN = [
  ORG.nameKk,
  ORG.nameRu,
  "пр. Мәңгілік Ел",
  "ул. Кенесары, 40",
  "ул. Бейбітшілік, 14",
  "Республиканское государственное учреждение «Комитет медицинского и фармацевтического контроля»",
  "СЭС-заключение база 1.pdf",
  "Абенова Айгерим Серикқызы",
  "Жақсылықов Ерлан Бақытұлы",
  "Нет договора аренды на вторую базу",
  "Решение суда от 01.11.2026",
  "info@densaulyk.kz",
];

export const FORM: ApplicationFormData = {
  application: APP,
  org: ORG,
  ownershipForm: byCode(classifiers.ownershipForms, "PRIVATE"),
  asSupplier: true,
  asCoExecutor: true,
  supplierSubtypes: [subtype("PHC_CAP"), subtype("ONCO_OUTPAT")],
  coExecutorSubtypes: [subtype("PALLIATIVE")],
  region: REGION,
  hasPharmacy: true,
  legal: {
    kato: { path: [ASTANA_KATO, ESIL] },
    postcode: "010000",
    street: "пр. Мәңгілік Ел",
    house: "55/20",
    office: "12",
    phone: "+7 717 255 00 11",
    email: "info@densaulyk.kz",
  },
  bases: [
    {
      address: "ул. Кенесары, 40",
      latitude: 51.1694,
      longitude: 71.4491000000001,
      kato: { path: [ASTANA_KATO, SARYARKA] },
      sesPermitFileName: "СЭС-заключение база 1.pdf",
      subtypes: [subtype("PHC_CAP"), subtype("PALLIATIVE")],
    },
    {
      address: "ул. Бейбітшілік, 14",
      latitude: null,
      longitude: null,
      kato: null,
      sesPermitFileName: null,
      subtypes: [subtype("ONCO_OUTPAT")],
    },
  ],
  licences: [
    {
      number: "KZ12LAA00012345",
      activity: licenceCode("L60"),
      issueDate: new Date("2021-03-14T19:00:00Z"),
      licensor: {
        kk: "«Медициналық және фармацевтикалық бақылау комитеті» республикалық мемлекеттік мекемесі",
        ru: "Республиканское государственное учреждение «Комитет медицинского и фармацевтического контроля»",
      },
    },
    {
      number: "KZ55LAA00098765",
      activity: licenceCode("L64"),
      issueDate: new Date("2022-06-01T00:00:00Z"),
      // an unknown licensor: the registry's text in both
      licensor: {
        kk: "Республиканское государственное учреждение «Комитет медицинского и фармацевтического контроля»",
        ru: "Республиканское государственное учреждение «Комитет медицинского и фармацевтического контроля»",
      },
    },
  ],
  signer: { fullName: "Абенова Айгерим Серикқызы", role: "HEAD" },
  date: new Date("2026-11-20T09:07:00Z"),
};

export const CONSENT: ConsentData = {
  application: APP,
  org: ORG,
  region: REGION,
  headName: "Абенова Айгерим Серикқызы",
  date: new Date("2026-11-20T09:30:00Z"),
};

const notice = (kind: NoticeData["kind"], over: Partial<NoticeData> = {}): NoticeData => ({
  kind,
  application: APP,
  org: ORG,
  region: REGION,
  branch: BRANCH,
  grounds: [],
  note: null,
  additionalGround: null,
  authorName: "Жақсылықов Ерлан Бақытұлы",
  date: new Date("2026-11-23T13:45:00Z"),
  ...over,
});

export const INCLUSION = notice("INCLUSION");
export const REJECTION = notice("REJECTION", {
  grounds: [
    byCode(reasons.rejectionGrounds, "NO_SES_PERMIT"),
    byCode(reasons.rejectionGrounds, "INCOMPLETE_DOCS"),
  ],
  note: "Нет договора аренды на вторую базу",
});
export const EXCLUSION = notice("EXCLUSION", {
  grounds: [byCode(reasons.exclusionReasons, "LICENCE_TERMINATED")],
  additionalGround: "Решение суда от 01.11.2026",
});

export const APPENDIX: AppendixData = {
  licenceNumber: "KZ12LAA00012345",
  number: "003",
  activity: licenceCode("L60"),
  licenceSubtypes: [licenceCode("L61I"), licenceCode("L64A")],
  careSubtypes: [subtype("PHC_CAP"), subtype("ONCO_OUTPAT"), subtype("PALLIATIVE")],
  addresses: ["ул. Кенесары, 40", "ул. Бейбітшілік, 14"],
  fetchedAt: new Date("2026-11-19T04:00:00Z"),
};

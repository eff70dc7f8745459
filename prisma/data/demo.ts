// Demo data (seeded only with `demo: true` / `npm run db:seed -- --demo`): three health subjects with
// valid BIN/IIN, their licences in the registry stand-in (elicense.kz), and demo people with their
// roles, pre-created, so the sandbox can offer "pick a demo person". Telegram ids 100001….
// Everything here is fictitious.
import type { OrgRole, StaffRole } from "../../domain/types.ts";
import type { RegistryLicencePayload } from "../store/registry.ts";

export interface DemoOrganisation {
  key: "POLYCLINIC" | "DIAGNOSTIC" | "SOLE_TRADER";
  bin: string;
  kind: "LEGAL_ENTITY" | "INDIVIDUAL";
  nameRu: string;
  nameKk: string;
  ownershipFormCode: string;
  legalKato: string;
  legalPostcode: string;
  legalStreet: string;
  legalHouse: string;
  legalOffice: string | null;
  phone: string;
  email: string;
  /** «Данные о филиалах/реорганизованных организациях» */
  links: { bin: string; kind: "BRANCH" | "REORGANISED" }[];
}

export const DEMO_ORGANISATIONS: readonly DemoOrganisation[] = [
  {
    key: "POLYCLINIC",
    bin: "100140001231",
    kind: "LEGAL_ENTITY",
    nameRu: "ГКП на ПХВ «Городская поликлиника № 7»",
    nameKk: "ШЖҚ «№ 7 қалалық емхана» МКК",
    ownershipFormCode: "STATE",
    legalKato: "711210000",
    legalPostcode: "Z05T3D8",
    legalStreet: "проспект Мәңгілік Ел",
    legalHouse: "55",
    legalOffice: "12",
    phone: "+7 7172 55 00 07",
    email: "gp7@example.kz",
    links: [{ bin: "100141004567", kind: "BRANCH" }],
  },
  {
    key: "DIAGNOSTIC",
    bin: "150340003212",
    kind: "LEGAL_ENTITY",
    nameRu: "ТОО «Диагностический центр Шипагер»",
    nameKk: "«Шипагер диагностикалық орталығы» ЖШС",
    ownershipFormCode: "PRIVATE",
    legalKato: "751510000",
    legalPostcode: "A05E2P1",
    legalStreet: "улица Толе би",
    legalHouse: "101",
    legalOffice: "3",
    phone: "+7 727 300 10 10",
    email: "office@shipager.example.kz",
    links: [],
  },
  {
    key: "SOLE_TRADER",
    bin: "850615400125",
    kind: "INDIVIDUAL",
    nameRu: "ИП «Сейтқали»",
    nameKk: "«Сейтқали» ДК",
    ownershipFormCode: "PRIVATE",
    legalKato: "791510000",
    legalPostcode: "X17K0B5",
    legalStreet: "улица Байтұрсынова",
    legalHouse: "14",
    legalOffice: null,
    phone: "+7 701 000 00 15",
    email: "seitkali@example.kz",
    links: [],
  },
];

const VALID = {
  category: "Лицензия на вид деятельности",
  type: "генеральная лицензия",
  status: "Действительный",
} as const;

const ASTANA_LICENSOR = "ГУ «Управление общественного здравоохранения города Астаны»";
const ALMATY_LICENSOR = "ГУ «Управление общественного здравоохранения города Алматы»";
const SHYMKENT_LICENSOR = "ГУ «Управление общественного здравоохранения города Шымкент»";
const ATOMIC_LICENSOR = "Комитет атомного и энергетического надзора и контроля МЭ РК";

const POLY_MAIN = "г. Астана, район Есиль, проспект Мәңгілік Ел, 55";
const POLY_SECOND = "г. Астана, район Сарыарка, улица Бейбітшілік, 10";
const POLY_BRANCH = "г. Астана, район Байқоңыр, улица Жұбанова, 7";
const DIAG_MAIN = "г. Алматы, Жетысуский район, улица Толе би, 101";
const SOLE_MAIN = "г. Шымкент, Енбекшинский район, улица Байтұрсынова, 14";

/** Licences as the registry stand-in holds them: what «Получить лицензии» fetches. */
export const DEMO_REGISTRY_LICENCES: readonly { holderBin: string; payload: RegistryLicencePayload }[] = [
  // Polyclinic: L60 (two appendices), L61 + L61I, L64 + L64A, A15 + A15B, and one that is not shown.
  {
    holderBin: "100140001231",
    payload: {
      number: "KZ12LAA00012345",
      issueDate: "2019-03-15",
      licensor: ASTANA_LICENSOR,
      activityCode: "L60",
      ...VALID,
      appendices: [
        {
          number: "001",
          licenceSubtypes: [],
          careSubtypes: ["PHC_CAP", "ONCO_OUTPAT", "PALLIATIVE"],
          addresses: [POLY_MAIN],
        },
        {
          number: "002",
          licenceSubtypes: [],
          careSubtypes: ["PHC_CAP", "EMERG_CAP"],
          addresses: [POLY_SECOND],
        },
      ],
    },
  },
  {
    holderBin: "100140001231",
    payload: {
      number: "KZ45LCA00023456",
      issueDate: "2020-06-01",
      licensor: ASTANA_LICENSOR,
      activityCode: "L61",
      ...VALID,
      appendices: [{ number: "001", licenceSubtypes: ["L61I"], careSubtypes: [], addresses: [POLY_MAIN] }],
    },
  },
  {
    holderBin: "100140001231",
    payload: {
      number: "KZ78LHA00034567",
      issueDate: "2020-06-20",
      licensor: ASTANA_LICENSOR,
      activityCode: "L64",
      ...VALID,
      appendices: [{ number: "001", licenceSubtypes: ["L64A"], careSubtypes: [], addresses: [POLY_MAIN] }],
    },
  },
  {
    holderBin: "100140001231",
    payload: {
      number: "KZ23LMA00045678",
      issueDate: "2021-02-10",
      licensor: ATOMIC_LICENSOR,
      activityCode: "A15",
      ...VALID,
      appendices: [{ number: "001", licenceSubtypes: ["A15B"], careSubtypes: [], addresses: [POLY_MAIN] }],
    },
  },
  {
    // Not shown in «Все лицензии»: its status is not «Действительный» (SPEC §2.4).
    holderBin: "100140001231",
    payload: {
      number: "KZ99LAA00009999",
      issueDate: "2012-09-01",
      licensor: ASTANA_LICENSOR,
      activityCode: "L60",
      category: VALID.category,
      type: VALID.type,
      status: "Прекращен",
      appendices: [
        { number: "001", licenceSubtypes: [], careSubtypes: ["PHC_CAP"], addresses: [POLY_SECOND] },
      ],
    },
  },
  // The polyclinic's branch (linked BIN): its own L60.
  {
    holderBin: "100141004567",
    payload: {
      number: "KZ31LAA00056789",
      issueDate: "2022-01-25",
      licensor: ASTANA_LICENSOR,
      activityCode: "L60",
      ...VALID,
      appendices: [
        { number: "001", licenceSubtypes: [], careSubtypes: ["PHC_CAP"], addresses: [POLY_BRANCH] },
      ],
    },
  },
  // Diagnostic centre: CT/MRI/PET and source replacement (R2 needs A15B).
  {
    holderBin: "150340003212",
    payload: {
      number: "KZ64LAA00067890",
      issueDate: "2018-11-05",
      licensor: ALMATY_LICENSOR,
      activityCode: "L60",
      ...VALID,
      appendices: [
        {
          number: "001",
          licenceSubtypes: [],
          careSubtypes: ["DIAG_CT_MRI", "DIAG_PET", "ION_SRC_REPL"],
          addresses: [DIAG_MAIN],
        },
      ],
    },
  },
  {
    holderBin: "150340003212",
    payload: {
      number: "KZ87LMA00078901",
      issueDate: "2018-12-12",
      licensor: ATOMIC_LICENSOR,
      activityCode: "A15",
      ...VALID,
      appendices: [{ number: "001", licenceSubtypes: ["A15B"], careSubtypes: [], addresses: [DIAG_MAIN] }],
    },
  },
  // Sole trader: palliative care without L64 (R3 will block it: a useful demo of the rule).
  {
    holderBin: "850615400125",
    payload: {
      number: "KZ10LAA00089012",
      issueDate: "2023-04-03",
      licensor: SHYMKENT_LICENSOR,
      activityCode: "L60",
      ...VALID,
      appendices: [
        { number: "001", licenceSubtypes: [], careSubtypes: ["PALLIATIVE"], addresses: [SOLE_MAIN] },
      ],
    },
  },
];

export interface DemoPerson {
  /** Stable key for the sandbox ("pick a demo person"). */
  key: string;
  telegramId: number;
  fullName: string;
  language: "kk" | "ru";
  /** What the sandbox shows next to the name (ru / kk). */
  labelRu: string;
  labelKk: string;
  org?: { bin: string; roles: OrgRole[] };
  branch?: { id: string; roles: StaffRole[] };
}

/** The demo people, pre-created with their roles. The Fund staff all work in the Astana branch. */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    key: "supplierAdmin",
    telegramId: 100001,
    fullName: "Айгерим Садықова",
    language: "ru",
    labelRu: "Поставщик и администратор организации (Городская поликлиника № 7)",
    labelKk: "Өнім беруші және ұйым әкімшісі (№ 7 қалалық емхана)",
    org: { bin: "100140001231", roles: ["SUPPLIER", "ORG_ADMIN"] },
  },
  {
    key: "head",
    telegramId: 100002,
    fullName: "Ерлан Жұмабаев",
    language: "kk",
    labelRu: "Руководитель (Городская поликлиника № 7)",
    labelKk: "Басшы (№ 7 қалалық емхана)",
    org: { bin: "100140001231", roles: ["HEAD"] },
  },
  {
    key: "reviewer",
    telegramId: 100003,
    fullName: "Динара Қасымова",
    language: "ru",
    labelRu: "Рассматривающий заявки БД (филиал по г. Астана)",
    labelKk: "ДҚ өтінімдерін қараушы (Астана қаласы бойынша филиал)",
    branch: { id: "BR-ASTANA", roles: ["REVIEWER"] },
  },
  {
    key: "checker",
    telegramId: 100004,
    fullName: "Нұрлан Әбенов",
    language: "kk",
    labelRu: "Проверяющий заявки БД (филиал по г. Астана)",
    labelKk: "ДҚ өтінімдерін тексеруші (Астана қаласы бойынша филиал)",
    branch: { id: "BR-ASTANA", roles: ["CHECKER"] },
  },
  {
    key: "checker2",
    telegramId: 100005,
    fullName: "Гүлнара Ахметова",
    language: "ru",
    labelRu: "Проверяющий заявки БД, второй (филиал по г. Астана)",
    labelKk: "ДҚ өтінімдерін тексеруші, екінші (Астана қаласы бойынша филиал)",
    branch: { id: "BR-ASTANA", roles: ["CHECKER"] },
  },
  {
    key: "approver",
    telegramId: 100006,
    fullName: "Бауыржан Оспанов",
    language: "ru",
    labelRu: "Согласующий заявки БД (филиал по г. Астана)",
    labelKk: "ДҚ өтінімдерін келісуші (Астана қаласы бойынша филиал)",
    branch: { id: "BR-ASTANA", roles: ["APPROVER"] },
  },
  {
    key: "manager",
    telegramId: 100007,
    fullName: "Сәуле Ибраева",
    language: "kk",
    labelRu: "Руководитель филиала по г. Астана",
    labelKk: "Астана қаласы бойынша филиалдың басшысы",
    branch: { id: "BR-ASTANA", roles: ["MANAGER"] },
  },
  {
    key: "diagnosticAdmin",
    telegramId: 100008,
    fullName: "Марат Тұрсынов",
    language: "ru",
    labelRu: "Поставщик и администратор организации (ДЦ Шипагер)",
    labelKk: "Өнім беруші және ұйым әкімшісі (Шипагер ДО)",
    org: { bin: "150340003212", roles: ["SUPPLIER", "ORG_ADMIN"] },
  },
  {
    key: "diagnosticHead",
    telegramId: 100009,
    fullName: "Әлия Нұрпейісова",
    language: "kk",
    labelRu: "Руководитель (ДЦ Шипагер)",
    labelKk: "Басшы (Шипагер ДО)",
    org: { bin: "150340003212", roles: ["HEAD"] },
  },
  {
    key: "soleTrader",
    telegramId: 100010,
    fullName: "Әсел Сейтқали",
    language: "kk",
    labelRu: "Индивидуальный предприниматель: поставщик, администратор и руководитель",
    labelKk: "Дара кәсіпкер: өнім беруші, әкімші және басшы",
    org: { bin: "850615400125", roles: ["SUPPLIER", "ORG_ADMIN", "HEAD"] },
  },
];

export interface DemoInvite {
  code: string;
  fullName: string;
  org?: { bin: string; roles: OrgRole[] };
  branch?: { id: string; roles: StaffRole[] };
}

/** Unused invites (deep link `/start <code>`), to show the onboarding of new people. */
export const DEMO_INVITES: readonly DemoInvite[] = [
  {
    code: "demo_attorney",
    fullName: "Серік Омаров",
    org: { bin: "100140001231", roles: ["HEAD_ATTORNEY"] },
  },
  { code: "demo_reviewer", fullName: "Жанар Бекова", branch: { id: "BR-ASTANA", roles: ["REVIEWER"] } },
  {
    code: "demo_almaty_staff",
    fullName: "Ержан Сапаров",
    branch: { id: "BR-ALMATY", roles: ["REVIEWER", "CHECKER"] },
  },
];

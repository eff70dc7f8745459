// [NKO] Medical licence through ЦОН (п.9 with the provider's п.5 steps; SPEC §5.3.4).
import type { OperationId, ServiceCard, Step } from "../types.ts";
import {
  ACTORS,
  DOCUMENT_BASIS,
  min,
  NOTES,
  REFUSALS,
  SERVICE_NAMES,
  STANDARDS,
  STATUS,
  wd,
} from "./common.ts";
import { NKO_CON_RECEIPTS, NKO_PROVIDER, NKO_RESULT, nkoProviderSteps } from "./shared-nko.ts";

const before: Step[] = [
  {
    n: "Ц1",
    actor: ACTORS.applicant,
    actorKind: "applicant",
    action: { ru: "Обращается в ЦОН", kk: "ХҚКО-ға жүгінеді" },
    duration: null,
  },
  {
    n: "Ц2",
    actor: ACTORS.conWorker,
    actorKind: "con",
    action: {
      ru: "Проверяет правильность заполнения заявления и полноту пакета документов; при неполном пакете отказывает в приёме заявления и выдаёт расписку об отказе в приёме документов (приложение 4 к стандарту)",
      kk: "Өтініштің дұрыс толтырылуын және құжаттар топтамасының толықтығын тексереді; топтама толық болмаған жағдайда өтінішті қабылдаудан бас тартады және құжаттарды қабылдаудан бас тарту туралы қолхат береді (стандартқа 4-қосымша)",
    },
    duration: { to: min(5) },
  },
  {
    n: "Ц3",
    actor: ACTORS.conWorker,
    actorKind: "con",
    action: {
      ru: "Регистрирует заявление в ИИС ЦОН и выдаёт расписку о приёме документов",
      kk: "Өтінішті ХҚКО ЫАЖ-да тіркейді және құжаттардың қабылданғаны туралы қолхат береді",
    },
    duration: null,
  },
  {
    n: "Ц4",
    actor: ACTORS.conWorker,
    actorKind: "con",
    action: {
      ru: "Получает письменное согласие услугополучателя на использование сведений, составляющих охраняемую законом тайну, содержащихся в информационных системах",
      kk: "Көрсетілетін қызметті алушыдан ақпараттық жүйелердегі заңмен қорғалатын құпияны құрайтын мәліметтерді пайдалануға жазбаша келісім алады",
    },
    duration: { to: min(5) },
  },
  {
    n: "Ц5",
    actor: ACTORS.conWorker,
    actorKind: "con",
    action: {
      ru: "Готовит пакет документов и направляет его услугодателю курьерской или иной уполномоченной связью",
      kk: "Құжаттар топтамасын дайындайды және оны көрсетілетін қызметті берушіге курьерлік немесе өзге де уәкілетті байланыс арқылы жолдайды",
    },
    duration: { to: wd(1) },
  },
];

const after: Step = {
  n: "Ц6",
  actor: ACTORS.conWorker,
  actorKind: "con",
  action: {
    ru: "Выдаёт результат услугополучателю в срок, указанный в расписке",
    kk: "Нәтижені көрсетілетін қызметті алушыға қолхатта көрсетілген мерзімде береді",
  },
  duration: { to: min(15) },
};

const steps = (op: Extract<OperationId, "issue" | "reissue" | "duplicate">): Step[] => [
  ...before,
  ...nkoProviderSteps(op, "con"),
  after,
];

export const card: ServiceCard = {
  id: "nko-med-con",
  regulation: "NKO",
  service: "medical",
  channel: "con",
  serviceName: SERVICE_NAMES.medical,
  provider: NKO_PROVIDER,
  channelName: {
    ru: "Филиал РГП «Центр обслуживания населения» по Северо-Казахстанской области (ЦОН)",
    kk: "«Халыққа қызмет көрсету орталығы» РМК-ның Солтүстік Қазақстан облысы бойынша филиалы (ХҚКО)",
  },
  standard: STANDARDS.s141,
  clause: { ru: "Регламент, п. 5, 6, 9", kk: "Регламент, 5, 6, 9-тармақтар" },
  result: NKO_RESULT,
  operations: [
    { id: "issue", steps: steps("issue"), statedTotal: null },
    { id: "reissue", steps: steps("reissue"), statedTotal: null },
    { id: "duplicate", steps: steps("duplicate"), statedTotal: null },
  ],
  documents: {
    basis: DOCUMENT_BASIS.s141,
    forms: "reference",
    extra: [
      {
        ru: "В ЦОН также даётся письменное согласие на использование сведений, составляющих охраняемую законом тайну. Результат выдаётся по предъявлении документа, удостоверяющего личность, или доверенности.",
        kk: "ХҚКО-да заңмен қорғалатын құпияны құрайтын мәліметтерді пайдалануға жазбаша келісім де беріледі. Нәтиже жеке басын куәландыратын құжатты немесе сенімхатты көрсеткенде беріледі.",
      },
    ],
  },
  receipts: NKO_CON_RECEIPTS,
  status: [STATUS.conReceipt],
  refusals: [REFUSALS.incompleteAtCon, REFUSALS.standardP10],
  notes: [NOTES.nkoNoTotal, NOTES.conQueue, NOTES.conBarrierFree],
};

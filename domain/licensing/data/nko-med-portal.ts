// [NKO] Medical licence through the portal (п.10; SPEC §5.3.5). The regulation gives no step durations here.
import type { ServiceCard, Step } from "../types.ts";
import { ACTORS, DOCUMENT_BASIS, NOTES, REFUSALS, SERVICE_NAMES, STANDARDS, STATUS } from "./common.ts";
import { NKO_PORTAL_RECEIPT, NKO_PROVIDER, NKO_RESULT } from "./shared-nko.ts";

const STEPS: Step[] = [
  {
    n: "1",
    actor: ACTORS.applicant,
    actorKind: "applicant",
    action: {
      ru: "Регистрируется и авторизуется на портале",
      kk: "Порталда тіркеледі және авторизациядан өтеді",
    },
    duration: null,
  },
  {
    n: "2",
    actor: ACTORS.applicant,
    actorKind: "applicant",
    action: {
      ru: "Выбирает электронную государственную услугу, заполняет поля электронного запроса и прикрепляет пакет документов",
      kk: "Электрондық мемлекеттік көрсетілетін қызметті таңдайды, электрондық сұрау салу өрістерін толтырады және құжаттар топтамасын қоса береді",
    },
    duration: null,
  },
  {
    n: "3",
    actor: ACTORS.applicant,
    actorKind: "applicant",
    action: {
      ru: "Удостоверяет электронный запрос посредством ЭЦП",
      kk: "Электрондық сұрау салуды ЭЦҚ арқылы куәландырады",
    },
    duration: null,
  },
  {
    n: "4",
    actor: ACTORS.provider,
    actorKind: "provider",
    action: {
      ru: "Обрабатывает (проверяет, регистрирует) электронный запрос",
      kk: "Электрондық сұрау салуды өңдейді (тексереді, тіркейді)",
    },
    duration: null,
  },
  {
    n: "5",
    actor: ACTORS.applicant,
    actorKind: "applicant",
    action: {
      ru: "Получает уведомление о статусе электронного запроса и сроке оказания услуги в истории получения государственных услуг личного кабинета",
      kk: "Жеке кабинеттің мемлекеттік қызметтерді алу тарихында электрондық сұрау салудың мәртебесі және қызмет көрсету мерзімі туралы хабарлама алады",
    },
    duration: null,
  },
  {
    n: "6",
    actor: ACTORS.provider,
    actorKind: "provider",
    action: {
      ru: "Направляет результат в «личный кабинет» в форме электронного документа, подписанного ЭЦП",
      kk: "Нәтижені ЭЦҚ-мен қол қойылған электрондық құжат нысанында «жеке кабинетке» жолдайды",
    },
    duration: null,
  },
  {
    n: "7",
    actor: ACTORS.applicant,
    actorKind: "applicant",
    action: {
      ru: "Получает результат государственной услуги в истории получения",
      kk: "Мемлекеттік қызмет нәтижесін алу тарихынан алады",
    },
    duration: null,
  },
];

export const card: ServiceCard = {
  id: "nko-med-portal",
  regulation: "NKO",
  service: "medical",
  channel: "portal",
  serviceName: SERVICE_NAMES.medical,
  provider: NKO_PROVIDER,
  channelName: {
    ru: "Веб-портал «Е-лицензирование» www.elicense.kz; веб-портал «электронного правительства» www.egov.kz",
    kk: "«Е-лицензиялау» веб-порталы www.elicense.kz; «электрондық үкімет» веб-порталы www.egov.kz",
  },
  standard: STANDARDS.s141,
  clause: { ru: "Регламент, п. 1, 6, 10", kk: "Регламент, 1, 6, 10-тармақтар" },
  result: NKO_RESULT,
  operations: [
    { id: "issue", steps: STEPS, statedTotal: null },
    { id: "reissue", steps: STEPS, statedTotal: null },
    { id: "duplicate", steps: STEPS, statedTotal: null },
  ],
  documents: { basis: DOCUMENT_BASIS.s141, forms: "reference", extra: [] },
  receipts: [NKO_PORTAL_RECEIPT],
  status: [STATUS.personalAccount],
  refusals: [REFUSALS.standardP10],
  notes: [NOTES.nkoPortalNoDurations],
};

// [AKT] Medical licence, electronic service through ПЭП (Приложение 1, table 1.1; SPEC §5.7.1).
import type { ServiceCard } from "../types.ts";
import { DOCUMENT_BASIS, NOTES, REFUSALS, SERVICE_NAMES, STANDARDS, STATUS } from "./common.ts";
import {
  AKT_LICENCE_RECEIPT,
  AKT_MED_PROVIDER,
  AKT_MED_RESULT,
  aktLicenceOperations,
  aktPortalSteps,
} from "./shared-akt.ts";

export const card: ServiceCard = {
  id: "akt-med-portal",
  regulation: "AKT",
  service: "medical",
  channel: "portal",
  serviceName: SERVICE_NAMES.medical,
  provider: AKT_MED_PROVIDER,
  channelName: {
    ru: "Веб-портал «электронного правительства» www.e.gov.kz (ПЭП) или веб-портал «Е-лицензирование» www.elicense.kz",
    kk: "«Электрондық үкімет» веб-порталы www.e.gov.kz (ЭҮП) немесе «Е-лицензиялау» веб-порталы www.elicense.kz",
  },
  standard: STANDARDS.s1173,
  clause: {
    ru: "Регламент электронной государственной услуги, п. 6, 10, 18; приложение 1, таблица 1.1",
    kk: "Электрондық мемлекеттік көрсетілетін қызмет регламенті, 6, 10, 18-тармақтар; 1-қосымша, 1.1-кесте",
  },
  result: AKT_MED_RESULT,
  operations: aktLicenceOperations(aktPortalSteps),
  documents: {
    basis: DOCUMENT_BASIS.s1173,
    forms: "own",
    extra: [
      {
        ru: "Документы прикрепляются к форме запроса в электронном виде; запрос удостоверяется ЭЦП получателя.",
        kk: "Құжаттар сұрау салу нысанына электрондық түрде қоса беріледі; сұрау салу алушының ЭЦҚ-сымен куәландырылады.",
      },
    ],
  },
  receipts: [AKT_LICENCE_RECEIPT],
  status: [STATUS.aktLicence, STATUS.callCentre],
  refusals: [REFUSALS.portalAuth, REFUSALS.noPayment, REFUSALS.edsInvalid, REFUSALS.qualification],
  notes: [NOTES.aktEds, NOTES.noFee, NOTES.aktTechnical, NOTES.aktForms],
};

// [AKT] Medical licence, electronic service through the provider (Приложение 1, table 1.2; SPEC §5.7.2).
import type { ServiceCard } from "../types.ts";
import { DOCUMENT_BASIS, NOTES, REFUSALS, SERVICE_NAMES, STANDARDS, STATUS } from "./common.ts";
import {
  AKT_LICENCE_RECEIPT,
  AKT_MED_PROVIDER,
  AKT_MED_RESULT,
  aktLicenceOperations,
  aktOfficeSteps,
} from "./shared-akt.ts";

export const card: ServiceCard = {
  id: "akt-med-office",
  regulation: "AKT",
  service: "medical",
  channel: "office",
  serviceName: SERVICE_NAMES.medical,
  provider: AKT_MED_PROVIDER,
  channelName: { ru: "Через услугодателя", kk: "Көрсетілетін қызметті беруші арқылы" },
  standard: STANDARDS.s1173,
  clause: {
    ru: "Регламент электронной государственной услуги, п. 7, 10; приложение 1, таблица 1.2",
    kk: "Электрондық мемлекеттік көрсетілетін қызмет регламенті, 7, 10-тармақтар; 1-қосымша, 1.2-кесте",
  },
  result: AKT_MED_RESULT,
  operations: aktLicenceOperations(aktOfficeSteps),
  documents: {
    basis: DOCUMENT_BASIS.s1173,
    forms: "own",
    extra: [
      {
        ru: "Документы представляются в бумажной форме; сотрудник услугодателя сканирует их и прикрепляет к запросу.",
        kk: "Құжаттар қағаз түрінде ұсынылады; көрсетілетін қызметті берушінің қызметкері оларды сканерлеп, сұрау салуға қоса береді.",
      },
    ],
  },
  receipts: [AKT_LICENCE_RECEIPT],
  status: [STATUS.aktLicence, STATUS.callCentre],
  refusals: [REFUSALS.staffLogin, REFUSALS.noDataGbd, REFUSALS.qualification],
  notes: [NOTES.aktEds, NOTES.aktForms],
};

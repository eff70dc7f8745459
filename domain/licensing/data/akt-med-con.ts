// [AKT] Medical licence, electronic service through the Centre (ЦОН) (Приложение 1, table 1.3; SPEC §5.7.3).
import type { ServiceCard } from "../types.ts";
import { DOCUMENT_BASIS, NOTES, REFUSALS, SERVICE_NAMES, STANDARDS, STATUS } from "./common.ts";
import {
  AKT_LICENCE_RECEIPT,
  AKT_MED_PROVIDER,
  AKT_MED_RESULT,
  aktConSteps,
  aktLicenceOperations,
} from "./shared-akt.ts";

export const card: ServiceCard = {
  id: "akt-med-con",
  regulation: "AKT",
  service: "medical",
  channel: "con",
  serviceName: SERVICE_NAMES.medical,
  provider: AKT_MED_PROVIDER,
  channelName: {
    ru: "На альтернативной основе через центры обслуживания населения (Центр)",
    kk: "Балама негізде халыққа қызмет көрсету орталықтары (Орталық) арқылы",
  },
  standard: STANDARDS.s1173,
  clause: {
    ru: "Регламент электронной государственной услуги, п. 8, 10; приложение 1, таблица 1.3",
    kk: "Электрондық мемлекеттік көрсетілетін қызмет регламенті, 8, 10-тармақтар; 1-қосымша, 1.3-кесте",
  },
  result: AKT_MED_RESULT,
  operations: aktLicenceOperations(aktConSteps),
  documents: {
    basis: DOCUMENT_BASIS.s1173,
    forms: "own",
    extra: [
      {
        ru: "Представитель получателя — с доверенностью; данные доверенности вводятся только при нотариально удостоверенной доверенности и проверяются в ЕНИС.",
        kk: "Алушының өкілі – сенімхатпен; сенімхат деректері тек нотариат куәландырған сенімхат болған кезде енгізіледі және БНАЖ-да тексеріледі.",
      },
    ],
  },
  receipts: [AKT_LICENCE_RECEIPT],
  status: [STATUS.aktLicence, STATUS.callCentre],
  refusals: [REFUSALS.noDataGbdEnis, REFUSALS.qualification],
  notes: [NOTES.aktEds, NOTES.aktForms],
};

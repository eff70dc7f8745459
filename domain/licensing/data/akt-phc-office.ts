// [AKT] PHC attachment through the provider (second regulation of decree No. 503, table 2; SPEC §5.13).
import type { ServiceCard } from "../types.ts";
import { DOCUMENT_BASIS, REFUSALS, SERVICE_NAMES, STANDARDS, STATUS } from "./common.ts";
import { AKT_PHC_OFFICE_RECEIPT, AKT_PHC_OFFICE_STEPS, AKT_PHC_PROVIDER } from "./shared-akt.ts";

export const card: ServiceCard = {
  id: "akt-phc-office",
  regulation: "AKT",
  service: "phc",
  channel: "office",
  serviceName: SERVICE_NAMES.phc,
  provider: AKT_PHC_PROVIDER,
  channelName: {
    ru: "Через услугодателя (медицинскую организацию по месту жительства)",
    kk: "Көрсетілетін қызметті беруші (тұрғылықты жері бойынша медициналық ұйым) арқылы",
  },
  standard: STANDARDS.s1294,
  clause: {
    ru: "Регламент «Прикрепление к медицинской организации…», п. 7; приложение 1, таблица 2",
    kk: "«Медициналық ұйымға бекіту…» регламенті, 7-тармақ; 1-қосымша, 2-кесте",
  },
  result: {
    ru: "Справка (талон) о прикреплении на бумажном носителе в произвольной форме.",
    kk: "Еркін нысанда қағаз жеткізгіштегі бекіту туралы анықтама (талон).",
  },
  operations: [{ id: "attach", steps: AKT_PHC_OFFICE_STEPS, statedTotal: null }],
  documents: {
    basis: DOCUMENT_BASIS.s1294,
    forms: null,
    extra: [
      {
        ru: "Сотрудник услугодателя вводит данные получателя, прикрепляет сканированные документы и удостоверяет запрос ЭЦП. Пункт 7 упоминает только ГБД ФЛ, таблица 2 — ГБД ФЛ/ГБД ЮЛ.",
        kk: "Көрсетілетін қызметті берушінің қызметкері алушының деректерін енгізеді, сканерленген құжаттарды қоса береді және сұрау салуды ЭЦҚ-мен куәландырады. 7-тармақта тек ЖТ МДҚ, 2-кестеде ЖТ МДҚ/ЗТ МДҚ аталған.",
      },
    ],
  },
  receipts: [AKT_PHC_OFFICE_RECEIPT],
  status: [STATUS.phcProvider, STATUS.callCentre],
  refusals: [REFUSALS.noDataGbd, REFUSALS.documentsViolation],
  notes: [],
};

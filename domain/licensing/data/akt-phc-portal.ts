// [AKT] PHC attachment, electronic service through ПЭП (second regulation of decree No. 503, table 1; SPEC §5.13).
import type { ServiceCard } from "../types.ts";
import { DOCUMENT_BASIS, NOTES, REFUSALS, SERVICE_NAMES, STANDARDS, STATUS } from "./common.ts";
import { AKT_PHC_PORTAL_RECEIPT, AKT_PHC_PORTAL_STEPS, AKT_PHC_PROVIDER } from "./shared-akt.ts";

export const card: ServiceCard = {
  id: "akt-phc-portal",
  regulation: "AKT",
  service: "phc",
  channel: "portal",
  serviceName: SERVICE_NAMES.phc,
  provider: AKT_PHC_PROVIDER,
  channelName: {
    ru: "Веб-портал «электронного правительства» www.e.gov.kz (ПЭП)",
    kk: "«Электрондық үкімет» веб-порталы www.e.gov.kz (ЭҮП)",
  },
  standard: STANDARDS.s1294,
  clause: {
    ru: "Регламент «Прикрепление к медицинской организации…», п. 6, 8–10; приложение 1, таблица 1",
    kk: "«Медициналық ұйымға бекіту…» регламенті, 6, 8–10-тармақтар; 1-қосымша, 1-кесте",
  },
  result: {
    ru: "Справка (талон) о прикреплении в форме электронного документа, сформированного АРМ услугодателя и подписанного ЭЦП уполномоченного лица услугодателя. Степень автоматизации: полностью автоматизированная; вид оказания: транзакционная.",
    kk: "Көрсетілетін қызметті берушінің АЖО-сы қалыптастырған және көрсетілетін қызметті берушінің уәкілетті тұлғасының ЭЦҚ-сымен қол қойылған электрондық құжат нысанындағы бекіту туралы анықтама (талон). Автоматтандыру дәрежесі: толық автоматтандырылған; көрсету түрі: транзакциялық.",
  },
  operations: [{ id: "attach", steps: AKT_PHC_PORTAL_STEPS, statedTotal: null }],
  documents: {
    basis: DOCUMENT_BASIS.s1294,
    forms: null,
    extra: [
      {
        ru: "Порядок на ПЭП: ввести ИИН, логин и пароль; выбрать услугу; нажать «Заказать услугу online»; заполнить запрос и прикрепить документы; нажать «отправить запрос»; выбрать регистрационное свидетельство ЭЦП; нажать «подписать».",
        kk: "ЭҮП-тегі тәртіп: ЖСН, логин және парольді енгізу; қызметті таңдау; «Қызметке online тапсырыс беру» түймесін басу; сұрау салуды толтырып, құжаттарды қоса беру; «сұрау салуды жіберу» түймесін басу; ЭЦҚ тіркеу куәлігін таңдау; «қол қою» түймесін басу.",
      },
    ],
  },
  receipts: [AKT_PHC_PORTAL_RECEIPT],
  status: [STATUS.phcScreen, STATUS.callCentre],
  refusals: [REFUSALS.portalAuth, REFUSALS.edsInvalid, REFUSALS.documentsViolation],
  notes: [NOTES.aktPhcTechnical],
};

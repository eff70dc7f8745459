// [NKO] Medical licence through the provider's канцелярия (п.5, п.8; SPEC §5.3.1–5.3.3).
import type { ServiceCard } from "../types.ts";
import { DOCUMENT_BASIS, NOTES, REFUSALS, SERVICE_NAMES, STANDARDS, STATUS } from "./common.ts";
import { NKO_OFFICE_RECEIPT, NKO_PROVIDER, NKO_RESULT, nkoProviderSteps } from "./shared-nko.ts";

export const card: ServiceCard = {
  id: "nko-med-office",
  regulation: "NKO",
  service: "medical",
  channel: "office",
  serviceName: SERVICE_NAMES.medical,
  provider: NKO_PROVIDER,
  channelName: { ru: "Канцелярия услугодателя", kk: "Көрсетілетін қызметті берушінің кеңсесі" },
  standard: STANDARDS.s141,
  clause: { ru: "Регламент, п. 4–8", kk: "Регламент, 4–8-тармақтар" },
  result: NKO_RESULT,
  operations: [
    { id: "issue", steps: nkoProviderSteps("issue", "office"), statedTotal: null },
    { id: "reissue", steps: nkoProviderSteps("reissue", "office"), statedTotal: null },
    { id: "duplicate", steps: nkoProviderSteps("duplicate", "office"), statedTotal: null },
  ],
  documents: {
    basis: DOCUMENT_BASIS.s141,
    forms: "reference",
    extra: [
      {
        ru: "Основание для начала процедуры — заявление и документы по пункту 9 стандарта (пакет документов). Результат выдаётся услугополучателю (законному представителю) при личном посещении.",
        kk: "Рәсімді бастауға негіз – өтініш және стандарттың 9-тармағында көрсетілген құжаттар (құжаттар топтамасы). Нәтиже көрсетілетін қызметті алушыға (заңды өкілге) жеке келген кезде беріледі.",
      },
    ],
  },
  receipts: [NKO_OFFICE_RECEIPT],
  status: [STATUS.office],
  refusals: [REFUSALS.standardP10],
  notes: [NOTES.nkoNoTotal],
};

// [EKO] Narcotics licence — con channel (decree No. 70 of 26.03.2014; SPEC §5.6).
import type { ServiceCard } from "../types.ts";
import { DOCUMENT_BASIS, NOTES, REFUSALS, SERVICE_NAMES, STANDARDS, STATUS } from "./common.ts";
import { EKO_CHANNELS, EKO_CON_RECEIPT, EKO_PROVIDER, ekoConOperations, ekoResult } from "./shared-eko.ts";

export const card: ServiceCard = {
  id: "eko-nar-con",
  regulation: "EKO",
  service: "narcotics",
  channel: "con",
  serviceName: SERVICE_NAMES.narcotics,
  provider: EKO_PROVIDER,
  channelName: EKO_CHANNELS.con,
  standard: STANDARDS.s142,
  clause: {
    ru: "Регламент деятельности, связанной с оборотом наркотических средств, п. 9–10",
    kk: "Есірткі құралдарының айналымына байланысты қызмет регламенті, 9–10-тармақтар",
  },
  result: ekoResult("narcotics"),
  operations: ekoConOperations(),
  documents: { basis: DOCUMENT_BASIS.s142, forms: "reference", extra: [] },
  receipts: [EKO_CON_RECEIPT],
  status: [STATUS.conOperator],
  refusals: [REFUSALS.noDataGbd, REFUSALS.documentsViolation, REFUSALS.qualificationNarcotics],
  notes: [NOTES.ekoPaperOnRequest],
};

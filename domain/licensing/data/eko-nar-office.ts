// [EKO] Narcotics licence — office channel (decree No. 70 of 26.03.2014; SPEC §5.6).
import type { ServiceCard } from "../types.ts";
import { DOCUMENT_BASIS, NOTES, REFUSALS, SERVICE_NAMES, STANDARDS, STATUS } from "./common.ts";
import {
  EKO_CHANNELS,
  EKO_PROVIDER,
  ekoOfficeOperations,
  ekoOfficeReceipt,
  ekoResult,
} from "./shared-eko.ts";

export const card: ServiceCard = {
  id: "eko-nar-office",
  regulation: "EKO",
  service: "narcotics",
  channel: "office",
  serviceName: SERVICE_NAMES.narcotics,
  provider: EKO_PROVIDER,
  channelName: EKO_CHANNELS.office,
  standard: STANDARDS.s142,
  clause: {
    ru: "Регламент деятельности, связанной с оборотом наркотических средств, п. 3–8",
    kk: "Есірткі құралдарының айналымына байланысты қызмет регламенті, 3–8-тармақтар",
  },
  result: ekoResult("narcotics"),
  operations: ekoOfficeOperations("narcotics"),
  documents: { basis: DOCUMENT_BASIS.s142, forms: "reference", extra: [] },
  receipts: [ekoOfficeReceipt("narcotics")],
  status: [STATUS.office],
  refusals: [REFUSALS.incompleteAtProvider, REFUSALS.qualificationNarcotics],
  notes: [NOTES.ekoOfficeNoTotal, NOTES.ekoPaperOnRequest],
};

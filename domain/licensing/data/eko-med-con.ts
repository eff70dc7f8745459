// [EKO] Medical licence — con channel (decree No. 70 of 26.03.2014; SPEC §5.4.4).
import type { ServiceCard } from "../types.ts";
import { DOCUMENT_BASIS, NOTES, REFUSALS, SERVICE_NAMES, STANDARDS, STATUS } from "./common.ts";
import { EKO_CHANNELS, EKO_CON_RECEIPT, EKO_PROVIDER, ekoConOperations, ekoResult } from "./shared-eko.ts";

export const card: ServiceCard = {
  id: "eko-med-con",
  regulation: "EKO",
  service: "medical",
  channel: "con",
  serviceName: SERVICE_NAMES.medical,
  provider: EKO_PROVIDER,
  channelName: EKO_CHANNELS.con,
  standard: STANDARDS.s141,
  clause: {
    ru: "Регламент медицинской деятельности, п. 9–10",
    kk: "Медициналық қызмет регламенті, 9–10-тармақтар",
  },
  result: ekoResult("medical"),
  operations: ekoConOperations(),
  documents: { basis: DOCUMENT_BASIS.s141, forms: "reference", extra: [] },
  receipts: [EKO_CON_RECEIPT],
  status: [STATUS.conOperator],
  refusals: [REFUSALS.noDataGbd, REFUSALS.documentsViolation, REFUSALS.qualification],
  notes: [NOTES.ekoResultForm],
};

// [EKO] Medical licence — office channel (decree No. 70 of 26.03.2014; SPEC §5.4.1–5.4.3).
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
  id: "eko-med-office",
  regulation: "EKO",
  service: "medical",
  channel: "office",
  serviceName: SERVICE_NAMES.medical,
  provider: EKO_PROVIDER,
  channelName: EKO_CHANNELS.office,
  standard: STANDARDS.s141,
  clause: {
    ru: "Регламент медицинской деятельности, п. 3–8",
    kk: "Медициналық қызмет регламенті, 3–8-тармақтар",
  },
  result: ekoResult("medical"),
  operations: ekoOfficeOperations("medical"),
  documents: { basis: DOCUMENT_BASIS.s141, forms: "reference", extra: [] },
  receipts: [ekoOfficeReceipt("medical")],
  status: [STATUS.office],
  refusals: [REFUSALS.incompleteAtProvider, REFUSALS.qualification],
  notes: [NOTES.ekoOfficeNoTotal, NOTES.ekoResultForm],
};

// [EKO] Pharmaceutical licence — office channel (decree No. 70 of 26.03.2014; SPEC §5.5).
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
  id: "eko-pha-office",
  regulation: "EKO",
  service: "pharmaceutical",
  channel: "office",
  serviceName: SERVICE_NAMES.pharmaceutical,
  provider: EKO_PROVIDER,
  channelName: EKO_CHANNELS.office,
  standard: STANDARDS.s142,
  clause: {
    ru: "Регламент фармацевтической деятельности, п. 3–8",
    kk: "Фармацевтикалық қызмет регламенті, 3–8-тармақтар",
  },
  result: ekoResult("pharmaceutical"),
  operations: ekoOfficeOperations("pharmaceutical"),
  documents: { basis: DOCUMENT_BASIS.s142, forms: "reference", extra: [] },
  receipts: [ekoOfficeReceipt("pharmaceutical")],
  status: [STATUS.office],
  refusals: [REFUSALS.incompleteAtProvider, REFUSALS.qualification],
  notes: [NOTES.ekoOfficeNoTotal, NOTES.ekoPaperOnRequest],
};

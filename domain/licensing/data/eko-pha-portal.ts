// [EKO] Pharmaceutical licence — portal channel (decree No. 70 of 26.03.2014; SPEC §5.5).
import type { ServiceCard } from "../types.ts";
import { DOCUMENT_BASIS, NOTES, REFUSALS, SERVICE_NAMES, STANDARDS, STATUS } from "./common.ts";
import {
  EKO_CHANNELS,
  EKO_PORTAL_RECEIPT,
  EKO_PROVIDER,
  ekoPortalOperations,
  ekoResult,
} from "./shared-eko.ts";

export const card: ServiceCard = {
  id: "eko-pha-portal",
  regulation: "EKO",
  service: "pharmaceutical",
  channel: "portal",
  serviceName: SERVICE_NAMES.pharmaceutical,
  provider: EKO_PROVIDER,
  channelName: EKO_CHANNELS.portal,
  standard: STANDARDS.s142,
  clause: {
    ru: "Регламент фармацевтической деятельности, п. 9–11",
    kk: "Фармацевтикалық қызмет регламенті, 9–11-тармақтар",
  },
  result: ekoResult("pharmaceutical"),
  operations: ekoPortalOperations(),
  documents: { basis: DOCUMENT_BASIS.s142, forms: "reference", extra: [] },
  receipts: [EKO_PORTAL_RECEIPT],
  status: [STATUS.personalAccount],
  refusals: [REFUSALS.portalAuth, REFUSALS.noPayment, REFUSALS.edsInvalid, REFUSALS.qualification],
  notes: [NOTES.noFee, NOTES.ekoPaperOnRequest],
};

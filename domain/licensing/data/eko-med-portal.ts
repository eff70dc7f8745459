// [EKO] Medical licence — portal channel (decree No. 70 of 26.03.2014; SPEC §5.4.5).
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
  id: "eko-med-portal",
  regulation: "EKO",
  service: "medical",
  channel: "portal",
  serviceName: SERVICE_NAMES.medical,
  provider: EKO_PROVIDER,
  channelName: EKO_CHANNELS.portal,
  standard: STANDARDS.s141,
  clause: {
    ru: "Регламент медицинской деятельности, п. 3, 10–11",
    kk: "Медициналық қызмет регламенті, 3, 10–11-тармақтар",
  },
  result: ekoResult("medical"),
  operations: ekoPortalOperations(),
  documents: { basis: DOCUMENT_BASIS.s141, forms: "reference", extra: [] },
  receipts: [EKO_PORTAL_RECEIPT],
  status: [STATUS.personalAccount],
  refusals: [REFUSALS.portalAuth, REFUSALS.noPayment, REFUSALS.edsInvalid, REFUSALS.qualification],
  notes: [NOTES.noFee, NOTES.ekoResultForm],
};

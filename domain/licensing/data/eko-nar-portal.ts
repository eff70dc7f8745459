// [EKO] Narcotics licence — portal channel (decree No. 70 of 26.03.2014; SPEC §5.6).
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
  id: "eko-nar-portal",
  regulation: "EKO",
  service: "narcotics",
  channel: "portal",
  serviceName: SERVICE_NAMES.narcotics,
  provider: EKO_PROVIDER,
  channelName: EKO_CHANNELS.portal,
  standard: STANDARDS.s142,
  clause: {
    ru: "Регламент деятельности, связанной с оборотом наркотических средств, п. 3, 10–11",
    kk: "Есірткі құралдарының айналымына байланысты қызмет регламенті, 3, 10–11-тармақтар",
  },
  result: ekoResult("narcotics"),
  operations: ekoPortalOperations(),
  documents: { basis: DOCUMENT_BASIS.s142, forms: "reference", extra: [] },
  receipts: [EKO_PORTAL_RECEIPT],
  status: [STATUS.personalAccount],
  refusals: [REFUSALS.portalAuth, REFUSALS.noPayment, REFUSALS.edsInvalid, REFUSALS.qualificationNarcotics],
  notes: [NOTES.noFee, NOTES.ekoPaperOnRequest],
};

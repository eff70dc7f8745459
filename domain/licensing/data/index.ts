// Every service card, in menu order. Add a card: create data/<id>.ts exporting `card` and list it here.
import type { ChannelId, ServiceCard, ServiceId } from "../types.ts";
import { card as aktMedCon } from "./akt-med-con.ts";
import { card as aktMedOffice } from "./akt-med-office.ts";
import { card as aktMedPortal } from "./akt-med-portal.ts";
import { card as aktPhcOffice } from "./akt-phc-office.ts";
import { card as aktPhcPortal } from "./akt-phc-portal.ts";
import { card as ekoMedCon } from "./eko-med-con.ts";
import { card as ekoMedOffice } from "./eko-med-office.ts";
import { card as ekoMedPortal } from "./eko-med-portal.ts";
import { card as ekoNarCon } from "./eko-nar-con.ts";
import { card as ekoNarOffice } from "./eko-nar-office.ts";
import { card as ekoNarPortal } from "./eko-nar-portal.ts";
import { card as ekoPhaOffice } from "./eko-pha-office.ts";
import { card as ekoPhaPortal } from "./eko-pha-portal.ts";
import { card as nkoMedCon } from "./nko-med-con.ts";
import { card as nkoMedOffice } from "./nko-med-office.ts";
import { card as nkoMedPortal } from "./nko-med-portal.ts";

export const CARDS: readonly ServiceCard[] = [
  aktMedOffice,
  aktMedCon,
  aktMedPortal,
  nkoMedOffice,
  nkoMedCon,
  nkoMedPortal,
  ekoMedOffice,
  ekoMedCon,
  ekoMedPortal,
  ekoPhaOffice,
  ekoPhaPortal,
  ekoNarOffice,
  ekoNarCon,
  ekoNarPortal,
  aktPhcOffice,
  aktPhcPortal,
];

export const SERVICES: readonly ServiceId[] = ["medical", "pharmaceutical", "narcotics", "phc"];
export const CHANNELS: readonly ChannelId[] = ["office", "con", "portal"];

const byId = new Map(CARDS.map((c) => [c.id, c]));

export function findCard(id: string): ServiceCard | undefined {
  return byId.get(id);
}

export function cardsOf(service: ServiceId): ServiceCard[] {
  return CARDS.filter((c) => c.service === service);
}

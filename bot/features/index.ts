// Every feature is one Composer; they are installed in this order, the fallback last.
// Add a feature: create bot/features/<name>.ts exporting `const feature: Feature` and list it here.
import type { Composer } from "grammy";
import type { AppContext } from "../context.ts";
import { feature as applications } from "./applications.ts";
import { feature as fallback } from "./fallback.ts";
import { feature as head } from "./head.ts";
import { feature as licences } from "./licences.ts";
import { feature as licensing } from "./licensing.ts";
import { feature as staff } from "./staff.ts";
import { feature as start } from "./start.ts";
import { feature as status } from "./status.ts";

export interface Feature {
  name: string;
  composer: Composer<AppContext>;
}

export const features: Feature[] = [
  licensing, // before start: owns /services and the «Государственные услуги» menu button
  start,
  licences,
  status,
  head,
  applications,
  staff,
  // fallback must stay last
  fallback,
];

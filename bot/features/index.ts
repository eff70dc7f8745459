// Every feature is one Composer; they are installed in this order, the fallback last.
// Add a feature: create bot/features/<name>/index.ts exporting `const feature: Feature` and list it here.
import type { Feature } from "../kit/feature.ts";
import { feature as applications } from "./applications/index.ts";
import { feature as deliveries } from "./deliveries/index.ts";
import { feature as dashboard } from "./dashboard/index.ts";
import { feature as drafts } from "./drafts/index.ts";
import { feature as fallback } from "./fallback/index.ts";
import { feature as licensing } from "./licensing/index.ts";
import { feature as head } from "./head/index.ts";
import { feature as licences } from "./licences/index.ts";
import { feature as menu } from "./menu/index.ts";
import { feature as register } from "./register/index.ts";
import { feature as staff } from "./staff/index.ts";
import { feature as start } from "./start/index.ts";
import { feature as survey } from "./survey/index.ts";

export const features: readonly Feature[] = [
  start, // first: the first language choice and the invite before it
  menu,
  licensing,
  staff,
  register,
  survey,
  deliveries,
  head,
  applications,
  licences,
  drafts,
  dashboard,
  // fallback must stay last
  fallback,
];

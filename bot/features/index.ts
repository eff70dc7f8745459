// Every feature is one Composer; they are installed in this order, the fallback last.
// Add a feature: create bot/features/<name>.ts exporting `const feature: Feature` and list it here.
import type { Composer } from "grammy";
import type { AppContext } from "../context.ts";

export interface Feature {
  name: string;
  composer: Composer<AppContext>;
}

export const features: Feature[] = [];

// The pure domain: vocabulary, contracts, the state machine, form rules, licences, IIN/BIN, notifications,
// ports, the working-day calendar, КАТО names and search folding, plausibility of production bases. Import from here: `import { decide } from "../domain/index.ts"`.
export * from "./calendar.ts";
export * from "./contracts.ts";
export * from "./iin.ts";
export * from "./kato.ts";
export * from "./licences.ts";
export * from "./notifications.ts";
// the coordinates rules are re-exported by rules.ts as well
export {
  type Bounds,
  baseRegion,
  confirmationKey,
  coordinatesPlausibility,
  katoRegionErrors,
  type PlausibleBase,
  parseCoordinates,
  REGION_BOUNDS,
  regionBounds,
} from "./plausibility.ts";
export * from "./ports.ts";
export * from "./rules.ts";
export * from "./stateMachine.ts";
export * from "./types.ts";

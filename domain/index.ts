// The pure domain: vocabulary, contracts, the state machine, form rules, licences, IIN/BIN, notifications,
// ports and the working-day calendar. Import from here: `import { decide } from "../domain/index.ts"`.
export * from "./calendar.ts";
export * from "./contracts.ts";
export * from "./iin.ts";
export * from "./licences.ts";
export * from "./notifications.ts";
export * from "./ports.ts";
export * from "./rules.ts";
export * from "./stateMachine.ts";
export * from "./types.ts";

// Writes docs/STATE_MACHINE.md from the one transition table in domain/stateMachine.ts.
// `npm run docs`; test/domain/state-machine-doc.test.ts fails when the file is out of date.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { transitionTableMarkdown } from "../domain/stateMachine.ts";

export const DOC_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "STATE_MACHINE.md");

export function stateMachineDoc(): string {
  return [
    "# Application state machine",
    "",
    "Generated from `TRANSITIONS` in `domain/stateMachine.ts` by `npm run docs`; do not edit by hand.",
    "SPEC §4 (T1–T20, X1–X7) with the product decisions of DECISIONS.md 9–16.",
    "",
    transitionTableMarkdown(),
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DOC_PATH, stateMachineDoc());
  console.log(`wrote ${DOC_PATH}`);
}

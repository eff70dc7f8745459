import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DOC_PATH, stateMachineDoc } from "../../scripts/gen-state-machine-doc.ts";

describe("docs/STATE_MACHINE.md", () => {
  it("is generated from the transition table and up to date (run `npm run docs`)", () => {
    const doc = stateMachineDoc();
    expect(doc).toContain("| T17 |");
    expect(doc).toContain("| X7 |");
    expect(readFileSync(DOC_PATH, "utf8")).toBe(doc);
  });
});

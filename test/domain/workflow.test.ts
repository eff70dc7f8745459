// The workflow facts derived from the transition table (domain/workflow.ts), against expectations written by
// hand from SPEC §4 and DECISIONS 8, 9, 13: a row change that alters a queue, a reminder or a stage fails here.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ACTIONABLE_KINDS, NOTIFICATION_KINDS } from "../../domain/notifications.ts";
import { TRANSITIONS } from "../../domain/transitions.ts";
import { STATUSES, type Status } from "../../domain/types.ts";
import {
  FINAL_STATUSES,
  FUND_STAGE_STATUSES,
  isFinalStatus,
  isOpenStatus,
  isSilentStatusPush,
  isStageLive,
  isStageMessageKind,
  KNOWN_NOTIFICATION_KINDS,
  OPEN_STATUSES,
  QUEUE_STATUSES,
  REMINDER_RULES,
  STAGE_MESSAGE_KINDS,
  STAGES,
  stageFor,
} from "../../domain/workflow.ts";

const sorted = (xs: readonly string[]) => [...xs].sort();

describe("open and final statuses (SPEC §4.1, DECISIONS 8)", () => {
  it("FINAL_STATUSES: «Включен в БД», «Отклонена», «Изменена», «Исключен из БД»", () => {
    expect(sorted(FINAL_STATUSES)).toEqual(sorted(["INCLUDED", "REJECTED", "CHANGED", "EXCLUDED"]));
  });

  it("OPEN_STATUSES: every status before a final one", () => {
    expect(sorted(OPEN_STATUSES)).toEqual(
      sorted([
        "DRAFT",
        "HEAD_APPROVAL",
        "UNDER_REVIEW",
        "AGREED_CHECK",
        "REJECTED_CHECK",
        "CONFIRMED_APPROVAL",
        "REJECTED_APPROVAL",
      ]),
    );
    expect(sorted([...OPEN_STATUSES, ...FINAL_STATUSES])).toEqual(sorted(STATUSES));
  });

  it("isOpenStatus / isFinalStatus agree with the lists; a deleted draft is neither", () => {
    for (const s of STATUSES) {
      expect(isOpenStatus(s), s).toBe(OPEN_STATUSES.includes(s));
      expect(isFinalStatus(s), s).toBe(FINAL_STATUSES.includes(s));
    }
    expect(isOpenStatus("DELETED")).toBe(false);
    expect(isFinalStatus("DELETED")).toBe(false);
  });

  it("the database's one-open-per-region index lists exactly OPEN_STATUSES (DECISIONS 8 is enforced there)", () => {
    const dir = resolve(import.meta.dirname, "../../prisma/migrations");
    const sql = readdirSync(dir)
      .filter((d) => !d.endsWith(".toml"))
      .map((d) => readFileSync(join(dir, d, "migration.sql"), "utf8"))
      .join("\n");
    const m = /CREATE UNIQUE INDEX "Application_one_open_per_region_key"[\s\S]*?"status" IN \(([^)]*)\)/.exec(
      sql,
    );
    expect(m, "the index is in a migration").not.toBeNull();
    const listed = [...(m?.[1] ?? "").matchAll(/'(\w+)'/g)].map((x) => x[1]!);
    expect(sorted(listed)).toEqual(sorted(OPEN_STATUSES));
  });
});

describe("stages and queues (SPEC §4.1 «Who holds the ball»)", () => {
  it("every open status has a stage, with the side and audience of who must act", () => {
    const expected: Record<string, { side: string; name: string; audience: string; staffRole?: string }> = {
      DRAFT: { side: "SUPPLIER", name: "draft", audience: "AUTHOR" },
      HEAD_APPROVAL: { side: "HEAD", name: "head", audience: "HEADS" },
      UNDER_REVIEW: { side: "FUND", name: "review", audience: "BRANCH_REVIEWERS", staffRole: "REVIEWER" },
      // DECISIONS 9: the chosen checkers, not the whole branch
      AGREED_CHECK: { side: "FUND", name: "check", audience: "CHOSEN_CHECKERS", staffRole: "CHECKER" },
      REJECTED_CHECK: { side: "FUND", name: "check", audience: "CHOSEN_CHECKERS", staffRole: "CHECKER" },
      CONFIRMED_APPROVAL: {
        side: "FUND",
        name: "approval",
        audience: "BRANCH_APPROVERS",
        staffRole: "APPROVER",
      },
      REJECTED_APPROVAL: {
        side: "FUND",
        name: "approval",
        audience: "BRANCH_APPROVERS",
        staffRole: "APPROVER",
      },
    };
    expect(sorted(Object.keys(STAGES))).toEqual(sorted(Object.keys(expected)));
    for (const [status, want] of Object.entries(expected)) {
      const st = stageFor(status as Status);
      expect(
        st && { side: st.side, name: st.name, audience: st.audience, staffRole: st.staffRole },
        status,
      ).toEqual({
        staffRole: undefined,
        ...want,
      });
    }
    for (const s of FINAL_STATUSES) expect(stageFor(s), s).toBeNull();
  });

  it("QUEUE_STATUSES per Fund role; the manager sees every Fund stage", () => {
    expect(QUEUE_STATUSES).toEqual({
      REVIEWER: ["UNDER_REVIEW"],
      CHECKER: ["AGREED_CHECK", "REJECTED_CHECK"],
      APPROVER: ["CONFIRMED_APPROVAL", "REJECTED_APPROVAL"],
      MANAGER: ["UNDER_REVIEW", "AGREED_CHECK", "REJECTED_CHECK", "CONFIRMED_APPROVAL", "REJECTED_APPROVAL"],
    });
    expect(FUND_STAGE_STATUSES).toEqual(QUEUE_STATUSES.MANAGER);
  });

  it("REMINDER_RULES: who must act is reminded; the branch managers are the escalation", () => {
    expect(REMINDER_RULES).toEqual([
      { status: "UNDER_REVIEW", remind: "BRANCH_REVIEWERS", escalate: "BRANCH_MANAGERS" },
      { status: "AGREED_CHECK", remind: "CHOSEN_CHECKERS", escalate: "BRANCH_MANAGERS" },
      { status: "REJECTED_CHECK", remind: "CHOSEN_CHECKERS", escalate: "BRANCH_MANAGERS" },
      { status: "CONFIRMED_APPROVAL", remind: "BRANCH_APPROVERS", escalate: "BRANCH_MANAGERS" },
      { status: "REJECTED_APPROVAL", remind: "BRANCH_APPROVERS", escalate: "BRANCH_MANAGERS" },
    ]);
  });
});

describe("stage messages and their closing (DECISIONS 9, 16)", () => {
  it("STAGE_MESSAGE_KINDS: the requests to act (T5, T8, T12/T13/X3, T14/T15/X5, T16/T19), reminders, escalations", () => {
    expect(sorted(STAGE_MESSAGE_KINDS)).toEqual(
      sorted([
        "head_approval_requested",
        "new_for_review",
        "check_requested",
        "approval_requested",
        "returned_for_review",
        "reminder",
        "escalation",
      ]),
    );
    expect(sorted(STAGE_MESSAGE_KINDS.filter((k) => k !== "reminder" && k !== "escalation"))).toEqual(
      sorted(ACTIONABLE_KINDS),
    );
  });

  it("status pushes, questionnaires and the exclusion-cancelled note are not stage messages (they are never closed)", () => {
    for (const k of ["status_changed", "questionnaire", "exclusion_cancelled", "stage_closed"])
      expect(isStageMessageKind(k), k).toBe(false);
  });

  it("every rows' notification kind is known and has a place in KNOWN_NOTIFICATION_KINDS", () => {
    for (const r of TRANSITIONS)
      for (const n of r.notify) expect(KNOWN_NOTIFICATION_KINDS, `${r.id}`).toContain(n.kind);
    expect(sorted(KNOWN_NOTIFICATION_KINDS)).toEqual(
      sorted([...NOTIFICATION_KINDS, "reminder", "escalation", "stage_closed"]),
    );
  });

  it("isStageLive: a stage message lives while the status has not changed since it was written", () => {
    const t0 = new Date("2026-03-02T05:00:00Z");
    const t1 = new Date("2026-03-02T06:00:00Z");
    const msg = (kind: string, stageAt: Date | null) => ({ kind, stageAt });
    expect(isStageLive(msg("check_requested", t0), { statusChangedAt: t0 })).toBe(true);
    expect(isStageLive(msg("check_requested", t0), { statusChangedAt: new Date(t0.getTime()) })).toBe(true);
    expect(isStageLive(msg("check_requested", t0), { statusChangedAt: t1 })).toBe(false);
    expect(isStageLive(msg("reminder", t0), { statusChangedAt: t1 })).toBe(false);
    // a message without a stage moment (written before stages were tracked) is not closed
    expect(isStageLive(msg("check_requested", null), { statusChangedAt: t1 })).toBe(true);
    // the application is gone (deleted draft): its stage messages are over
    expect(isStageLive(msg("head_approval_requested", t0), null)).toBe(false);
    // anything else always lives
    expect(isStageLive(msg("status_changed", t0), { statusChangedAt: t1 })).toBe(true);
    expect(isStageLive(msg("questionnaire", t0), null)).toBe(true);
  });
});

describe("DECISIONS 13: which status pushes are silent", () => {
  it("silent at the intermediate Fund stages; loud when the supplier or the head must act and at final decisions", () => {
    const silent: Record<Status | "DELETED", boolean> = {
      DRAFT: false, // the head's rejection: the supplier must act
      HEAD_APPROVAL: false, // the head must sign
      UNDER_REVIEW: true,
      AGREED_CHECK: true,
      REJECTED_CHECK: true,
      CONFIRMED_APPROVAL: true,
      REJECTED_APPROVAL: true,
      INCLUDED: false,
      REJECTED: false,
      CHANGED: false,
      EXCLUDED: false,
      DELETED: false,
    };
    for (const [to, want] of Object.entries(silent)) expect(isSilentStatusPush(to as Status), to).toBe(want);
  });

  it("every final decision's push is loud", () => {
    for (const r of TRANSITIONS.filter((x) => x.final)) expect(isSilentStatusPush(r.to), r.id).toBe(false);
  });
});

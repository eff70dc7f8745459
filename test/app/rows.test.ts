// Every row of the transition table executed by app.act on real PostgreSQL writes what its effects declare, and
// nothing else: the status, version + 1, the stamps, the signatures with their files, the attached document,
// the notice, the head's reason, «Сохранить», the current form; exactly one audit row; the outbox rows of its
// notifications (audiences resolved, event keys, silent flags, stage keys) and the "stage_closed" edits of the
// messages of the stage it ends (only those). Then the snapshot the store leaves equals `snapshotAfter`.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppSnapshot, NotificationIntent, TransitionInput } from "../../domain/contracts.ts";
import { currentNotice } from "../../domain/stateMachine.ts";
import { TRANSITIONS, type TransitionRow } from "../../domain/transitions.ts";
import type { Status } from "../../domain/types.ts";
import { STAGE_MESSAGE_KINDS } from "../../domain/workflow.ts";
import { Chain, deliverAll, type Who, type World, world } from "./chain.ts";

let w: World;
let c: Chain;
beforeAll(async () => {
  w = await world();
});
beforeEach(async () => {
  c = await new Chain(w).newOrg();
});
afterAll(() => w?.close());

/** DECISIONS 13, by hand: the supplier's push is silent at these intermediate Fund stages only. */
const SILENT: readonly (Status | "DELETED")[] = [
  "UNDER_REVIEW",
  "AGREED_CHECK",
  "REJECTED_CHECK",
  "CONFIRMED_APPROVAL",
  "REJECTED_APPROVAL",
];

/** Who presses each row, with what (every input the row asks for, and the optional document where it has one). */
async function pressOf(row: TransitionRow, id: string): Promise<{ who: Who; input: TransitionInput }> {
  const file = async (name: string) => (await c.file(name)).id;
  const formId = async () => (await w.prisma.application.findUniqueOrThrow({ where: { id } })).formFileId!;
  const reason = { reasonText: `Причина отказа по строке ${row.id}` };
  switch (row.id) {
    case "T2":
      return { who: "supplierAdmin", input: { patch: { asCoExecutor: true, progress: { step: "A_ROLE" } } } };
    case "T1/T2":
      return { who: "supplierAdmin", input: {} };
    case "T3":
      return { who: "admin2", input: { confirmed: true } };
    case "T4":
      return {
        who: "supplierAdmin",
        input: { document: { kind: "APPLICATION_FORM", fileId: await file("form2.pdf") } },
      };
    case "T5":
      return { who: "admin2", input: {} };
    case "T6": {
      const f = await file("consent.pdf");
      return {
        who: "head",
        input: { signatures: [c.sig("CONSENT", f)], document: { kind: "CONSENT", fileId: f } },
      };
    }
    case "T7":
      return { who: "attorney", input: reason };
    case "T8":
      return { who: "head", input: { confirmed: true, signatures: [c.sig("APPLICATION", await formId())] } };
    case "T9":
      return { who: "reviewer", input: { document: { kind: "NOTICE", fileId: await file("notice.pdf") } } };
    case "T10":
      return {
        who: "reviewer",
        input: {
          reasons: ["NO_LICENCE", "INCOMPLETE_DOCS"],
          note: "Нет L64",
          document: { kind: "NOTICE", fileId: await file("n.pdf") },
        },
      };
    case "T11":
    case "X2":
      return { who: "reviewer", input: {} };
    case "T12":
      return { who: "reviewer", input: { checkerIds: [c.id("checker2"), c.id("checker")] } };
    case "T13":
    case "X3":
      return { who: "reviewer", input: { checkerIds: [c.id("checker")] } };
    case "T14":
    case "T15":
    case "X5":
      return { who: "checker", input: {} };
    case "T16":
    case "X4":
      return { who: "checker", input: reason };
    case "T17":
    case "T18":
      return { who: "approver", input: {} };
    case "T19":
    case "X6":
      return { who: "approver2", input: reason };
    case "T20":
      return { who: row.from === "INCLUDED" ? "supplierAdmin" : "admin2", input: {} };
    case "X1":
      return {
        who: "reviewer",
        input: {
          reasons: ["LICENCE_TERMINATED"],
          additionalGround: "Решение суда",
          document: { kind: "NOTICE", fileId: await file("x.pdf") },
        },
      };
    case "X7": {
      const f = await file("exclusion-notice.pdf");
      return { who: "approver", input: { confirmed: true, signatures: [c.sig("EXCLUSION_NOTICE", f)] } };
    }
    default:
      throw new Error(`no press for ${row.id}`);
  }
}

async function fromState(row: TransitionRow): Promise<string> {
  if (row.id === "T1/T2") return c.draft();
  if (row.id === "T11") return c.withNotice("REJECTION");
  if (row.id === "T12") return c.withNotice("INCLUSION");
  if (row.id === "T13") return c.withNotice("REJECTION");
  if (row.id === "T6" || row.id === "T7") return c.headApproval();
  if (row.id === "T8") return c.consented();
  if (row.id === "X2" || row.id === "X3") return c.exclusionNotice();
  const kind =
    row.decisionKind === "ANY"
      ? row.from === "INCLUDED"
        ? "INCLUSION"
        : row.from === "REJECTED"
          ? "REJECTION"
          : null
      : row.decisionKind;
  return c.at(row.from!, kind);
}

/** The recipients of an intent, resolved by hand from the memberships. */
async function recipients(
  n: NotificationIntent,
  app: { authorId: string; orgId: string; regionCode: string | null },
  ctx: { noticeAuthor: string | null; checkers: string[] },
) {
  const staff = async (role: "REVIEWER" | "CHECKER" | "APPROVER" | "MANAGER") =>
    (
      await w.prisma.staffMembership.findMany({
        where: { role, branch: { regionCode: app.regionCode ?? "" } },
      })
    ).map((m) => m.userId);
  switch (n.audience) {
    case "AUTHOR":
      return [app.authorId];
    case "HEADS":
      return (
        await w.prisma.orgMembership.findMany({
          where: { orgId: app.orgId, role: { in: ["HEAD", "HEAD_ATTORNEY"] } },
        })
      ).map((m) => m.userId);
    case "BRANCH_REVIEWERS":
      return staff("REVIEWER");
    case "BRANCH_CHECKERS":
      return staff("CHECKER");
    case "BRANCH_APPROVERS":
      return staff("APPROVER");
    case "BRANCH_MANAGERS":
      return staff("MANAGER");
    case "NOTICE_AUTHOR":
      return ctx.noticeAuthor ? [ctx.noticeAuthor] : [];
    case "CHOSEN_CHECKERS":
      return ctx.checkers;
  }
}

/** The state-machine view of a snapshot: the notice that belongs to the status (others are history). */
const effective = (s: AppSnapshot) => ({ ...s, activeNotice: currentNotice(s) });

describe("every row of the table, executed by app.act, writes what its effects declare", () => {
  for (const row of TRANSITIONS.filter((r) => r.action !== "CREATE")) {
    it(`${row.id} ${row.action} from ${row.from}${row.decisionKind === "ANY" ? "" : `/${row.decisionKind}`} → ${row.to}`, async () => {
      const id = await fromState(row);
      const { who, input } = await pressOf(row, id);
      const actorId = c.id(who);
      await deliverAll(w.prisma, id); // the messages of the stage so far were delivered (closing edits them)
      // (messages of earlier stages delivered late are among them: this decision must not close those)
      const before = await w.prisma.application.findUniqueOrThrow({ where: { id } });
      const facts0 = (await w.app.ports.store.applications.facts(id, actorId))!;
      const counts0 = {
        audit: await w.prisma.auditEvent.count({ where: { chainId: before.chainId } }),
        sigs: await w.prisma.signature.count({ where: { applicationId: id } }),
        docs: await w.prisma.applicationDocument.count({ where: { applicationId: id } }),
        notices: await w.prisma.notice.count({ where: { applicationId: id } }),
      };
      const sentStage = await w.prisma.outbox.findMany({
        where: { applicationId: id, status: "SENT", kind: { in: [...STAGE_MESSAGE_KINDS] } },
      });

      const r = await c.must(who, id, row.action, input);
      const now = w.clock.now();
      const v = before.version + 1;
      const moved = row.to !== row.from;
      expect(r.decision.transitionId).toBe(row.id);
      expect(r.version).toBe(v);

      // ── the application row ──
      const after = await w.prisma.application.findUnique({ where: { id } });
      if (row.to === "DELETED") {
        expect(after).toBeNull();
        expect(r.snapshot).toBeNull();
      } else {
        if (!after) throw new Error("gone");
        expect(after.status).toBe(row.to);
        expect(after.decisionKind).toBe(
          row.toDecisionKind === "KEEP" ? before.decisionKind : row.toDecisionKind,
        );
        expect(after.version).toBe(v);
        expect(after.statusChangedAt).toEqual(moved ? now : before.statusChangedAt);
        for (const s of ["submittedAt", "decidedAt", "excludedAt"] as const)
          expect(after[s], s).toEqual(row.effects.stamp?.includes(s) ? now : before[s]);
        expect(after.savedAt).toEqual(row.effects.markSaved ? (before.savedAt ?? now) : before.savedAt);
        expect(after.headRejectReason).toBe(
          row.effects.keepHeadReason
            ? (input.reasonText ?? null)
            : row.effects.clearHeadReason
              ? null
              : before.headRejectReason,
        );
        if (row.effects.formCurrent) {
          expect(after.formFileId).toBe(input.document?.fileId);
          expect(after.formEditSeq).toBe(after.editSeq);
        } else expect([after.formFileId, after.formEditSeq]).toEqual([before.formFileId, before.formEditSeq]);
        expect(after.editSeq).toBe(before.editSeq + (row.effects.patchDraft ? 1 : 0));

        // ── signatures, each with the file whose bytes were signed ──
        const sigs = await w.prisma.signature.findMany({ where: { applicationId: id, signedAt: now } });
        expect(sigs.map((s) => [s.document, s.sha256, s.fileId, s.signerId, s.method])).toEqual(
          (row.effects.sign ?? []).map((doc) => {
            const s = input.signatures!.find((x) => x.document === doc)!;
            return [doc, s.sha256, s.fileId ?? null, actorId, s.method];
          }),
        );
        expect(await w.prisma.signature.count({ where: { applicationId: id } })).toBe(
          counts0.sigs + sigs.length,
        );
        // ── the attached document ──
        const docs = await w.prisma.applicationDocument.findMany({
          where: { applicationId: id, createdAt: now },
        });
        expect(docs.map((d) => [d.kind, d.fileId])).toEqual(
          row.effects.attach && input.document ? [[row.effects.attach, input.document.fileId]] : [],
        );
        expect(await w.prisma.applicationDocument.count({ where: { applicationId: id } })).toBe(
          counts0.docs + docs.length,
        );

        // ── the notice ──
        const notices = await w.prisma.notice.findMany({
          where: { applicationId: id },
          orderBy: { createdAt: "asc" },
        });
        if (row.notice === "create") {
          const n = notices.at(-1)!;
          expect(notices).toHaveLength(counts0.notices + 1);
          expect(n).toMatchObject({
            kind: row.createsNotice,
            createdById: actorId,
            createdAt: now,
            sentAt: null,
            deletedAt: null,
          });
          expect(n.reasons).toEqual(input.reasons ?? []);
          expect([n.note, n.additionalGround]).toEqual([input.note ?? null, input.additionalGround ?? null]);
        } else {
          expect(notices).toHaveLength(counts0.notices);
          const n = notices.find((x) => x.id === facts0.notice?.id);
          if (row.notice === "delete" || row.notice === "discard") expect(n?.deletedAt).toEqual(now);
          if (row.notice === "send") {
            expect(n?.sentAt).toEqual(now);
            expect(n?.checkerIds).toEqual(input.checkerIds);
          }
          if (!row.notice && n)
            expect([n.deletedAt, n.sentAt]).toEqual([null, facts0.notice?.sentAt ?? null]);
        }

        // ── the snapshot the store leaves is the one snapshotAfter computed ──
        const loaded = (await w.app.ports.store.applications.facts(id, actorId))!.snapshot;
        expect(effective(loaded)).toEqual(effective(r.snapshot!));
      }

      // ── exactly one audit row (plus the superseded version's / the new version's, see versions.test.ts) ──
      const audit = await w.prisma.auditEvent.findMany({
        where: { chainId: before.chainId, action: row.action },
        orderBy: { id: "desc" },
        take: 1,
      });
      // T20 also audits the new version's creation (CREATE_VERSION); see versions.test.ts
      const extra = row.effects.newVersion ? 1 : 0;
      expect(await w.prisma.auditEvent.count({ where: { chainId: before.chainId } })).toBe(
        counts0.audit + 1 + extra,
      );
      expect(audit[0]).toMatchObject({
        applicationId: row.to === "DELETED" ? null : id,
        actorId,
        fromStatus: row.from,
        toStatus: row.to === "DELETED" ? null : row.to,
        at: now,
        reasons: input.reasons ?? [],
        note: input.reasonText ?? input.note ?? null,
      });
      expect(audit[0]?.changes).toMatchObject({ transitionId: row.id, version: v });

      // ── the outbox rows of the notifications ──
      const intents = before.savedAt ? row.notify : row.notify.filter((n) => n.audience === "AUTHOR");
      const ctx = {
        noticeAuthor: facts0.notice?.createdById ?? null,
        checkers: input.checkerIds ?? facts0.notice?.checkerIds ?? [],
      };
      const want = new Map<string, { kind: string; userId: string; audience: string }>();
      for (const n of intents)
        for (const userId of await recipients(n, before, ctx)) {
          if (n.kind === "status_changed" && userId === actorId) continue;
          const key = `${n.kind}|${userId}`;
          if (!want.has(key)) want.set(key, { kind: n.kind, userId, audience: n.audience });
        }
      const rows = await w.prisma.outbox.findMany({ where: { eventKey: { startsWith: `${id}:${v}:` } } });
      expect(rows.map((o) => `${o.kind}|${o.userId}`).sort()).toEqual([...want.keys()].sort());
      const tg = new Map(Object.values(w.users).map((u) => [u.id, u.telegramId]));
      for (const o of rows) {
        const stage = STAGE_MESSAGE_KINDS.includes(o.kind);
        expect(o.eventKey).toBe(`${id}:${v}:${o.kind}`);
        expect(o.chatId).toBe(tg.get(o.userId!));
        expect(o.applicationId).toBe(id);
        expect([o.stageKey, o.stageAt]).toEqual(
          stage ? [`${id}:${v}`, moved ? now : before.statusChangedAt] : [null, null],
        );
        expect(o.payload).toMatchObject({
          applicationId: id,
          transitionId: row.id,
          action: row.action,
          from: row.from,
          to: row.to,
          version: v,
          actorId,
          audience: want.get(`${o.kind}|${o.userId}`)?.audience,
          silent: o.kind === "status_changed" && SILENT.includes(row.to),
          final: row.final === true,
        });
      }

      // ── the closing of the decided stage: every delivered stage message of the old stage, only those ──
      const expected =
        row.effects.closeStage && moved
          ? sentStage.filter((o) => o.stageAt?.getTime() === before.statusChangedAt.getTime())
          : [];
      const closes = await w.prisma.outbox.findMany({
        where: {
          applicationId: id,
          kind: "stage_closed",
          payload: { path: ["decidedAt"], equals: now.toISOString() },
        },
      });
      expect(closes.map((x) => x.eventKey).sort()).toEqual(expected.map((o) => `close:${o.id}`).sort());
      for (const x of closes) {
        const o = expected.find((e) => x.eventKey === `close:${e.id}`)!;
        expect([x.chatId, x.userId, x.stageKey]).toEqual([o.chatId, o.userId, o.stageKey]);
        expect(x.payload).toMatchObject({
          outboxId: String(o.id),
          messageId: o.messageId,
          decidedBy: w.users[who].fullName,
          toStatus: row.to === "DELETED" ? null : row.to,
          action: row.action,
        });
      }
    });
  }
});

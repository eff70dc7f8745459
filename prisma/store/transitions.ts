// Executes a Decision of the state machine as ONE SQL statement (one transaction): the application row is
// updated `WHERE id = $1 AND version = $2` (0 rows → "stale", nothing written), and every effect the
// transition's row declares hangs off that update as a data-modifying CTE that only runs when it did:
// the audit row, the notice, signatures, the attached document, the draft patch, the superseded version, the
// new version (T20), the outbox rows of the notifications (recipients resolved in SQL) and the "stage_closed"
// edits of the step this decision ends (domain/workflow.ts isStageLive). The store never branches on action
// names: only on the declared effects.
import { randomUUID } from "node:crypto";
import type { DraftPatch } from "../../domain/drafts.ts";
import { changedFields, isContentPatch, normaliseBase } from "../../domain/drafts.ts";
import type { ApplyArgs, ApplyResult, DraftContent } from "../../domain/ports.ts";
import { STAGE_MESSAGE_KINDS } from "../../domain/workflow.ts";
import {
  type Db,
  isUniqueViolation,
  list,
  Prisma,
  type PrismaClient,
  textArray,
  ts,
  TX_OPTIONS,
} from "./db.ts";

const sql = Prisma.sql;
const raw = Prisma.raw;

export const ONE_OPEN_PER_REGION_INDEX = "Application_one_open_per_region_key";

/** The outbox event key of a decision's notification (unique with the chat). */
export const eventKey = (applicationId: string, version: number, kind: string) =>
  `${applicationId}:${version}:${kind}`;
/** The event key of the edit that closes a sent stage message. */
export const closeKey = (outboxId: bigint | string) => `close:${String(outboxId)}`;

const SCALAR_COLUMNS: Record<string, { col: string; cast: string }> = {
  ownershipFormCode: { col: `"ownershipFormCode"`, cast: "text" },
  asSupplier: { col: `"asSupplier"`, cast: "boolean" },
  asCoExecutor: { col: `"asCoExecutor"`, cast: "boolean" },
  supplierSubtypes: { col: `"supplierSubtypes"`, cast: "text[]" },
  coExecutorSubtypes: { col: `"coExecutorSubtypes"`, cast: "text[]" },
  regionCode: { col: `"regionCode"`, cast: "text" },
  hasPharmacy: { col: `"hasPharmacy"`, cast: "boolean" },
};

const json = (v: unknown) => sql`${JSON.stringify(v ?? null)}::jsonb`;

const BASES_RECORD = raw(
  `v("position" int, address text, latitude float8, longitude float8, "katoCode" text, "sesFileId" text, subtypes jsonb, "coordsConfirmed" text)`,
);
const baseSubtypes = raw(`ARRAY(SELECT jsonb_array_elements_text(v.subtypes))`);

function basesJson(bases: readonly NonNullable<DraftPatch["bases"]>[number][], from = 1) {
  return json(bases.map((b, i) => ({ ...normaliseBase(b), position: from + i })));
}

/** The named CTEs of one statement. */
class Ctes {
  private readonly parts: Prisma.Sql[] = [];
  private readonly names = new Set<string>();
  add(name: string, body: Prisma.Sql): void {
    this.names.add(name);
    this.parts.push(sql`${raw(name)} AS (${body})`);
  }
  has(name: string): boolean {
    return this.names.has(name);
  }
  sql(): Prisma.Sql {
    return list(this.parts);
  }
}

/** The CTEs that write a T2 patch as a difference to the draft as read (`before`). */
function patchCtes(out: Ctes, patch: DraftPatch, before: DraftContent | undefined, at: Prisma.Sql): void {
  if (patch.bases) {
    const old = before?.bases ?? [];
    const now = patch.bases.map(normaliseBase);
    const changed = now
      .map((b, i) => ({ ...b, position: i + 1 }))
      .filter((b, i) => {
        const o = old[i];
        return !o || JSON.stringify(normaliseBase(o)) !== JSON.stringify(normaliseBase(b));
      });
    const updates = changed.filter((b) => b.position <= old.length);
    const inserts = changed.filter((b) => b.position > old.length);
    if (updates.length)
      out.add(
        "p_bu",
        sql`        UPDATE "ProductionBase" b SET address = v.address, latitude = v.latitude, longitude = v.longitude,
               "katoCode" = v."katoCode", "sesFileId" = v."sesFileId", subtypes = ${baseSubtypes},
               "coordsConfirmed" = v."coordsConfirmed"
          FROM u, jsonb_to_recordset(${json(updates)}) AS ${BASES_RECORD}
         WHERE b."applicationId" = u.id AND b.position = v.position`,
      );
    if (old.length > now.length)
      out.add(
        "p_bd",
        sql`        DELETE FROM "ProductionBase" b USING u WHERE b."applicationId" = u.id AND b.position > ${now.length}`,
      );
    if (inserts.length)
      out.add(
        "p_bi",
        sql`        INSERT INTO "ProductionBase" (id, "applicationId", position, address, latitude, longitude, "katoCode", "sesFileId", subtypes, "coordsConfirmed")
        SELECT gen_random_uuid()::text, u.id, v.position, v.address, v.latitude, v.longitude, v."katoCode", v."sesFileId", ${baseSubtypes}, v."coordsConfirmed"
          FROM u, jsonb_to_recordset(${json(inserts)}) AS ${BASES_RECORD}`,
      );
  }
  if (patch.licenceIds) {
    const was = new Set(before?.licenceIds ?? []);
    const now = new Set(patch.licenceIds);
    const removed = [...was].filter((x) => !now.has(x));
    const added = [...now].filter((x) => !was.has(x));
    if (removed.length)
      out.add(
        "p_ld",
        sql`        DELETE FROM "ApplicationLicence" l USING u WHERE l."applicationId" = u.id AND l."licenceId" = ANY(${textArray(removed)})`,
      );
    if (added.length)
      out.add(
        "p_li",
        sql`        INSERT INTO "ApplicationLicence" ("applicationId", "licenceId") SELECT u.id, x FROM u, unnest(${textArray(added)}) x
        ON CONFLICT DO NOTHING`,
      );
  }
  for (const [i, d] of (patch.documents ?? []).entries()) {
    const docs = (before?.documents ?? []).filter((x) => x.kind === d.kind);
    const keep = new Set(d.fileIds);
    const removed = docs.filter((x) => !keep.has(x.fileId)).map((x) => x.id);
    const had = new Set(docs.map((x) => x.fileId));
    const added = d.fileIds.filter((f) => !had.has(f));
    if (removed.length)
      out.add(
        `p_dd${i}`,
        sql`
        DELETE FROM "ApplicationDocument" x USING u WHERE x."applicationId" = u.id AND x.id = ANY(${textArray(removed)})`,
      );
    if (added.length)
      out.add(
        `p_di${i}`,
        sql`
        INSERT INTO "ApplicationDocument" (id, "applicationId", kind, "fileId", "createdAt")
        SELECT gen_random_uuid()::text, u.id, ${d.kind}::"DocumentKind", f.id, ${at} + (f.n * interval '1 millisecond')
          FROM u, unnest(${textArray(added)}) WITH ORDINALITY AS f(id, n)`,
      );
  }
}

/** The recipients of the decision's notifications, resolved in SQL, and their outbox rows. */
function outboxCte(args: ApplyArgs, newVersion: number, stageAt: Prisma.Sql): Prisma.Sql | null {
  const { facts, decision: d, input } = args;
  if (!d.notify.length) return null;
  const app = facts.snapshot;
  const intents = Prisma.join(d.notify.map((n, i) => sql`(${n.audience}::text, ${n.kind}::text, ${i}::int)`));
  const checkers = input.checkerIds?.length ? input.checkerIds : (facts.notice?.checkerIds ?? []);
  const final = d.final || d.to === "DELETED";
  const payload = {
    applicationId: app.id,
    chainId: facts.chainId,
    versionNo: facts.versionNo,
    version: newVersion,
    action: d.action,
    transitionId: d.transitionId,
    from: app.status,
    to: d.to,
    decisionKind: d.decisionKind,
    actorId: facts.actor.userId,
    actorName: facts.actorName,
    at: args.now.toISOString(),
    orgId: app.orgId,
    bin: facts.org.bin,
    orgNameKk: facts.org.nameKk,
    orgNameRu: facts.org.nameRu,
    regionCode: app.regionCode,
    reasons: input.reasons ?? (d.notice === "send" || final ? (facts.notice?.reasons ?? []) : []),
    note: input.note ?? (final ? (facts.notice?.note ?? null) : null),
    reasonText: input.reasonText ?? null,
    additionalGround: input.additionalGround ?? facts.notice?.additionalGround ?? null,
    checkerIds: checkers,
    noticeKind: d.noticeKind ?? facts.notice?.kind ?? null,
    stageStatus: d.to,
    final: d.final,
  };
  const stageKinds = textArray(STAGE_MESSAGE_KINDS);
  // The status push is silent at intermediate Fund stages (DECISIONS 13); everything else is loud.
  const silent = args.silentStatusPush;
  return sql`
    INSERT INTO "Outbox" ("eventKey", "chatId", "userId", "applicationId", "stageKey", "stageAt", kind, payload)
    SELECT ${app.id} || ':' || ${newVersion}::text || ':' || r.kind, r."telegramId", r.uid, ${app.id},
           CASE WHEN r.kind = ANY(${stageKinds}) THEN ${`${app.id}:${newVersion}`} END,
           CASE WHEN r.kind = ANY(${stageKinds}) THEN ${stageAt} END,
           r.kind,
           ${json(payload)} || jsonb_build_object('audience', r.audience,
              'silent', r.kind = 'status_changed' AND ${silent}::boolean)
      FROM (
        SELECT DISTINCT ON (i.kind, usr.id) i.kind, i.audience, i.ord, usr.id AS uid, usr."telegramId"
          FROM (VALUES ${intents}) AS i(audience, kind, ord)
          JOIN LATERAL (
            SELECT m."userId" AS who FROM "StaffMembership" m JOIN "Branch" b ON b.id = m."branchId"
             WHERE b."regionCode" = ${app.regionCode}::text
               AND m.role::text = CASE i.audience WHEN 'BRANCH_REVIEWERS' THEN 'REVIEWER'
                                    WHEN 'BRANCH_APPROVERS' THEN 'APPROVER' WHEN 'BRANCH_CHECKERS' THEN 'CHECKER'
                                    WHEN 'BRANCH_MANAGERS' THEN 'MANAGER' END
            UNION ALL
            SELECT m."userId" FROM "OrgMembership" m
             WHERE i.audience = 'HEADS' AND m."orgId" = ${app.orgId} AND m.role IN ('HEAD', 'HEAD_ATTORNEY')
            UNION ALL SELECT ${app.authorId}::text WHERE i.audience = 'AUTHOR'
            UNION ALL SELECT ${facts.notice?.createdById ?? null}::text WHERE i.audience = 'NOTICE_AUTHOR'
            UNION ALL SELECT x FROM unnest(${textArray(checkers)}) x WHERE i.audience = 'CHOSEN_CHECKERS'
          ) w ON w.who IS NOT NULL
          JOIN "User" usr ON usr.id = w.who
         WHERE NOT (i.kind = 'status_changed' AND usr.id = ${facts.actor.userId})
         ORDER BY i.kind, usr.id, i.ord
      ) r, u
     ORDER BY r.ord, r."telegramId"
    ON CONFLICT ("eventKey", "chatId") DO NOTHING
    RETURNING 1`;
}

/** The edits that close the step this decision ends: every sent stage message of the old stage. */
function closeCte(args: ApplyArgs): Prisma.Sql | null {
  const { facts, decision: d } = args;
  if (!d.effects.closeStage || d.to === facts.snapshot.status) return null;
  const payload = {
    decidedBy: facts.actorName,
    decidedAt: args.now.toISOString(),
    toStatus: d.to === "DELETED" ? null : d.to,
    action: d.action,
  };
  return sql`
    INSERT INTO "Outbox" ("eventKey", "chatId", "userId", "applicationId", "stageKey", kind, payload)
    SELECT 'close:' || o.id::text, o."chatId", o."userId", o."applicationId", o."stageKey", 'stage_closed',
           ${json(payload)} || jsonb_build_object('outboxId', o.id::text, 'messageId', o."messageId")
      FROM "Outbox" o, u
     WHERE o."applicationId" = ${facts.snapshot.id} AND o.status = 'SENT' AND o."messageId" IS NOT NULL
       AND o.kind = ANY(${textArray(STAGE_MESSAGE_KINDS)})
       AND o."stageAt" = ${ts(facts.statusChangedAt)}
     ORDER BY o.id
    ON CONFLICT ("eventKey", "chatId") DO NOTHING
    RETURNING 1`;
}

/** The one statement of a decision. */
export function decisionStatement(args: ApplyArgs): Prisma.Sql {
  const { facts, decision: d, input, now } = args;
  const app = facts.snapshot;
  const id = app.id;
  const e = d.effects;
  const at = ts(now);
  const moved = d.to !== app.status;
  const newVersion = app.version + 1;
  const patch = e.patchDraft ? (input.patch ?? {}) : null;
  const content = patch ? isContentPatch(patch) : false;
  const ctes = new Ctes();

  // ── the application row ──
  if (d.to === "DELETED") {
    ctes.add(
      "u",
      sql`
      DELETE FROM "Application" WHERE id = ${id} AND version = ${app.version} AND status = 'DRAFT'
      RETURNING id, version + 1 AS version, ${at} AS "statusChangedAt"`,
    );
  } else {
    const set: Prisma.Sql[] = [
      sql`status = ${d.to}::"ApplicationStatus"`,
      sql`"decisionKind" = ${d.decisionKind}::"DecisionKind"`,
      sql`version = version + 1`,
      sql`"updatedAt" = ${at}`,
    ];
    if (moved) set.push(sql`"statusChangedAt" = ${at}`);
    for (const s of e.stamp ?? []) set.push(sql`${raw(`"${s}"`)} = ${at}`);
    if (e.keepHeadReason) set.push(sql`"headRejectReason" = ${input.reasonText ?? null}`);
    if (e.clearHeadReason) set.push(sql`"headRejectReason" = NULL`);
    if (e.markSaved) set.push(sql`"savedAt" = COALESCE("savedAt", ${at})`);
    if (e.formCurrent && input.document)
      set.push(sql`"formFileId" = ${input.document.fileId}`, sql`"formEditSeq" = "editSeq"`);
    if (patch) {
      for (const [field, { col, cast }] of Object.entries(SCALAR_COLUMNS)) {
        const v = (patch as Record<string, unknown>)[field];
        if (v === undefined) continue;
        set.push(sql`${raw(col)} = ${v as never}::${raw(cast)}`);
      }
      if (patch.progress !== undefined) set.push(sql`progress = ${json(patch.progress)}`);
      if (content) set.push(sql`"editSeq" = "editSeq" + 1`);
    }
    ctes.add(
      "u",
      sql`
      UPDATE "Application" SET ${list(set)} WHERE id = ${id} AND version = ${app.version}
      RETURNING id, version, "statusChangedAt"`,
    );
  }

  // ── the audit row (a progress-only write of the wizard is not an event) ──
  const changes: Record<string, unknown> = { transitionId: d.transitionId, version: newVersion };
  if (input.checkerIds?.length) changes.checkerIds = input.checkerIds;
  if (input.additionalGround) changes.additionalGround = input.additionalGround;
  if (input.signatures?.length)
    changes.signatures = input.signatures.map((s) => ({
      document: s.document,
      sha256: s.sha256,
      method: s.method,
    }));
  if (input.document) changes.document = input.document;
  if (patch && content) {
    const diff = changedFields(args.before ? (args.before as unknown as Record<string, unknown>) : {}, patch);
    changes.fields = Object.keys(diff);
    changes.diff = diff;
  }
  if (!patch || content) {
    ctes.add(
      "a",
      sql`
      INSERT INTO "AuditEvent" ("applicationId", "chainId", "actorId", action, "fromStatus", "toStatus",
                                "decisionKind", reasons, note, changes, at)
      SELECT ${d.to === "DELETED" ? null : id}, ${facts.chainId}, ${facts.actor.userId}, ${d.action},
             ${app.status}::"ApplicationStatus", ${d.to === "DELETED" ? null : d.to}::"ApplicationStatus",
             ${d.decisionKind}::"DecisionKind", ${textArray(input.reasons ?? [])},
             ${input.reasonText ?? input.note ?? null}, ${json(changes)}, ${at}
        FROM u RETURNING id`,
    );
  }

  // ── the reviewer's notice ──
  if (d.notice === "create") {
    ctes.add(
      "n",
      sql`
      INSERT INTO "Notice" (id, "applicationId", kind, reasons, note, "additionalGround", "createdById", "createdAt", "checkerIds")
      SELECT ${randomUUID()}, u.id, ${d.noticeKind ?? d.decisionKind}::"DecisionKind",
             ${textArray((input.reasons ?? []).filter((r) => r.trim() !== ""))}, ${input.note ?? null},
             ${input.additionalGround ?? null}, ${facts.actor.userId}, ${at}, '{}'::text[] FROM u`,
    );
  } else if ((d.notice === "delete" || d.notice === "discard") && facts.notice) {
    ctes.add("n", sql`UPDATE "Notice" x SET "deletedAt" = ${at} FROM u WHERE x.id = ${facts.notice.id}`);
  } else if (d.notice === "send" && facts.notice) {
    const ids = [...new Set(input.checkerIds ?? [])];
    ctes.add(
      "n",
      sql`
      UPDATE "Notice" x SET "sentAt" = ${at}, "checkerIds" = ${textArray(ids)} FROM u WHERE x.id = ${facts.notice.id}`,
    );
  }

  // ── signatures, each over its own document ──
  const sigs = (e.sign ?? []).flatMap((doc) => input.signatures?.filter((s) => s.document === doc) ?? []);
  if (sigs.length) {
    const values = Prisma.join(
      sigs.map(
        (s) =>
          sql`(${randomUUID()}::text, ${s.document}::text, ${s.sha256.toLowerCase()}::text, ${s.method}::text, ${s.fileId ?? null}::text)`,
      ),
    );
    ctes.add(
      "s",
      sql`
      INSERT INTO "Signature" (id, "applicationId", document, sha256, "signerId", method, "signedAt", "fileId")
      SELECT v.id, u.id, v.doc::"SignedDocument", v.sha, ${facts.actor.userId}, v.method, ${at}, v.file
        FROM u, (VALUES ${values}) AS v(id, doc, sha, method, file)`,
    );
  }

  // ── the generated document ──
  if (e.attach && input.document && input.document.kind === e.attach) {
    ctes.add(
      "doc",
      sql`
      INSERT INTO "ApplicationDocument" (id, "applicationId", kind, "fileId", "createdAt")
      SELECT ${randomUUID()}, u.id, ${input.document.kind}::"DocumentKind", ${input.document.fileId}, ${at} FROM u`,
    );
  }

  // ── the draft's content (T2) ──
  if (patch) patchCtes(ctes, patch, args.before, at);

  // ── T17: the earlier included / rejected versions of the chain become «Изменена» ──
  if (e.supersedePrevious) {
    ctes.add(
      "old_v",
      sql`
      SELECT x.id, x.status, x."decisionKind" FROM "Application" x
       WHERE x."chainId" = ${facts.chainId} AND x.id <> ${id} AND x.status IN ('INCLUDED', 'REJECTED')`,
    );
    ctes.add(
      "sup",
      sql`
      UPDATE "Application" x SET status = 'CHANGED', version = x.version + 1, "statusChangedAt" = ${at}, "updatedAt" = ${at}
        FROM u, old_v o WHERE x.id = o.id`,
    );
    ctes.add(
      "sup_a",
      sql`
      INSERT INTO "AuditEvent" ("applicationId", "chainId", "actorId", action, "fromStatus", "toStatus", "decisionKind", reasons, changes, at)
      SELECT o.id, ${facts.chainId}, ${facts.actor.userId}, 'SUPERSEDED', o.status, 'CHANGED', o."decisionKind", '{}'::text[],
             jsonb_build_object('byApplicationId', ${id}::text), ${at}
        FROM old_v o, u`,
    );
  }

  // ── T20: the new version in «Проект» ──
  if (e.newVersion && args.newVersion) {
    const nv = args.newVersion;
    ctes.add(
      "nv",
      sql`
      INSERT INTO "Application" (id, "chainId", "versionNo", "previousId", "orgId", "authorId", "regionCode", status, version,
        "ownershipFormCode", "asSupplier", "asCoExecutor", "supplierSubtypes", "coExecutorSubtypes", "hasPharmacy",
        progress, "createdAt", "updatedAt", "statusChangedAt")
      SELECT ${nv.id}, s."chainId",
             (SELECT max(x."versionNo") FROM "Application" x WHERE x."chainId" = s."chainId") + 1,
             s.id, s."orgId", ${facts.actor.userId}, s."regionCode", 'DRAFT', 1, s."ownershipFormCode", s."asSupplier",
             s."asCoExecutor", s."supplierSubtypes", s."coExecutorSubtypes", s."hasPharmacy", ${json(nv.progress ?? null)},
             ${at}, ${at}, ${at}
        FROM "Application" s, u WHERE s.id = ${id}
      RETURNING id`,
    );
    if (nv.bases?.length)
      ctes.add(
        "nv_b",
        sql`
        INSERT INTO "ProductionBase" (id, "applicationId", position, address, latitude, longitude, "katoCode", "sesFileId", subtypes, "coordsConfirmed")
        SELECT gen_random_uuid()::text, nv.id, v.position, v.address, v.latitude, v.longitude, v."katoCode", v."sesFileId", ${baseSubtypes}, v."coordsConfirmed"
          FROM nv, jsonb_to_recordset(${basesJson(nv.bases)}) AS ${BASES_RECORD}`,
      );
    if (nv.licenceIds.length)
      ctes.add(
        "nv_l",
        sql`
        INSERT INTO "ApplicationLicence" ("applicationId", "licenceId") SELECT nv.id, x FROM nv, unnest(${textArray(nv.licenceIds)}) x`,
      );
    ctes.add(
      "nv_d",
      sql`
      INSERT INTO "ApplicationDocument" (id, "applicationId", kind, "fileId", "createdAt")
      SELECT gen_random_uuid()::text, nv.id, d.kind, d."fileId", d."createdAt" FROM nv, "ApplicationDocument" d
       WHERE d."applicationId" = ${id} AND d.kind IN ('REGISTRATION', 'POWER_OF_ATTORNEY')`,
    );
    ctes.add(
      "nv_a",
      sql`
      INSERT INTO "AuditEvent" ("applicationId", "chainId", "actorId", action, "toStatus", reasons, changes, at)
      SELECT nv.id, ${facts.chainId}, ${facts.actor.userId}, 'CREATE_VERSION', 'DRAFT', '{}'::text[],
             jsonb_build_object('fromApplicationId', ${id}::text, 'fromVersionNo', ${facts.versionNo}::int), ${at}
        FROM nv`,
    );
  }

  // ── notifications and the closing of the decided step ──
  const stageAt = moved ? at : ts(facts.statusChangedAt);
  const ob = outboxCte(args, newVersion, stageAt);
  if (ob) ctes.add("ob", ob);
  const closed = closeCte(args);
  if (closed) ctes.add("closed", closed);

  const has = (name: string) => ctes.has(name);
  return sql`WITH ${ctes.sql()}
    SELECT (SELECT version FROM u) AS version, (SELECT "statusChangedAt" FROM u) AS "statusChangedAt",
           ${has("a") ? sql`(SELECT id FROM a)` : sql`NULL::bigint`} AS "auditId",
           ${has("ob") ? sql`(SELECT count(*) FROM ob)` : sql`0`}::int AS "outboxRows",
           ${has("closed") ? sql`(SELECT count(*) FROM closed)` : sql`0`}::int AS "closedMessages"`;
}

interface StatementRow {
  version: number | null;
  statusChangedAt: Date | null;
  auditId: bigint | null;
  outboxRows: number;
  closedMessages: number;
}

/** Run one decision's statement on `db` (a client: its own transaction; or an open transaction). */
export async function applyDecision(db: Db, args: ApplyArgs): Promise<ApplyResult> {
  let rows: StatementRow[];
  try {
    rows = await db.$queryRaw<StatementRow[]>(decisionStatement(args));
  } catch (e) {
    if (isUniqueViolation(e, ONE_OPEN_PER_REGION_INDEX)) return { ok: false, reason: "open_in_region" };
    throw e;
  }
  const r = rows[0];
  if (!r || r.version === null) return { ok: false, reason: "stale" };
  return {
    ok: true,
    version: r.version,
    statusChangedAt: r.statusChangedAt ?? args.now,
    auditId: r.auditId ?? 0n,
    outboxRows: r.outboxRows,
    closedMessages: r.closedMessages,
  };
}

class Rollback extends Error {
  constructor(readonly result: ApplyResult) {
    super("rolled back");
  }
}

/** Several decisions in one transaction; the first that is not ok rolls back the ones before it. */
export async function applyDecisions(
  prisma: PrismaClient,
  steps: readonly ApplyArgs[],
): Promise<ApplyResult> {
  try {
    return await prisma.$transaction(async (tx) => {
      let last: ApplyResult = { ok: false, reason: "stale" };
      for (const step of steps) {
        last = await applyDecision(tx, step);
        if (!last.ok) throw new Rollback(last);
      }
      return last;
    }, TX_OPTIONS);
  } catch (e) {
    if (e instanceof Rollback) return e.result;
    throw e;
  }
}

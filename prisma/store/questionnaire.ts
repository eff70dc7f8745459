// Satisfaction questionnaire answers (SPEC §5.12, model QuestionnaireAnswer: one row per application and user,
// q1/q2 = 1 не удовлетворен | 2 частично удовлетворен | 3 удовлетворен). Saving is idempotent: the same answer
// twice leaves one row unchanged; a different answer to the same question replaces it (a corrected mis-tap).
import {
  type AnswerValue,
  emptyCounts,
  isAnswerValue,
  type QuestionId,
  type QuestionnaireCounts,
} from "../../domain/licensing/questionnaire.ts";
import type { Status } from "../../domain/types.ts";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";

type Db = PrismaClient | Prisma.TransactionClient;

export interface SaveAnswerArgs {
  applicationId: string;
  userId: string;
  question: QuestionId;
  answer: AnswerValue;
}

export interface SaveAnswerResult {
  status: "created" | "updated" | "unchanged";
  q1: number | null;
  q2: number | null;
}

const isUniqueViolation = (e: unknown): boolean =>
  typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002";

/** Save one answer; safe to call twice (double tap, duplicated update) and from two processes at once. */
export async function saveQuestionnaireAnswer(db: Db, args: SaveAnswerArgs): Promise<SaveAnswerResult> {
  const field = args.question === 1 ? "q1" : "q2";
  const key = { applicationId_userId: { applicationId: args.applicationId, userId: args.userId } };
  for (let attempt = 0; ; attempt++) {
    const existing = await db.questionnaireAnswer.findUnique({ where: key, select: { q1: true, q2: true } });
    if (existing) {
      if (existing[field] === args.answer) return { status: "unchanged", ...existing };
      const updated = await db.questionnaireAnswer.update({
        where: key,
        data: { [field]: args.answer },
        select: { q1: true, q2: true },
      });
      return { status: "updated", ...updated };
    }
    try {
      const created = await db.questionnaireAnswer.create({
        data: { applicationId: args.applicationId, userId: args.userId, [field]: args.answer },
        select: { q1: true, q2: true },
      });
      return { status: "created", ...created };
    } catch (e) {
      // Another process created the row between our read and insert: read it again once.
      if (isUniqueViolation(e) && attempt === 0) continue;
      throw e;
    }
  }
}

export async function questionnaireAnswers(
  db: Db,
  applicationId: string,
  userId: string,
): Promise<{ q1: number | null; q2: number | null } | null> {
  return db.questionnaireAnswer.findUnique({
    where: { applicationId_userId: { applicationId, userId } },
    select: { q1: true, q2: true },
  });
}

/**
 * What the questionnaire callback needs to authorise an answer, read now: the application's status and author,
 * and whether the user is a head («Руководитель») of its organisation. null for an unknown application.
 */
export async function questionnaireAccess(
  db: Db,
  applicationId: string,
  userId: string,
): Promise<{ status: Status; authorId: string; isOrgHead: boolean } | null> {
  const app = await db.application.findUnique({
    where: { id: applicationId },
    select: { status: true, authorId: true, orgId: true },
  });
  if (!app) return null;
  const head = await db.orgMembership.findFirst({
    where: { userId, orgId: app.orgId, role: "HEAD" },
    select: { id: true },
  });
  return { status: app.status as Status, authorId: app.authorId, isOrgHead: head !== null };
}

/**
 * Counts per question and answer: for one branch (the applications of its region) or, without a branch,
 * overall. An unknown branch has no answers.
 */
export async function questionnaireStats(
  db: Db,
  filter: { branchId?: string } = {},
): Promise<QuestionnaireCounts> {
  let where: Prisma.QuestionnaireAnswerWhereInput = {};
  if (filter.branchId !== undefined) {
    const branch = await db.branch.findUnique({
      where: { id: filter.branchId },
      select: { regionCode: true },
    });
    if (!branch) return emptyCounts();
    where = { application: { regionCode: branch.regionCode } };
  }
  const [byQ1, byQ2, respondents] = await Promise.all([
    db.questionnaireAnswer.groupBy({
      by: ["q1"],
      where: { ...where, q1: { not: null } },
      _count: { _all: true },
    }),
    db.questionnaireAnswer.groupBy({
      by: ["q2"],
      where: { ...where, q2: { not: null } },
      _count: { _all: true },
    }),
    db.questionnaireAnswer.count({ where: { ...where, OR: [{ q1: { not: null } }, { q2: { not: null } }] } }),
  ]);
  const counts = emptyCounts();
  counts.respondents = respondents;
  for (const g of byQ1) if (isAnswerValue(g.q1)) counts.q1[g.q1] = g._count._all;
  for (const g of byQ2) if (isAnswerValue(g.q2)) counts.q2[g.q2] = g._count._all;
  return counts;
}

/** The branches where the user is a MANAGER (who may see the questionnaire results). */
export function managedBranches(db: Db, userId: string) {
  return db.branch.findMany({
    where: { staff: { some: { userId, role: "MANAGER" } } },
    select: { id: true, nameKk: true, nameRu: true },
    orderBy: { id: "asc" },
  });
}

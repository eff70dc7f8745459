// The satisfaction questionnaire (SPEC §5.12) after a final decision: answers (authorised again on every press,
// idempotent) and the counts a branch manager sees.
import type { Memberships } from "../domain/access.ts";
import {
  type AnswerValue,
  canAnswer,
  nextQuestion,
  type QuestionId,
} from "../domain/licensing/questionnaire.ts";
import type { DomainError } from "../domain/types.ts";
import type { ClassifierCache } from "./classifiers.ts";
import type { AppPorts } from "./ports.ts";

export function surveyUseCases(ports: AppPorts, classifiers: ClassifierCache) {
  const store = ports.store.survey;
  return {
    async answer(a: {
      applicationId: string;
      userId: string;
      question: QuestionId;
      answer: AnswerValue;
    }): Promise<
      | {
          ok: true;
          status: "created" | "updated" | "unchanged";
          q1: number | null;
          q2: number | null;
          next: QuestionId | null;
        }
      | { ok: false; errors: DomainError[] }
    > {
      const access = await store.access(a.applicationId, a.userId);
      if (!access) return { ok: false, errors: [{ code: "not_found" }] };
      const allowed = canAnswer({ ...access, userId: a.userId });
      if (!allowed.ok) return allowed;
      const saved = await store.save(a);
      return { ok: true, ...saved, next: nextQuestion(saved) };
    },
    /** The counts per branch the user manages (null: not a manager anywhere). */
    async stats(m: Memberships) {
      const ids = [...new Set(m.staff.filter((s) => s.role === "MANAGER").map((s) => s.branchId))].sort();
      if (!ids.length) return null;
      const c = await classifiers.get();
      return Promise.all(
        ids.map(async (id) => ({
          branch: c.branches.find((b) => b.id === id) ?? { id, nameKk: id, nameRu: id },
          counts: await store.stats(id),
        })),
      );
    },
  };
}

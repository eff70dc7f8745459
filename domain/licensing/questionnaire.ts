// The satisfaction questionnaire (SPEC §5.12): «Форма анкеты для определения показателей электронной
// государственной услуги: "качество" и "доступность"» ([AKT] Приложение 4 and Приложение 3 of the PHC
// regulation). Two questions, the same three answers. The product offers it to the supplier when an
// application reaches a final decision. Pure: data + validation returning DomainError codes.
import type { DomainError, Result, Status } from "../types.ts";
import type { Text } from "./types.ts";

export const QUESTION_IDS = [1, 2] as const;
export type QuestionId = (typeof QUESTION_IDS)[number];
export const ANSWER_VALUES = [1, 2, 3] as const;
/** 1 = не удовлетворен, 2 = частично удовлетворен, 3 = удовлетворен (the Prisma model stores these numbers). */
export type AnswerValue = (typeof ANSWER_VALUES)[number];

export const QUESTIONNAIRE: {
  title: Text;
  questions: Record<QuestionId, Text>;
  answers: Record<AnswerValue, Text>;
} = {
  title: {
    ru: "Форма анкеты для определения показателей электронной государственной услуги: «качество» и «доступность»",
    kk: "Электрондық мемлекеттік көрсетілетін қызметтің «сапа» және «қолжетімділік» көрсеткіштерін анықтауға арналған сауалнама нысаны",
  },
  questions: {
    1: {
      ru: "Удовлетворены ли Вы качеством процесса и результатом оказания электронной государственной услуги?",
      kk: "Электрондық мемлекеттік қызмет көрсету процесінің сапасына және нәтижесіне қанағаттандыңыз ба?",
    },
    2: {
      ru: "Удовлетворены ли Вы качеством информации о порядке оказания электронной государственной услуги?",
      kk: "Электрондық мемлекеттік қызмет көрсету тәртібі туралы ақпараттың сапасына қанағаттандыңыз ба?",
    },
  },
  answers: {
    1: { ru: "не удовлетворен", kk: "қанағаттанбадым" },
    2: { ru: "частично удовлетворен", kk: "ішінара қанағаттандым" },
    3: { ru: "удовлетворен", kk: "қанағаттандым" },
  },
};

/** The final decisions after which the questionnaire is offered (the staff/outbox part calls offerQuestionnaire). */
export const SURVEY_TRIGGER_STATUSES: readonly Status[] = ["INCLUDED", "REJECTED", "EXCLUDED"];

/**
 * Statuses in which an answer is accepted: the final decisions, and «Изменена» (an included version that a
 * newer version replaced — its questionnaire may still be open in the chat).
 */
export const SURVEY_OPEN_STATUSES: readonly Status[] = ["INCLUDED", "REJECTED", "EXCLUDED", "CHANGED"];

export const isQuestionId = (v: unknown): v is QuestionId => v === 1 || v === 2;
export const isAnswerValue = (v: unknown): v is AnswerValue => v === 1 || v === 2 || v === 3;

/** Validate raw input (e.g. from callback data): numbers or numeric strings. */
export function parseAnswer(
  question: unknown,
  answer: unknown,
): Result<{ question: QuestionId; answer: AnswerValue }> {
  const q = typeof question === "string" && /^\d$/.test(question) ? Number(question) : question;
  const a = typeof answer === "string" && /^\d$/.test(answer) ? Number(answer) : answer;
  const errors: DomainError[] = [];
  if (!isQuestionId(q)) errors.push({ code: "questionnaire.invalid_question", field: "question" });
  if (!isAnswerValue(a)) errors.push({ code: "questionnaire.invalid_answer", field: "answer" });
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { question: q as QuestionId, answer: a as AnswerValue } };
}

/**
 * May this user answer for this application? Only the application's author or a head of its organisation,
 * and only after a final decision. Roles are re-read by the caller from the database for every answer.
 */
export function canAnswer(input: {
  status: Status;
  userId: string;
  authorId: string;
  isOrgHead: boolean;
}): Result<true> {
  if (input.userId !== input.authorId && !input.isOrgHead) {
    return { ok: false, errors: [{ code: "questionnaire.forbidden" }] };
  }
  if (!SURVEY_OPEN_STATUSES.includes(input.status)) {
    return { ok: false, errors: [{ code: "questionnaire.not_final" }] };
  }
  return { ok: true, value: true };
}

/** The next unanswered question, or null when both are answered. */
export function nextQuestion(answers: { q1: number | null; q2: number | null }): QuestionId | null {
  if (!isAnswerValue(answers.q1)) return 1;
  if (!isAnswerValue(answers.q2)) return 2;
  return null;
}

/** Counts per question and answer (what /survey_stats shows). */
export interface QuestionnaireCounts {
  /** People who answered at least one question. */
  respondents: number;
  q1: Record<AnswerValue, number>;
  q2: Record<AnswerValue, number>;
}

export const emptyCounts = (): QuestionnaireCounts => ({
  respondents: 0,
  q1: { 1: 0, 2: 0, 3: 0 },
  q2: { 1: 0, 2: 0, 3: 0 },
});

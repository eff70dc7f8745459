// The satisfaction questionnaire (SPEC §5.12) offered after a final decision: used by the outbox (the offer)
// and by the survey feature (the next question, the thanks).
import type { InlineKeyboardMarkup } from "grammy/types";
import {
  ANSWER_VALUES,
  type AnswerValue,
  QUESTION_IDS,
  QUESTIONNAIRE,
  type QuestionId,
} from "../../domain/licensing/questionnaire.ts";
import { cb } from "../kit/callbacks.ts";
import { escapeHtml } from "../kit/html.ts";
import { type Lang, translator } from "../kit/i18n.ts";

/** The verb of an answer button: `q:<appId>:<q>:<answer>` (≤ 42 bytes). */
export const QUESTIONNAIRE_VERB = "q";

export const questionnaireCallback = (applicationId: string, question: QuestionId, answer: AnswerValue) =>
  cb(QUESTIONNAIRE_VERB, [applicationId, question, answer]);

/** One question of the questionnaire, in the recipient's language. */
export function questionnaireScreen(lang: Lang, applicationId: string, question: QuestionId = 1) {
  const t = translator(lang);
  const text = [
    t("licensing:q.title", { service: escapeHtml(t("licensing:q.service_name")) }),
    t("licensing:q.progress", { n: question, total: QUESTION_IDS.length }),
    `<b>${escapeHtml(QUESTIONNAIRE.questions[question][lang])}</b>`,
  ].join("\n\n");
  const keyboard: InlineKeyboardMarkup = {
    inline_keyboard: ANSWER_VALUES.map((a) => [
      {
        text: `${a}) ${QUESTIONNAIRE.answers[a][lang]}`,
        callback_data: questionnaireCallback(applicationId, question, a),
      },
    ]),
  };
  return { text, keyboard };
}

export function questionnaireThanks(lang: Lang, answers: { q1: number | null; q2: number | null }): string {
  const t = translator(lang);
  const lines = [
    t("licensing:q.title", { service: escapeHtml(t("licensing:q.service_name")) }),
    t("licensing:q.thanks"),
  ];
  for (const q of QUESTION_IDS) {
    const a = q === 1 ? answers.q1 : answers.q2;
    if (a === 1 || a === 2 || a === 3)
      lines.push(
        t("licensing:q.your_answer", {
          question: escapeHtml(QUESTIONNAIRE.questions[q][lang]),
          answer: escapeHtml(QUESTIONNAIRE.answers[a][lang]),
        }),
      );
  }
  return lines.join("\n\n");
}

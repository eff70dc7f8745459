// The satisfaction questionnaire (SPEC §5.12): the answers of the author or a head after a final decision
// (`q:<appId>:<q>:<answer>`), and /survey_stats for a branch manager.
import { Composer } from "grammy";
import { hasStaffRole } from "../../../domain/access.ts";
import {
  ANSWER_VALUES,
  parseAnswer,
  QUESTION_IDS,
  QUESTIONNAIRE,
} from "../../../domain/licensing/questionnaire.ts";
import { splitMessages } from "../../../domain/licensing/render.ts";
import type { AppContext } from "../../context.ts";
import { cbData, cbPattern } from "../../kit/callbacks.ts";
import type { Feature } from "../../kit/feature.ts";
import { nameIn } from "../../kit/format.ts";
import { escapeHtml } from "../../kit/html.ts";
import { answer, show } from "../../kit/ui.ts";
import { QUESTIONNAIRE_VERB, questionnaireScreen, questionnaireThanks } from "../../views/questionnaire.ts";

const composer = new Composer<AppContext>();

composer.callbackQuery(cbPattern(QUESTIONNAIRE_VERB), async (ctx) => {
  const d = cbData(ctx);
  const [appId, q, a] = d?.ids ?? [];
  const parsed = parseAnswer(q, a);
  if (!appId || !parsed.ok || !ctx.user) return answer(ctx, ctx.t("licensing:q.invalid"), true);
  const r = await ctx.app.survey.answer({
    applicationId: appId,
    userId: ctx.user.id,
    question: parsed.value.question,
    answer: parsed.value.answer,
  });
  if (!r.ok) {
    const code = r.errors[0]?.code;
    const key =
      code === "not_found" ? "not_found" : code === "questionnaire.not_final" ? "not_final" : "forbidden";
    return answer(ctx, ctx.t(`licensing:q.${key}`), true);
  }
  await answer(ctx, ctx.t(`licensing:q.${r.status === "unchanged" ? "unchanged" : "saved"}`));
  if (r.next) {
    const s = questionnaireScreen(ctx.lang, appId, r.next);
    await show(ctx, { text: s.text, keyboard: s.keyboard });
  } else await show(ctx, { text: questionnaireThanks(ctx.lang, r), keyboard: { inline_keyboard: [] } });
});

composer.command("survey_stats", async (ctx) => {
  const stats = await ctx.app.survey.stats(ctx.memberships);
  if (!stats) return void (await ctx.reply(ctx.t("licensing:stats.forbidden")));
  const lang = ctx.lang;
  const blocks = [ctx.t("licensing:stats.title")];
  for (const { branch, counts: s } of stats) {
    const lines = [
      ctx.t("licensing:stats.branch", { branch: escapeHtml(nameIn(lang, branch)), n: s.respondents }),
    ];
    if (!s.respondents) lines.push(ctx.t("licensing:stats.empty"));
    else
      for (const q of QUESTION_IDS) {
        lines.push(`${q}. ${escapeHtml(QUESTIONNAIRE.questions[q][lang])}`);
        const counts = q === 1 ? s.q1 : s.q2;
        for (const v of ANSWER_VALUES)
          lines.push(
            `   ${ctx.t("licensing:stats.line", { answer: escapeHtml(QUESTIONNAIRE.answers[v][lang]), n: counts[v] })}`,
          );
      }
    blocks.push(lines.join("\n"));
  }
  for (const text of splitMessages(blocks)) await ctx.reply(text, { parse_mode: "HTML" });
});

export const feature: Feature = {
  name: "survey",
  composer,
  verbs: { verbs: [QUESTIONNAIRE_VERB] },
  commands: [{ command: "survey_stats", for: (m) => hasStaffRole(m, "MANAGER") }],
};

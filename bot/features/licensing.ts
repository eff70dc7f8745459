// Licensing-services assistant (SPEC §5): /services and the main-menu «Государственные услуги» button open a
// guide service → regulation & channel → operation → documents / steps / receipt / status / refusal grounds,
// and a deadline calculator (type the submission date-time, get each step's due time in working days/hours).
// Also the satisfaction questionnaire (SPEC §5.12): offerQuestionnaire() builds the message the staff/outbox
// part sends after a final decision; the answers come back here as "q:<appId>:<q>:<answer>"; /survey_stats
// shows the counts to a branch MANAGER.
//
// Callback data (≤ 64 bytes, ids only):
//   lic:h[:n]                   home: the services             (n = send a new message instead of editing)
//   lic:s:<svc>                 the cards of a service         (svc: med | pha | nar | phc)
//   lic:c:<card>                a card: its operations
//   lic:o:<card>:<op>[:n]       the section menu of a card + operation (op: i | r | d | a)
//   lic:v:<card>:<op>:<sec>     show a section (ov | doc | stp | rcp | sts | ref) as new message(s)
//   lic:d:<card>:<op>           deadline calculator: ask for the submission date-time
//   lic:x                       cancel the calculator
//   q:<appId>:<q>:<answer>      a questionnaire answer (q 1–2, answer 1–3)
import { Composer, GrammyError, InlineKeyboard } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { CARDS, cardsOf, findCard } from "../../domain/licensing/data/index.ts";
import { canComputeDeadlines, computeDeadlines } from "../../domain/licensing/deadlines.ts";
import { parseSubmission, SUBMISSION_YEAR_RANGE } from "../../domain/licensing/parse.ts";
import {
  ANSWER_VALUES,
  type AnswerValue,
  canAnswer,
  nextQuestion,
  parseAnswer,
  QUESTION_IDS,
  QUESTIONNAIRE,
  type QuestionId,
} from "../../domain/licensing/questionnaire.ts";
import {
  cardLabel,
  escapeHtml,
  renderDeadline,
  renderSection,
  type Section,
  splitMessages,
  type TranslateFn,
} from "../../domain/licensing/render.ts";
import type { OperationId, ServiceCard, ServiceId } from "../../domain/licensing/types.ts";
import {
  managedBranches,
  questionnaireAccess,
  questionnaireStats,
  saveQuestionnaireAnswer,
} from "../../prisma/store/questionnaire.ts";
import { cb } from "../callbacks.ts";
import type { AppContext } from "../context.ts";
import { type Lang, translator } from "../i18n.ts";
import { MENU } from "../keyboards.ts";
import type { Feature } from "./index.ts";

const NS = "licensing:";
/** session.awaiting.kind while the calculator waits for a date. */
export const AWAIT_DEADLINE = "lic_deadline";

const SVC: Record<string, ServiceId> = {
  med: "medical",
  pha: "pharmaceutical",
  nar: "narcotics",
  phc: "phc",
};
const SVC_CODE = Object.fromEntries(Object.entries(SVC).map(([k, v]) => [v, k])) as Record<ServiceId, string>;
const OP: Record<string, OperationId> = { i: "issue", r: "reissue", d: "duplicate", a: "attach" };
const OP_CODE = Object.fromEntries(Object.entries(OP).map(([k, v]) => [v, k])) as Record<OperationId, string>;
const SEC: Record<string, Section> = {
  ov: "overview",
  doc: "documents",
  stp: "steps",
  rcp: "receipt",
  sts: "status",
  ref: "refusals",
};

function data(...parts: string[]): string {
  const s = parts.join(":");
  if (Buffer.byteLength(s, "utf8") > 64) throw new Error(`callback data over 64 bytes: ${s}`);
  return s;
}

const tOf =
  (ctx: AppContext): TranslateFn =>
  (key, options) =>
    ctx.t(key, options as never) as unknown as string;

const serviceTitle = (t: TranslateFn, s: ServiceId) => escapeHtml(t(`${NS}service.${s}`));

/** The calculator is offered only where the regulation gives durations or a stated total for the operation. */
const hasCalculator = (card: ServiceCard, op: OperationId): boolean => {
  const operation = card.operations.find((o) => o.id === op);
  return !!operation && canComputeDeadlines(operation);
};

async function show(ctx: AppContext, text: string, reply_markup: InlineKeyboard, edit: boolean) {
  if (edit && ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(text, {
        parse_mode: "HTML",
        reply_markup,
        link_preview_options: { is_disabled: true },
      });
      return;
    } catch (e) {
      if (e instanceof GrammyError && /not modified/i.test(e.description)) return;
      if (!(e instanceof GrammyError)) throw e;
      // the message cannot be edited (too old, deleted): send a new one
    }
  }
  await ctx.reply(text, { parse_mode: "HTML", reply_markup, link_preview_options: { is_disabled: true } });
}

// ───────────────────────────── screens ─────────────────────────────

async function home(ctx: AppContext, edit: boolean) {
  const t = tOf(ctx);
  const kb = new InlineKeyboard();
  for (const s of ["medical", "pharmaceutical", "narcotics", "phc"] as ServiceId[]) {
    kb.text(t(`${NS}service.${s}`), data("lic", "s", SVC_CODE[s])).row();
  }
  kb.text(t("common:menu.back"), cb(MENU.menu));
  await show(ctx, `${t(`${NS}menu.title`)}\n\n${t(`${NS}menu.historical`)}`, kb, edit);
}

async function serviceScreen(ctx: AppContext, service: ServiceId) {
  const t = tOf(ctx);
  const kb = new InlineKeyboard();
  for (const c of cardsOf(service)) kb.text(cardLabel(c, t), data("lic", "c", c.id)).row();
  kb.text(t(`${NS}menu.back`), data("lic", "h"));
  await show(ctx, t(`${NS}menu.choose_card`, { service: serviceTitle(t, service) }), kb, true);
}

async function cardScreen(ctx: AppContext, card: ServiceCard) {
  if (card.operations.length === 1) return sectionMenu(ctx, card, card.operations[0]!.id, true);
  const t = tOf(ctx);
  const kb = new InlineKeyboard();
  for (const o of card.operations)
    kb.text(t(`${NS}operation.${o.id}`), data("lic", "o", card.id, OP_CODE[o.id])).row();
  kb.text(t(`${NS}menu.back`), data("lic", "s", SVC_CODE[card.service]));
  const text = t(`${NS}menu.choose_operation`, {
    service: serviceTitle(t, card.service),
    card: escapeHtml(cardLabel(card, t)),
  });
  await show(ctx, text, kb, true);
}

function sectionKeyboard(t: TranslateFn, card: ServiceCard, op: OperationId): InlineKeyboard {
  const kb = new InlineKeyboard();
  const o = OP_CODE[op];
  const entries = Object.entries(SEC);
  entries.forEach(([code, section], i) => {
    kb.text(t(`${NS}section.${section}`), data("lic", "v", card.id, o, code));
    if (i % 2 === 1) kb.row();
  });
  kb.row();
  if (hasCalculator(card, op)) kb.text(t(`${NS}menu.calc`), data("lic", "d", card.id, o)).row();
  const back =
    card.operations.length > 1 ? data("lic", "c", card.id) : data("lic", "s", SVC_CODE[card.service]);
  kb.text(t(`${NS}menu.back`), back).text(t(`${NS}menu.home`), data("lic", "h"));
  return kb;
}

async function sectionMenu(ctx: AppContext, card: ServiceCard, op: OperationId, edit: boolean) {
  const t = tOf(ctx);
  const menu = t(`${NS}menu.choose_section`, {
    service: serviceTitle(t, card.service),
    card: escapeHtml(cardLabel(card, t)),
    operation: escapeHtml(t(`${NS}operation.${op}`)),
  });
  const text = hasCalculator(card, op) ? menu : `${menu}\n\n${t(`${NS}menu.no_calc`)}`;
  await show(ctx, text, sectionKeyboard(t, card, op), edit);
}

/** Content messages: every message but the last plain; the last carries the way back (a new menu message). */
async function sendMessages(ctx: AppContext, messages: string[], kb: InlineKeyboard) {
  for (let i = 0; i < messages.length; i++) {
    const last = i === messages.length - 1;
    await ctx.reply(messages[i]!, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(last ? { reply_markup: kb } : {}),
    });
  }
}

const backKeyboard = (t: TranslateFn, card: ServiceCard, op: OperationId) =>
  new InlineKeyboard()
    .text(t(`${NS}menu.back`), data("lic", "o", card.id, OP_CODE[op], "n"))
    .text(t(`${NS}menu.home`), data("lic", "h", "n"));

async function showSection(ctx: AppContext, card: ServiceCard, op: OperationId, section: Section) {
  const t = tOf(ctx);
  await sendMessages(ctx, renderSection(card, op, section, ctx.lang, t), backKeyboard(t, card, op));
}

async function askDate(ctx: AppContext, card: ServiceCard, op: OperationId) {
  const t = tOf(ctx);
  ctx.session.awaiting = { kind: AWAIT_DEADLINE, data: { card: card.id, op } };
  const text = t(`${NS}calc.ask`, {
    service: serviceTitle(t, card.service),
    card: escapeHtml(cardLabel(card, t)),
    operation: escapeHtml(t(`${NS}operation.${op}`)),
  });
  await ctx.reply(text, {
    parse_mode: "HTML",
    reply_markup: new InlineKeyboard().text(t(`${NS}calc.cancel`), data("lic", "x")),
  });
}

// ───────────────────────────── composer ─────────────────────────────

const composer = new Composer<AppContext>();

composer.command("services", (ctx) => home(ctx, false));
composer.callbackQuery(new RegExp(`^${MENU.services.replace(/\./g, "\\.")}$`), async (ctx) => {
  await ctx.answerCallbackQuery();
  await home(ctx, true);
});

composer.callbackQuery(/^lic:/, async (ctx) => {
  const parts = ctx.callbackQuery.data.split(":").slice(1);
  const [verb, a, b, c] = parts;
  const stale = () => ctx.answerCallbackQuery({ text: ctx.t(`${NS}menu.stale`), show_alert: true });
  const card = a ? findCard(a) : undefined;
  const op = b ? OP[b] : undefined;
  const withOp = card && op && card.operations.some((o) => o.id === op) ? { card, op } : null;
  switch (verb) {
    case "h":
      await ctx.answerCallbackQuery();
      return home(ctx, a !== "n");
    case "s": {
      const service = a ? SVC[a] : undefined;
      if (!service) return stale();
      await ctx.answerCallbackQuery();
      return serviceScreen(ctx, service);
    }
    case "c":
      if (!card) return stale();
      await ctx.answerCallbackQuery();
      return cardScreen(ctx, card);
    case "o":
      if (!withOp) return stale();
      await ctx.answerCallbackQuery();
      return sectionMenu(ctx, withOp.card, withOp.op, c !== "n");
    case "v": {
      const section = c ? SEC[c] : undefined;
      if (!withOp || !section) return stale();
      await ctx.answerCallbackQuery();
      return showSection(ctx, withOp.card, withOp.op, section);
    }
    case "d":
      if (!withOp) return stale();
      if (!hasCalculator(withOp.card, withOp.op)) {
        // an old message may still carry the button: say why there is nothing to compute
        return ctx.answerCallbackQuery({ text: ctx.t(`${NS}calc.no_timeline`), show_alert: true });
      }
      await ctx.answerCallbackQuery();
      return askDate(ctx, withOp.card, withOp.op);
    case "x":
      if (ctx.session.awaiting?.kind === AWAIT_DEADLINE) ctx.session.awaiting = undefined;
      await ctx.answerCallbackQuery();
      return show(
        ctx,
        ctx.t(`${NS}calc.cancelled`),
        new InlineKeyboard().text(ctx.t(`${NS}menu.home`), data("lic", "h")),
        true,
      );
    default:
      return stale();
  }
});

// The submission date-time for the calculator (free text).
composer.on("message", async (ctx, next) => {
  const aw = ctx.session.awaiting;
  if (aw?.kind !== AWAIT_DEADLINE) return next();
  const text = ctx.message.text?.trim();
  if (text?.startsWith("/")) return next();
  const t = tOf(ctx);
  const card = findCard(String(aw.data?.card ?? ""));
  const op = String(aw.data?.op ?? "") as OperationId;
  if (!card?.operations.some((o) => o.id === op)) {
    ctx.session.awaiting = undefined;
    await ctx.reply(t(`${NS}menu.stale`));
    return;
  }
  const parsed = parseSubmission(text ?? "");
  if (!parsed.ok) {
    const key = parsed.code === "out_of_range" ? `${NS}calc.out_of_range` : `${NS}calc.invalid`;
    await ctx.reply(t(key, { ...SUBMISSION_YEAR_RANGE }), {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text(t(`${NS}calc.cancel`), data("lic", "x")),
    });
    return;
  }
  const result = computeDeadlines(card, op, parsed.date);
  if (!result.ok) {
    ctx.session.awaiting = undefined;
    await ctx.reply(t(`${NS}menu.stale`));
    return;
  }
  ctx.session.awaiting = undefined;
  const kb = new InlineKeyboard()
    .text(t(`${NS}calc.again`), data("lic", "d", card.id, OP_CODE[op]))
    .row()
    .text(t(`${NS}menu.back`), data("lic", "o", card.id, OP_CODE[op], "n"))
    .text(t(`${NS}menu.home`), data("lic", "h", "n"));
  await sendMessages(ctx, renderDeadline(result.value, ctx.lang, t), kb);
});

// ───────────────────────────── questionnaire ─────────────────────────────

const Q_RE = /^q:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):(\d):(\d)$/i;

/** Callback data of one answer button: "q:<appId>:<q>:<answer>" (≤ 42 bytes). */
export function questionnaireCallback(
  applicationId: string,
  question: QuestionId,
  answer: AnswerValue,
): string {
  return data("q", applicationId, String(question), String(answer));
}

/**
 * The questionnaire message for the supplier (the author or head of an application that reached INCLUDED,
 * REJECTED or EXCLUDED), in the recipient's language. Send it with parse_mode HTML; the answers are handled
 * by this feature. `question` = which question to show (1 first; the handler moves on to 2 by itself).
 */
export function offerQuestionnaire(
  lang: Lang,
  applicationId: string,
  question: QuestionId = 1,
): { text: string; parse_mode: "HTML"; reply_markup: InlineKeyboardMarkup } {
  const t = translator(lang) as unknown as TranslateFn;
  const text = [
    t(`${NS}q.title`, { service: escapeHtml(t(`${NS}q.service_name`)) }),
    t(`${NS}q.progress`, { n: question, total: QUESTION_IDS.length }),
    `<b>${escapeHtml(QUESTIONNAIRE.questions[question][lang])}</b>`,
  ].join("\n\n");
  const kb = new InlineKeyboard();
  for (const a of ANSWER_VALUES) {
    kb.text(
      `${a}) ${QUESTIONNAIRE.answers[a][lang]}`,
      questionnaireCallback(applicationId, question, a),
    ).row();
  }
  return { text, parse_mode: "HTML", reply_markup: { inline_keyboard: kb.inline_keyboard } };
}

function thanksText(lang: Lang, answers: { q1: number | null; q2: number | null }): string {
  const t = translator(lang) as unknown as TranslateFn;
  const lines = [t(`${NS}q.title`, { service: escapeHtml(t(`${NS}q.service_name`)) }), t(`${NS}q.thanks`)];
  for (const q of QUESTION_IDS) {
    const a = q === 1 ? answers.q1 : answers.q2;
    if (a === 1 || a === 2 || a === 3) {
      lines.push(
        t(`${NS}q.your_answer`, {
          question: escapeHtml(QUESTIONNAIRE.questions[q][lang]),
          answer: escapeHtml(QUESTIONNAIRE.answers[a][lang]),
        }),
      );
    }
  }
  return lines.join("\n\n");
}

composer.callbackQuery(/^q:/, async (ctx) => {
  const m = Q_RE.exec(ctx.callbackQuery.data);
  const parsed = m ? parseAnswer(m[2], m[3]) : null;
  if (!m || !parsed?.ok) {
    await ctx.answerCallbackQuery({ text: ctx.t(`${NS}q.invalid`), show_alert: true });
    return;
  }
  const appId = m[1]!.toLowerCase();
  if (!ctx.user) {
    await ctx.answerCallbackQuery();
    return;
  }
  const prisma = ctx.deps.prisma;
  // Authorise again on every press: the author, or a head of the organisation, after a final decision.
  const access = await questionnaireAccess(prisma, appId, ctx.user.id);
  if (!access) {
    await ctx.answerCallbackQuery({ text: ctx.t(`${NS}q.not_found`), show_alert: true });
    return;
  }
  const allowed = canAnswer({ ...access, userId: ctx.user.id });
  if (!allowed.ok) {
    const code = allowed.errors[0]?.code === "questionnaire.not_final" ? "not_final" : "forbidden";
    await ctx.answerCallbackQuery({ text: ctx.t(`${NS}q.${code}`), show_alert: true });
    return;
  }
  const saved = await saveQuestionnaireAnswer(prisma, {
    applicationId: appId,
    userId: ctx.user.id,
    question: parsed.value.question,
    answer: parsed.value.answer,
  });
  await ctx.answerCallbackQuery({
    text: ctx.t(`${NS}q.${saved.status === "unchanged" ? "unchanged" : "saved"}`),
  });
  const next = nextQuestion(saved);
  const offer = next ? offerQuestionnaire(ctx.lang, appId, next) : null;
  const text = offer ? offer.text : thanksText(ctx.lang, saved);
  try {
    await ctx.editMessageText(text, {
      parse_mode: "HTML",
      reply_markup: offer?.reply_markup ?? { inline_keyboard: [] },
    });
  } catch (e) {
    // A double tap edits the message to the same content: Telegram answers "message is not modified".
    if (!(e instanceof GrammyError && /not modified/i.test(e.description))) throw e;
  }
});

// ───────────────────────────── /survey_stats ─────────────────────────────

composer.command("survey_stats", async (ctx) => {
  if (!ctx.user) return;
  const prisma = ctx.deps.prisma;
  const branches = await managedBranches(prisma, ctx.user.id);
  if (!branches.length) {
    await ctx.reply(ctx.t(`${NS}stats.forbidden`));
    return;
  }
  const lang = ctx.lang;
  const blocks = [ctx.t(`${NS}stats.title`)];
  for (const b of branches) {
    const s = await questionnaireStats(prisma, { branchId: b.id });
    const lines = [
      ctx.t(`${NS}stats.branch`, {
        branch: escapeHtml(lang === "kk" ? b.nameKk : b.nameRu),
        n: s.respondents,
      }),
    ];
    if (!s.respondents) lines.push(ctx.t(`${NS}stats.empty`));
    else {
      for (const q of QUESTION_IDS) {
        lines.push(`${q}. ${escapeHtml(QUESTIONNAIRE.questions[q][lang])}`);
        const counts = q === 1 ? s.q1 : s.q2;
        for (const a of ANSWER_VALUES) {
          lines.push(
            `   ${ctx.t(`${NS}stats.line`, { answer: escapeHtml(QUESTIONNAIRE.answers[a][lang]), n: counts[a] })}`,
          );
        }
      }
    }
    blocks.push(lines.join("\n"));
  }
  for (const text of splitMessages(blocks)) await ctx.reply(text, { parse_mode: "HTML" });
});

export const feature: Feature = { name: "licensing", composer };

/** For tests and docs: every card id the guide offers. */
export const LICENSING_CARD_IDS = CARDS.map((c) => c.id);

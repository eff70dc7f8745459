// Licensing-services assistant (SPEC §5): /services and the main-menu «Государственные услуги» button open a
// guide service → regulation & channel → operation → documents / steps / receipt / status / refusal grounds,
// and a deadline calculator (type the submission date-time, get each step's due time in working days/hours).
// Callback data (≤ 64 bytes, ids only):
//   lic:h[:n]                   home: the services             (n = send a new message instead of editing)
//   lic:s:<svc>                 the cards of a service         (svc: med | pha | nar | phc)
//   lic:c:<card>                a card: its operations
//   lic:o:<card>:<op>[:n]       the section menu of a card + operation (op: i | r | d | a)
//   lic:v:<card>:<op>:<sec>     show a section (ov | doc | stp | rcp | sts | ref) as new message(s)
//   lic:d:<card>:<op>           deadline calculator: ask for the submission date-time
//   lic:x                       cancel the calculator
import { Composer, InlineKeyboard } from "grammy";
import { isSupplierAdmin } from "../../../domain/access.ts";
import { CARDS, cardsOf, findCard } from "../../../domain/licensing/data/index.ts";
import { canComputeDeadlines, computeDeadlines } from "../../../domain/licensing/deadlines.ts";
import { parseSubmission, SUBMISSION_YEAR_RANGE } from "../../../domain/licensing/parse.ts";
import {
  cardLabel,
  escapeHtml,
  renderDeadline,
  renderSection,
  type Section,
  type TranslateFn,
} from "../../../domain/licensing/render.ts";
import type { OperationId, ServiceCard, ServiceId } from "../../../domain/licensing/types.ts";
import type { AppContext } from "../../context.ts";
import { cb } from "../../kit/callbacks.ts";
import type { Feature } from "../../kit/feature.ts";
import { answer, show as showScreen } from "../../kit/ui.ts";
import { MENU } from "../menu/verbs.ts";

declare module "../../kit/session.ts" {
  interface SessionSlots {
    /** The deadline calculator waits for a submission date of this card and operation. */
    calc?: { card: string; op: OperationId };
  }
}

const NS = "licensing:";
/** session.awaiting while the calculator waits for a date. */
export const AWAIT_DEADLINE = "calc";

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

const show = async (ctx: AppContext, text: string, keyboard: InlineKeyboard, edit: boolean) => {
  await showScreen(ctx, { text, keyboard }, { fresh: !edit });
};

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
  ctx.session.awaiting = AWAIT_DEADLINE;
  ctx.session.calc = { card: card.id, op };
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
  await answer(ctx);
  await home(ctx, true);
});

composer.callbackQuery(/^lic:/, async (ctx) => {
  const parts = ctx.callbackQuery.data.split(":").slice(1);
  const [verb, a, b, c] = parts;
  const stale = () => answer(ctx, ctx.t(`${NS}menu.stale`), true);
  const card = a ? findCard(a) : undefined;
  const op = b ? OP[b] : undefined;
  const withOp = card && op && card.operations.some((o) => o.id === op) ? { card, op } : null;
  switch (verb) {
    case "h":
      await answer(ctx);
      return home(ctx, a !== "n");
    case "s": {
      const service = a ? SVC[a] : undefined;
      if (!service) return stale();
      await answer(ctx);
      return serviceScreen(ctx, service);
    }
    case "c":
      if (!card) return stale();
      await answer(ctx);
      return cardScreen(ctx, card);
    case "o":
      if (!withOp) return stale();
      await answer(ctx);
      return sectionMenu(ctx, withOp.card, withOp.op, c !== "n");
    case "v": {
      const section = c ? SEC[c] : undefined;
      if (!withOp || !section) return stale();
      await answer(ctx);
      return showSection(ctx, withOp.card, withOp.op, section);
    }
    case "d":
      if (!withOp) return stale();
      if (!hasCalculator(withOp.card, withOp.op)) {
        // an old message may still carry the button: say why there is nothing to compute
        return answer(ctx, ctx.t(`${NS}calc.no_timeline`), true);
      }
      await answer(ctx);
      return askDate(ctx, withOp.card, withOp.op);
    case "x":
      if (ctx.session.awaiting === AWAIT_DEADLINE) ctx.session.awaiting = undefined;
      ctx.session.calc = undefined;
      ctx.session.calc = undefined;
      await answer(ctx);
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
  const aw = ctx.session.calc;
  if (ctx.session.awaiting !== AWAIT_DEADLINE || !aw) return next();
  const text = ctx.message.text?.trim();
  if (text?.startsWith("/")) return next();
  const t = tOf(ctx);
  const card = findCard(aw.card);
  const op = aw.op;
  if (!card?.operations.some((o) => o.id === op)) {
    ctx.session.awaiting = undefined;
    ctx.session.calc = undefined;
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
    ctx.session.calc = undefined;
    await ctx.reply(t(`${NS}menu.stale`));
    return;
  }
  ctx.session.awaiting = undefined;
  ctx.session.calc = undefined;
  const kb = new InlineKeyboard()
    .text(t(`${NS}calc.again`), data("lic", "d", card.id, OP_CODE[op]))
    .row()
    .text(t(`${NS}menu.back`), data("lic", "o", card.id, OP_CODE[op], "n"))
    .text(t(`${NS}menu.home`), data("lic", "h", "n"));
  await sendMessages(ctx, renderDeadline(result.value, ctx.lang, t), kb);
});

export const feature: Feature = {
  name: "licensing",
  composer,
  verbs: { verbs: ["lic", MENU.services] },
  commands: [{ command: "services", for: isSupplierAdmin }],
  onCancel: (ctx) => {
    ctx.session.calc = undefined;
  },
};

/** For tests and docs: every card id the guide offers. */
export const LICENSING_CARD_IDS = CARDS.map((c) => c.id);

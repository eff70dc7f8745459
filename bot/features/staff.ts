// Fund staff: reviewer, checker, approver (SPEC §1.2, §4.2–4.3, DECISIONS 9–16).
// Every press re-reads the user's roles for the application from the database (once: staffPress), and a
// decision is one store transaction (lock + snapshot + decide + optimistic version + outbox + the closing of
// the step's messages) – callback data are only ids and the expected version. The card after a decision is
// drawn from the snapshot the transaction returned, not read again.
import { Composer, InlineKeyboard } from "grammy";
import type { Action, Actor, DomainError } from "../../domain/types.ts";
import { MAX_REASON_LENGTH } from "../../domain/stateMachine.ts";
import { type CallbackData, cb, cbData, cbPattern } from "../callbacks.ts";
import type { AppContext } from "../context.ts";
import { escapeHtml } from "../i18n.ts";
import { MENU } from "../keyboards.ts";
import { fmtKzTime } from "../outbox/format.ts";
import { getSigner } from "../services/signer.ts";
import type { Feature } from "./index.ts";
import { askText, definePrompt, type PromptArgs, type PromptProblem } from "../../conversations/prompts.ts";
import { V } from "./staff/keyboards.ts";
import { runTransition } from "./staff/ports.ts";
import {
  auditScreen,
  branchCheckers,
  type CheckerDraft,
  cardScreen,
  checkersScreen,
  type ExclusionDraft,
  exclusionDocument,
  exclusionScreen,
  groundsScreen,
  type QueuePos,
  queuePosOf,
  queueScreen,
  type RejectionDraft,
  type Screen,
} from "./staff/screens.ts";
import { actionsFor, lastDecision, loadSnapshot, rolesFor } from "./staff/snapshot.ts";
import type { StaffRole } from "../../domain/types.ts";

const composer = new Composer<AppContext>();
const pm = composer.chatType("private");

// Free-text prompts (conversations/prompts.ts).
const PROMPT_REASON = "staff_reason";
const PROMPT_NOTE = "staff_note";
const PROMPT_GROUND = "staff_ground";
const MIN_TEXT_LENGTH = 3;

type Scratch = { rej?: RejectionDraft; chk?: CheckerDraft; exc?: ExclusionDraft };
const scratch = (ctx: AppContext): Scratch => {
  ctx.session.scratch ??= {};
  return ctx.session.scratch as Scratch;
};

async function show(ctx: AppContext, s: Screen, edit = true) {
  const opts = { parse_mode: "HTML" as const, reply_markup: s.reply_markup };
  if (edit && ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(s.text, opts);
      return;
    } catch {
      // not editable (too old, identical text): send a new message instead
    }
  }
  await ctx.reply(s.text, opts);
}

async function answer(ctx: AppContext, text?: string, alert = false) {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery(text ? { text, show_alert: alert } : undefined);
}

function errorText(ctx: AppContext, errors: DomainError[]): string {
  const e = errors[0];
  const code = e?.code ?? "denied";
  return ctx.t(`staff:error.${code}`, { defaultValue: ctx.t("staff:error.generic", { code }) });
}

async function alreadyDecided(
  ctx: AppContext,
  appId: string,
  known?: { decidedBy: string | null; decidedAt: Date | null },
) {
  const d = known?.decidedAt ? known : await lastDecision(ctx.deps.prisma, appId);
  const text = d.decidedAt
    ? ctx.t("staff:already_decided", {
        name: d.decidedBy ?? ctx.t("notify:someone"),
        at: fmtKzTime(d.decidedAt),
      })
    : ctx.t("staff:stale");
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else await ctx.reply(text);
}

/** Parse `<verb>:<app>[:<extra>]@<version>`; answers and returns null when it is malformed or not staff's. */
async function staffPress(ctx: AppContext, needVersion = true) {
  const d: CallbackData | null = cbData(ctx);
  const appId = d?.ids[0];
  if (!ctx.user || !d || !appId || (needVersion && d.version === undefined)) {
    await answer(ctx, ctx.t("staff:denied"), true);
    return null;
  }
  const actor = await rolesFor(ctx.deps.prisma, ctx.user.id, appId);
  if (!actor || actor.staffRoles.length === 0) {
    await answer(ctx, ctx.t("staff:not_found"), true);
    return null;
  }
  return { d, appId, version: d.version ?? 0, extra: d.ids[1], userId: ctx.user.id, actor };
}

type Press = NonNullable<Awaited<ReturnType<typeof staffPress>>>;

/**
 * Before starting a multi-step flow: the action must be allowed now and the button's version current;
 * otherwise answer "already decided" (stale) or "not available" and change nothing.
 */
async function precheck(ctx: AppContext, p: Press, actions: Action[]) {
  const { appId, version, actor } = p;
  const app = await loadSnapshot(ctx.deps.prisma, appId);
  if (!app) {
    await answer(ctx, ctx.t("staff:not_found"), true);
    return null;
  }
  if (app.version !== version) {
    await alreadyDecided(ctx, appId);
    return null;
  }
  const allowed = actionsFor(app, actor);
  const action = actions.find((a) => allowed.includes(a));
  if (!action) {
    await answer(ctx, ctx.t("staff:denied"), true);
    return null;
  }
  return { app, actor, action };
}

/** Run one transition and show the outcome; true when it was applied. */
async function decideNow(
  ctx: AppContext,
  appId: string,
  version: number,
  action: Action,
  input: Parameters<typeof runTransition>[1]["input"] = {},
  actor?: Actor,
): Promise<boolean> {
  if (!ctx.user) return false;
  const r = await runTransition(ctx.deps, {
    applicationId: appId,
    expectedVersion: version,
    action,
    userId: ctx.user.id,
    input,
    ...(actor ? { actor } : {}),
  });
  if (!r.ok) {
    if (r.kind === "stale") await alreadyDecided(ctx, appId, r);
    else if (r.kind === "not_found") await answer(ctx, ctx.t("staff:not_found"), true);
    else if (ctx.callbackQuery) await answer(ctx, errorText(ctx, r.errors), true);
    else await ctx.reply(errorText(ctx, r.errors));
    return false;
  }
  // The step is over for everybody else: the transition wrote their "stage_closed" edits (outbox worker).
  const [, card] = await Promise.all([
    answer(ctx, ctx.t(`staff:done.${action}`)),
    cardScreen(ctx.deps.prisma, ctx.t, ctx.lang, appId, ctx.user.id, ctx.t(`staff:done.${action}`), {
      ...(r.snapshot ? { app: r.snapshot } : {}),
      ...(actor ? { actor } : {}),
    }),
  ]);
  if (card) await show(ctx, card, !!ctx.callbackQuery);
  return true;
}

// ───────────── queue, card, audit ─────────────

async function showQueue(ctx: AppContext, role: StaffRole | undefined, pos: QueuePos, edit: boolean) {
  if (!ctx.user) return;
  const s = await queueScreen(ctx.deps.prisma, ctx.t, ctx.lang, ctx.user.id, role, pos, ctx.deps.now());
  await show(ctx, s, edit);
}

pm.command("queue", (ctx) => showQueue(ctx, undefined, { page: 0 }, false));
composer.callbackQuery(cbPattern(MENU.queue), async (ctx) => {
  await ctx.answerCallbackQuery();
  await showQueue(ctx, undefined, { page: 0 }, true);
});
composer.callbackQuery(cbPattern(V.queue), async (ctx) => {
  const d = cbData(ctx);
  await ctx.answerCallbackQuery();
  await showQueue(ctx, d?.ids[0] as StaffRole | undefined, queuePosOf(d?.ids.slice(1) ?? []), true);
});

composer.callbackQuery(cbPattern(V.view), async (ctx) => {
  const p = await staffPress(ctx, false);
  if (!p) return;
  const card = await cardScreen(ctx.deps.prisma, ctx.t, ctx.lang, p.appId, p.userId, undefined, {
    actor: p.actor,
  });
  if (!card) return answer(ctx, ctx.t("staff:not_found"), true);
  await answer(ctx);
  await show(ctx, card);
});

composer.callbackQuery(cbPattern(V.audit), async (ctx) => {
  const p = await staffPress(ctx, false);
  if (!p) return;
  await answer(ctx);
  await show(ctx, await auditScreen(ctx.deps.prisma, ctx.t, ctx.lang, p.appId), false);
});

// ───────────── one-press decisions ─────────────

const ONE_PRESS: [string, Action][] = [
  [V.inclusion, "FORM_INCLUSION_NOTICE"],
  [V.deleteNotice, "DELETE_NOTICE"],
  [V.checkerConfirm, "CHECKER_CONFIRM"],
  [V.approverApprove, "APPROVER_APPROVE"],
];
for (const [verb, action] of ONE_PRESS) {
  composer.callbackQuery(cbPattern(verb), async (ctx) => {
    const p = await staffPress(ctx);
    if (!p) return;
    await decideNow(ctx, p.appId, p.version, action, {}, p.actor);
  });
}

// ───────────── refusals with a typed reason (checker T16/X4, approver T19/X6) ─────────────

for (const [verb, action, prompt] of [
  [V.checkerRefuse, "CHECKER_REFUSE", "staff:prompt.refuse_reason"],
  [V.approverRefuse, "APPROVER_REFUSE", "staff:prompt.decline_reason"],
] as const) {
  composer.callbackQuery(cbPattern(verb), async (ctx) => {
    const p = await staffPress(ctx);
    if (!p) return;
    if (!(await precheck(ctx, p, [action]))) return;
    await answer(ctx);
    await ask(ctx, { kind: PROMPT_REASON, id: p.appId, v: p.version, action }, prompt);
  });
}

// ───────────── T10: rejection notice (grounds ✅ + optional note) ─────────────

composer.callbackQuery(cbPattern(V.rejection), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p) return;
  if (!(await precheck(ctx, p, ["FORM_REJECTION_NOTICE"]))) return;
  const s = scratch(ctx);
  s.rej = { app: p.appId, v: p.version, grounds: [] };
  await answer(ctx);
  await show(ctx, await groundsScreen(ctx.deps.prisma, ctx.t, ctx.lang, s.rej));
});

composer.callbackQuery(cbPattern(V.ground), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p?.extra) return;
  const s = scratch(ctx);
  if (!s.rej || s.rej.app !== p.appId || s.rej.v !== p.version)
    s.rej = { app: p.appId, v: p.version, grounds: [] };
  const exists = await ctx.deps.prisma.rejectionGround.findFirst({ where: { code: p.extra, active: true } });
  if (!exists) return answer(ctx, ctx.t("staff:denied"), true);
  s.rej.grounds = s.rej.grounds.includes(p.extra)
    ? s.rej.grounds.filter((g) => g !== p.extra)
    : [...s.rej.grounds, p.extra];
  await answer(ctx);
  await show(ctx, await groundsScreen(ctx.deps.prisma, ctx.t, ctx.lang, s.rej));
});

composer.callbackQuery(cbPattern(V.note), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p) return;
  await answer(ctx);
  await ask(ctx, { kind: PROMPT_NOTE, id: p.appId, v: p.version }, "staff:prompt.note");
});

composer.callbackQuery(cbPattern(V.rejectionOk), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p) return;
  const s = scratch(ctx);
  const draft = s.rej?.app === p.appId ? s.rej : undefined;
  if (!draft?.grounds.length) return answer(ctx, ctx.t("staff:grounds.need_one"), true);
  const ok = await decideNow(
    ctx,
    p.appId,
    p.version,
    "FORM_REJECTION_NOTICE",
    {
      reasons: draft.grounds,
      ...(draft.note ? { note: draft.note } : {}),
    },
    p.actor,
  );
  if (ok) s.rej = undefined;
});

// ───────────── T12/T13/X3: choose checkers (never self) and send ─────────────

composer.callbackQuery(cbPattern(V.pickCheckers), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p) return;
  if (!(await precheck(ctx, p, ["SEND_TO_CHECK", "SEND_EXCLUSION_TO_CHECK"]))) return;
  const s = scratch(ctx);
  s.chk = { app: p.appId, v: p.version, ids: [] };
  await answer(ctx);
  await show(ctx, await checkersScreen(ctx.deps.prisma, ctx.t, s.chk, p.userId));
});

composer.callbackQuery(cbPattern(V.toggleChecker), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p?.extra) return;
  if (p.extra === p.userId) return answer(ctx, ctx.t("staff:checkers.self"), true);
  const list = await branchCheckers(ctx.deps.prisma, p.appId, p.userId);
  if (!list.some((c) => c.id === p.extra)) return answer(ctx, ctx.t("staff:denied"), true);
  const s = scratch(ctx);
  if (!s.chk || s.chk.app !== p.appId || s.chk.v !== p.version)
    s.chk = { app: p.appId, v: p.version, ids: [] };
  const id = p.extra;
  s.chk.ids = s.chk.ids.includes(id) ? s.chk.ids.filter((x) => x !== id) : [...s.chk.ids, id];
  await answer(ctx);
  await show(ctx, await checkersScreen(ctx.deps.prisma, ctx.t, s.chk, p.userId));
});

composer.callbackQuery(cbPattern(V.send), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p) return;
  const s = scratch(ctx);
  const draft = s.chk?.app === p.appId ? s.chk : undefined;
  if (!draft?.ids.length) return answer(ctx, ctx.t("staff:checkers.need_one"), true);
  if (draft.ids.includes(p.userId)) return answer(ctx, ctx.t("staff:checkers.self"), true);
  const pre = await precheck(ctx, p, ["SEND_TO_CHECK", "SEND_EXCLUSION_TO_CHECK"]);
  if (!pre) return;
  if (await decideNow(ctx, p.appId, p.version, pre.action, { checkerIds: draft.ids }, p.actor))
    s.chk = undefined;
});

// ───────────── X1: exclusion notice (reason + optional additional ground) ─────────────

composer.callbackQuery(cbPattern(V.exclusion), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p) return;
  if (!(await precheck(ctx, p, ["FORM_EXCLUSION_NOTICE"]))) return;
  const s = scratch(ctx);
  s.exc = { app: p.appId, v: p.version };
  await answer(ctx);
  await show(ctx, await exclusionScreen(ctx.deps.prisma, ctx.t, ctx.lang, s.exc));
});

composer.callbackQuery(cbPattern(V.exclusionReason), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p?.extra) return;
  const exists = await ctx.deps.prisma.exclusionReason.findFirst({ where: { code: p.extra, active: true } });
  if (!exists) return answer(ctx, ctx.t("staff:denied"), true);
  const s = scratch(ctx);
  s.exc = { app: p.appId, v: p.version, reason: p.extra };
  await answer(ctx);
  await show(ctx, await exclusionScreen(ctx.deps.prisma, ctx.t, ctx.lang, s.exc));
});

composer.callbackQuery(cbPattern(V.exclusionGround), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p) return;
  await answer(ctx);
  await ask(ctx, { kind: PROMPT_GROUND, id: p.appId, v: p.version }, "staff:prompt.ground");
});

composer.callbackQuery(cbPattern(V.exclusionOk), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p) return;
  const s = scratch(ctx);
  const draft = s.exc?.app === p.appId ? s.exc : undefined;
  if (!draft?.reason) return answer(ctx, ctx.t("staff:error.reasons_required"), true);
  const ok = await decideNow(
    ctx,
    p.appId,
    p.version,
    "FORM_EXCLUSION_NOTICE",
    {
      reasons: [draft.reason],
      ...(draft.ground ? { additionalGround: draft.ground } : {}),
    },
    p.actor,
  );
  if (ok) s.exc = undefined;
});

// ───────────── X7: approve the exclusion through the Signer (explicit confirmation of the SHA-256) ─────────────

composer.callbackQuery(cbPattern(V.exclusionApprove), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p) return;
  if (!(await precheck(ctx, p, ["APPROVE_EXCLUSION"]))) return;
  const doc = await exclusionDocument(ctx.deps.prisma, p.appId);
  if (!doc) return answer(ctx, ctx.t("staff:error.notice_required"), true);
  await answer(ctx);
  const text = [
    ctx.t("staff:exclusion.sign_title"),
    `<pre>${escapeHtml(doc.text)}</pre>`,
    ctx.t("staff:exclusion.sign_hash", { hash: doc.sha256 }),
    getSigner(ctx.deps).qualified ? null : ctx.t("staff:exclusion.sign_note"),
  ]
    .filter(Boolean)
    .join("\n");
  const kb = new InlineKeyboard()
    .text(ctx.t("staff:btn.sign"), cb(V.exclusionSign, [p.appId], p.version))
    .row()
    .text(ctx.t("staff:btn.back"), cb(V.view, [p.appId]));
  await show(ctx, { text, reply_markup: kb }, false);
});

composer.callbackQuery(cbPattern(V.exclusionSign), async (ctx) => {
  const p = await staffPress(ctx);
  if (!p) return;
  if (!(await precheck(ctx, p, ["APPROVE_EXCLUSION"]))) return;
  const doc = await exclusionDocument(ctx.deps.prisma, p.appId);
  if (!doc) return answer(ctx, ctx.t("staff:error.notice_required"), true);
  const signed = await getSigner(ctx.deps).sign({
    applicationId: p.appId,
    document: "EXCLUSION_NOTICE",
    sha256: doc.sha256,
    signerUserId: p.userId,
    confirmed: true,
  });
  if (!signed.ok) return answer(ctx, ctx.t("staff:exclusion.sign_failed"), true);
  await decideNow(
    ctx,
    p.appId,
    p.version,
    "APPROVE_EXCLUSION",
    {
      confirmed: true,
      signature: { sha256: signed.signature.sha256, method: signed.signature.method },
    },
    p.actor,
  );
});

// ───────────── typed answers (conversations/prompts.ts) ─────────────

/** Start a prompt for this application and ask the question, with «Отмена». */
async function ask(ctx: AppContext, args: PromptArgs & { id: string }, question: string) {
  await askText(ctx, args);
  await ctx.reply(ctx.t(question), {
    reply_markup: new InlineKeyboard().text(ctx.t("staff:btn.cancel"), cb(V.cancel, [args.id])),
  });
}

/** «Отмена» under a question (pressing it has already left the prompt); nothing was changed. */
composer.callbackQuery(cbPattern(V.cancel), async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => {});
  await ctx.reply(ctx.t("staff:prompt.cancelled"));
});

const staffText = {
  textOnly: "staff:prompt.text_only",
  check: (text: string): PromptProblem | null =>
    !text
      ? { key: "staff:prompt.empty" }
      : text.length < MIN_TEXT_LENGTH
        ? { key: "staff:prompt.too_short", params: { min: MIN_TEXT_LENGTH } }
        : text.length > MAX_REASON_LENGTH
          ? { key: "staff:prompt.too_long", params: { max: MAX_REASON_LENGTH } }
          : null,
};

/**
 * The draft's note / additional ground belongs to the version the prompt started on: if the application moved
 * on meanwhile, say who decided and keep nothing.
 */
async function stillCurrent(ctx: AppContext, id: string, v: number): Promise<boolean> {
  const app = await loadSnapshot(ctx.deps.prisma, id);
  if (!app) {
    await ctx.reply(ctx.t("staff:not_found"));
    return false;
  }
  if (app.version !== v) {
    await alreadyDecided(ctx, id);
    return false;
  }
  return true;
}

// Checker's / approver's refusal: the transition runs now, re-authorised by the store, on the captured version.
definePrompt(PROMPT_REASON, {
  ...staffText,
  onAnswer: async (ctx, text, { id, v, action }) => {
    if (!id || v === undefined || !action) return;
    await decideNow(ctx, id, v, action as Action, { reasonText: text });
  },
});

// T10 note: kept in the rejection draft (session), decided with «Сформировать» (version-checked again there).
definePrompt(PROMPT_NOTE, {
  ...staffText,
  onAnswer: async (ctx, text, { id, v }) => {
    if (!id || v === undefined || !(await stillCurrent(ctx, id, v))) return;
    const s = scratch(ctx);
    if (!s.rej || s.rej.app !== id || s.rej.v !== v) s.rej = { app: id, v, grounds: [] };
    s.rej.note = text;
    await show(ctx, await groundsScreen(ctx.deps.prisma, ctx.t, ctx.lang, s.rej), false);
  },
});

// X1 additional ground: kept in the exclusion draft (session), decided with «Сформировать».
definePrompt(PROMPT_GROUND, {
  ...staffText,
  onAnswer: async (ctx, text, { id, v }) => {
    if (!id || v === undefined || !(await stillCurrent(ctx, id, v))) return;
    const s = scratch(ctx);
    if (!s.exc || s.exc.app !== id || s.exc.v !== v) s.exc = { app: id, v };
    s.exc.ground = text;
    await show(ctx, await exclusionScreen(ctx.deps.prisma, ctx.t, ctx.lang, s.exc), false);
  },
});

export const feature: Feature = { name: "staff", composer };

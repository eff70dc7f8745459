// Fund staff: reviewer, checker, approver (SPEC §1.2, §4.2–4.3, DECISIONS 9–16).
// A press reads the application ONCE (the decision facts and the card in one statement), the table decides,
// and the decision is one store transaction (state + audit + outbox + the closing of the step's messages);
// the card after it is drawn from the snapshot the decision left. Callback data are only ids and the
// expected version: every press is re-authorised from the database.
import { Composer, InlineKeyboard, InputFile } from "grammy";
import { noticeHtml } from "../../../adapters/pdf/index.ts";
import type { Outcome } from "../../../app/index.ts";
import type { StaffView } from "../../../app/staff.ts";
import { askText, type PromptArgs } from "../../../conversations/prompts.ts";
import { isStaff } from "../../../domain/access.ts";
import { allowedActions } from "../../../domain/stateMachine.ts";
import type { TransitionInput } from "../../../domain/contracts.ts";
import { STAFF_ROLES, type Action, type StaffRole } from "../../../domain/types.ts";
import type { AppContext } from "../../context.ts";
import { type CallbackData, cb, cbData, cbPattern } from "../../kit/callbacks.ts";
import type { Feature } from "../../kit/feature.ts";
import { fmtDateTime } from "../../kit/format.ts";
import { CAPTION_LIMIT, clipHtml } from "../../kit/html.ts";
import type { PromptSpec } from "../../kit/prompt.ts";
import { answer, dropButtons, show, tell } from "../../kit/ui.ts";
import { firstError } from "../../views/labels.ts";
import { MENU } from "../menu/verbs.ts";
import {
  type CheckerDraft,
  cardScreen,
  checkersScreen,
  type ExclusionDraft,
  exclusionScreen,
  groundsScreen,
  historyScreen,
  queuePosOf,
  queueScreen,
  type RejectionDraft,
  type View,
} from "./screens.ts";
import { V } from "./verbs.ts";

declare module "../../kit/session.ts" {
  interface SessionSlots {
    /** A staff decision being prepared (grounds, checkers, exclusion reason): ids only. */
    staff?: {
      rej?: RejectionDraft;
      chk?: CheckerDraft;
      exc?: ExclusionDraft;
      sign?: { app: string; v: number; sha256: string };
    };
  }
}

const PROMPT_REASON = "staff_reason";
const PROMPT_NOTE = "staff_note";
const PROMPT_GROUND = "staff_ground";

const composer = new Composer<AppContext>();
const pm = composer.chatType("private");

const slot = (ctx: AppContext) => {
  ctx.session.staff ??= {};
  return ctx.session.staff;
};

async function view(ctx: AppContext): Promise<View> {
  return { t: ctx.t, lang: ctx.lang, names: await ctx.app.classifiers.names(ctx.lang) };
}

/** "Already decided by NAME at TIME", or "this button never matched the application". */
async function refused(ctx: AppContext, r: Exclude<Outcome, { ok: true }>) {
  let text: string;
  if (r.kind === "stale")
    text = r.unknownVersion
      ? ctx.t("errors:stale_unknown_version")
      : r.decidedAt
        ? ctx.t("staff:already_decided", {
            name: r.decidedBy ?? ctx.t("notify:someone"),
            at: fmtDateTime(r.decidedAt),
          })
        : ctx.t("staff:stale");
  else if (r.kind === "not_found") text = ctx.t("staff:not_found");
  else if (r.kind === "denied") text = firstError(ctx.t, r.errors);
  else text = ctx.t("errors:open_in_region");
  await tell(ctx, text);
}

interface Press {
  d: CallbackData;
  appId: string;
  version: number;
  extra?: string;
  userId: string;
}

/** `<verb>:<app>[:<extra>]@<version>`; answers and returns null when malformed. */
async function press(ctx: AppContext, needVersion = true): Promise<Press | null> {
  const d = cbData(ctx);
  const appId = d?.ids[0];
  if (!ctx.user || !d || !appId || (needVersion && d.version === undefined)) {
    await answer(ctx, ctx.t("staff:denied"), true);
    return null;
  }
  return { d, appId, version: d.version ?? 0, extra: d.ids[1], userId: ctx.user.id };
}

/**
 * The application as this staff member may see it now (one read), if the button's version is current and one
 * of `actions` is allowed; otherwise the person is told why and null is returned.
 */
async function current(
  ctx: AppContext,
  p: Press,
  actions?: readonly Action[],
): Promise<(StaffView & { action?: Action }) | null> {
  const v = await ctx.app.staff.open(p.appId, p.userId);
  if (!v) {
    await answer(ctx, ctx.t("staff:not_found"), true);
    return null;
  }
  if (!actions) return v;
  if (v.facts.snapshot.version !== p.version) {
    await refused(ctx, {
      ok: false,
      kind: "stale",
      ...(await staleInfo(ctx, p)),
    });
    return null;
  }
  const action = actions.find((a) => v.actions.includes(a));
  if (!action) {
    await answer(ctx, ctx.t("staff:denied"), true);
    return null;
  }
  return { ...v, action };
}

async function staleInfo(ctx: AppContext, p: Press) {
  const last = await ctx.app.ports.store.applications.lastDecision(p.appId);
  return {
    decidedBy: last?.fullName ?? null,
    decidedAt: last?.at ?? null,
    lastAction: last?.action ?? null,
    unknownVersion: !last || p.version > last.version,
    status: last?.status ?? null,
  };
}

/** Run one decision on what was just read and show its outcome; true when it was applied. */
async function decide(
  ctx: AppContext,
  p: { appId: string; version: number },
  action: Action,
  input: TransitionInput = {},
  known?: StaffView,
): Promise<boolean> {
  if (!ctx.user) return false;
  const seen = known ?? (await ctx.app.staff.open(p.appId, ctx.user.id));
  if (!seen) {
    await tell(ctx, ctx.t("staff:not_found"));
    return false;
  }
  const r = await ctx.app.staff.decide(
    { applicationId: p.appId, expectedVersion: p.version, action, userId: ctx.user.id, input },
    { facts: seen.facts },
  );
  if (!r.ok) {
    await refused(ctx, r);
    return false;
  }
  await showAfter(ctx, seen, r);
  return true;
}

/** The card as the decision left it (the step is over for everybody else: their messages are being closed). */
async function showAfter(ctx: AppContext, seen: StaffView, r: Extract<Outcome, { ok: true }>) {
  const done = ctx.t(`staff:done.${r.decision.action}`);
  await answer(ctx, done);
  if (!r.snapshot) return;
  const actions = allowedActions(r.snapshot, seen.facts.actor);
  await show(ctx, cardScreen(await view(ctx), seen, { header: done, snapshot: r.snapshot, actions }), {
    fresh: !ctx.callbackQuery,
  });
}

// ───────────── queue, card, history ─────────────

async function showQueue(ctx: AppContext, role: StaffRole | undefined, ids: readonly string[]) {
  if (!ctx.user) return;
  await answer(ctx);
  const pos = queuePosOf(ids);
  const q = await ctx.app.staff.queue({
    userId: ctx.user.id,
    memberships: ctx.memberships,
    role,
    ...(pos.cursor ? (pos.dir === "p" ? { before: pos.cursor } : { after: pos.cursor }) : {}),
  });
  await show(ctx, queueScreen(await view(ctx), q, pos, ctx.app.clock.now()));
}

pm.command("queue", (ctx) => showQueue(ctx, undefined, []));
composer.callbackQuery(cbPattern(MENU.queue), (ctx) => showQueue(ctx, undefined, []));
composer.callbackQuery(cbPattern(V.queue), async (ctx) => {
  const d = cbData(ctx);
  const role = (STAFF_ROLES as readonly string[]).includes(d?.ids[0] ?? "")
    ? (d?.ids[0] as StaffRole)
    : undefined;
  await showQueue(ctx, role, d?.ids.slice(1) ?? []);
});

composer.callbackQuery(cbPattern(V.view), async (ctx) => {
  const p = await press(ctx, false);
  const v = p && (await current(ctx, p));
  if (!v) return;
  await answer(ctx);
  await show(ctx, cardScreen(await view(ctx), v, { deadline: await ctx.app.dashboard.deadlineOf(v.card) }));
});

composer.callbackQuery(cbPattern(V.audit), async (ctx) => {
  const p = await press(ctx, false);
  const v = p && (await current(ctx, p));
  if (!v) return;
  await answer(ctx);
  await show(ctx, historyScreen(await view(ctx), v), { fresh: true });
});

// ───────────── one-press decisions ─────────────

const ONE_PRESS: [string, Action][] = [
  [V.inclusion, "FORM_INCLUSION_NOTICE"],
  [V.deleteNotice, "DELETE_NOTICE"],
  [V.checkerConfirm, "CHECKER_CONFIRM"],
  [V.approverApprove, "APPROVER_APPROVE"],
];
for (const [verb, action] of ONE_PRESS)
  composer.callbackQuery(cbPattern(verb), async (ctx) => {
    const p = await press(ctx);
    if (p) await decide(ctx, p, action);
  });

// ───────────── refusals with a typed reason (checker T16/X4, approver T19/X6) ─────────────

/** Start a typed answer for this application and ask the question, with «Отмена». */
async function ask(ctx: AppContext, args: PromptArgs & { id: string }, question: string) {
  await askText(ctx, args);
  await ctx.reply(ctx.t(question), {
    reply_markup: new InlineKeyboard().text(ctx.t("staff:btn.cancel"), cb(V.cancel, [args.id])),
  });
}

for (const [verb, action, question] of [
  [V.checkerRefuse, "CHECKER_REFUSE", "staff:prompt.refuse_reason"],
  [V.approverRefuse, "APPROVER_REFUSE", "staff:prompt.decline_reason"],
] as const)
  composer.callbackQuery(cbPattern(verb), async (ctx) => {
    const p = await press(ctx);
    if (!p || !(await current(ctx, p, [action]))) return;
    await answer(ctx);
    await ask(ctx, { kind: PROMPT_REASON, id: p.appId, v: p.version, action }, question);
  });

// ───────────── T10: rejection notice (grounds ✅ + optional note) ─────────────

async function groundsOf(ctx: AppContext, d: RejectionDraft) {
  return groundsScreen(await view(ctx), d, await ctx.app.staff.grounds());
}

composer.callbackQuery(cbPattern(V.rejection), async (ctx) => {
  const p = await press(ctx);
  if (!p || !(await current(ctx, p, ["FORM_REJECTION_NOTICE"]))) return;
  const s = slot(ctx);
  s.rej = { app: p.appId, v: p.version, grounds: [] };
  await answer(ctx);
  await show(ctx, await groundsOf(ctx, s.rej));
});

composer.callbackQuery(cbPattern(V.ground), async (ctx) => {
  const p = await press(ctx);
  if (!p?.extra) return;
  const code = p.extra;
  if (!(await ctx.app.staff.grounds()).some((g) => g.code === code))
    return answer(ctx, ctx.t("staff:denied"), true);
  const s = slot(ctx);
  if (!s.rej || s.rej.app !== p.appId || s.rej.v !== p.version)
    s.rej = { app: p.appId, v: p.version, grounds: [] };
  const rej = s.rej;
  rej.grounds = rej.grounds.includes(code) ? rej.grounds.filter((g) => g !== code) : [...rej.grounds, code];
  await answer(ctx);
  await show(ctx, await groundsOf(ctx, rej));
});

composer.callbackQuery(cbPattern(V.note), async (ctx) => {
  const p = await press(ctx);
  if (!p) return;
  await answer(ctx);
  await ask(ctx, { kind: PROMPT_NOTE, id: p.appId, v: p.version }, "staff:prompt.note");
});

composer.callbackQuery(cbPattern(V.rejectionOk), async (ctx) => {
  const p = await press(ctx);
  if (!p) return;
  const s = slot(ctx);
  const draft = s.rej?.app === p.appId ? s.rej : undefined;
  if (!draft?.grounds.length) return answer(ctx, ctx.t("staff:grounds.need_one"), true);
  const input = { reasons: draft.grounds, ...(draft.note ? { note: draft.note } : {}) };
  if (await decide(ctx, p, "FORM_REJECTION_NOTICE", input)) s.rej = undefined;
});

// ───────────── T12/T13/X3: choose checkers (never self) and send ─────────────

const SEND_ACTIONS: Action[] = ["SEND_TO_CHECK", "SEND_EXCLUSION_TO_CHECK"];

composer.callbackQuery(cbPattern(V.pickCheckers), async (ctx) => {
  const p = await press(ctx);
  if (!p || !(await current(ctx, p, SEND_ACTIONS))) return;
  const candidates = await ctx.app.staff.checkers(p.appId, p.userId);
  const s = slot(ctx);
  s.chk = { app: p.appId, v: p.version, ids: [], candidates };
  await answer(ctx);
  await show(ctx, checkersScreen(await view(ctx), s.chk));
});

composer.callbackQuery(cbPattern(V.toggleChecker), async (ctx) => {
  const p = await press(ctx);
  if (!p?.extra) return;
  if (p.extra === p.userId) return answer(ctx, ctx.t("staff:checkers.self"), true);
  const s = slot(ctx);
  if (!s.chk || s.chk.app !== p.appId || s.chk.v !== p.version)
    s.chk = {
      app: p.appId,
      v: p.version,
      ids: [],
      candidates: await ctx.app.staff.checkers(p.appId, p.userId),
    };
  const chk = s.chk;
  const id = p.extra;
  if (!chk.candidates.some((c) => c.id === id)) return answer(ctx, ctx.t("staff:denied"), true);
  chk.ids = chk.ids.includes(id) ? chk.ids.filter((x) => x !== id) : [...chk.ids, id];
  await answer(ctx);
  await show(ctx, checkersScreen(await view(ctx), chk));
});

composer.callbackQuery(cbPattern(V.send), async (ctx) => {
  const p = await press(ctx);
  if (!p) return;
  const s = slot(ctx);
  const draft = s.chk?.app === p.appId ? s.chk : undefined;
  if (!draft?.ids.length) return answer(ctx, ctx.t("staff:checkers.need_one"), true);
  if (draft.ids.includes(p.userId)) return answer(ctx, ctx.t("staff:checkers.self"), true);
  const seen = await current(ctx, p, SEND_ACTIONS);
  if (!seen?.action) return;
  if (await decide(ctx, p, seen.action, { checkerIds: draft.ids }, seen)) s.chk = undefined;
});

// ───────────── X1: exclusion notice (reason + optional additional ground) ─────────────

async function exclusionOf(ctx: AppContext, d: ExclusionDraft) {
  return exclusionScreen(await view(ctx), d, await ctx.app.staff.exclusionReasons());
}

composer.callbackQuery(cbPattern(V.exclusion), async (ctx) => {
  const p = await press(ctx);
  if (!p || !(await current(ctx, p, ["FORM_EXCLUSION_NOTICE"]))) return;
  const s = slot(ctx);
  s.exc = { app: p.appId, v: p.version };
  await answer(ctx);
  await show(ctx, await exclusionOf(ctx, s.exc));
});

composer.callbackQuery(cbPattern(V.exclusionReason), async (ctx) => {
  const p = await press(ctx);
  if (!p?.extra) return;
  const code = p.extra;
  if (!(await ctx.app.staff.exclusionReasons()).some((r) => r.code === code))
    return answer(ctx, ctx.t("staff:denied"), true);
  const s = slot(ctx);
  s.exc = {
    app: p.appId,
    v: p.version,
    reason: code,
    ...(s.exc?.app === p.appId && s.exc.ground ? { ground: s.exc.ground } : {}),
  };
  await answer(ctx);
  await show(ctx, await exclusionOf(ctx, s.exc));
});

composer.callbackQuery(cbPattern(V.exclusionGround), async (ctx) => {
  const p = await press(ctx);
  if (!p) return;
  await answer(ctx);
  await ask(ctx, { kind: PROMPT_GROUND, id: p.appId, v: p.version }, "staff:prompt.ground");
});

composer.callbackQuery(cbPattern(V.exclusionOk), async (ctx) => {
  const p = await press(ctx);
  if (!p) return;
  const s = slot(ctx);
  const draft = s.exc?.app === p.appId ? s.exc : undefined;
  if (!draft?.reason) return answer(ctx, ctx.t("errors:reasons_required"), true);
  const input = { reasons: [draft.reason], ...(draft.ground ? { additionalGround: draft.ground } : {}) };
  if (await decide(ctx, p, "FORM_EXCLUSION_NOTICE", input)) s.exc = undefined;
});

// ───────────── X7: approve the exclusion through the Signer (the notice PDF's SHA-256, confirmed) ─────────────

composer.callbackQuery(cbPattern(V.exclusionApprove), async (ctx) => {
  const p = await press(ctx);
  const seen = p && (await current(ctx, p, ["APPROVE_EXCLUSION"]));
  if (!p || !seen) return;
  await answer(ctx);
  await ctx.replyWithChatAction("upload_document").catch(() => {});
  // The notice as a document in the approver's language: its bytes are what the signature covers.
  const doc = await ctx.app.documents.notice(seen.card, ctx.lang);
  if (!doc) return tell(ctx, ctx.t("errors:notice_required"));
  slot(ctx).sign = { app: p.appId, v: p.version, sha256: doc.sha256 };
  await ctx.replyWithDocument(new InputFile(doc.bytes, doc.fileName), {
    caption: clipHtml(ctx.t("staff:exclusion.sign_hash", { hash: doc.sha256 }), CAPTION_LIMIT),
    parse_mode: "HTML",
  });
  const text = [
    ctx.t("staff:exclusion.sign_title"),
    noticeHtml(await ctx.app.documents.noticeData(seen.card).then((d) => d!), ctx.lang),
    ctx.t("staff:exclusion.sign_hash", { hash: doc.sha256 }),
    ctx.app.ports.signer.qualified ? null : ctx.t("staff:exclusion.sign_note"),
  ]
    .filter(Boolean)
    .join("\n\n");
  const kb = new InlineKeyboard()
    .text(ctx.t("staff:btn.sign"), cb(V.exclusionSign, [p.appId], p.version))
    .row()
    .text(ctx.t("staff:btn.back"), cb(V.view, [p.appId]));
  await show(ctx, { text, keyboard: kb }, { fresh: true });
});

composer.callbackQuery(cbPattern(V.exclusionSign), async (ctx) => {
  const p = await press(ctx);
  const seen = p && (await current(ctx, p, ["APPROVE_EXCLUSION"]));
  if (!p || !seen || !ctx.user) return;
  const shown = slot(ctx).sign;
  if (!shown || shown.app !== p.appId || shown.v !== p.version)
    return answer(ctx, ctx.t("head:confirm_expired"), true);
  // The document must be exactly the one shown: rendered again from the same stored data, compared by hash.
  const doc = await ctx.app.documents.notice(seen.card, ctx.lang);
  if (!doc || doc.sha256 !== shown.sha256) return answer(ctx, ctx.t("head:document_changed"), true);
  const file = await ctx.app.documents.keep(doc, ctx.user.id);
  const r = await ctx.app.staff.approveExclusion({
    applicationId: p.appId,
    expectedVersion: p.version,
    userId: ctx.user.id,
    fullName: ctx.user.fullName,
    sha256: doc.sha256,
    fileId: file.id,
    facts: seen.facts,
  });
  if (!r.ok) return refused(ctx, r);
  slot(ctx).sign = undefined;
  await showAfter(ctx, seen, r);
});

/** «Отмена» under a question (pressing it has already left the prompt); nothing was changed. */
composer.callbackQuery(cbPattern(V.cancel), async (ctx) => {
  await answer(ctx);
  await dropButtons(ctx);
  await ctx.reply(ctx.t("staff:prompt.cancelled"));
});

// ───────────── typed answers ─────────────

/** The note / additional ground belongs to the version the prompt started on. */
async function stillCurrent(ctx: AppContext, id: string, v: number): Promise<boolean> {
  if (!ctx.user) return false;
  const seen = await ctx.app.staff.open(id, ctx.user.id);
  if (!seen) {
    await ctx.reply(ctx.t("staff:not_found"));
    return false;
  }
  if (seen.facts.snapshot.version !== v) {
    await refused(ctx, {
      ok: false,
      kind: "stale",
      ...(await staleInfo(ctx, { appId: id, version: v } as Press)),
    });
    return false;
  }
  return true;
}

const prompts: PromptSpec[] = [
  {
    // Checker's / approver's refusal: the decision runs now, re-authorised, on the captured version.
    kind: PROMPT_REASON,
    text: "reason",
    textOnly: "staff:prompt.text_only",
    onAnswer: async (ctx, text, { id, v, action }) => {
      if (!id || v === undefined || !action) return;
      await decide(ctx, { appId: id, version: v }, action as Action, { reasonText: text });
    },
  },
  {
    // T10 note: kept with the rejection being prepared, decided with «Сформировать» (version-checked there).
    kind: PROMPT_NOTE,
    text: "note",
    textOnly: "staff:prompt.text_only",
    onAnswer: async (ctx, text, { id, v }) => {
      if (!id || v === undefined || !(await stillCurrent(ctx, id, v))) return;
      const s = slot(ctx);
      if (!s.rej || s.rej.app !== id || s.rej.v !== v) s.rej = { app: id, v, grounds: [] };
      s.rej.note = text;
      await show(ctx, await groundsOf(ctx, s.rej));
    },
  },
  {
    // X1 additional ground: kept with the exclusion being prepared, decided with «Сформировать».
    kind: PROMPT_GROUND,
    text: "ground",
    textOnly: "staff:prompt.text_only",
    onAnswer: async (ctx, text, { id, v }) => {
      if (!id || v === undefined || !(await stillCurrent(ctx, id, v))) return;
      const s = slot(ctx);
      if (!s.exc || s.exc.app !== id || s.exc.v !== v) s.exc = { app: id, v };
      s.exc.ground = text;
      await show(ctx, await exclusionOf(ctx, s.exc));
    },
  },
];

export const feature: Feature = {
  name: "staff",
  composer,
  verbs: { verbs: Object.values(V) },
  prompts,
  commands: [{ command: "queue", for: isStaff }],
  onCancel: (ctx) => {
    ctx.session.staff = undefined;
  },
};

// «Руководитель» / «Поверенное лицо руководителя» (T6–T8; DECISIONS 2, 14, 26): the applications awaiting the
// signer, the whole application with the buttons the table allows, «Отправить» → M4 for every selected subtype
// with a licence requirement → «ОК» → both documents (the stored form of T4 and the consent in the signer's
// language) with their SHA-256 → one press signs both through the Signer and runs T6 + T8 in one transaction.
// «Подписать согласие» (T6 alone, «Руководитель» only) and «Отклонить» with a typed reason (T7). Every press
// re-reads the application (one statement) and re-checks the version: callback data are only a hint.
import { Composer, InlineKeyboard } from "grammy";
import type { HeadView, Outcome } from "../../../app/index.ts";
import { askText } from "../../../conversations/prompts.ts";
import { isSigner } from "../../../domain/access.ts";
import type { Action } from "../../../domain/types.ts";
import type { AppContext } from "../../context.ts";
import { cb, cbData, cbPattern } from "../../kit/callbacks.ts";
import type { Feature } from "../../kit/feature.ts";
import { fmtDateTime } from "../../kit/format.ts";
import { escapeHtml } from "../../kit/html.ts";
import type { PromptSpec } from "../../kit/prompt.ts";
import { sendFile, showLong } from "../../kit/send.ts";
import { answer, dropButtons, show, tell } from "../../kit/ui.ts";
import { firstError, statusLabel } from "../../views/labels.ts";
import { backToMenu } from "../menu/screens.ts";
import { MENU } from "../menu/verbs.ts";
import { cardScreen, confirmScreen, consentScreen, m4Screen, queueScreen, type View } from "./screens.ts";
import { V } from "./verbs.ts";

declare module "../../kit/session.ts" {
  interface SessionSlots {
    /** The documents shown at the confirmation step (their hashes and the stored consent), for one version. */
    head?: { app: string; v: number; form?: string; consent?: { sha: string; file: string } };
  }
}

const PROMPT_REASON = "head_reason";

const composer = new Composer<AppContext>();

async function view(ctx: AppContext): Promise<View> {
  return { t: ctx.t, lang: ctx.lang, names: await ctx.app.classifiers.names(ctx.lang) };
}

/** "Already decided by NAME at TIME", "this button never matched the application", or why it is refused. */
async function refused(ctx: AppContext, r: Exclude<Outcome, { ok: true }>) {
  if (r.kind === "stale") {
    await answer(ctx);
    const text = r.unknownVersion
      ? ctx.t("errors:stale_unknown_version")
      : ctx.t("head:already_decided", {
          who: escapeHtml(r.decidedBy ?? ctx.t("notify:someone")),
          date: r.decidedAt ? fmtDateTime(r.decidedAt) : "—",
          status: statusLabel(ctx.t, r.status ?? ""),
        });
    await ctx.reply(text, { parse_mode: "HTML", reply_markup: backToMenu(ctx.t) });
    return;
  }
  if (r.kind === "not_found") return tell(ctx, ctx.t("head:not_allowed"));
  if (r.kind === "denied") return tell(ctx, firstError(ctx.t, r.errors));
  return tell(ctx, ctx.t("errors:open_in_region"));
}

/**
 * The application behind a press, as this signer may see it now (one read): null (and the person told why) when
 * they may not; for a decision (`actions`), also when the button's version is not the current one or none of
 * `actions` is allowed.
 */
async function current(ctx: AppContext, actions?: readonly Action[]): Promise<HeadView | null> {
  const d = cbData(ctx);
  const id = d?.ids[0];
  if (!ctx.user || !id) {
    await answer(ctx, ctx.t("common:errors.stale_button"), true);
    return null;
  }
  const v = await ctx.app.head.open(id, ctx.user.id);
  if (!v) {
    await answer(ctx, ctx.t("head:not_allowed"), true);
    return null;
  }
  if (!actions) return v; // reading: the card as it is now
  if (d.version === undefined) {
    await answer(ctx, ctx.t("common:errors.stale_button"), true);
    return null;
  }
  if (v.facts.snapshot.version !== d.version) {
    await refused(ctx, await ctx.app.head.stale(id, d.version));
    return null;
  }
  if (!actions.some((a) => v.actions.includes(a))) {
    await tell(ctx, v.sendBlockedBy.length ? firstError(ctx.t, v.sendBlockedBy) : ctx.t("head:not_allowed"));
    return null;
  }
  return v;
}

// ───────────── the queue and the card ─────────────

async function showQueue(ctx: AppContext) {
  await answer(ctx);
  if (!isSigner(ctx.memberships)) {
    await ctx.reply(ctx.t("head:not_head"), { reply_markup: backToMenu(ctx.t) });
    return;
  }
  const items = await ctx.app.head.queue(ctx.memberships);
  await show(ctx, queueScreen(await view(ctx), items), { fresh: !ctx.callbackQuery });
}

composer.command("sign", showQueue);
composer.callbackQuery(cbPattern(MENU.head), showQueue);
composer.callbackQuery(cbPattern(V.queue), showQueue);

composer.callbackQuery(cbPattern(V.open), async (ctx) => {
  const v = await current(ctx);
  if (!v) return;
  await answer(ctx);
  await showLong(
    ctx,
    cardScreen(await view(ctx), v, { deadline: await ctx.app.dashboard.deadlineOf(v.card) }),
    {
      fresh: true,
    },
  );
});

/** The form as generated at T4: the stored bytes the head signs. */
composer.callbackQuery(cbPattern(V.form), async (ctx) => {
  const v = await current(ctx);
  if (!v) return;
  const form = await ctx.app.head.form(v.card);
  if (!form) return tell(ctx, ctx.t("errors:form_file_missing"));
  await answer(ctx);
  await ctx.replyWithChatAction("upload_document");
  const sent = await sendFile(
    ctx,
    { ...form.ref, bytes: form.bytes },
    ctx.t("head:form_caption", { sha256: form.ref.sha256 }),
  );
  if (sent && sent !== form.ref.telegramFileId) await ctx.app.head.rememberTelegramId(form.ref.id, sent);
});

// ───────────── «Отправить» → M4 → «ОК» → the documents → «Подтверждаю» (T6 + T8) ─────────────

/** Both documents with their hashes, then the explicit confirmation; the hashes are kept for the next press. */
async function confirmation(ctx: AppContext, v: HeadView) {
  await ctx.replyWithChatAction("upload_document");
  const docs = await ctx.app.head.documents(v, ctx.lang, ctx.user?.fullName ?? null);
  if (!docs.ok) return tell(ctx, firstError(ctx.t, docs.errors));
  const { form, consent } = docs;
  const sent = await sendFile(
    ctx,
    { ...form.ref, bytes: form.bytes },
    ctx.t("head:form_caption", { sha256: form.ref.sha256 }),
  );
  if (sent && sent !== form.ref.telegramFileId) await ctx.app.head.rememberTelegramId(form.ref.id, sent);
  if (consent) {
    const c = await sendFile(
      ctx,
      { fileName: consent.doc.fileName, bytes: consent.doc.bytes },
      ctx.t("head:consent_caption", { sha256: consent.doc.sha256 }),
    );
    if (c) await ctx.app.head.rememberTelegramId(consent.ref.id, c);
  }
  const app = v.facts.snapshot;
  ctx.session.head = {
    app: app.id,
    v: app.version,
    form: form.ref.sha256,
    ...(consent ? { consent: { sha: consent.doc.sha256, file: consent.ref.id } } : {}),
  };
  const signer = ctx.app.head.signer();
  await show(
    ctx,
    confirmScreen(await view(ctx), {
      id: app.id,
      version: app.version,
      form: form.ref.sha256,
      consent: consent?.doc.sha256 ?? null,
      method: signer.method,
      qualified: signer.qualified,
    }),
    { fresh: true },
  );
}

composer.callbackQuery(cbPattern(V.send), async (ctx) => {
  const v = await current(ctx, ["HEAD_SUBMIT"]);
  if (!v) return;
  await answer(ctx);
  const notices = await ctx.app.head.notices(v.card);
  if (!notices.length) return confirmation(ctx, v);
  await showLong(ctx, m4Screen(await view(ctx), notices, v.facts.snapshot), { fresh: true });
});

composer.callbackQuery(cbPattern(V.ok), async (ctx) => {
  const v = await current(ctx, ["HEAD_SUBMIT"]);
  if (!v) return;
  await answer(ctx);
  await dropButtons(ctx);
  await confirmation(ctx, v);
});

composer.callbackQuery(cbPattern(V.confirm), async (ctx) => {
  const d = cbData(ctx);
  const s = ctx.session.head;
  if (!ctx.user || !d?.ids[0] || !s?.form || s.app !== d.ids[0] || s.v !== d.version) {
    // a stale double tap is "already decided"; a confirmation never shown is refused
    if (ctx.user && d?.ids[0] && d.version !== undefined) {
      const v = await ctx.app.head.open(d.ids[0], ctx.user.id);
      if (v && v.facts.snapshot.version !== d.version)
        return refused(ctx, await ctx.app.head.stale(d.ids[0], d.version));
    }
    return answer(ctx, ctx.t("head:confirm_expired"), true);
  }
  const v = await current(ctx, ["HEAD_SUBMIT"]);
  if (!v) return;
  const r = await ctx.app.head.sign(
    {
      applicationId: v.card.id,
      expectedVersion: s.v,
      userId: ctx.user.id,
      fullName: ctx.user.fullName,
      formSha256: s.form,
      ...(s.consent ? { consentSha256: s.consent.sha, consentFileId: s.consent.file } : {}),
    },
    v,
  );
  if (!r.ok) return refused(ctx, r);
  ctx.session.head = undefined;
  await answer(ctx);
  await dropButtons(ctx);
  await ctx.reply(ctx.t("head:submitted", { status: statusLabel(ctx.t, r.snapshot?.status ?? "") }), {
    parse_mode: "HTML",
    reply_markup: backToMenu(ctx.t),
  });
});

// ───────────── «Подписать согласие» (T6 alone) ─────────────

composer.callbackQuery(cbPattern(V.consent), async (ctx) => {
  const v = await current(ctx, ["HEAD_SIGN_CONSENT"]);
  if (!v) return;
  await answer(ctx);
  await ctx.replyWithChatAction("upload_document");
  const c = await ctx.app.head.consent(v, ctx.lang, ctx.user?.fullName ?? null);
  const sent = await sendFile(
    ctx,
    { fileName: c.doc.fileName, bytes: c.doc.bytes },
    ctx.t("head:consent_caption", { sha256: c.doc.sha256 }),
  );
  if (sent) await ctx.app.head.rememberTelegramId(c.ref.id, sent);
  const app = v.facts.snapshot;
  ctx.session.head = { app: app.id, v: app.version, consent: { sha: c.doc.sha256, file: c.ref.id } };
  const signer = ctx.app.head.signer();
  await show(
    ctx,
    consentScreen(await view(ctx), {
      id: app.id,
      version: app.version,
      consent: c.doc.sha256,
      method: signer.method,
      qualified: signer.qualified,
    }),
    { fresh: true },
  );
});

composer.callbackQuery(cbPattern(V.consentOk), async (ctx) => {
  const d = cbData(ctx);
  const s = ctx.session.head;
  if (!ctx.user || !s?.consent || s.app !== d?.ids[0] || s.v !== d.version)
    return answer(ctx, ctx.t("head:confirm_expired"), true);
  const v = await current(ctx, ["HEAD_SIGN_CONSENT"]);
  if (!v) return;
  const r = await ctx.app.head.signConsent(
    {
      applicationId: v.card.id,
      expectedVersion: s.v,
      userId: ctx.user.id,
      fullName: ctx.user.fullName,
      consentSha256: s.consent.sha,
      consentFileId: s.consent.file,
    },
    v,
  );
  if (!r.ok) return refused(ctx, r);
  ctx.session.head = undefined;
  await answer(ctx);
  await dropButtons(ctx);
  await ctx.reply(ctx.t("head:consent_signed", { status: statusLabel(ctx.t, r.snapshot?.status ?? "") }), {
    parse_mode: "HTML",
  });
  const after = await ctx.app.head.open(v.card.id, ctx.user.id);
  if (after) await showLong(ctx, cardScreen(await view(ctx), after), { fresh: true });
});

// ───────────── «Отклонить» with a typed reason (T7) ─────────────

composer.callbackQuery(cbPattern(V.reject), async (ctx) => {
  const v = await current(ctx, ["HEAD_REJECT"]);
  if (!v) return;
  await answer(ctx);
  const app = v.facts.snapshot;
  await askText(ctx, { kind: PROMPT_REASON, id: app.id, v: app.version, action: "HEAD_REJECT" });
  await ctx.reply(ctx.t("head:reject_ask"), {
    parse_mode: "HTML",
    reply_markup: new InlineKeyboard().text(ctx.t("head:cancel_button"), cb(V.cancel, [app.id])),
  });
});

/** «Отмена» of a confirmation or of the reason (pressing it has already left the prompt): nothing changed. */
composer.callbackQuery(cbPattern(V.cancel), async (ctx) => {
  await answer(ctx);
  ctx.session.head = undefined;
  await dropButtons(ctx);
  await ctx.reply(ctx.t("head:cancelled"), { reply_markup: backToMenu(ctx.t) });
});

const prompts: PromptSpec[] = [
  {
    // The reason of «Отклонить»: the one free-text rule; the decision runs now, re-authorised, on the captured version.
    kind: PROMPT_REASON,
    text: "reason",
    onAnswer: async (ctx, text, { id, v }) => {
      if (!id || v === undefined || !ctx.user) return;
      const r = await ctx.app.head.reject({
        applicationId: id,
        expectedVersion: v,
        userId: ctx.user.id,
        reasonText: text,
      });
      if (!r.ok) return refused(ctx, r);
      await ctx.reply(
        ctx.t("head:rejected", {
          status: statusLabel(ctx.t, r.snapshot?.status ?? ""),
          reason: escapeHtml(text),
        }),
        {
          parse_mode: "HTML",
          reply_markup: backToMenu(ctx.t),
        },
      );
    },
  },
];

export const feature: Feature = {
  name: "head",
  composer,
  verbs: { verbs: [...Object.values(V), MENU.head] },
  prompts,
  commands: [{ command: "sign", for: isSigner }],
  onCancel: (ctx) => {
    ctx.session.head = undefined;
  },
};

// The outbox worker's hooks: what a claimed row turns into (or that it is skipped, its step being decided
// before delivery), and what happens after it was sent (a step decided while the message was on its way is
// closed at once). The application layer reads; bot/views/notifications.ts draws.
import type { App } from "../../app/index.ts";
import { isLang, translator } from "../kit/i18n.ts";
import { clipHtml } from "../kit/html.ts";
import { deadlineLines } from "../views/deadline.ts";
import { renderNotification } from "../views/notifications.ts";
import { heldForDigest, isDigestKind, prepareDigest } from "./digest.ts";
import type { OutboxHooks } from "./worker.ts";

export function createOutboxHooks(app: App): OutboxHooks {
  return {
    async prepare(row) {
      // Issue 15: a morning-digest subscriber gets their queue once a day, not one push per item.
      if (row.userId && heldForDigest(row.kind) && (await app.dashboard.digestUsers([row.userId])).size)
        return { skip: "in the morning digest" };
      const ctx = await app.outbox.context(row);
      if (isDigestKind(row.kind)) return prepareDigest(app, row, ctx.language);
      if (row.kind !== "stage_closed" && !ctx.live) return { skip: "step decided before delivery" };
      const lang = isLang(ctx.language) ? ctx.language : "ru";
      const rendered = renderNotification(
        {
          t: translator(lang),
          lang,
          names: await app.classifiers.names(lang),
          card: ctx.card,
          facts: ctx.facts,
          live: ctx.live,
          original: ctx.original,
        },
        row,
      );
      // Issue 15: the push says which stage holds the application, since when and until when.
      const deadline =
        ctx.card && ctx.live && row.kind !== "stage_closed" ? await app.dashboard.deadlineOf(ctx.card) : null;
      const line = deadlineLines(translator(lang), deadline, {
        withRole: row.kind === "status_changed",
        mark: true,
      });
      if (line.length && rendered.mode === "send")
        return { lang, rendered: { ...rendered, text: clipHtml(`${rendered.text}\n\n${line[0]}`) } };
      return { lang, rendered };
    },
    async afterSent(row, messageId) {
      if (messageId !== null) await app.outbox.afterSent(row, messageId);
    },
  };
}

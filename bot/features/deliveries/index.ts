// Notifications that failed for good (a permanent Telegram refusal: the person blocked the bot, the chat is
// gone…): /failed lists the latest for a branch manager, with Telegram's answer. Transient failures (429, 5xx,
// network) never land here: the outbox worker retries them (bot/outbox/worker.ts).
import { Composer } from "grammy";
import { hasStaffRole } from "../../../domain/access.ts";
import { splitMessages } from "../../../domain/licensing/render.ts";
import type { AppContext } from "../../context.ts";
import type { Feature } from "../../kit/feature.ts";
import { fmtDateTime } from "../../kit/format.ts";
import { escapeHtml } from "../../kit/html.ts";

const composer = new Composer<AppContext>();
const SHOWN = 20;

composer.command("failed", async (ctx) => {
  const r = await ctx.app.outbox.failed(ctx.memberships, SHOWN);
  if (!r) return void (await ctx.reply(ctx.t("deliveries:forbidden")));
  if (!r.rows.length) return void (await ctx.reply(ctx.t("deliveries:empty", { pending: r.pending })));
  const blocks = [ctx.t("deliveries:title", { total: r.total, pending: r.pending })];
  for (const row of r.rows) {
    blocks.push(
      ctx.t("deliveries:row", {
        id: String(row.id),
        kind: escapeHtml(row.kind),
        at: fmtDateTime(row.failedAt ?? row.createdAt),
        attempts: row.attempts,
        error: escapeHtml((row.lastError ?? "—").slice(0, 200)),
      }),
    );
  }
  if (r.total > r.rows.length)
    blocks.push(ctx.t("deliveries:more", { shown: r.rows.length, total: r.total }));
  for (const text of splitMessages(blocks)) await ctx.reply(text, { parse_mode: "HTML" });
});

export const feature: Feature = {
  name: "deliveries",
  composer,
  commands: [{ command: "failed", for: (m) => hasStaffRole(m, "MANAGER") }],
};

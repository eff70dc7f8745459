// The unhandled handler, installed last: every update that no feature took gets a clear answer in the user's
// language (stale or forged buttons, text where a button is expected, stickers, ...).
import { Composer } from "grammy";
import type { AppContext } from "../../context.ts";
import type { Feature } from "../../kit/feature.ts";
import { answer } from "../../kit/ui.ts";
import { showMainMenu } from "../menu/screens.ts";

const composer = new Composer<AppContext>();

composer.on("callback_query", (ctx) => answer(ctx, ctx.t("common:errors.stale_button"), true));

composer.chatType("private").on("message", async (ctx) => {
  const m = ctx.message;
  const waiting = ctx.session.awaiting !== undefined;
  let key = "common:errors.unknown_command";
  if (m.text?.startsWith("/")) key = "common:errors.unknown_slash";
  else if (waiting) key = "common:errors.unexpected_input";
  else if (m.sticker || m.animation || m.photo || m.document || m.voice || m.video || m.location)
    key = "common:errors.unsupported_message";
  else if (m.text) key = "common:errors.use_buttons";
  await ctx.reply(ctx.t(key));
  if (!waiting) await showMainMenu(ctx);
});

export const feature: Feature = { name: "fallback", composer };

// D1 / DECISIONS 1: licence data fetched within 24 h; otherwise a licence request «В обработке» is
// started (bot/services/licensing.ts) and processed, and the supplier continues once it is «Обработан».
import { InlineKeyboard } from "grammy";
import { cb } from "../../bot/callbacks.ts";
import type { AppContext } from "../../bot/context.ts";
import { MENU } from "../../bot/keyboards.ts";
import {
  getLicensingRegistry,
  processLicenceRequest,
  startLicenceRequest,
} from "../../bot/services/licensing.ts";
import { filterDisplayable } from "../../domain/licences.ts";
import { freshLicences } from "./repo.ts";

const reply = (ctx: AppContext, text: string, kb?: InlineKeyboard) =>
  ctx.reply(text, { parse_mode: "HTML", ...(kb ? { reply_markup: kb } : {}) });

const backToMenu = (ctx: AppContext) => new InlineKeyboard().text(ctx.t("drafts:btn.menu"), cb(MENU.menu));

/**
 * Licences fetched within 24 h (DECISIONS 1); otherwise a licence request «В обработке» is started and
 * processed, and the supplier continues once it is «Обработан». Returns the eligible licences or null.
 */
export async function ensureFreshLicences(
  ctx: AppContext,
  org: { id: string; bin: string },
  retryData: string,
) {
  const { prisma } = ctx.deps;
  const failed = async () => {
    await reply(
      ctx,
      ctx.t("drafts:licences_failed"),
      new InlineKeyboard().text(ctx.t("drafts:btn.retry"), retryData),
    );
    return null;
  };
  let licences = filterDisplayable(await freshLicences(prisma, org.id, ctx.deps.now()));
  if (licences.length) return licences;
  const started = await startLicenceRequest(prisma, {
    orgId: org.id,
    bin: org.bin,
    requestedById: ctx.user?.id ?? null,
    now: ctx.deps.now(),
  });
  let requestId: string | undefined;
  if (started.ok) requestId = started.requestId;
  else {
    const running = await prisma.licenceRequest.findFirst({
      where: { orgId: org.id, bin: org.bin, status: "PROCESSING" },
      orderBy: { requestedAt: "desc" },
    });
    requestId = running?.id;
  }
  if (!requestId) {
    return failed();
  }
  await reply(ctx, ctx.t("drafts:licences_requested"));
  const res = await processLicenceRequest(prisma, getLicensingRegistry(ctx.deps), requestId, ctx.deps.now());
  if (res.status === "FAILED") {
    return failed();
  }
  licences = filterDisplayable(await freshLicences(prisma, org.id, ctx.deps.now()));
  if (!licences.length) {
    await reply(ctx, ctx.t("drafts:licences_none"), backToMenu(ctx));
    return null;
  }
  await reply(ctx, ctx.t("drafts:licences_ready", { count: licences.length }));
  return licences;
}

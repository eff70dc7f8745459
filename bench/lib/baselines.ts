// The two baselines of the update scenarios, answering through the same recording fetch as the bot: a bare grammY
// bot that touches no database, and the fair one (issue 10): a bare handler that reads the same rows in one SQL
// query and sends the same message.
import { Bot } from "grammy";
import type { BenchDb } from "./db.ts";
import { BOT_INFO, type RecordingApi } from "./fakeApi.ts";

/**
 * The FAIR baseline of the status check: a bare grammY handler that reads the same rows in ONE SQL query
 * (the user and the latest applications of their organisations, with the count) through `pg` and sends a
 * message of the same size through the same recording fetch. Half its throughput is the target.
 */
export function createFairBaselineBot(api: RecordingApi, pool: BenchDb["pool"]): Bot {
  const bot = new Bot("123456:bench-fair-baseline-token-xxxxxxxx", {
    botInfo: BOT_INFO,
    client: { apiRoot: "http://telegram.bench", fetch: api.fetch as never },
  });
  bot.on("callback_query", async (ctx) => {
    const { rows } = await pool.query<{
      org: string;
      region: string | null;
      status: string;
      at: Date;
      total: number;
    }>(
      `SELECT o."nameRu" AS org, r."nameRu" AS region, a.status::text AS status, a."statusChangedAt" AS at,
              count(*) OVER ()::int AS total
         FROM "User" u JOIN "OrgMembership" m ON m."userId" = u.id
         JOIN "Application" a ON a."orgId" = m."orgId" JOIN "Organisation" o ON o.id = a."orgId"
         LEFT JOIN "Region" r ON r.code = a."regionCode"
        WHERE u."telegramId" = $1
        ORDER BY a."statusChangedAt" DESC, a.id LIMIT 5`,
      [ctx.from.id],
    );
    const text = [
      `<b>Мои заявки</b>: ${rows[0]?.total ?? 0}`,
      ...rows.map(
        (x, i) =>
          `${i + 1}. ${x.org}\nРегион: ${x.region ?? "—"}\nСтатус: «${x.status}»\n${x.at.toISOString().slice(0, 10)}`,
      ),
    ].join("\n\n");
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(text, {
      parse_mode: "HTML",
      reply_markup: {
        inline_keyboard: rows.map((_, i) => [{ text: `Просмотр № ${i + 1}`, callback_data: `v:${i}` }]),
      },
    });
  });
  return bot;
}

/** The baseline: a bare grammY bot that answers the same updates with a similar message, same fetch. */
export function createBaselineBot(api: RecordingApi): Bot {
  const bot = new Bot("123456:bench-baseline-token-xxxxxxxxxxxx", {
    botInfo: BOT_INFO,
    client: { apiRoot: "http://telegram.bench", fetch: api.fetch as never },
  });
  const text = Array.from(
    { length: 10 },
    (_, i) => `${i + 1}. <b>ТОО «Бенч»</b> – На рассмотрении, 01.01.2026`,
  ).join("\n");
  const reply_markup = {
    inline_keyboard: [
      [
        { text: "‹", callback_data: "p:0" },
        { text: "›", callback_data: "p:2" },
      ],
    ],
  };
  bot.on("callback_query", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(text, { parse_mode: "HTML", reply_markup });
  });
  bot.on("message", async (ctx) => {
    await ctx.reply(text, { parse_mode: "HTML", reply_markup });
  });
  return bot;
}

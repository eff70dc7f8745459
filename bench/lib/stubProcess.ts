// Runs the rate-limited Bot API stub in its own process, so that the time it sees requests arrive is
// not distorted by pauses of the sender's event loop (the worker and the stub would otherwise share one).
//   parent → { cmd: "stats" | "close" }; child → { port } once listening, { stats } on request
import { startRateLimitedApi } from "./rateLimitedApi.ts";

const globalRate = Number(process.env.STUB_GLOBAL_RATE);
const chatRate = Number(process.env.STUB_CHAT_RATE);
const api = await startRateLimitedApi({ globalRate, chatRate });
process.send?.({ port: Number(new URL(api.url).port) });
process.on("message", async (m: { cmd?: string }) => {
  if (m.cmd === "stats") process.send?.({ stats: { ...api.stats, perChat: [...api.stats.perChat] } });
  if (m.cmd === "close") {
    await api.close();
    process.exit(0);
  }
});
process.on("disconnect", () => process.exit(0));

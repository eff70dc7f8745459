// The digests' rows turned into messages at delivery time (issue 15): a branch's weekly digest is the dashboard
// picture with the key numbers and the breach list as its caption; a staff member's morning digest is their
// queue with each item's deadline line and a button to open it. And the rule that a staff member who chose the
// morning digest gets no separate push per item (their stage messages are skipped; the digest lists them).
import { dashboardChart } from "../../adapters/charts/dashboard.ts";
import { DIGEST_KINDS } from "../../app/dashboard.ts";
import type { App } from "../../app/index.ts";
import { isStageMessageKind } from "../../domain/workflow.ts";
import { branchDigestCaption, staffDigestScreen } from "../features/dashboard/screens.ts";
import { clipHtml } from "../kit/html.ts";
import { isLang, translator } from "../kit/i18n.ts";
import { markupOf } from "../kit/ui.ts";
import { dashboardChartInput } from "../views/dashboard.ts";
import type { OutboxRow, Prepared } from "./worker.ts";

export const isDigestKind = (kind: string): boolean =>
  kind === DIGEST_KINDS.branch || kind === DIGEST_KINDS.staff;

/** Stage messages (new items, reminders) a morning-digest subscriber does not get one by one; escalations still go. */
export const heldForDigest = (kind: string): boolean => isStageMessageKind(kind) && kind !== "escalation";

export async function prepareDigest(app: App, row: OutboxRow, language: string | null): Promise<Prepared> {
  const lang = isLang(language) ? language : "ru";
  const t = translator(lang);
  const p = (row.payload ?? {}) as { branchId?: string };
  if (row.kind === DIGEST_KINDS.branch) {
    if (!p.branchId) return { skip: "digest without a branch" };
    // The recipient must still manage the branch when it is sent.
    const m = row.userId ? await app.dashboard.memberships(row.userId) : null;
    if (!m?.staff.some((s) => s.branchId === p.branchId && s.role === "MANAGER"))
      return { skip: "no longer the branch's manager" };
    const d = await app.dashboard.load(p.branchId, "week", -1);
    if (!d) return { skip: "branch gone" };
    return {
      lang,
      rendered: {
        mode: "send",
        photo: dashboardChart.renderPng(dashboardChartInput(t, lang, d)),
        text: branchDigestCaption(t, lang, d),
      },
    };
  }
  if (!row.userId) return { skip: "digest without a user" };
  const pages = await app.dashboard.staffQueues(row.userId);
  if (!pages.some((p) => p.page.total > 0)) return { skip: "empty queue" };
  const s = staffDigestScreen(t, lang, pages, app.clock.now());
  return { lang, rendered: { mode: "send", text: clipHtml(s.text), reply_markup: markupOf(s.keyboard) } };
}

/**
 * Write the due digests every `intervalMs` until stop(). Every instance may run it: the rows are unique per
 * recipient and period, so each digest is written (and sent) once.
 */
export function startDigests(
  app: App,
  intervalMs: number,
  logger?: { info(o: object, m?: string): void; error(o: object, m?: string): void },
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = app.dashboard
      .writeDue()
      .then((n) => {
        if (n.branch || n.staff) logger?.info(n, "digests written");
      })
      .catch((e) => logger?.error({ err: e instanceof Error ? e.message : String(e) }, "digests failed"));
  };
  // The first pass a minute after the start (not at once): instances restarted together by a deploy do not all
  // write at the same moment, and the digests are hours apart anyway. Then every interval.
  let timer: ReturnType<typeof setInterval> | undefined;
  const first = setTimeout(
    () => {
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref?.();
    },
    Math.min(intervalMs, 60_000),
  );
  first.unref?.();
  return {
    async stop() {
      clearTimeout(first);
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

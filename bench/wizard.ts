// (b) The application wizard: a cohort of suppliers walks the whole form through the real bot (one
// update per answer, like a person), step latencies recorded by step; the step near the end (D3) is
// compared with the first step (A4 ownership form). The bytes of the chat state row (session + prompt)
// are read in the middle of the wizard (at the production-base steps).
import type { Update } from "grammy/types";
import { parseCb } from "../bot/kit/callbacks.ts";
import { cb } from "../bot/kit/callbacks.ts";
import { MENU } from "../bot/features/menu/verbs.ts";
import { userUpdates } from "./lib/fakeApi.ts";
import { percentile } from "./lib/stats.ts";
import type { ScenarioEnv } from "./scenarios.ts";
import { chatStateBytes } from "./lib/botEnv.ts";

export interface WizardResult {
  /** Latencies per step name (ms), in walk order of first appearance. */
  byStep: Map<string, number[]>;
  /** Updates sent per step (to replay against the baseline). */
  updates: Map<string, Update[]>;
  /** Chat state bytes per user (session + open prompt row) measured mid-wizard. */
  stateBytes: number[];
  completed: number;
  stuck: { user: number; step: string; why: string }[];
  stepsPerUser: number;
}

interface Button {
  text: string;
  data?: string;
  messageId?: number;
}

const verbOf = (b: Button) => parseCb(b.data)?.verb ?? "";

async function currentStep(s: ScenarioEnv, userId: string): Promise<{ id: string; step: string } | null> {
  const { rows } = await s.env.db.pool.query<{ id: string; step: string | null }>(
    `SELECT id, progress->>'step' AS step FROM "Application" WHERE "authorId" = $1 AND status = 'DRAFT'
      ORDER BY "createdAt" DESC LIMIT 1`,
    [userId],
  );
  const r = rows[0];
  return r ? { id: r.id, step: r.step ?? "A_OWN" } : null;
}

/** The next update a diligent supplier sends at this step (null: the walk is over). */
function nextUpdate(
  step: string,
  buttons: Button[],
  u: ReturnType<typeof userUpdates>,
  idx: number,
  regionCount: number,
): Update | null {
  const press = (pred: (b: Button) => boolean): Update | null => {
    const b = buttons.find(pred);
    return b?.data ? u.press(b.data, b.messageId) : null;
  };
  const byVerb = (v: string) => (b: Button) => verbOf(b) === v;
  switch (step) {
    case "A_OWN":
      return press(byVerb("wz.own"));
    case "A_ROLE":
      return press(byVerb("wz.role"));
    case "A_SUP":
    case "A_CO":
    case "C_SUB":
      return buttons.some((b) => verbOf(b) === "wz.tg" && b.text.startsWith("✅"))
        ? press(byVerb("wz.ok"))
        : press(byVerb("wz.tg"));
    case "A_PHARM":
      return press(byVerb("wz.ph"));
    case "REGION": {
      const regions = buttons.filter(byVerb("wz.reg"));
      const b = regions[idx % Math.max(1, Math.min(regionCount, regions.length))];
      return b?.data ? u.press(b.data, b.messageId) : null;
    }
    case "C_LIST":
      return buttons.some(byVerb("wz.be")) ? press(byVerb("wz.bd")) : press(byVerb("wz.ba"));
    case "C_ADDR":
      return u.text(`г. Астана, район Есиль, ул. Бенчмарк, д. ${idx + 1}`);
    case "C_COORD":
      // Astana's coordinates; in another region the plausibility warning is confirmed («Координаты верны»)
      return press(byVerb("wz.cc")) ?? u.location(51.128 + (idx % 50) / 1000, 71.43);
    case "C_KATO":
      return press(byVerb("wz.kt")) ?? press(byVerb("wz.ks"));
    case "C_SES":
      return u.document(`ses-${idx}.pdf`);
    case "D2":
      return buttons.some(byVerb("wz.dx")) ? press(byVerb("wz.d2")) : u.document(`registration-${idx}.pdf`);
    case "D3":
      return press(byVerb("wz.d3"));
    default:
      return null;
  }
}

export async function walkWizard(s: ScenarioEnv, cohort: number, lanes: number): Promise<WizardResult> {
  const res: WizardResult = {
    byStep: new Map(),
    updates: new Map(),
    stateBytes: [],
    completed: 0,
    stuck: [],
    stepsPerUser: 0,
  };
  const users = s.pop.suppliers.slice(0, cohort);
  let totalSteps = 0;
  const walkOne = async (idx: number) => {
    const sup = users[idx]!;
    const u = userUpdates(sup.tg);
    // Start: main menu → «Новая заявка» (and whatever the start screen asks before the form).
    await s.env.bot.handleUpdate(u.press(cb(MENU.newApplication), 1));
    let measuredState = false;
    for (let n = 0; n < 60; n++) {
      const cur = await currentStep(s, sup.userId);
      const buttons = s.env.api.buttons(sup.tg);
      if (!cur) {
        // not in the form yet: press the first button that leads on (e.g. «create», licence refresh)
        const b = buttons.find((x) => x.data && !parseCb(x.data)?.verb.startsWith("m."));
        if (!b?.data) {
          res.stuck.push({
            user: idx,
            step: "start",
            why: `no draft and no button (${buttons.map(verbOf).join(",")})`,
          });
          return;
        }
        await s.env.bot.handleUpdate(u.press(b.data, b.messageId));
        continue;
      }
      if (cur.step === "SUM") {
        res.completed++;
        return;
      }
      if (!measuredState && cur.step.startsWith("C_")) {
        res.stateBytes.push(await chatStateBytes(s.env, sup.tg));
        measuredState = true;
      }
      const upd = nextUpdate(cur.step, buttons, u, idx, s.pop.regions.length);
      if (!upd) {
        res.stuck.push({
          user: idx,
          step: cur.step,
          why: `no action for buttons ${buttons.map(verbOf).join(",")}`,
        });
        return;
      }
      const t = performance.now();
      await s.env.bot.handleUpdate(upd);
      const ms = performance.now() - t;
      totalSteps++;
      let arr = res.byStep.get(cur.step);
      if (!arr) {
        arr = [];
        res.byStep.set(cur.step, arr);
        res.updates.set(cur.step, []);
      }
      arr.push(ms);
      res.updates.get(cur.step)!.push(upd);
    }
    res.stuck.push({ user: idx, step: "?", why: "more than 60 updates" });
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < users.length) await walkOne(next++);
    }),
  );
  res.stepsPerUser = totalSteps / Math.max(1, users.length);
  return res;
}

export const p50 = (a: number[]) => percentile(a, 0.5);
export const p99 = (a: number[]) => percentile(a, 0.99);

// Section C «Адрес производственной базы»: bases pre-filled from the licence appendices (add/remove), each with
// coordinates (C3/C4: the domain's coordinates rule), a leaf КАТО (C5: conversations/kato.ts), the SES permit (C6)
// and its subtypes (C7, V3/V4).
import type { InlineKeyboardButton } from "grammy/types";
import { escapeHtml } from "../bot/kit/html.ts";
import { pageWindow } from "../bot/kit/paging.ts";
import { pendingAfterBaseRemoved } from "../domain/draftRules.ts";
import {
  baseRegion,
  confirmationKey,
  parseCoordinates,
  validateCoordinates,
} from "../domain/plausibility.ts";
import type { DomainError } from "../domain/types.ts";
import { katoActions, katoStep } from "./kato.ts";
import {
  alert,
  basesInput,
  btn,
  chosenSubtypes,
  commit,
  draftOf,
  fileNameOf,
  katoNameOf,
  multiSelect,
  named,
  subtypeName,
  t,
  type Wizard,
  type WizardDraft,
  wcb,
  withBase,
} from "./wizard/core.ts";
import { fileAnswer, takeFile } from "./wizard/files.ts";
import { type ActionDef, afterBases, type Outcome, type StepDef } from "./wizard/flow.ts";
import { pendingStep, type Step } from "./wizard/progress.ts";

const BASES_PAGE = 8;

const currentBase = (w: Wizard) => draftOf(w).bases.find((b) => b.position === w.p.pos);

/** The application's region as its top-level KATO code (the coordinates' box), or null. */
const regionKato = (w: Wizard): string | null =>
  w.c.regions.find((r) => r.code === draftOf(w).regionCode)?.katoCode ?? null;

/**
 * A plausibility warning (outside Kazakhstan / the region's approximate box): the point is kept aside in the
 * progress, not saved, until the supplier confirms it («Координаты верны») or sends others.
 */
async function askToConfirm(w: Wizard, lat: number, lon: number, warning: DomainError): Promise<Outcome> {
  if (!(await commit(w, { progress: { pending: { lat, lon } } }))) return "done";
  const code = typeof warning.params?.region === "string" ? warning.params.region : null;
  const region = code ? w.c.regions.find((r) => r.katoCode === code) : undefined;
  const key =
    warning.code === "coordinates_outside_region" ? "kato:coords_outside_region" : "kato:coords_outside_kz";
  await w.ctx.reply(
    w.ctx.t(key, { lat, lon, region: escapeHtml(region ? named(w, region) : (code ?? "")) }),
    {
      parse_mode: "HTML",
      reply_markup: {
        inline_keyboard: [
          [btn(w.ctx.t("kato:btn.confirm_coords"), wcb(w, "cc"))],
          [btn(w.ctx.t("kato:btn.other_coords"), wcb(w, "cn"))],
        ],
      },
    },
  );
  return "done";
}

/** Write the base's coordinates (with the confirmation key when a warning was confirmed) and go on to C5. */
async function saveCoordinates(
  w: Wizard,
  lat: number,
  lon: number,
  confirmed: string | null,
): Promise<Outcome> {
  const b = currentBase(w);
  if (!b) return "render";
  const ok = await commit(w, {
    patch: { bases: withBase(w, b.position, { latitude: lat, longitude: lon, coordsConfirmed: confirmed }) },
    progress: { step: "C_KATO", pending: undefined },
  });
  if (!ok) return "done";
  return { note: w.ctx.t(confirmed ? "kato:coords_confirmed" : "wizard:c.coords_saved", { lat, lon }) };
}

export const baseComplete = (b: WizardDraft["bases"][number]): boolean =>
  b.latitude !== null && b.longitude !== null && !!b.katoCode && !!b.sesFileId && b.subtypes.length > 0;

function baseLine(w: Wizard, b: WizardDraft["bases"][number]): string {
  const mark = (v: boolean) => (v ? "✅" : "▫️");
  const pending = w.p.prefill?.pending.includes(`C:${b.position}`);
  return (
    (pending ? `${t(w, "pf.base_mark")}\n` : "") +
    t(w, "c.base_line", {
      n: b.position,
      address: escapeHtml(b.address),
      coords: b.latitude !== null && b.longitude !== null ? `${b.latitude}, ${b.longitude}` : "—",
      coordsMark: mark(b.latitude !== null),
      kato: b.katoCode ? escapeHtml(katoNameOf(w, b) ?? b.katoCode) : "—",
      katoMark: mark(!!b.katoCode),
      sesMark: mark(!!b.sesFileId),
      subtypes: b.subtypes.length,
      subMark: mark(b.subtypes.length > 0),
    })
  );
}

async function wrongInput(w: Wizard, key: string): Promise<Outcome> {
  await w.ctx.reply(t(w, `wrong.${key}`), { parse_mode: "HTML" });
  return "render";
}

/** The SES permit of the current base (C6): the file, then C7. */
export const takeSesFile = (w: Wizard) =>
  takeFile(w, (x, file) => ({
    patch: { bases: withBase(x, x.p.pos ?? 0, { sesFileId: file.id }) },
    progress: { step: "C_SUB" },
  }));

export const steps: Partial<Record<Step, StepDef>> = {
  C_LIST: {
    render(w, o) {
      const d = draftOf(w);
      // 8 bases a page keeps the text under 4096 characters and the keyboard small
      const { page: pg, pages, skip } = pageWindow(d.bases.length, o.page, BASES_PAGE);
      const slice = d.bases.slice(skip, skip + BASES_PAGE);
      const kb: InlineKeyboardButton[][] = slice.map((b) => [
        btn(t(w, "btn.edit_base", { n: b.position }), wcb(w, "be", b.position)),
        btn(t(w, "btn.remove_base", { n: b.position }), wcb(w, "bx", b.position)),
      ]);
      if (pages > 1) {
        const nav: InlineKeyboardButton[] = [];
        if (pg > 0) nav.push(btn("◀️", wcb(w, "bp", pg - 1)));
        nav.push(btn(`${pg + 1}/${pages}`, wcb(w, "bp", pg)));
        if (pg < pages - 1) nav.push(btn("▶️", wcb(w, "bp", pg + 1)));
        kb.push(nav);
      }
      kb.push([btn(t(w, "btn.add_base"), wcb(w, "ba"))]);
      kb.push([btn(t(w, "btn.next"), wcb(w, "bd"))]);
      const body = slice.length ? slice.map((b) => baseLine(w, b)).join("\n\n") : t(w, "c.none");
      return { text: `${t(w, "c.title")}\n\n${body}`, kb };
    },
  },
  C_ADDR: {
    render: (w) => ({ text: t(w, "c.addr_ask"), kb: [[btn(t(w, "btn.to_bases"), wcb(w, "bl"))]] }),
    async input(w) {
      const text = w.ctx.message?.text?.trim();
      if (!text || text.startsWith("/")) return wrongInput(w, "expect_text");
      if (text.length > 500) return wrongInput(w, "too_long");
      const pos = draftOf(w).bases.length + 1;
      const ok = await commit(w, {
        patch: { bases: [...basesInput(w), { address: text }] },
        progress: { step: "C_COORD", pos },
      });
      return ok ? "render" : "done";
    },
  },
  C_COORD: {
    render(w) {
      const b = currentBase(w);
      const kb: InlineKeyboardButton[][] = [];
      if (b && b.latitude !== null) kb.push([btn(t(w, "btn.keep"), wcb(w, "cs"))]);
      kb.push([btn(t(w, "btn.to_bases"), wcb(w, "bl"))]);
      const current = b && b.latitude !== null ? `${b.latitude}, ${b.longitude}` : "—";
      return {
        text: t(w, "c.coords_ask", { n: b?.position ?? "?", address: escapeHtml(b?.address ?? ""), current }),
        kb,
      };
    },
    async input(w) {
      const msg = w.ctx.message;
      let point: { latitude: number; longitude: number } | null;
      if (msg?.location) point = { latitude: msg.location.latitude, longitude: msg.location.longitude };
      else if (msg?.text && !msg.text.startsWith("/")) point = parseCoordinates(msg.text);
      else return wrongInput(w, "expect_coords");
      if (!point) {
        await w.ctx.reply(t(w, "c.coords_format"), { parse_mode: "HTML" });
        return "done";
      }
      const b = currentBase(w);
      if (!b) return "render";
      const r = validateCoordinates(point.latitude, point.longitude, "", baseRegion(b, regionKato(w)));
      if (r.errors.length) {
        await w.ctx.reply(t(w, "c.coords_range"), { parse_mode: "HTML" });
        return "done";
      }
      if (r.warnings.length) return askToConfirm(w, point.latitude, point.longitude, r.warnings[0]!);
      return saveCoordinates(w, point.latitude, point.longitude, null);
    },
  },
  C_KATO: katoStep,
  C_SES: {
    render(w) {
      const b = currentBase(w);
      const kb: InlineKeyboardButton[][] = [];
      if (b?.sesFileId) kb.push([btn(t(w, "btn.keep"), wcb(w, "ss"))]);
      kb.push([btn(t(w, "btn.to_bases"), wcb(w, "bl"))]);
      const name = fileNameOf(w, b?.sesFileId ?? null);
      return {
        text: t(w, "c.ses_ask", {
          n: b?.position ?? "?",
          address: escapeHtml(b?.address ?? ""),
          current: b?.sesFileId ? `✅ ${escapeHtml(name ?? "")}` : "—",
        }),
        kb,
      };
    },
    async input(w) {
      if (!currentBase(w)) return "render";
      return fileAnswer(w, await takeSesFile(w));
    },
  },
  C_SUB: {
    render(w, o) {
      const b = currentBase(w);
      const items = chosenSubtypes(w).map((code) => ({ code, name: subtypeName(w, code) }));
      const view = multiSelect(w, {
        scope: "b",
        header: t(w, "c.subtypes_ask", { n: b?.position ?? "?", address: escapeHtml(b?.address ?? "") }),
        items,
        selected: new Set(b?.subtypes ?? []),
        page: o.page,
      });
      if (!items.length) view.text += `\n\n${t(w, "c.no_a_subtypes")}`;
      return view;
    },
  },
};

/** Toggle a subtype of the current base (scope "b"). */
export async function toggleBaseSubtype(w: Wizard, idx: number): Promise<boolean> {
  const b = currentBase(w);
  const code = chosenSubtypes(w)[idx];
  if (!b || !code) return false;
  const next = b.subtypes.includes(code) ? b.subtypes.filter((c) => c !== code) : [...b.subtypes, code];
  return commit(w, { patch: { bases: withBase(w, b.position, { subtypes: next }) } });
}

/** «Готово» on a base's subtypes: V3 (M2) blocks an empty choice; the base was gone through: confirmed. */
export async function baseSubtypesDone(w: Wizard): Promise<Outcome> {
  const b = currentBase(w);
  if (b && b.subtypes.length === 0) {
    await alert(w.ctx, t(w, "m2"));
    return "done";
  }
  return (await commit(w, { progress: { step: "C_LIST", ...confirmedBase(w, b?.position) } }))
    ? "render"
    : "done";
}

/** The prefill with base `pos` confirmed (it was changed or kept by the supplier). */
export function confirmedBase(
  w: Wizard,
  pos: number | undefined,
): Pick<NonNullable<Wizard["p"]>, "prefill"> | Record<string, never> {
  const pf = w.p.prefill;
  if (!pf || pos === undefined || !pf.pending.includes(`C:${pos}`)) return {};
  return { prefill: { ...pf, pending: pf.pending.filter((x) => x !== `C:${pos}`) } };
}

const go =
  (step: Step, extra: Partial<Wizard["p"]> = {}) =>
  async (w: Wizard): Promise<Outcome> =>
    (await commit(w, { progress: { step, ...extra } })) ? "render" : "done";

export const actions: Record<string, ActionDef> = {
  ...katoActions,
  be: {
    steps: ["C_LIST"],
    async run(w, [n]) {
      const pos = Number(n);
      if (!draftOf(w).bases.some((b) => b.position === pos)) return "render";
      // a base carried over from the previous application is confirmed first
      if (w.p.prefill?.pending.includes(`C:${pos}`)) return go("PF_C", { pos })(w);
      return go("C_COORD", { pos })(w);
    },
  },
  bx: {
    steps: ["C_LIST"],
    async run(w, [n]) {
      const pos = Number(n);
      if (!draftOf(w).bases.some((b) => b.position === pos)) return "render";
      const pf = w.p.prefill;
      const ok = await commit(w, {
        // the store renumbers the rows 1..n, as the form shows them
        patch: { bases: basesInput(w).filter((_x, k) => k + 1 !== pos) },
        ...(pf
          ? { progress: { prefill: { ...pf, pending: pendingAfterBaseRemoved(pf.pending, pos) } } }
          : {}),
      });
      return ok ? "render" : "done";
    },
  },
  ba: { steps: ["C_LIST"], run: (w) => go("C_ADDR")(w) },
  bp: { steps: ["C_LIST"], run: async (_w, [p]) => ({ page: Number(p) || 0 }) },
  bd: {
    steps: ["C_LIST"],
    run(w) {
      const base = w.p.prefill?.pending.find((x) => x.startsWith("C:"));
      return base ? go("PF_C", pendingStep(base))(w) : commitTo(w, afterBases(w));
    },
  },
  bl: { steps: ["C_ADDR", "C_COORD", "C_KATO", "C_SES", "C_SUB"], run: (w) => go("C_LIST")(w) },
  cs: { steps: ["C_COORD"], run: (w) => go("C_KATO")(w) },
  /** «Координаты верны»: the kept-aside point is saved with the confirmation of its warning. */
  cc: {
    steps: ["C_COORD"],
    async run(w) {
      const p = w.p.pending;
      const b = currentBase(w);
      if (!p || !b) return "render";
      return saveCoordinates(w, p.lat, p.lon, confirmationKey(p.lat, p.lon, baseRegion(b, regionKato(w))));
    },
  },
  /** «Ввести другие координаты»: the kept-aside point is dropped. */
  cn: { steps: ["C_COORD"], run: (w) => go("C_COORD", { pending: undefined })(w) },
  ss: { steps: ["C_SES"], run: (w) => go("C_SUB")(w) },
};

const commitTo = async (w: Wizard, target: Pick<Wizard["p"], "step" | "pos">): Promise<Outcome> =>
  (await commit(w, { progress: target })) ? "render" : "done";

// Section C «Адрес производственной базы»: bases pre-filled from the licence appendices (add/remove),
// each with coordinates (C3/C4: domain/plausibility.ts; a warning is confirmed before the point is saved),
// a leaf КАТО (C5: conversations/kato.ts), the SES permit (C6) and its subtypes (C7, V3/V4).
import type { InlineKeyboardButton } from "grammy/types";
import { escapeHtml } from "../bot/i18n.ts";
import { pageWindow } from "../bot/paging.ts";
import { receiveFile } from "../bot/services/files.ts";
import { katoName } from "../domain/kato.ts";
import {
  baseRegion,
  confirmationKey,
  parseCoordinates,
  validateCoordinates,
} from "../domain/plausibility.ts";
import type { DomainError } from "../domain/types.ts";
import { katoByCodes } from "../prisma/store/kato.ts";
import {
  alert,
  basesInput,
  btn,
  chosenSubtypes,
  commit,
  multiSelect,
  named,
  subtypeName,
  t,
  type W,
  wcb,
  withBase,
} from "./wizard/core.ts";
import { type ActionDef, afterBases, type Outcome, type StepDef } from "./wizard/flow.ts";
import type { Step } from "./wizard/progress.ts";

const BASES_PAGE = 8;

function currentBase(w: W) {
  return w.app.bases.find((b) => b.position === w.p.pos);
}

export function baseComplete(b: W["app"]["bases"][number]): boolean {
  return (
    b.latitude !== null && b.longitude !== null && !!b.katoCode && !!b.sesFileId && b.subtypes.length > 0
  );
}

function baseLine(w: W, b: W["app"]["bases"][number], katoLabel: string): string {
  const mark = (v: boolean) => (v ? "✅" : "▫️");
  const coords = b.latitude !== null && b.longitude !== null ? `${b.latitude}, ${b.longitude}` : "—";
  return t(w, "c.base_line", {
    n: b.position,
    address: escapeHtml(b.address),
    coords,
    coordsMark: mark(b.latitude !== null),
    kato: escapeHtml(katoLabel),
    katoMark: mark(!!b.katoCode),
    sesMark: mark(!!b.sesFileId),
    subtypes: b.subtypes.length,
    subMark: mark(b.subtypes.length > 0),
  });
}

export const steps: Partial<Record<Step, StepDef>> = {
  C_LIST: {
    async render(w, page = 0) {
      // 8 bases a page keeps the text under 4096 characters and the keyboard small
      const { page: pg, pages, skip } = pageWindow(w.app.bases.length, page, BASES_PAGE);
      const slice = w.app.bases.slice(skip, skip + BASES_PAGE);
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
      const katos = await katoByCodes(
        w.ctx.deps.prisma,
        slice.map((b) => b.katoCode ?? ""),
      );
      const label = (code: string | null) => {
        const k = code ? katos.get(code) : undefined;
        return k ? katoName(k, w.ctx.lang === "kk" ? "kk" : "ru") : (code ?? "—");
      };
      const body = slice.length
        ? slice.map((b) => baseLine(w, b, label(b.katoCode))).join("\n\n")
        : t(w, "c.none");
      return { text: `${t(w, "c.title")}\n\n${body}`, kb };
    },
  },
  C_ADDR: {
    render(w) {
      return { text: t(w, "c.addr_ask"), kb: [[btn(t(w, "btn.to_bases"), wcb(w, "bl"))]] };
    },
    async input(w) {
      const text = w.ctx.message?.text?.trim();
      if (!text || text.startsWith("/")) return wrongInput(w, "expect_text");
      if (text.length > 500) return wrongInput(w, "too_long");
      const pos = w.app.bases.length + 1;
      const ok = await commit(w, {
        field: "bases.add",
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
      const region = baseRegion(b, w.app.region?.katoCode ?? null);
      const r = validateCoordinates(point.latitude, point.longitude, "", region);
      if (r.errors.length) {
        await w.ctx.reply(t(w, "c.coords_range"), { parse_mode: "HTML" });
        return "done";
      }
      if (r.warnings.length) return askToConfirm(w, point.latitude, point.longitude, r.warnings[0]!);
      return saveCoordinates(w, point.latitude, point.longitude, null);
    },
  },
  C_SES: {
    render(w) {
      const b = currentBase(w);
      const kb: InlineKeyboardButton[][] = [];
      if (b?.sesFileId) kb.push([btn(t(w, "btn.keep"), wcb(w, "ss"))]);
      kb.push([btn(t(w, "btn.to_bases"), wcb(w, "bl"))]);
      return {
        text: t(w, "c.ses_ask", {
          n: b?.position ?? "?",
          address: escapeHtml(b?.address ?? ""),
          current: b?.sesFileId ? "✅" : "—",
        }),
        kb,
      };
    },
    async input(w) {
      const b = currentBase(w);
      if (!b) return "render";
      const got = await receiveFile(w.ctx);
      if (!got.ok) return fileError(w, got.error);
      const ok = await commit(w, {
        field: "bases.sesFile",
        patch: { bases: withBase(w, b.position, { sesFileId: got.file.id }) },
        progress: { step: "C_SUB" },
      });
      if (!ok) return "done";
      await w.ctx.reply(t(w, "file.saved", { name: escapeHtml(got.file.fileName) }), { parse_mode: "HTML" });
      return "render";
    },
  },
  C_SUB: {
    render(w, page = 0) {
      const b = currentBase(w);
      const items = chosenSubtypes(w).map((code) => ({ code, name: subtypeName(w, code) }));
      const view = multiSelect(w, {
        scope: "b",
        header: t(w, "c.subtypes_ask", { n: b?.position ?? "?", address: escapeHtml(b?.address ?? "") }),
        items,
        selected: new Set(b?.subtypes ?? []),
        page,
      });
      if (!items.length) view.text += `\n\n${t(w, "c.no_a_subtypes")}`;
      return view;
    },
  },
};

/**
 * A plausibility warning (outside Kazakhstan / the region's box): the point is kept aside in the progress,
 * not saved, until the supplier confirms it («Координаты верны») or sends others.
 */
async function askToConfirm(w: W, lat: number, lon: number, warning: DomainError): Promise<Outcome> {
  const ok = await commit(w, { field: "progress", progress: { pending: { lat, lon } } });
  if (!ok) return "done";
  const region = typeof warning.params?.region === "string" ? warning.params.region : null;
  const own = w.app.region && region === w.app.region.katoCode ? named(w.ctx.lang, w.app.region) : null;
  const regionName = region ? (own ?? (await katoRegionName(w, region))) : "";
  const key =
    warning.code === "coordinates_outside_region" ? "kato:coords_outside_region" : "kato:coords_outside_kz";
  await w.ctx.reply(w.ctx.t(key, { lat, lon, region: escapeHtml(regionName) }), {
    parse_mode: "HTML",
    reply_markup: {
      inline_keyboard: [
        [btn(w.ctx.t("kato:btn.confirm_coords"), wcb(w, "cc"))],
        [btn(w.ctx.t("kato:btn.other_coords"), wcb(w, "cn"))],
      ],
    },
  });
  return "done";
}

async function katoRegionName(w: W, regionKato: string): Promise<string> {
  const k = (await katoByCodes(w.ctx.deps.prisma, [regionKato])).get(regionKato);
  return k ? katoName(k, w.ctx.lang === "kk" ? "kk" : "ru") : regionKato;
}

/** Write the base's coordinates (with the confirmation key when a warning was confirmed) and go to C5. */
async function saveCoordinates(w: W, lat: number, lon: number, confirmed: string | null): Promise<Outcome> {
  const b = currentBase(w);
  if (!b) return "render";
  const ok = await commit(w, {
    field: "bases.coordinates",
    patch: { bases: withBase(w, b.position, { latitude: lat, longitude: lon, coordsConfirmed: confirmed }) },
    progress: { step: "C_KATO", kato: null, pending: undefined },
  });
  if (!ok) return "done";
  await w.ctx.reply(w.ctx.t(confirmed ? "kato:coords_confirmed" : "wizard:c.coords_saved", { lat, lon }), {
    parse_mode: "HTML",
  });
  return "render";
}

export async function wrongInput(w: W, key: string): Promise<Outcome> {
  await w.ctx.reply(t(w, `wrong.${key}`), { parse_mode: "HTML" });
  return "render";
}

export async function fileError(w: W, error: string): Promise<Outcome> {
  await w.ctx.reply(t(w, `file.${error}`), { parse_mode: "HTML" });
  return error === "not_a_file" ? "render" : "done";
}

/** Toggle a subtype of the current base (scope "b"). */
export async function toggleBaseSubtype(w: W, idx: number): Promise<boolean> {
  const b = currentBase(w);
  const code = chosenSubtypes(w)[idx];
  if (!b || !code) return false;
  const next = b.subtypes.includes(code) ? b.subtypes.filter((c) => c !== code) : [...b.subtypes, code];
  return commit(w, {
    field: "bases.subtypes",
    patch: { bases: withBase(w, b.position, { subtypes: next }) },
  });
}

/** «Готово» on a base's subtypes: V3 (M2) blocks an empty choice; back to the list. */
export async function baseSubtypesDone(w: W): Promise<Outcome> {
  const b = currentBase(w);
  if (b && b.subtypes.length === 0) {
    await alert(w.ctx, t(w, "m2"));
    return "done";
  }
  const ok = await commit(w, { field: "progress", progress: { step: "C_LIST" } });
  return ok ? "render" : "done";
}

const go =
  (step: Step, extra: Partial<W["p"]> = {}) =>
  async (w: W): Promise<Outcome> => {
    const ok = await commit(w, { field: "progress", progress: { step, ...extra } });
    return ok ? "render" : "done";
  };

export const actions: Record<string, ActionDef> = {
  be: {
    steps: ["C_LIST"],
    async run(w, [n]) {
      const pos = Number(n);
      if (!w.app.bases.some((b) => b.position === pos)) return "render";
      return go("C_COORD", { pos })(w);
    },
  },
  bx: {
    steps: ["C_LIST"],
    async run(w, [n]) {
      const b = w.app.bases.find((x) => x.position === Number(n));
      if (!b) return "render";
      const ok = await commit(w, {
        field: "bases.remove",
        // the store renumbers the rows 1..n, as the form shows them
        patch: { bases: basesInput(w).filter((_x, k) => w.app.bases[k]!.id !== b.id) },
      });
      return ok ? "render" : "done";
    },
  },
  ba: { steps: ["C_LIST"], run: (w) => go("C_ADDR")(w) },
  bp: { steps: ["C_LIST"], run: async (_w, [p]) => ({ page: Number(p) || 0 }) },
  bd: { steps: ["C_LIST"], run: (w) => go(afterBases(w))(w) },
  bl: { steps: ["C_ADDR", "C_COORD", "C_KATO", "C_SES", "C_SUB"], run: (w) => go("C_LIST")(w) },
  cs: { steps: ["C_COORD"], run: (w) => go("C_KATO", { kato: null })(w) },
  /** «Координаты верны»: the kept-aside point is saved with the confirmation of its warning. */
  cc: {
    steps: ["C_COORD"],
    async run(w) {
      const p = w.p.pending;
      const b = currentBase(w);
      if (!p || !b) return "render";
      if (w.ctx.callbackQuery) await w.ctx.answerCallbackQuery();
      const region = baseRegion(b, w.app.region?.katoCode ?? null);
      return saveCoordinates(w, p.lat, p.lon, confirmationKey(p.lat, p.lon, region));
    },
  },
  cn: {
    steps: ["C_COORD"],
    async run(w) {
      const ok = await commit(w, { field: "progress", progress: { pending: undefined } });
      return ok ? "render" : "done";
    },
  },
  ss: { steps: ["C_SES"], run: (w) => go("C_SUB")(w) },
};

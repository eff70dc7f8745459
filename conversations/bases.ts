// Section C «Адрес производственной базы»: bases pre-filled from the licence appendices (add/remove),
// each with coordinates (C3/C4), a leaf КАТО (C5), the SES permit (C6) and its subtypes (C7, V3/V4).
import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { escapeHtml } from "../bot/i18n.ts";
import { pageWindow } from "../bot/paging.ts";
import { receiveFile } from "../bot/services/files.ts";
import type { AppContext } from "../bot/context.ts";
import {
  alert,
  basesInput,
  btn,
  chosenSubtypes,
  commit,
  multiSelect,
  subtypeName,
  t,
  type View,
  type W,
  wcb,
  withBase,
} from "./wizard/core.ts";
import { type ActionDef, afterBases, type Outcome, type StepDef } from "./wizard/flow.ts";
import type { Step } from "./wizard/progress.ts";

const KATO_PAGE = 8;
const BASES_PAGE = 8;

/** Kazakhstan's bounding box (DECISIONS 5): outside is a warning, not an error. */
const KZ = { latMin: 40, latMax: 56, lonMin: 46, lonMax: 88 };

export type CoordResult =
  | { ok: true; lat: number; lon: number; outsideKz: boolean }
  | { ok: false; error: "format" | "range" };

/** "51.1694, 71.4491", "51,1694; 71,4491", "51.1694 71.4491" → numbers; range checked. */
export function parseCoordinates(text: string): CoordResult {
  const s = text.trim();
  let m = s.match(/^(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)$/);
  if (!m) m = s.match(/^(-?\d{1,3}(?:,\d+)?)\s*[;\s]\s*(-?\d{1,3}(?:,\d+)?)$/);
  if (!m) return { ok: false, error: "format" };
  const lat = Number(m[1]!.replace(",", "."));
  const lon = Number(m[2]!.replace(",", "."));
  return checkCoordinates(lat, lon);
}

export function checkCoordinates(lat: number, lon: number): CoordResult {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180)
    return { ok: false, error: "range" };
  const outsideKz = lat < KZ.latMin || lat > KZ.latMax || lon < KZ.lonMin || lon > KZ.lonMax;
  return { ok: true, lat, lon, outsideKz };
}

function currentBase(w: W) {
  return w.app.bases.find((b) => b.position === w.p.pos);
}

export function baseComplete(b: W["app"]["bases"][number]): boolean {
  return (
    b.latitude !== null && b.longitude !== null && !!b.katoCode && !!b.sesFileId && b.subtypes.length > 0
  );
}

function baseLine(w: W, b: W["app"]["bases"][number]): string {
  const mark = (v: boolean) => (v ? "✅" : "▫️");
  const coords = b.latitude !== null && b.longitude !== null ? `${b.latitude}, ${b.longitude}` : "—";
  return t(w, "c.base_line", {
    n: b.position,
    address: escapeHtml(b.address),
    coords,
    coordsMark: mark(b.latitude !== null),
    kato: b.katoCode ?? "—",
    katoMark: mark(!!b.katoCode),
    sesMark: mark(!!b.sesFileId),
    subtypes: b.subtypes.length,
    subMark: mark(b.subtypes.length > 0),
  });
}

async function katoPath(ctx: AppContext, id: number | null | undefined): Promise<string[]> {
  const names: string[] = [];
  let cur = id ?? null;
  for (let i = 0; cur !== null && i < 8; i++) {
    const k = await ctx.deps.prisma.katoObject.findUnique({ where: { id: cur } });
    if (!k) break;
    names.unshift(ctx.lang === "kk" && k.nameKk ? k.nameKk : k.nameRu);
    cur = k.parentId;
  }
  return names;
}

async function katoView(w: W, page: number): Promise<View> {
  const prisma = w.ctx.deps.prisma;
  const parentId = w.p.kato ?? null;
  const where = { parentId };
  const total = await prisma.katoObject.count({ where });
  const { page: pg, pages, skip } = pageWindow(total, page, KATO_PAGE);
  const rows = await prisma.katoObject.findMany({
    where,
    orderBy: [{ nameRu: "asc" }, { id: "asc" }],
    skip,
    take: KATO_PAGE,
  });
  const kb = new InlineKeyboard();
  for (const r of rows) {
    const name = w.ctx.lang === "kk" && r.nameKk ? r.nameKk : r.nameRu;
    kb.text(
      `${r.isLeaf ? "📍" : "📂"} ${name.length > 50 ? `${name.slice(0, 49)}…` : name}`,
      wcb(w, "kt", r.id),
    ).row();
  }
  if (pages > 1) {
    if (pg > 0) kb.text("◀️", wcb(w, "kp", pg - 1));
    kb.text(`${pg + 1}/${pages}`, wcb(w, "kp", pg));
    if (pg < pages - 1) kb.text("▶️", wcb(w, "kp", pg + 1));
    kb.row();
  }
  if (parentId !== null) kb.text(t(w, "btn.up"), wcb(w, "ku"));
  const b = currentBase(w);
  if (b?.katoCode) kb.text(t(w, "btn.keep"), wcb(w, "ks"));
  kb.row().text(t(w, "btn.to_bases"), wcb(w, "bl"));
  const path = await katoPath(w.ctx, parentId);
  const text = t(w, "c.kato", {
    n: b?.position ?? "?",
    address: escapeHtml(b?.address ?? ""),
    path: path.length ? escapeHtml(path.join(" › ")) : t(w, "c.kato_root"),
    current: b?.katoCode ?? "—",
  });
  return { text, kb: kb.inline_keyboard };
}

export const steps: Partial<Record<Step, StepDef>> = {
  C_LIST: {
    render(w, page = 0) {
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
      const body = slice.length ? slice.map((b) => baseLine(w, b)).join("\n\n") : t(w, "c.none");
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
      let r: CoordResult;
      if (msg?.location) r = checkCoordinates(msg.location.latitude, msg.location.longitude);
      else if (msg?.text && !msg.text.startsWith("/")) r = parseCoordinates(msg.text);
      else return wrongInput(w, "expect_coords");
      if (!r.ok) {
        await w.ctx.reply(t(w, r.error === "range" ? "c.coords_range" : "c.coords_format"), {
          parse_mode: "HTML",
        });
        return "done";
      }
      const b = currentBase(w);
      if (!b) return "render";
      const ok = await commit(w, {
        field: "bases.coordinates",
        patch: { bases: withBase(w, b.position, { latitude: r.lat, longitude: r.lon }) },
        progress: { step: "C_KATO", kato: null },
      });
      if (!ok) return "done";
      await w.ctx.reply(
        t(w, r.outsideKz ? "c.coords_saved_outside" : "c.coords_saved", { lat: r.lat, lon: r.lon }),
        { parse_mode: "HTML" },
      );
      return "render";
    },
  },
  C_KATO: {
    render: (w, page = 0) => katoView(w, page),
    async input(w) {
      const q = w.ctx.message?.text?.trim();
      if (!q || q.startsWith("/")) return wrongInput(w, "expect_kato");
      if (q.length < 2) return wrongInput(w, "kato_short");
      const found = await w.ctx.deps.prisma.katoObject.findMany({
        where: {
          OR: [
            { nameRu: { contains: q, mode: "insensitive" } },
            { nameKk: { contains: q, mode: "insensitive" } },
          ],
        },
        orderBy: [{ level: "asc" }, { nameRu: "asc" }],
        take: 10,
      });
      if (!found.length) {
        await w.ctx.reply(t(w, "c.kato_not_found", { q: escapeHtml(q) }), { parse_mode: "HTML" });
        return "done";
      }
      const kb = new InlineKeyboard();
      for (const k of found) {
        const path = (await katoPath(w.ctx, k.parentId)).slice(-2).join(" › ");
        const name = w.ctx.lang === "kk" && k.nameKk ? k.nameKk : k.nameRu;
        const label = `${k.isLeaf ? "📍" : "📂"} ${name}${path ? ` (${path})` : ""}`;
        kb.text(label.length > 60 ? `${label.slice(0, 59)}…` : label, wcb(w, "kt", k.id)).row();
      }
      kb.text(t(w, "btn.back"), wcb(w, "kp", 0));
      await w.ctx.reply(t(w, "c.kato_found", { q: escapeHtml(q), count: found.length }), {
        parse_mode: "HTML",
        reply_markup: kb,
      });
      return "done";
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
  ks: { steps: ["C_KATO"], run: (w) => go("C_SES")(w) },
  ss: { steps: ["C_SES"], run: (w) => go("C_SUB")(w) },
  kp: { steps: ["C_KATO"], run: async (_w, [p]) => ({ page: Number(p) || 0 }) },
  ku: {
    steps: ["C_KATO"],
    async run(w) {
      const cur = w.p.kato
        ? await w.ctx.deps.prisma.katoObject.findUnique({ where: { id: w.p.kato } })
        : null;
      return go("C_KATO", { kato: cur?.parentId ?? null })(w);
    },
  },
  kt: {
    steps: ["C_KATO"],
    async run(w, [id]) {
      const k = await w.ctx.deps.prisma.katoObject.findUnique({ where: { id: Number(id) } });
      const b = currentBase(w);
      if (!k || !b) return "render";
      if (!k.isLeaf) return go("C_KATO", { kato: k.id })(w);
      const ok = await commit(w, {
        field: "bases.kato",
        patch: { bases: withBase(w, b.position, { katoCode: k.code }) },
        progress: { step: "C_SES" },
      });
      return ok ? "render" : "done";
    },
  },
};

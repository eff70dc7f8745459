// The staff register screen: one keyset page of the branch's applications in the register, each row a button
// to the staff card (the staff feature's verb), «Найти» / «Сбросить параметры поиска», ◀ ▶. Pure.
import { InlineKeyboard } from "grammy";
import type { Names } from "../../../app/classifiers.ts";
import { applicationNumber } from "../../../app/head.ts";
import { REGISTER_COUNT_CAP, REGISTER_PAGE, type RegisterPage } from "../../../app/register.ts";
import type { Cursor } from "../../../app/index.ts";
import { cb } from "../../kit/callbacks.ts";
import { fmtDate, nameIn } from "../../kit/format.ts";
import { escapeHtml } from "../../kit/html.ts";
import type { Lang, Translate } from "../../kit/i18n.ts";
import type { Screen } from "../../kit/ui.ts";
import { statusLabel } from "../../views/labels.ts";
import { MENU } from "../menu/verbs.ts";
import { V as STAFF } from "../staff/verbs.ts";
import { V } from "./verbs.ts";

export interface View {
  t: Translate;
  lang: Lang;
  names: Names;
}

/** Where a page starts: its number and the cursor of the neighbouring page (`n` after it, `p` before it). */
export interface RegisterPos {
  page: number;
  dir?: "n" | "p";
  cursor?: Cursor;
}

/** The ids of a `rg.p` button; anything malformed is the first page. */
export function registerPosOf(ids: readonly string[]): RegisterPos {
  const page = Math.max(0, Math.min(1_000_000, Number.parseInt(ids[0] ?? "0", 10) || 0));
  const [dir, at, id] = ids.slice(1);
  const ms = at ? Number.parseInt(at, 36) : Number.NaN;
  if ((dir !== "n" && dir !== "p") || !id || !Number.isFinite(ms) || page === 0) return { page: 0 };
  return { page, dir, cursor: { at: new Date(ms), id } };
}

const pageButton = (page: number, dir: "n" | "p", c: { statusChangedAt: Date; id: string }) =>
  cb(V.page, [page, dir, c.statusChangedAt.getTime().toString(36), c.id]);

export function registerScreen(v: View, r: RegisterPage, pos: RegisterPos): Screen {
  const { t, lang } = v;
  const kb = new InlineKeyboard();
  if (!r.staff)
    return { text: t("register:staff_only"), keyboard: kb.text(t("common:menu.back"), cb(MENU.menu)) };
  const query = r.query ? escapeHtml(r.query) : null;
  // A short backwards page (rows left the register meanwhile) starts again from the top.
  const p = pos.dir === "p" && !r.more ? 0 : pos.page;
  const hasPrev = pos.dir === "p" ? r.more : p > 0;
  const hasNext = pos.dir === "p" ? true : r.more;
  const capped = r.total > REGISTER_COUNT_CAP;
  const known = Math.max(1, Math.ceil(Math.min(r.total, REGISTER_COUNT_CAP) / REGISTER_PAGE), p + 1);
  const lines = [query ? t("register:title_query", { query }) : t("register:title")];
  if (!r.items.length) {
    lines.push(query ? t("register:no_match", { query }) : t("register:empty"));
  } else {
    lines.push(
      t("register:page", {
        page: p + 1,
        pages: capped ? `${known}+` : known,
        total: capped ? `${REGISTER_COUNT_CAP}+` : r.total,
      }),
    );
    r.items.forEach((a, i) => {
      const n = p * REGISTER_PAGE + i + 1;
      const org = nameIn(lang, { nameKk: a.orgNameKk, nameRu: a.orgNameRu });
      lines.push(
        t("register:line", {
          n,
          number: applicationNumber(a.chainId),
          org: escapeHtml(org),
          bin: a.bin,
          region: escapeHtml(v.names.region(a.regionCode) ?? "—"),
          status: statusLabel(t, a.status),
          date: fmtDate(a.statusChangedAt),
        }),
      );
      kb.text(`${n}. ${org.slice(0, 40)}`, cb(STAFF.view, [a.id])).row();
    });
  }
  const first = r.items[0];
  const last = r.items[r.items.length - 1];
  if (hasPrev && first)
    kb.text(t("register:btn.prev"), p - 1 === 0 ? cb(V.list) : pageButton(p - 1, "p", first));
  if (hasNext && last) kb.text(t("register:btn.next"), pageButton(p + 1, "n", last));
  kb.row().text(t("register:btn.find"), cb(V.find));
  if (query) kb.text(t("register:btn.reset"), cb(V.reset));
  kb.row().text(t("common:menu.back"), cb(MENU.menu));
  if (!query) lines.push(t("register:hint"));
  return { text: lines.join("\n\n"), keyboard: kb };
}

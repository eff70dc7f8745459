// «Мои заявки» screens: the list with its search filter, the pickers, «Просмотр» (the whole application, read-only,
// with the buttons the table allows), «Просмотр версий». Pure: data in, Screen out.
import { InlineKeyboard } from "grammy";
import type { Names } from "../../../app/classifiers.ts";
import { applicationNumber } from "../../../app/head.ts";
import type { ListFilter, ListPage, SupplierView } from "../../../app/index.ts";
import { isFilterEmpty, LIST_PAGE, PERIODS } from "../../../app/supplier.ts";
import { STATUSES, type Status } from "../../../domain/types.ts";
import { cb } from "../../kit/callbacks.ts";
import { fmtDateTime, nameIn } from "../../kit/format.ts";
import { escapeHtml } from "../../kit/html.ts";
import type { Lang, Translate } from "../../kit/i18n.ts";
import type { Screen } from "../../kit/ui.ts";
import { actionRows, SUPPLIER_ACTION_BUTTONS } from "../../views/actions.ts";
import { contentLines, historySection } from "../../views/content.ts";
import { statusLabel } from "../../views/labels.ts";
import { MENU } from "../menu/verbs.ts";
import { V } from "./verbs.ts";
import type { Deadline } from "../../../app/dashboard.ts";
import { deadlineLines } from "../../views/deadline.ts";

export interface View {
  t: Translate;
  lang: Lang;
  names: Names;
}

/** The filter's parameters as one line («статус «Проект», регион Астана»), or null when none is set. */
function filterSummary(v: View, f: ListFilter | undefined): string | null {
  if (isFilterEmpty(f) || !f) return null;
  const { t } = v;
  const parts: string[] = [];
  if (f.status) parts.push(t("applications:filter.status", { value: `«${statusLabel(t, f.status)}»` }));
  if (f.region)
    parts.push(t("applications:filter.region", { value: escapeHtml(v.names.region(f.region) ?? f.region) }));
  if (f.period)
    parts.push(t("applications:filter.period", { value: t(`applications:filter.periods.${f.period}`) }));
  if (f.number) parts.push(t("applications:filter.number", { value: escapeHtml(f.number.toUpperCase()) }));
  return parts.join("; ");
}

export function listScreen(v: View, page: ListPage, filter: ListFilter | undefined): Screen {
  const { t, lang } = v;
  const kb = new InlineKeyboard();
  const summary = filterSummary(v, filter);
  if (!page.total) {
    const lines = [summary ? t("applications:empty_filtered") : t("applications:empty")];
    if (summary) lines.push(t("applications:filter.active", { value: summary }));
    kb.text(t("applications:filter_button"), cb(V.filter)).row();
    if (summary) kb.text(t("applications:filter.reset"), cb(V.reset)).row();
    kb.text(t("common:menu.back"), cb(MENU.menu));
    return { text: lines.join("\n"), keyboard: kb };
  }
  const lines = [t("applications:list_title", { count: page.total })];
  if (summary) lines.push(t("applications:filter.active", { value: summary }));
  lines.push(t("applications:page", { page: page.page + 1, pages: page.pages }));
  page.items.forEach((a, i) => {
    const n = page.page * LIST_PAGE + i + 1;
    const region = a.regionNameRu ? nameIn(lang, { nameKk: a.regionNameKk, nameRu: a.regionNameRu }) : "—";
    let item = t("applications:list_item", {
      n,
      number: applicationNumber(a.chainId),
      org: escapeHtml(nameIn(lang, { nameKk: a.orgNameKk, nameRu: a.orgNameRu })),
      region: escapeHtml(region),
      version: a.versionNo,
      status: statusLabel(t, a.status),
      date: fmtDateTime(a.statusChangedAt),
    });
    if (!a.saved) item += ` (${t("applications:unsaved")})`;
    lines.push(item);
    kb.text(t("applications:open_n", { n }), cb(V.view, [a.id])).row();
  });
  if (page.pages > 1) {
    if (page.page > 0) kb.text(t("applications:prev"), cb(V.list, [page.page - 1]));
    if (page.page < page.pages - 1) kb.text(t("applications:next"), cb(V.list, [page.page + 1]));
    kb.row();
  }
  kb.text(t("applications:filter_button"), cb(V.filter)).row();
  if (summary) kb.text(t("applications:filter.reset"), cb(V.reset)).row();
  kb.text(t("common:menu.back"), cb(MENU.menu));
  return { text: lines.join("\n\n"), keyboard: kb };
}

/** The search filter being set: each parameter a button, «Найти», «Сбросить параметры поиска». */
export function filterScreen(v: View, f: ListFilter): Screen {
  const { t } = v;
  const any = t("applications:filter.any");
  const kb = new InlineKeyboard()
    .text(
      t("applications:filter.status_button", { value: f.status ? statusLabel(t, f.status) : any }),
      cb(V.status),
    )
    .row()
    .text(
      t("applications:filter.region_button", {
        value: f.region ? (v.names.region(f.region) ?? f.region) : any,
      }),
      cb(V.region),
    )
    .row();
  for (const p of PERIODS)
    kb.text(
      `${f.period === p ? "✅ " : ""}${t(`applications:filter.periods.${p}`)}`,
      cb(V.period, [f.period === p ? "x" : p]),
    );
  kb.row()
    .text(
      t("applications:filter.number_button", { value: f.number ? f.number.toUpperCase() : any }),
      cb(V.number),
    )
    .row()
    .text(t("applications:filter.find"), cb(V.find))
    .row()
    .text(t("applications:filter.reset"), cb(V.reset))
    .row()
    .text(t("applications:back_to_list"), cb(V.list, [0]));
  const summary = filterSummary(v, f);
  const lines = [t("applications:filter.title")];
  if (summary) lines.push(t("applications:filter.active", { value: summary }));
  return { text: lines.join("\n"), keyboard: kb };
}

export function statusPicker(v: View, current: Status | undefined): Screen {
  const { t } = v;
  const kb = new InlineKeyboard()
    .text(`${current ? "" : "✅ "}${t("applications:filter.any_button")}`, cb(V.status, ["x"]))
    .row();
  for (const s of STATUSES)
    kb.text(`${current === s ? "✅ " : ""}${statusLabel(t, s)}`, cb(V.status, [s])).row();
  return { text: t("applications:filter.choose_status"), keyboard: kb };
}

export function regionPicker(
  v: View,
  regions: readonly { code: string; nameKk: string; nameRu: string }[],
  current: string | undefined,
): Screen {
  const { t } = v;
  const kb = new InlineKeyboard()
    .text(`${current ? "" : "✅ "}${t("applications:filter.any_button")}`, cb(V.region, ["x"]))
    .row();
  regions.forEach((r, i) => {
    kb.text(`${current === r.code ? "✅ " : ""}${nameIn(v.lang, r)}`, cb(V.region, [r.code]));
    if (i % 2 === 1) kb.row();
  });
  return { text: t("applications:filter.choose_region"), keyboard: kb };
}

/** «Просмотр»: the whole application read-only, the history, the buttons of what the table allows now. */
export function detailScreen(v: View, s: SupplierView, deadline?: Deadline | null): Screen {
  const { t } = v;
  const app = s.facts.snapshot;
  const text = [
    ...deadlineLines(t, deadline, { withRole: true, mark: true }),
    ...contentLines(v, s.card),
    "",
    ...historySection(v, s.card),
  ].join("\n");
  const rows = actionRows(t, { id: app.id, version: app.version }, s.actions, SUPPLIER_ACTION_BUTTONS);
  if (s.card.versionNo > 1 || !app.isLatestVersion)
    rows.push([{ text: t("applications:versions_button"), callback_data: cb(V.versions, [app.id]) }]);
  rows.push([{ text: t("applications:back_to_list"), callback_data: cb(V.list, [0]) }]);
  return { text, keyboard: { inline_keyboard: rows } };
}

export function versionsScreen(
  v: View,
  versions: readonly {
    id: string;
    chainId: string;
    versionNo: number;
    status: Status;
    statusChangedAt: Date;
    saved: boolean;
  }[],
): Screen {
  const { t } = v;
  const kb = new InlineKeyboard();
  const lines = [t("applications:versions_title", { number: applicationNumber(versions[0]?.chainId ?? "") })];
  for (const x of [...versions].reverse()) {
    let line = t("applications:version_item", {
      version: x.versionNo,
      status: statusLabel(t, x.status),
      date: fmtDateTime(x.statusChangedAt),
    });
    if (!x.saved) line += ` (${t("applications:unsaved")})`;
    lines.push(line);
    kb.text(t("applications:open_version", { version: x.versionNo }), cb(V.view, [x.id])).row();
  }
  kb.text(t("applications:back_to_list"), cb(V.list, [0]));
  return { text: lines.join("\n"), keyboard: kb };
}

// «Мои электронные лицензии» screens: «Все лицензии», «Запросы по лицензиям», a licence with its appendices, the
// results of «Получить лицензии». Registry values in the reader's language (app.licences.value). Pure.
import { InlineKeyboard } from "grammy";
import type { Names } from "../../../app/classifiers.ts";
import type { FetchResult, LicenceScreen } from "../../../app/index.ts";
import type { RegistryField } from "../../../domain/registryValues.ts";
import type { LicenceDetail, LicenceRequestRow } from "../../../app/index.ts";
import { cb } from "../../kit/callbacks.ts";
import { fmtDate, fmtDateTime } from "../../kit/format.ts";
import { escapeHtml } from "../../kit/html.ts";
import type { Lang, Translate } from "../../kit/i18n.ts";
import type { Screen } from "../../kit/ui.ts";
import { MENU } from "../menu/verbs.ts";
import { V } from "./verbs.ts";

export interface View {
  t: Translate;
  lang: Lang;
  names: Names;
  /** A registry value in the reader's language. */
  value: (field: RegistryField, value: string) => string;
}

const statusOf = (t: Translate, s: string) => t(`licences:request_status.${s}`, { defaultValue: s });

function scopeLine(v: View, s: LicenceScreen): string {
  return s.org.linkedBins.length
    ? v.t("licences:get_scope", { bin: s.org.bin, linked: s.org.linkedBins.join(", ") })
    : v.t("licences:get_scope_own", { bin: s.org.bin });
}

/** «Все лицензии»: what passes the display filter, how many did not, the latest request, «Получить лицензии». */
export function allScreen(v: View, s: LicenceScreen): Screen {
  const { t } = v;
  const lines = [t("licences:title")];
  lines.push(s.shown.length ? t("licences:all_title", { count: s.shown.length }) : t("licences:none"));
  if (s.hidden) lines.push(t("licences:hidden", { count: s.hidden }));
  lines.push(
    s.latest
      ? t("licences:last_request", {
          bin: s.latest.bin,
          status: statusOf(t, s.latest.status),
          date: fmtDateTime(s.latest.requestedAt),
        })
      : t("licences:no_requests"),
  );
  lines.push(scopeLine(v, s), t("licences:m5"));
  const kb = new InlineKeyboard();
  for (const l of s.shown.slice(0, 40))
    kb.text(t("licences:item_button", { number: l.number, code: l.activityCode }), cb(V.view, [l.id])).row();
  kb.text(t("licences:get"), cb(V.get)).row();
  kb.text(t("licences:tab_requests"), cb(V.requests)).row();
  kb.text(t("common:menu.back"), cb(MENU.menu));
  return { text: lines.join("\n\n"), keyboard: kb };
}

/** «Запросы по лицензиям»: every recent request with its status and dates. */
export function requestsScreen(v: View, requests: readonly LicenceRequestRow[]): Screen {
  const { t } = v;
  const lines = [t("licences:requests_title")];
  if (!requests.length) lines.push(t("licences:requests_empty"));
  requests.forEach((r, i) => {
    const parts = [
      t("licences:request_item", {
        n: i + 1,
        bin: r.bin,
        status: statusOf(t, r.status),
        requested: fmtDateTime(r.requestedAt),
      }),
    ];
    if (r.completedAt) parts.push(t("licences:request_completed", { completed: fmtDateTime(r.completedAt) }));
    if (r.requestedByName) parts.push(t("licences:request_by", { who: escapeHtml(r.requestedByName) }));
    lines.push(parts.join("\n"));
  });
  const kb = new InlineKeyboard()
    .text(t("licences:get"), cb(V.get))
    .row()
    .text(t("licences:tab_all"), cb(V.list))
    .row()
    .text(t("common:menu.back"), cb(MENU.menu));
  return { text: lines.join("\n\n"), keyboard: kb };
}

/** What «Получить лицензии» came to, per BIN (counts as «Все лицензии» will show them); retry buttons on failure. */
export function resultsScreen(v: View, results: readonly FetchResult[]): Screen {
  const { t } = v;
  const kb = new InlineKeyboard();
  const lines = results.map((r) =>
    r.ok
      ? t("licences:result_processed", {
          bin: r.bin,
          status: statusOf(t, r.status),
          count: r.received,
          shown: r.shown,
        })
      : t("licences:result_failed", { bin: r.bin, status: statusOf(t, r.status) }),
  );
  for (const r of results.filter((x) => !x.ok))
    kb.text(`${t("licences:retry")} (${r.bin})`, cb(V.get, [r.bin])).row();
  return { text: lines.join("\n"), keyboard: kb };
}

/** One licence (SPEC §2, seed «Просмотреть») with its appendices and their downloads. */
export function licenceScreen(v: View, l: LicenceDetail): Screen {
  const { t, names } = v;
  const code = (c: string) => {
    const n = names.licenceCode(c);
    return n && n !== c ? `${c} – ${n}` : c;
  };
  const lines = [
    t("licences:view", {
      number: escapeHtml(l.number),
      activity: escapeHtml(code(l.activityCode)),
      issued: fmtDate(new Date(l.issueDate)),
      licensor: escapeHtml(v.value("licensor", l.licensor) || "—"),
      holder: l.holderBin,
      category: escapeHtml(v.value("category", l.category)),
      type: escapeHtml(v.value("type", l.type)),
      status: escapeHtml(v.value("status", l.status)),
      fetched: fmtDateTime(new Date(l.fetchedAt)),
    }),
  ];
  lines.push(l.appendices.length ? t("licences:appendices") : t("licences:no_appendices"));
  const kb = new InlineKeyboard();
  for (const a of l.appendices) {
    lines.push(
      t("licences:appendix", {
        number: escapeHtml(a.number),
        subtypes: escapeHtml(a.licenceSubtypes.map(code).join("; ") || "—"),
        care: escapeHtml(a.careSubtypes.map((c) => names.subtype(c)).join("; ") || "—"),
        addresses: escapeHtml(a.addresses.map((x, i) => `${i + 1}) ${x}`).join("\n") || "—"),
      }),
    );
    kb.text(t("licences:download", { number: a.number.slice(0, 20) }), cb(V.appendix, [a.id])).row();
  }
  lines.push(t("licences:m5"));
  kb.text(t("licences:back"), cb(V.list)).row();
  return { text: lines.join("\n\n"), keyboard: kb };
}

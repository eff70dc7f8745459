// The head's screens: the queue, the card (the whole application, the buttons of the allowed actions), M4, the
// confirmation with the documents' SHA-256. Pure: data in, Screen out.
import { InlineKeyboard } from "grammy";
import type { HeadView, M4Notice } from "../../../app/index.ts";
import type { Names } from "../../../app/classifiers.ts";
import type { AppSnapshot } from "../../../domain/contracts.ts";
import { cb } from "../../kit/callbacks.ts";
import { fmtDateTime, nameIn } from "../../kit/format.ts";
import { escapeHtml } from "../../kit/html.ts";
import type { Lang, Translate } from "../../kit/i18n.ts";
import type { Screen } from "../../kit/ui.ts";
import { actionRows, HEAD_ACTION_BUTTONS } from "../../views/actions.ts";
import { contentLines } from "../../views/content.ts";
import { errorText } from "../../views/labels.ts";
import { MENU } from "../menu/verbs.ts";
import { V } from "./verbs.ts";
import type { Deadline } from "../../../app/dashboard.ts";
import { deadlineLines } from "../../views/deadline.ts";

export interface View {
  t: Translate;
  lang: Lang;
  names: Names;
}

export interface QueueItem {
  id: string;
  version: number;
  statusChangedAt: Date;
  orgNameKk: string;
  orgNameRu: string;
  regionNameKk: string | null;
  regionNameRu: string | null;
}

export function queueScreen(v: View, items: readonly QueueItem[]): Screen {
  const { t } = v;
  const kb = new InlineKeyboard();
  if (!items.length)
    return { text: t("head:queue_empty"), keyboard: kb.text(t("common:menu.back"), cb(MENU.menu)) };
  const lines = [t("head:queue_title", { count: items.length })];
  items.forEach((a, i) => {
    const region = a.regionNameRu ? nameIn(v.lang, { nameKk: a.regionNameKk, nameRu: a.regionNameRu }) : "—";
    lines.push(
      t("head:queue_item", {
        n: i + 1,
        org: escapeHtml(nameIn(v.lang, { nameKk: a.orgNameKk, nameRu: a.orgNameRu })),
        region: escapeHtml(region),
        date: fmtDateTime(a.statusChangedAt),
      }),
    );
    kb.text(t("head:open_n", { n: i + 1 }), cb(V.open, [a.id], a.version)).row();
  });
  kb.text(t("common:menu.back"), cb(MENU.menu));
  return { text: lines.join("\n\n"), keyboard: kb };
}

/** The whole application with the buttons of what this signer may do now. */
export function cardScreen(
  v: View,
  view: HeadView,
  opts: { header?: string; snapshot?: AppSnapshot; deadline?: Deadline | null } = {},
): Screen {
  const { t } = v;
  const app = opts.snapshot ?? view.facts.snapshot;
  const lines = [
    ...(opts.header ? [`<b>${opts.header}</b>`] : []),
    ...deadlineLines(t, opts.deadline, { mark: true }),
    ...contentLines(v, view.card, app.status),
  ];
  if (!opts.snapshot && view.sendBlockedBy.length)
    lines.push("", t("head:send_blocked", { reason: errorText(t, view.sendBlockedBy[0]) }));
  const rows = opts.snapshot
    ? []
    : actionRows(t, { id: app.id, version: app.version }, view.actions, HEAD_ACTION_BUTTONS);
  if (view.card.formFileId)
    rows.push([{ text: t("head:form_button"), callback_data: cb(V.form, [app.id], app.version) }]);
  rows.push([{ text: t("head:back_to_queue"), callback_data: cb(V.queue) }]);
  return { text: lines.join("\n"), keyboard: { inline_keyboard: rows } };
}

/** M4 (SPEC §3.6, DECISIONS 2): the subtype, the activity type and the licence subtype, then «ОК». */
export function m4Screen(
  v: View,
  notices: readonly M4Notice[],
  app: { id: string; version: number },
): Screen {
  const { t, names } = v;
  const label = (code: string) => {
    const name = names.licenceCode(code);
    return name && name !== code ? `${code} - ${name}` : code;
  };
  const lines = notices.map((n) =>
    t("head:m4", {
      subtype: escapeHtml(names.subtype(n.subtype)),
      activity: escapeHtml(label(n.activityCode)),
      licence: escapeHtml(label(n.licenceCode)),
    }),
  );
  lines.push(t("head:m4_note"));
  const kb = new InlineKeyboard()
    .text(t("head:ok_button"), cb(V.ok, [app.id], app.version))
    .text(t("head:cancel_button"), cb(V.cancel, [app.id]));
  return { text: lines.join("\n\n"), keyboard: kb };
}

/** The explicit confirmation step of the Signer: the documents' SHA-256, the method, the confirm button. */
export function confirmScreen(
  v: View,
  a: {
    id: string;
    version: number;
    form: string;
    consent: string | null;
    method: string;
    qualified: boolean;
  },
): Screen {
  const { t } = v;
  const text = [
    a.consent
      ? t("head:confirm", { form: a.form, consent: a.consent, method: escapeHtml(a.method) })
      : t("head:confirm_form_only", { form: a.form, method: escapeHtml(a.method) }),
    a.qualified ? null : t("head:not_qualified"),
  ]
    .filter(Boolean)
    .join("\n\n");
  const kb = new InlineKeyboard()
    .text(t("head:confirm_button"), cb(V.confirm, [a.id], a.version))
    .row()
    .text(t("head:cancel_button"), cb(V.cancel, [a.id]));
  return { text, keyboard: kb };
}

/** T6 alone: the consent's SHA-256, the method, the confirm button. */
export function consentScreen(
  v: View,
  a: { id: string; version: number; consent: string; method: string; qualified: boolean },
): Screen {
  const { t } = v;
  const text = [
    t("head:confirm_consent", { consent: a.consent, method: escapeHtml(a.method) }),
    a.qualified ? null : t("head:not_qualified"),
  ]
    .filter(Boolean)
    .join("\n\n");
  const kb = new InlineKeyboard()
    .text(t("head:confirm_consent_button"), cb(V.consentOk, [a.id], a.version))
    .row()
    .text(t("head:cancel_button"), cb(V.cancel, [a.id]));
  return { text, keyboard: kb };
}

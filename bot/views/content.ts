// «Вся информация по заявке» (seed 000 §4.1, issue 11): the whole application read-only, in the reader's language:
// section A (the subject), B (the legal address), C (the production bases), D (licences and documents), the
// signatures and the head's reason; the history collapsed. Pure: data in, HTML lines out (the head's card and the
// supplier's «Просмотр» use it; the caller pages it to Telegram's limits with splitHtml).
import { applicationNumber } from "../../app/head.ts";
import { registryValue } from "../../domain/registryValues.ts";
import type { CardData } from "../../app/index.ts";
import { fmtDate, fmtDateTime, fmtSize, nameIn } from "../kit/format.ts";
import { escapeHtml } from "../kit/html.ts";
import type { CardView } from "./card.ts";
import { historyLines } from "./card.ts";
import { statusLabel } from "./labels.ts";

const dash = "—";
const or = (s: string | null | undefined) => (s?.trim() ? escapeHtml(s) : dash);

/** The header: number, version, status, author and dates. */
export function headerLines(v: CardView, card: CardData, status: string = card.status): string[] {
  const { t } = v;
  const lines = [
    `<b>${t("content:title", { number: applicationNumber(card.chainId), version: card.versionNo })}</b>`,
    t("content:status", { value: statusLabel(t, status) }),
  ];
  if (!card.savedAt) lines.push(t("content:unsaved"));
  lines.push(t("content:author", { value: or(card.authorName) }));
  lines.push(t("content:created", { value: fmtDateTime(card.createdAt) }));
  if (card.submittedAt) lines.push(t("content:submitted", { value: fmtDateTime(card.submittedAt) }));
  return lines;
}

/** The head's rejection reason (T7), kept on the draft until it is sent again (shown on the draft's card). */
export function headReasonLines(v: CardView, card: CardData): string[] {
  return card.headRejectReason
    ? [v.t("content:head_reason", { reason: escapeHtml(card.headRejectReason) })]
    : [];
}

/** Section A: the subject of health care. */
export function sectionA(v: CardView, card: CardData): string[] {
  const { t, names } = v;
  const list = (codes: readonly string[]) =>
    codes.length ? codes.map((c) => escapeHtml(names.subtype(c))).join("; ") : dash;
  const roles = [
    card.asSupplier ? t("content:role.supplier") : null,
    card.asCoExecutor ? t("content:role.co_executor") : null,
  ]
    .filter(Boolean)
    .join(", ");
  const lines = [
    `<b>${t("content:section.a")}</b>`,
    t("content:field.name_kk", { value: or(card.org.nameKk) }),
    t("content:field.name_ru", { value: or(card.org.nameRu) }),
    t("content:field.bin", { value: escapeHtml(card.org.bin) }),
    t("content:field.ownership", {
      value: or(names.ownershipForm(card.ownershipFormCode ?? card.org.ownershipFormCode)),
    }),
    t("content:field.subject_status", { value: roles || dash }),
  ];
  if (card.asSupplier)
    lines.push(t("content:field.subtypes_supplier", { value: list(card.supplierSubtypes) }));
  if (card.asCoExecutor) lines.push(t("content:field.subtypes_co", { value: list(card.coExecutorSubtypes) }));
  lines.push(
    t("content:field.region", { value: card.region ? escapeHtml(nameIn(v.lang, card.region)) : dash }),
  );
  if (card.hasPharmacy !== null)
    lines.push(t("content:field.pharmacy", { value: t(card.hasPharmacy ? "content:yes" : "content:no") }));
  return lines;
}

/** Section B: the legal address and contacts (read-only, from the registration data). */
export function sectionB(v: CardView, card: CardData): string[] {
  const { t } = v;
  const o = card.org;
  const kato = card.legalKato
    ? nameIn(v.lang, { nameKk: card.legalKato.nameKk, nameRu: card.legalKato.nameRu })
    : o.legalKato;
  return [
    `<b>${t("content:section.b")}</b>`,
    t("content:field.kato", { value: or(kato) }),
    t("content:field.postcode", { value: or(o.legalPostcode) }),
    t("content:field.street", { value: or(o.legalStreet) }),
    t("content:field.house", { value: or(o.legalHouse) }),
    t("content:field.office", { value: or(o.legalOffice) }),
    t("content:field.phone", { value: or(o.phone) }),
    t("content:field.email", { value: or(o.email) }),
  ];
}

/** Section C: every production base; `katoText` names a base's KATO object (default: its own name). */
export function sectionC(
  v: CardView,
  card: CardData,
  katoText?: (b: CardData["bases"][number]) => string | null,
): string[] {
  const { t, names, lang } = v;
  const lines = [`<b>${t("content:section.c", { count: card.bases.length })}</b>`];
  if (!card.bases.length) lines.push(t("content:none"));
  for (const [i, b] of card.bases.entries()) {
    const kato = katoText ? katoText(b) : lang === "kk" ? (b.katoNameKk ?? b.katoNameRu) : b.katoNameRu;
    const ses = b.sesFileId ? card.sesFiles.find((f) => f.id === b.sesFileId) : undefined;
    lines.push(`${i + 1}. ${or(b.address)}`);
    lines.push(
      t("content:field.coords", {
        value: b.latitude !== null && b.longitude !== null ? `${b.latitude}, ${b.longitude}` : dash,
      }),
    );
    lines.push(t("content:field.base_kato", { value: or(kato) }));
    lines.push(
      t("content:field.ses", {
        value: ses ? escapeHtml(ses.fileName) : b.sesFileId ? t("content:attached") : dash,
      }),
    );
    lines.push(
      t("content:field.base_subtypes", {
        value: b.subtypes.length ? b.subtypes.map((c) => escapeHtml(names.subtype(c))).join("; ") : dash,
      }),
    );
  }
  return lines;
}

/** Section D: the licences (D1) and the documents (D2–D4, the generated form). */
export function sectionD(v: CardView, card: CardData): string[] {
  const { t, names, lang } = v;
  const lines = [`<b>${t("content:section.licences", { count: card.licences.length })}</b>`];
  if (!card.licences.length) lines.push(t("content:none"));
  for (const l of card.licences)
    lines.push(
      t("content:licence", {
        number: escapeHtml(l.number),
        activity: escapeHtml(`${l.activityCode} – ${names.licenceCode(l.activityCode)}`),
        issued: fmtDate(l.issueDate),
        status: escapeHtml(registryValue("status", l.status, lang).text),
      }),
    );
  lines.push(`<b>${t("content:section.documents")}</b>`);
  if (!card.documents.length) lines.push(t("content:none"));
  for (const d of card.documents)
    lines.push(
      t("content:document", {
        kind: t(`notify:doc.${d.kind}`, { defaultValue: d.kind }),
        name: or(d.fileName),
        size: d.size !== null ? fmtSize(d.size, lang) : dash,
      }),
    );
  return lines;
}

/** Who signed what, when, how, over which SHA-256. */
export function signatureLines(v: CardView, card: CardData): string[] {
  const { t } = v;
  if (!card.signatures.length) return [];
  return [
    `<b>${t("content:section.signatures")}</b>`,
    ...card.signatures.map((s) =>
      t("content:signature", {
        document: t(`content:signed.${s.document}`),
        who: or(s.signerName),
        at: fmtDateTime(s.signedAt),
        method: escapeHtml(t(`head:sign_method.${s.method}`, { defaultValue: s.method })),
        sha256: s.sha256,
      }),
    ),
  ];
}

/** The whole application: header, head's reason, A, B, C, D, signatures (history apart). */
export function contentLines(v: CardView, card: CardData, status?: string): string[] {
  return [
    ...headerLines(v, card, status),
    ...headReasonLines(v, card),
    "",
    ...sectionA(v, card),
    "",
    ...sectionB(v, card),
    "",
    ...sectionC(v, card),
    "",
    ...sectionD(v, card),
    ...(card.signatures.length ? ["", ...signatureLines(v, card)] : []),
  ];
}

/** The history, consecutive edits by one person collapsed into one line. */
export function historySection(v: CardView, card: CardData): string[] {
  const h = historyLines(v, card.history);
  return [`<b>${v.t("content:section.history")}</b>`, ...(h.length ? h : [v.t("content:none")])];
}

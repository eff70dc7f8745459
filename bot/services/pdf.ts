// Generated documents (SPEC §3.8): «Заявка о включении» and «Согласие о внесении данных и их актуализации
// в информационных системах МЗ РК», in kk or ru. PDFKit with DejaVu fonts (Cyrillic + the 9 Kazakh letters).
// The output is deterministic for the same data (fixed creation date), so the SHA-256 shown to the head
// is the hash of exactly the bytes they receive and sign.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import PDFDocument from "pdfkit";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { type Lang, translator } from "../i18n.ts";

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
export const FONT_REGULAR = join(FONT_DIR, "DejaVuSans.ttf");
export const FONT_BOLD = join(FONT_DIR, "DejaVuSans-Bold.ttf");

export interface GeneratedPdf {
  bytes: Buffer;
  sha256: string;
  fileName: string;
  mimeType: "application/pdf";
}

export const sha256Hex = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/** What both documents show about the application. */
export interface ApplicationDocData {
  applicationId: string;
  versionNo: number;
  /** The state of the data the document is made of (the application's optimistic-lock version). */
  version: number;
  org: {
    bin: string;
    nameKk: string;
    nameRu: string;
    legalAddress: string;
    phone: string | null;
    email: string | null;
  };
  ownershipForm: string | null;
  asSupplier: boolean;
  asCoExecutor: boolean;
  supplierSubtypes: string[];
  coExecutorSubtypes: string[];
  region: string | null;
  hasPharmacy: boolean | null;
  bases: {
    address: string;
    latitude: number | null;
    longitude: number | null;
    kato: string | null;
    subtypes: string[];
  }[];
  licences: { number: string; activityCode: string; issueDate: Date }[];
  headName: string | null;
  /** Date printed on the document and used as the PDF creation date (keeps the bytes stable). */
  date: Date;
}

/** Load everything the documents need, names in the requested language. */
export async function loadApplicationDocData(
  prisma: PrismaClient,
  applicationId: string,
  lang: Lang,
  headUserId?: string,
): Promise<ApplicationDocData | null> {
  const app = await prisma.application.findUnique({
    where: { id: applicationId },
    include: {
      org: true,
      region: true,
      bases: { orderBy: { position: "asc" } },
      licences: { include: { licence: true } },
    },
  });
  if (!app) return null;
  const codes = [
    ...new Set([...app.supplierSubtypes, ...app.coExecutorSubtypes, ...app.bases.flatMap((b) => b.subtypes)]),
  ];
  const [subtypes, form, head] = await Promise.all([
    prisma.careSubtype.findMany({ where: { code: { in: codes } } }),
    app.ownershipFormCode
      ? prisma.ownershipForm.findUnique({ where: { code: app.ownershipFormCode } })
      : null,
    headUserId ? prisma.user.findUnique({ where: { id: headUserId }, select: { fullName: true } }) : null,
  ]);
  const name = (x: { nameKk: string; nameRu: string }) => (lang === "kk" ? x.nameKk : x.nameRu);
  const sub = new Map(subtypes.map((s) => [s.code, name(s)]));
  const subName = (c: string) => sub.get(c) ?? c;
  const o = app.org;
  return {
    applicationId: app.id,
    versionNo: app.versionNo,
    version: app.version,
    org: {
      bin: o.bin,
      nameKk: o.nameKk,
      nameRu: o.nameRu,
      legalAddress: [o.legalPostcode, o.legalKato, o.legalStreet, o.legalHouse, o.legalOffice]
        .filter(Boolean)
        .join(", "),
      phone: o.phone,
      email: o.email,
    },
    ownershipForm: form ? name(form) : null,
    asSupplier: app.asSupplier,
    asCoExecutor: app.asCoExecutor,
    supplierSubtypes: app.supplierSubtypes.map(subName),
    coExecutorSubtypes: app.coExecutorSubtypes.map(subName),
    region: app.region ? name(app.region) : null,
    hasPharmacy: app.hasPharmacy,
    bases: app.bases.map((b) => ({
      address: b.address,
      latitude: b.latitude,
      longitude: b.longitude,
      kato: b.katoCode,
      subtypes: b.subtypes.map(subName),
    })),
    licences: app.licences.map((l) => ({
      number: l.licence.number,
      activityCode: l.licence.activityCode,
      issueDate: l.licence.issueDate,
    })),
    headName: head?.fullName ?? null,
    date: app.statusChangedAt,
  };
}

const fmtDate = (d: Date) => {
  const k = new Date(d.getTime() + 5 * 3600_000); // Kazakhstan time, UTC+5
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(k.getUTCDate())}.${p(k.getUTCMonth() + 1)}.${k.getUTCFullYear()}`;
};

function render(title: string, date: Date, body: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: "A4",
      margin: 56,
      info: { Title: title, Producer: "fsms-register-bot", Creator: "fsms-register-bot", CreationDate: date },
    });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.registerFont("regular", FONT_REGULAR);
    doc.registerFont("bold", FONT_BOLD);
    doc.font("bold").fontSize(14).text(title, { align: "center" });
    doc.moveDown();
    doc.font("regular").fontSize(10.5);
    body(doc);
    doc.end();
  });
}

const finish = async (bytes: Promise<Buffer>, fileName: string): Promise<GeneratedPdf> => {
  const b = await bytes;
  return { bytes: b, sha256: sha256Hex(b), fileName, mimeType: "application/pdf" };
};

function field(doc: PDFKit.PDFDocument, label: string, value: string) {
  doc
    .font("bold")
    .text(`${label}: `, { continued: true })
    .font("regular")
    .text(value || "—");
}

/** «Заявка о включении» (T4), the application in the prescribed form. */
export function renderApplicationForm(d: ApplicationDocData, lang: Lang): Promise<GeneratedPdf> {
  const t = translator(lang);
  const yes = t("common:docs.yes");
  const no = t("common:docs.no");
  const title = t("common:docs.form_title");
  const bytes = render(title, d.date, (doc) => {
    doc.text(t("common:docs.form_intro"));
    doc.moveDown(0.5);
    doc.font("bold").text(t("common:docs.section_subject")).font("regular");
    field(doc, t("common:docs.name_kk"), d.org.nameKk);
    field(doc, t("common:docs.name_ru"), d.org.nameRu);
    field(doc, t("common:docs.bin"), d.org.bin);
    field(doc, t("common:docs.ownership"), d.ownershipForm ?? "");
    const roles = [
      d.asSupplier ? t("common:docs.role_supplier") : null,
      d.asCoExecutor ? t("common:docs.role_coexec") : null,
    ];
    field(doc, t("common:docs.subject_status"), roles.filter(Boolean).join(", "));
    field(doc, t("common:docs.subtypes_supplier"), d.supplierSubtypes.join("; "));
    field(doc, t("common:docs.subtypes_coexec"), d.coExecutorSubtypes.join("; "));
    field(doc, t("common:docs.region"), d.region ?? "");
    if (d.hasPharmacy !== null) field(doc, t("common:docs.pharmacy"), d.hasPharmacy ? yes : no);
    doc.moveDown(0.5);
    doc.font("bold").text(t("common:docs.section_legal")).font("regular");
    field(doc, t("common:docs.legal_address"), d.org.legalAddress);
    field(doc, t("common:docs.phone"), d.org.phone ?? "");
    field(doc, t("common:docs.email"), d.org.email ?? "");
    doc.moveDown(0.5);
    doc.font("bold").text(t("common:docs.section_bases")).font("regular");
    d.bases.forEach((b, i) => {
      doc.text(`${i + 1}. ${b.address}`);
      const coords = b.latitude !== null && b.longitude !== null ? `${b.latitude}, ${b.longitude}` : "—";
      doc.text(`   ${t("common:docs.coords")}: ${coords}; ${t("common:docs.kato")}: ${b.kato ?? "—"}`);
      doc.text(`   ${t("common:docs.subtypes")}: ${b.subtypes.join("; ") || "—"}`);
    });
    doc.moveDown(0.5);
    doc.font("bold").text(t("common:docs.section_licences")).font("regular");
    for (const l of d.licences) doc.text(`№ ${l.number} (${l.activityCode}), ${fmtDate(l.issueDate)}`);
    if (!d.licences.length) doc.text("—");
    doc.moveDown();
    field(doc, t("common:docs.version"), String(d.versionNo));
    field(doc, t("common:docs.date"), fmtDate(d.date));
  });
  return finish(bytes, `${t("common:docs.form_file")}-${d.org.bin}-v${d.versionNo}.pdf`);
}

/** D4: «Согласие о внесении данных и их актуализации в информационных системах МЗ РК», signed by the head. */
export function renderConsent(d: ApplicationDocData, lang: Lang): Promise<GeneratedPdf> {
  const t = translator(lang);
  const title = t("common:docs.consent_title");
  const orgName = lang === "kk" ? d.org.nameKk : d.org.nameRu;
  const bytes = render(title, d.date, (doc) => {
    field(doc, t("common:docs.org"), orgName);
    field(doc, t("common:docs.bin"), d.org.bin);
    field(doc, t("common:docs.region"), d.region ?? "");
    field(
      doc,
      t("common:docs.application"),
      `${d.applicationId} (${t("common:docs.version")} ${d.versionNo})`,
    );
    doc.moveDown();
    doc.text(t("common:docs.consent_body", { org: orgName, bin: d.org.bin }), { align: "justify" });
    doc.moveDown();
    field(doc, t("common:docs.head"), d.headName ?? "");
    field(doc, t("common:docs.date"), fmtDate(d.date));
  });
  return finish(bytes, `${t("common:docs.consent_file")}-${d.org.bin}-v${d.versionNo}.pdf`);
}

/** A licence appendix as a PDF (when the registry gave no file of its own). */
export function renderAppendix(
  a: {
    licenceNumber: string;
    activityCode: string;
    number: string;
    licenceSubtypes: string[];
    careSubtypes: string[];
    addresses: string[];
    fetchedAt: Date;
  },
  lang: Lang,
): Promise<GeneratedPdf> {
  const t = translator(lang);
  const title = t("common:docs.appendix_title", { number: a.number, licence: a.licenceNumber });
  const bytes = render(title, a.fetchedAt, (doc) => {
    field(doc, t("common:docs.activity"), a.activityCode);
    field(doc, t("common:docs.licence_subtypes"), a.licenceSubtypes.join(", "));
    field(doc, t("common:docs.subtypes"), a.careSubtypes.join("; "));
    doc.moveDown(0.5);
    doc.font("bold").text(t("common:docs.section_bases")).font("regular");
    a.addresses.forEach((x, i) => {
      doc.text(`${i + 1}. ${x}`);
    });
    doc.moveDown();
    doc.fontSize(9).text(t("common:docs.appendix_source", { date: fmtDate(a.fetchedAt) }));
  });
  const safe = `${a.licenceNumber}-${a.number}`.replace(/[^\p{L}\p{N}._-]+/gu, "_");
  return finish(bytes, `${t("common:docs.appendix_file")}-${safe}.pdf`);
}

// One layout for every generated document. A document is a list of blocks; the same blocks give the PDF
// (pdfkit, DejaVu Sans: Cyrillic with the nine Kazakh letters) and its plain-text twin, so the chat can show
// exactly the lines the PDF shows. The bytes are deterministic: pdfkit's creation date and file ID come from
// the document's own date (the ID is an MD5 of the info dictionary), nothing random or clock-based goes in,
// so the same data gives the same bytes and the SHA-256 a person signs is the hash of what they received.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import PDFDocument from "pdfkit";
import type { DocLang, RenderedDocument } from "./types.ts";

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
export const FONT_REGULAR = join(FONT_DIR, "DejaVuSans.ttf");
export const FONT_BOLD = join(FONT_DIR, "DejaVuSans-Bold.ttf");

export type Block =
  /** The document's title, centred, bold. */
  | { kind: "title"; text: string }
  /** A section heading. */
  | { kind: "heading"; text: string }
  /** «Label: value»; `indent` for the lines under an item (a base, a licence). */
  | { kind: "field"; label: string; value: string; indent?: boolean }
  /** A paragraph, justified. */
  | { kind: "para"; text: string }
  /** A list line (a numbered ground, an address). */
  | { kind: "item"; text: string; bold?: boolean }
  /** Small print (the source of the data). */
  | { kind: "small"; text: string }
  /** Vertical space (an empty line in the text twin). */
  | { kind: "gap" };

export interface DocModel {
  lang: DocLang;
  /** The PDF's title (its info dictionary) and the first block. */
  title: string;
  /** Short name in the footer of every page, with «page / pages». */
  footer: (page: number, pages: number) => string;
  /** Creation and modification date of the PDF. */
  date: Date;
  blocks: Block[];
}

export const sha256Hex = (b: Buffer | string): string => createHash("sha256").update(b).digest("hex");

const MARGIN = 56;
const INDENT = 16;
const BODY_SIZE = 10.5;

/** The text twin: one line per block, as the PDF prints it (a gap is an empty line). */
export function modelLines(m: DocModel): string[] {
  const lines: string[] = [];
  for (const b of m.blocks) {
    switch (b.kind) {
      case "gap":
        if (lines.length && lines[lines.length - 1] !== "") lines.push("");
        break;
      case "field":
        lines.push(`${b.label}: ${b.value}`);
        break;
      default:
        lines.push(b.text);
    }
  }
  while (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function drawBlock(doc: PDFKit.PDFDocument, b: Block): void {
  const left = doc.page.margins.left;
  switch (b.kind) {
    case "title":
      doc.font("bold").fontSize(13).text(b.text, left, undefined, { align: "center" });
      doc.moveDown(0.6);
      doc.font("regular").fontSize(BODY_SIZE);
      return;
    case "heading":
      doc.moveDown(0.3);
      doc.font("bold").fontSize(11).text(b.text, left);
      doc.moveDown(0.15);
      doc.font("regular").fontSize(BODY_SIZE);
      return;
    case "field":
      doc
        .font("bold")
        .fontSize(BODY_SIZE)
        .text(`${b.label}: `, b.indent ? left + INDENT : left, undefined, { continued: true })
        .font("regular")
        .text(b.value);
      return;
    case "para":
      doc.font("regular").fontSize(BODY_SIZE).text(b.text, left, undefined, { align: "justify" });
      doc.moveDown(0.3);
      return;
    case "item":
      doc
        .font(b.bold ? "bold" : "regular")
        .fontSize(BODY_SIZE)
        .text(b.text, left + (b.bold ? 0 : INDENT));
      return;
    case "small":
      doc.moveDown(0.3);
      doc.font("regular").fontSize(8.5).text(b.text, left);
      doc.fontSize(BODY_SIZE);
      return;
    case "gap":
      doc.moveDown(0.5);
      return;
  }
}

/** Draw the model as an A4 PDF. */
export function renderModel(m: DocModel): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: "A4",
      margin: MARGIN,
      bufferPages: true,
      pdfVersion: "1.7",
      lang: m.lang === "kk" ? "kk-KZ" : "ru-RU",
      displayTitle: true,
      info: {
        Title: m.title,
        Producer: "fsms-register-bot",
        Creator: "fsms-register-bot",
        CreationDate: m.date,
        ModDate: m.date,
      },
    });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.registerFont("regular", FONT_REGULAR);
    doc.registerFont("bold", FONT_BOLD);
    doc.font("regular").fontSize(BODY_SIZE);
    for (const b of m.blocks) drawBlock(doc, b);
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      // Below the bottom margin: lift the margin so pdfkit does not open a new page for the footer.
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc
        .font("regular")
        .fontSize(8)
        .fillColor("#555555")
        .text(m.footer(i - range.start + 1, range.count), MARGIN, doc.page.height - MARGIN / 2 - 8, {
          width: doc.page.width - 2 * MARGIN,
          align: "center",
          lineBreak: false,
        });
      doc.page.margins.bottom = bottom;
      doc.fillColor("black");
    }
    doc.end();
  });
}

/** Render and wrap: the bytes, their hash, the file name. */
export async function toDocument(m: DocModel, fileName: string): Promise<RenderedDocument> {
  const bytes = await renderModel(m);
  return { bytes, sha256: sha256Hex(bytes), fileName, mimeType: "application/pdf" };
}

// Read a PDF back as a reader would: pdf.js (an independent parser) extracts the text of every page through
// the fonts' ToUnicode maps, so the checks see the characters a viewer shows, not pdfkit's glyph ids.
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

export interface PdfRead {
  /** Text of each page, items joined, a line break where pdf.js sees one. */
  pages: string[];
  info: Record<string, unknown>;
}

export async function readPdf(bytes: Buffer): Promise<PdfRead> {
  const task = getDocument({
    data: new Uint8Array(bytes),
    disableFontFace: true,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  });
  const pdf = await task.promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= pdf.numPages; i++) {
      const page = await pdf.getPage(i);
      const content = await page.getTextContent();
      pages.push(content.items.map((it) => ("str" in it ? it.str + (it.hasEOL ? "\n" : "") : "")).join(""));
    }
    const meta = await pdf.getMetadata();
    return { pages, info: meta.info as Record<string, unknown> };
  } finally {
    await task.destroy();
  }
}

/** Whitespace-free form: line wrapping and spacing do not matter, every character does. */
export const squash = (s: string): string => s.replace(/\s+/g, "");

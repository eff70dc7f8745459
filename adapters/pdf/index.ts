// Generated documents as PDFs in the reader's language (issues 11 and 13; DECISIONS 26, 27). Pure rendering:
// plain data in (types.ts), `{ bytes, sha256, fileName, mimeType }` out; no database, no bot, no clock.
export { appendixText, renderAppendix } from "./appendix.ts";
export { consentText, renderConsent } from "./consent.ts";
export { applicationFormText, renderApplicationForm } from "./form.ts";
export { applicationNumber, formatDate, formatDateTime } from "./format.ts";
export { sha256Hex } from "./layout.ts";
export { type RenderedNotice, noticeHtml, noticeText, renderNotice } from "./notice.ts";
export type * from "./types.ts";

// What a person reads, in their language: dates and times in Astana time, file sizes, classifier names.
import { formatDate, formatDateTime, formatDayMonth, formatFileSize } from "../../domain/format.ts";
import type { Lang } from "./i18n.ts";

export { formatDate as fmtDate, formatDateTime as fmtDateTime, formatDayMonth as fmtDayMonth };

export const fmtSize = (bytes: number, lang: Lang): string => formatFileSize(bytes, lang);

/** The name of a classifier row (region, subtype, organisation…) in the reader's language. */
export const nameIn = (lang: Lang, o: { nameKk: string | null; nameRu: string }): string =>
  lang === "kk" && o.nameKk ? o.nameKk : o.nameRu;

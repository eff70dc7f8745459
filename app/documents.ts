// The generated documents (DECISIONS 26, 27): their data built from the stored application with every code
// resolved to its name in both languages, rendered by adapters/pdf in the reader's language, kept through the
// FileStore port. The hash a person signs is over these exact bytes.
import {
  applicationNumber,
  type NoticeData,
  type RenderedNotice,
  renderNotice,
} from "../adapters/pdf/index.ts";
import type { DocLang } from "../adapters/pdf/types.ts";
import type { CardData } from "../prisma/store/index.ts";
import type { ClassifierCache } from "./classifiers.ts";
import type { AppPorts } from "./ports.ts";

export function documentUseCases(ports: AppPorts, classifiers: ClassifierCache) {
  async function noticeData(card: CardData): Promise<NoticeData | null> {
    const n = card.notice;
    if (!n) return null;
    const c = await classifiers.get();
    const regions = await classifiers.bilingual("regions");
    const grounds = await classifiers.bilingual(n.kind === "EXCLUSION" ? "exclusionReasons" : "grounds");
    const branch = card.regionCode ? c.branches.find((b) => b.regionCode === card.regionCode) : undefined;
    return {
      kind: n.kind,
      application: { number: applicationNumber(card.chainId), versionNo: card.versionNo },
      org: { nameKk: card.org.nameKk, nameRu: card.org.nameRu, bin: card.org.bin },
      region: card.regionCode ? regions(card.regionCode) : null,
      branch: branch ? { kk: branch.nameKk, ru: branch.nameRu } : null,
      grounds: n.reasons.map(grounds),
      note: n.note,
      additionalGround: n.additionalGround,
      authorName: n.createdByName,
      date: n.createdAt,
    };
  }
  return {
    noticeData,
    /** The current notice of an application as a PDF in `lang` (null when there is none). */
    async notice(card: CardData, lang: DocLang): Promise<RenderedNotice | null> {
      const d = await noticeData(card);
      return d ? renderNotice(d, lang) : null;
    },
    /** Keep a rendered document (content-addressed): the stored file a signature or a decision refers to. */
    keep: (doc: { bytes: Buffer; fileName: string; mimeType: string }, uploadedById: string | null) =>
      ports.files.put(doc.bytes, { fileName: doc.fileName, mimeType: doc.mimeType, uploadedById }),
  };
}

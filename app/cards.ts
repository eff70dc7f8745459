// «Вся информация по заявке» for the people who decide (seed 000 §4.1, issue 11): the card as its reader may see it
// (Fund staff of the application's branch, or the organisation's signer), and the files behind it (the supplier's
// registration certificate, power of attorney, SES permits; the generated form and consent) read through the
// FileStore port, every missing or unreadable one named, never skipped in silence.
import type { CardData } from "../prisma/store/index.ts";
import type { HeadView } from "./head.ts";
import type { AppPorts } from "./ports.ts";
import type { StaffView } from "./staff.ts";

/** Who reads the card: a staff member (their actions are the Fund's) or the signer of the organisation. */
export type CardReader = { side: "staff"; view: StaffView } | { side: "head"; view: HeadView };

export type CardFileKind = "REGISTRATION" | "POWER_OF_ATTORNEY" | "SES" | "APPLICATION_FORM" | "CONSENT";

export interface CardFile {
  kind: CardFileKind;
  /** The production base's number (1-based) of an SES permit. */
  baseNo?: number;
  id: string;
  fileName: string;
  sha256: string;
  mimeType: string;
  /** The bytes (null when the store no longer has them, or they do not match the recorded hash). */
  bytes: Buffer | null;
  telegramFileId: string | null;
}

export interface CardFiles {
  /** What can be sent (by its Telegram file_id or its bytes). */
  files: CardFile[];
  /** What cannot: no record, or neither bytes nor a Telegram copy. */
  missing: { kind: CardFileKind; baseNo?: number; fileName: string | null }[];
}

const ORDER: CardFileKind[] = ["REGISTRATION", "POWER_OF_ATTORNEY", "SES", "APPLICATION_FORM", "CONSENT"];

export function cardUseCases(
  ports: AppPorts,
  readers: {
    staff: (id: string, userId: string) => Promise<StaffView | null>;
    head: (id: string, userId: string) => Promise<HeadView | null>;
  },
) {
  return {
    /** The card for this person: as staff of its branch, else as the organisation's signer; null otherwise. */
    async open(applicationId: string, userId: string): Promise<CardReader | null> {
      const s = await readers.staff(applicationId, userId);
      if (s) return { side: "staff", view: s };
      const h = await readers.head(applicationId, userId);
      return h ? { side: "head", view: h } : null;
    },

    /** The files of the card, in the order of the application (D2, D3, the SES permits, the form, the consent). */
    async files(card: CardData): Promise<CardFiles> {
      const wanted: { kind: CardFileKind; fileId: string; baseNo?: number; fileName: string | null }[] = [];
      const seen = new Set<string>();
      const latest = new Map<string, (typeof card.documents)[number]>();
      for (const d of card.documents) {
        if (d.kind === "CONSENT" || d.kind === "APPLICATION_FORM") {
          const prev = latest.get(d.kind);
          if (!prev || prev.createdAt <= d.createdAt) latest.set(d.kind, d);
        }
      }
      for (const d of card.documents) {
        if (d.kind !== "REGISTRATION" && d.kind !== "POWER_OF_ATTORNEY") continue;
        if (!seen.has(d.fileId)) wanted.push({ kind: d.kind, fileId: d.fileId, fileName: d.fileName });
        seen.add(d.fileId);
      }
      for (const [i, b] of card.bases.entries()) {
        if (!b.sesFileId) continue;
        const f = card.sesFiles.find((x) => x.id === b.sesFileId);
        wanted.push({ kind: "SES", fileId: b.sesFileId, baseNo: i + 1, fileName: f?.fileName ?? null });
      }
      for (const k of ["APPLICATION_FORM", "CONSENT"] as const) {
        const d = latest.get(k);
        if (d) wanted.push({ kind: k, fileId: d.fileId, fileName: d.fileName });
      }
      wanted.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
      const out: CardFiles = { files: [], missing: [] };
      for (const w of wanted) {
        const base = w.baseNo !== undefined ? { baseNo: w.baseNo } : {};
        const meta = await ports.files.meta(w.fileId);
        if (!meta) {
          out.missing.push({ kind: w.kind, ...base, fileName: w.fileName });
          continue;
        }
        const read = await ports.files.read(w.fileId);
        if (!read && !meta.telegramFileId) {
          out.missing.push({ kind: w.kind, ...base, fileName: meta.fileName });
          continue;
        }
        out.files.push({
          kind: w.kind,
          ...base,
          id: meta.id,
          fileName: meta.fileName,
          sha256: meta.sha256,
          mimeType: meta.mimeType,
          bytes: read?.bytes ?? null,
          telegramFileId: meta.telegramFileId,
        });
      }
      return out;
    },

    /**
     * The exclusion notice exactly as the approver signed it (DECISIONS 27): the stored PDF whose SHA-256 the
     * signature covers, with who signed it and when; null when the current notice has no signed copy.
     */
    async signedNotice(card: CardData) {
      const n = card.notice;
      if (n?.kind !== "EXCLUSION") return null;
      const sig = card.signatures
        .filter((g) => g.document === "EXCLUSION_NOTICE" && g.fileId && g.signedAt >= n.createdAt)
        .at(-1);
      if (!sig?.fileId) return null;
      const read = await ports.files.read(sig.fileId);
      if (!read || read.ref.sha256 !== sig.sha256) return { ok: false as const, signature: sig };
      return { ok: true as const, signature: sig, ref: read.ref, bytes: read.bytes };
    },

    /** Keep Telegram's file_id of a copy the bot sent (to send it again without uploading). */
    rememberTelegramId: (fileId: string, telegramFileId: string) =>
      ports.files.rememberTelegramId(fileId, telegramFileId),
  };
}

// Section D «Подтверждающие документы»: D1 licences (the fetched ones whose codes match a selected subtype:
// app/drafts.ts), D2 registration certificate (one or more files, mandatory; an album is one answer), D3 power of
// attorney (optional).
import type { InlineKeyboardButton } from "grammy/types";
import { fmtSize } from "../bot/kit/format.ts";
import { escapeHtml } from "../bot/kit/html.ts";
import type { SupplierDocumentKind } from "../domain/drafts.ts";
import {
  alert,
  btn,
  commit,
  docIds,
  draftOf,
  formatDate,
  t,
  type View,
  type Wizard,
  wcb,
} from "./wizard/core.ts";
import { fileAnswer, takeFile } from "./wizard/files.ts";
import type { ActionDef, StepDef } from "./wizard/flow.ts";
import type { Step } from "./wizard/progress.ts";

/** D1: the licences attached to the draft (fetched ≤ 24 h before, matching the chosen subtypes). */
export function licencesText(w: Wizard): string {
  const d = draftOf(w);
  if (!d.licences.length) return t(w, "d.d1_none");
  return d.licences
    .map((l) =>
      t(w, "d.d1_line", {
        number: escapeHtml(l.number),
        code: escapeHtml(w.names.licenceCode(l.activityCode)),
        date: formatDate(l.issueDate),
      }),
    )
    .join("\n");
}

function docsView(w: Wizard, kind: SupplierDocumentKind): View {
  const list = draftOf(w).documents.filter((x) => x.kind === kind);
  const lines = list.map((x, i) =>
    t(w, "d.file_line", {
      n: i + 1,
      name: escapeHtml(x.fileName ?? "?"),
      size: fmtSize(x.size ?? 0, w.ctx.lang),
    }),
  );
  const kb: InlineKeyboardButton[][] = list.map((x, i) => [
    btn(t(w, "btn.remove_file", { n: i + 1 }), wcb(w, "dx", x.fileId)),
  ]);
  kb.push([
    btn(
      t(w, kind === "REGISTRATION" ? "btn.next" : "btn.done_d3"),
      wcb(w, kind === "REGISTRATION" ? "d2" : "d3"),
    ),
  ]);
  const intro =
    kind === "REGISTRATION"
      ? `${t(w, "d.d1_title")}\n${licencesText(w)}\n\n${t(w, "d.d2_ask")}`
      : t(w, "d.d3_ask");
  return { text: `${intro}\n\n${lines.length ? lines.join("\n") : t(w, "d.no_files")}`, kb };
}

/** One more file of `kind` (D2, D3). */
export const takeDocument = (w: Wizard, kind: SupplierDocumentKind) =>
  takeFile(w, (x, file) => ({ patch: { documents: [{ kind, fileIds: [...docIds(x, kind), file.id] }] } }));

export const steps: Partial<Record<Step, StepDef>> = {
  D2: {
    render: (w) => docsView(w, "REGISTRATION"),
    input: async (w) => fileAnswer(w, await takeDocument(w, "REGISTRATION")),
  },
  D3: {
    render: (w) => docsView(w, "POWER_OF_ATTORNEY"),
    input: async (w) => fileAnswer(w, await takeDocument(w, "POWER_OF_ATTORNEY")),
  },
};

export const actions: Record<string, ActionDef> = {
  dx: {
    steps: ["D2", "D3"],
    async run(w, [fileId]) {
      const doc = draftOf(w).documents.find(
        (x) => x.fileId === fileId && (x.kind === "REGISTRATION" || x.kind === "POWER_OF_ATTORNEY"),
      );
      if (!doc) return "render";
      const kind = doc.kind as SupplierDocumentKind;
      const ok = await commit(w, {
        patch: { documents: [{ kind, fileIds: docIds(w, kind).filter((f) => f !== fileId) }] },
      });
      return ok ? "render" : "done";
    },
  },
  d2: {
    steps: ["D2"],
    async run(w) {
      if (!docIds(w, "REGISTRATION").length) {
        await alert(w.ctx, t(w, "d.d2_required"));
        return "done";
      }
      return (await commit(w, { progress: { step: "D3" } })) ? "render" : "done";
    },
  },
  d3: {
    steps: ["D3"],
    run: async (w) => ((await commit(w, { progress: { step: "SUM", sum: true } })) ? "render" : "done"),
  },
};

// Section D «Подтверждающие документы»: D1 licences (auto, shown), D2 registration certificate
// (one or more files, mandatory), D3 power of attorney (optional).
import type { InlineKeyboardButton } from "grammy/types";
import { escapeHtml } from "../bot/i18n.ts";
import { formatSize, receiveFile } from "../bot/services/files.ts";
import { fileError } from "./bases.ts";
import { alert, btn, commit, docIds, formatDate, t, type W, wcb } from "./wizard/core.ts";
import type { ActionDef, Outcome, StepDef } from "./wizard/flow.ts";
import type { Step } from "./wizard/progress.ts";

type Kind = "REGISTRATION" | "POWER_OF_ATTORNEY";

/** D1: the licences attached to the draft (fetched ≤ 24 h before it was created or changed). */
export function licencesText(w: W): string {
  if (!w.app.licences.length) return t(w, "d.d1_none");
  return w.app.licences
    .map((l) =>
      t(w, "d.d1_line", {
        number: escapeHtml(l.licence.number),
        code: escapeHtml(l.licence.activityCode),
        date: formatDate(l.licence.issueDate),
      }),
    )
    .join("\n");
}

async function filesOf(w: W, kind: Kind) {
  const docs = w.app.documents.filter((d) => d.kind === kind);
  const files = await w.ctx.deps.prisma.storedFile.findMany({
    where: { id: { in: docs.map((d) => d.fileId) } },
  });
  return docs.map((d, i) => ({ doc: d, i, file: files.find((f) => f.id === d.fileId) }));
}

async function docsView(w: W, kind: Kind) {
  const list = await filesOf(w, kind);
  const lines = list.map(({ i, file }) =>
    t(w, "d.file_line", {
      n: i + 1,
      name: escapeHtml(file?.fileName ?? "?"),
      size: formatSize(file?.size ?? 0),
    }),
  );
  const kb: InlineKeyboardButton[][] = list.map(({ doc, i }) => [
    btn(t(w, "btn.remove_file", { n: i + 1 }), wcb(w, "dx", doc.id)),
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
  const files = lines.length ? lines.join("\n") : t(w, "d.no_files");
  return { text: `${intro}\n\n${files}`, kb };
}

async function addFile(w: W, kind: Kind): Promise<Outcome> {
  const got = await receiveFile(w.ctx);
  if (!got.ok) return fileError(w, got.error);
  const ok = await commit(w, {
    field: kind === "REGISTRATION" ? "documents.D2" : "documents.D3",
    patch: { documents: [{ kind, fileIds: [...docIds(w, kind), got.file.id] }] },
  });
  if (!ok) return "done";
  await w.ctx.reply(t(w, "file.saved", { name: escapeHtml(got.file.fileName) }), { parse_mode: "HTML" });
  return "render";
}

export const steps: Partial<Record<Step, StepDef>> = {
  D2: { render: (w) => docsView(w, "REGISTRATION"), input: (w) => addFile(w, "REGISTRATION") },
  D3: { render: (w) => docsView(w, "POWER_OF_ATTORNEY"), input: (w) => addFile(w, "POWER_OF_ATTORNEY") },
};

export const actions: Record<string, ActionDef> = {
  dx: {
    steps: ["D2", "D3"],
    async run(w, [docId]) {
      const doc = w.app.documents.find((d) => d.id === docId);
      if (!doc) return "render";
      const ok = await commit(w, {
        field: "documents.remove",
        patch: {
          documents: [
            {
              kind: doc.kind as Kind,
              fileIds: w.app.documents
                .filter((d) => d.kind === doc.kind && d.id !== doc.id)
                .map((d) => d.fileId),
            },
          ],
        },
      });
      return ok ? "render" : "done";
    },
  },
  d2: {
    steps: ["D2"],
    async run(w) {
      if (!w.app.documents.some((d) => d.kind === "REGISTRATION")) {
        await alert(w.ctx, t(w, "d.d2_required"));
        return "done";
      }
      const ok = await commit(w, { field: "progress", progress: { step: "D3" } });
      return ok ? "render" : "done";
    },
  },
  d3: {
    steps: ["D3"],
    async run(w) {
      const ok = await commit(w, { field: "progress", progress: { step: "SUM", sum: true } });
      return ok ? "render" : "done";
    },
  },
};

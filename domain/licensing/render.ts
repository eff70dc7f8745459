// One renderer for the licensing guide and the deadline calculator. Pure: it gets the translation function
// (labels and headings live in locales/<lang>/licensing.json) and returns Telegram HTML messages, every data
// value escaped, already split to at most 4096 characters.
import { astanaParts } from "../calendar.ts";
import { APPLICATION_FORMS, REGULATIONS } from "./data/common.ts";
import type { DeadlineResult } from "./deadlines.ts";
import type { Amount, Duration, Lang, Operation, OperationId, ServiceCard, Step } from "./types.ts";

/** The subset of i18next's t() the renderer needs. */
export type TranslateFn = (key: string, options?: Record<string, unknown>) => string;

export const SECTIONS = ["overview", "documents", "steps", "receipt", "status", "refusals"] as const;
export type Section = (typeof SECTIONS)[number];

export const TELEGRAM_MESSAGE_LIMIT = 4096;

const NS = "licensing:";

import { escapeHtml } from "../format.ts";

export { escapeHtml };

/** 1.5 → "1,5" (kk and ru both use a decimal comma). */
export function formatNumber(n: number): string {
  const rounded = Math.round(n * 100) / 100;
  return String(rounded).replace(".", ",");
}

function amount(a: Amount, t: TranslateFn, upTo = false): string {
  if (a.unit === "minutes" && a.value > 60 && a.value % 60 !== 0 && !upTo) {
    const h = Math.floor(a.value / 60);
    return t(`${NS}duration.join`, {
      a: amount({ value: h, unit: "hours" }, t),
      b: amount({ value: a.value - h * 60, unit: "minutes" }, t),
    });
  }
  const key = upTo ? `${NS}duration.up_to_${a.unit}` : `${NS}duration.${a.unit}`;
  return t(key, { count: a.value, n: formatNumber(a.value) });
}

/** «15 минут», «до 15 минут», «10–15 секунд», «30 секунд – 1 минута», «7 часов 45 минут». */
export function formatDuration(d: Duration, t: TranslateFn): string {
  if (d.from) {
    if (d.from.unit === d.to.unit) {
      return t(`${NS}duration.range_same`, { from: formatNumber(d.from.value), to: amount(d.to, t) });
    }
    return t(`${NS}duration.range`, { from: amount(d.from, t), to: amount(d.to, t) });
  }
  return amount(d.to, t, d.upTo === true);
}

export function formatAmount(a: Amount, t: TranslateFn): string {
  return amount(a, t);
}

/** Working days plus minutes (fractional minutes become seconds): «13 рабочих дней 2 часа 30 минут». */
export function formatSum(sum: { workingDays: number; minutes: number }, t: TranslateFn): string {
  const parts: string[] = [];
  if (sum.workingDays > 0) parts.push(amount({ value: sum.workingDays, unit: "workingDays" }, t));
  const totalSeconds = Math.round(sum.minutes * 60);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h) parts.push(amount({ value: h, unit: "hours" }, t));
  if (m) parts.push(amount({ value: m, unit: "minutes" }, t));
  if (s) parts.push(amount({ value: s, unit: "seconds" }, t));
  if (parts.length === 0) parts.push(amount({ value: 0, unit: "minutes" }, t));
  return parts.reduce((acc, p) => t(`${NS}duration.join`, { a: acc, b: p }));
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "25.12.2026" from an ISO date "2026-12-25". */
export function formatIsoDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}.${m}.${y}`;
}

/** «25.12.2026 10:30 (пятница)», Astana time. */
export function formatDateTime(date: Date, t: TranslateFn): string {
  const p = astanaParts(date);
  return t(`${NS}datetime`, {
    date: `${pad(p.day)}.${pad(p.month)}.${p.year}`,
    time: `${pad(p.hour)}:${pad(p.minute)}`,
    weekday: t(`${NS}weekday.${p.weekday}`),
  });
}

/** «Актюбинская обл. (2012) · ЦОН». */
export function cardLabel(card: ServiceCard, t: TranslateFn): string {
  return t(`${NS}menu.card_label`, {
    region: t(`${NS}region.${card.regulation}`),
    channel: t(`${NS}channel.${card.channel}`),
  });
}

// ───────────────────────────── splitting ─────────────────────────────

/**
 * Pack HTML blocks into messages of at most `limit` characters, joining blocks with a blank line. A block
 * longer than the limit is split at line breaks, and a line longer than the limit at spaces outside tags and
 * entities (blocks keep their tags balanced per line, so every message stays valid HTML).
 */
export function splitMessages(blocks: string[], limit = TELEGRAM_MESSAGE_LIMIT): string[] {
  const pieces: string[] = [];
  for (const block of blocks) {
    if (block.length <= limit) pieces.push(block);
    else for (const line of block.split("\n")) pieces.push(...splitLine(line, limit));
  }
  const out: string[] = [];
  let cur = "";
  for (const piece of pieces) {
    if (!piece) continue;
    const sep = cur ? "\n\n" : "";
    if (cur.length + sep.length + piece.length <= limit) cur += sep + piece;
    else {
      if (cur) out.push(cur);
      cur = piece;
    }
  }
  if (cur) out.push(cur);
  return out;
}

function splitLine(line: string, limit: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    let cut = -1;
    let inTag = false;
    let inEntity = false;
    for (let i = 0; i < limit; i++) {
      const c = rest[i];
      if (c === "<") inTag = true;
      else if (c === ">") inTag = false;
      else if (c === "&") inEntity = true;
      else if (c === ";") inEntity = false;
      else if (c === " " && !inTag && !inEntity) cut = i;
    }
    if (cut <= 0) {
      // No space: cut before any unfinished tag or entity.
      cut = limit;
      const lt = rest.lastIndexOf("<", cut - 1);
      if (lt >= 0 && rest.indexOf(">", lt) >= cut) cut = lt;
      const amp = rest.lastIndexOf("&", cut - 1);
      if (amp >= 0 && rest.indexOf(";", amp) >= cut) cut = amp;
      if (cut <= 0) cut = limit;
    }
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, "");
  }
  if (rest) out.push(rest);
  return out;
}

// ───────────────────────────── card sections ─────────────────────────────

function repealedLine(card: ServiceCard, lang: Lang, t: TranslateFn): string {
  const reg = REGULATIONS[card.regulation];
  return t(`${NS}card.repealed`, {
    date: formatIsoDate(reg.repealed.date),
    by: escapeHtml(reg.repealed.by[lang]),
  });
}

function sourceBlock(card: ServiceCard, lang: Lang, t: TranslateFn): string {
  const reg = REGULATIONS[card.regulation];
  return [t(`${NS}card.source`, { act: escapeHtml(reg.act[lang]) }), repealedLine(card, lang, t)].join("\n");
}

function operationSum(op: Operation): { workingDays: number; minutes: number } | null {
  let days = 0;
  let minutes = 0;
  let any = false;
  for (const s of op.steps) {
    if (s.branch === "refusal" || !s.duration) continue;
    any = true;
    const a = s.duration.to;
    if (a.unit === "workingDays") days += a.value;
    else minutes += a.unit === "hours" ? a.value * 60 : a.unit === "minutes" ? a.value : a.value / 60;
  }
  return any ? { workingDays: days, minutes } : null;
}

function overview(card: ServiceCard, lang: Lang, t: TranslateFn): string[] {
  const v = (key: string, text: string) => t(`${NS}card.${key}`, { value: escapeHtml(text) });
  const head = [
    `<b>${escapeHtml(t(`${NS}service.${card.service}`))}</b> · ${escapeHtml(cardLabel(card, t))}`,
    v("service_name", card.serviceName[lang]),
    v("provider", card.provider[lang]),
    v("channel", card.channelName[lang]),
    v("standard", card.standard[lang]),
    v("clause", card.clause[lang]),
    v("result", card.result[lang]),
  ].join("\n");
  const totals = [t(`${NS}card.totals_title`)];
  for (const op of card.operations) {
    const operation = escapeHtml(t(`${NS}operation.${op.id}`));
    if (op.statedTotal) {
      totals.push(t(`${NS}card.total_stated`, { operation, value: amount(op.statedTotal, t) }));
    } else {
      const sum = operationSum(op);
      totals.push(
        sum
          ? t(`${NS}card.total_sum`, { operation, value: formatSum(sum, t) })
          : t(`${NS}card.total_none`, { operation }),
      );
    }
  }
  const blocks = [head, totals.join("\n")];
  if (card.notes.length) {
    blocks.push([t(`${NS}card.notes`), ...card.notes.map((n) => `• ${escapeHtml(n[lang])}`)].join("\n"));
  }
  blocks.push(sourceBlock(card, lang, t));
  return blocks;
}

function documents(card: ServiceCard, lang: Lang, t: TranslateFn): string[] {
  const d = card.documents;
  const blocks = [
    [t(`${NS}documents.title`), escapeHtml(d.basis[lang]), ...d.extra.map((e) => escapeHtml(e[lang]))].join(
      "\n",
    ),
  ];
  if (d.forms) {
    for (const form of [APPLICATION_FORMS.individual, APPLICATION_FORMS.legalEntity]) {
      const lines = [t(`${NS}documents.form_title`, { who: escapeHtml(form.title[lang]) })];
      if (d.forms === "reference") lines.push(t(`${NS}documents.form_reference`));
      lines.push(escapeHtml(form.header[lang]), t(`${NS}documents.form_fields`));
      form.fields.forEach((f, i) => {
        lines.push(`${i + 1}. ${escapeHtml(f[lang])}`);
      });
      lines.push(escapeHtml(form.footer[lang]));
      blocks.push(lines.join("\n"));
    }
  } else {
    blocks.push(t(`${NS}documents.no_forms`));
  }
  blocks.push(repealedLine(card, lang, t));
  return blocks;
}

/** The step's number as the reader sees it: its label in the language if it has one, else `n`. */
export function stepNumber(step: Step, lang: Lang): string {
  return step.label?.[lang] ?? step.n;
}

function stepBlock(step: Step, lang: Lang, t: TranslateFn): string {
  const vars = {
    n: escapeHtml(stepNumber(step, lang)),
    actor: escapeHtml(step.actor[lang]),
    action: escapeHtml(step.action[lang]),
  };
  const lines = [step.branch === "refusal" ? t(`${NS}steps.refusal`, vars) : t(`${NS}steps.step`, vars)];
  if (step.duration) {
    let value = formatDuration(step.duration, t);
    if (step.duration.wait) {
      // The «up to» form carries the «до» / «-ға дейін» itself: steps.wait must not add another one.
      value += `; ${t(`${NS}steps.wait`, { value: amount(step.duration.wait, t, true) })}`;
    }
    lines.push(t(`${NS}steps.duration`, { value }));
  } else if (step.branch !== "refusal") {
    lines.push(t(`${NS}steps.no_duration`));
  }
  if (step.outcome) lines.push(t(`${NS}steps.outcome`, { value: escapeHtml(step.outcome[lang]) }));
  return lines.join("\n");
}

function steps(card: ServiceCard, op: Operation, lang: Lang, t: TranslateFn): string[] {
  const title = t(`${NS}steps.title`, { operation: escapeHtml(t(`${NS}operation.${op.id}`)) });
  const blocks = [`${title}\n${escapeHtml(cardLabel(card, t))}`];
  for (const s of op.steps) blocks.push(stepBlock(s, lang, t));
  const total = op.statedTotal
    ? t(`${NS}card.total_stated`, {
        operation: escapeHtml(t(`${NS}operation.${op.id}`)),
        value: amount(op.statedTotal, t),
      })
    : null;
  if (total) blocks.push(`${t(`${NS}card.totals_title`)}\n${total}`);
  blocks.push(sourceBlock(card, lang, t));
  return blocks;
}

function receipts(card: ServiceCard, opId: OperationId | null, lang: Lang, t: TranslateFn): string[] {
  const blocks = [t(`${NS}receipt.title`)];
  for (const r of card.receipts) {
    const items = r.items.filter((i) => !opId || !i.ops || i.ops.includes(opId));
    if (!items.length) continue;
    const lines = [`<b>${escapeHtml(r.title[lang])}</b>`];
    for (const i of items) {
      const suffix =
        !opId && i.ops ? ` (${i.ops.map((o) => escapeHtml(t(`${NS}operation.${o}`))).join(", ")})` : "";
      lines.push(`• ${escapeHtml(i.text[lang])}${suffix}`);
    }
    blocks.push(lines.join("\n"));
  }
  blocks.push(repealedLine(card, lang, t));
  return blocks;
}

function status(card: ServiceCard, lang: Lang, t: TranslateFn): string[] {
  return [
    [t(`${NS}status.title`), ...card.status.map((s) => `• ${escapeHtml(s[lang])}`)].join("\n"),
    repealedLine(card, lang, t),
  ];
}

function refusals(card: ServiceCard, lang: Lang, t: TranslateFn): string[] {
  const lines = [t(`${NS}refusals.title`)];
  for (const r of card.refusals) {
    lines.push(
      t(`${NS}refusals.item`, {
        trigger: escapeHtml(r.trigger[lang]),
        outcome: escapeHtml(r.outcome[lang]),
        source: escapeHtml(r.source[lang]),
      }),
    );
  }
  return [lines.join("\n"), repealedLine(card, lang, t)];
}

/**
 * One section of a card as Telegram messages. `opId` selects the operation for "steps" (default: the first)
 * and filters operation-specific receipt items.
 */
export function renderSection(
  card: ServiceCard,
  opId: OperationId | null,
  section: Section,
  lang: Lang,
  t: TranslateFn,
): string[] {
  const op = card.operations.find((o) => o.id === opId) ?? card.operations[0]!;
  switch (section) {
    case "overview":
      return splitMessages(overview(card, lang, t));
    case "documents":
      return splitMessages(documents(card, lang, t));
    case "steps":
      return splitMessages(steps(card, op, lang, t));
    case "receipt":
      return splitMessages(receipts(card, opId, lang, t));
    case "status":
      return splitMessages(status(card, lang, t));
    case "refusals":
      return splitMessages(refusals(card, lang, t));
  }
}

// ───────────────────────────── deadline result ─────────────────────────────

export function renderDeadline(r: DeadlineResult, lang: Lang, t: TranslateFn): string[] {
  const card = r.card;
  const operation = escapeHtml(t(`${NS}operation.${r.operation.id}`));
  const head = [
    t(`${NS}calc.title`, {
      operation,
      service: escapeHtml(t(`${NS}service.${card.service}`)),
      card: escapeHtml(cardLabel(card, t)),
    }),
    t(`${NS}calc.submitted`, { value: formatDateTime(r.submittedAt, t) }),
  ];
  if (r.acceptedAt.getTime() !== r.submittedAt.getTime()) {
    head.push(t(`${NS}calc.accepted`, { value: formatDateTime(r.acceptedAt, t) }));
  }
  const blocks = [head.join("\n")];
  const reg = r.regulation;
  const source = t(`${NS}calc.source`, {
    act: escapeHtml(reg.act[lang]),
    date: formatIsoDate(reg.repealed.date),
  });

  if (!r.hasTimeline && !r.stated) {
    blocks.push(t(`${NS}calc.no_timeline`), source);
    return splitMessages(blocks);
  }

  if (r.hasTimeline) {
    const lines = [t(`${NS}calc.steps_title`)];
    for (const s of r.steps) {
      const vars = { n: escapeHtml(stepNumber(s.step, lang)), actor: escapeHtml(s.step.actor[lang]) };
      lines.push(
        s.dueAt && s.step.duration
          ? t(`${NS}calc.step_due`, {
              ...vars,
              due: formatDateTime(s.dueAt, t),
              duration: formatDuration(s.step.duration, t),
            })
          : t(`${NS}calc.step_untimed`, vars),
      );
    }
    blocks.push(lines.join("\n"));
  }

  const result: string[] = [];
  if (r.stated) {
    result.push(
      t(`${NS}calc.result_stated`, {
        due: formatDateTime(r.stated.dueAt, t),
        total: amount(r.stated.total, t),
      }),
    );
  } else if (r.chainDueAt) {
    result.push(
      t(`${NS}calc.result_chain`, { due: formatDateTime(r.chainDueAt, t), sum: formatSum(r.sum, t) }),
    );
  }
  if (r.estimated) {
    const years = r.calendar.filter((y) => y.status !== "official").map((y) => y.year);
    result.push(t(`${NS}calc.estimated`, { count: years.length, years: years.join(", ") }));
  }
  if (r.resultWorkingDays !== null) result.push(t(`${NS}calc.working_days`, { n: r.resultWorkingDays }));
  if (r.chainExceedsStated && r.chainDueAt) {
    result.push(
      t(`${NS}calc.chain_exceeds`, { sum: formatSum(r.sum, t), due: formatDateTime(r.chainDueAt, t) }),
    );
  }
  if (r.hasTimeline && r.untimedSteps.length) {
    const untimed = r.steps
      .filter((s) => r.untimedSteps.includes(s.step.n))
      .map((s) => stepNumber(s.step, lang));
    result.push(t(`${NS}calc.untimed`, { list: escapeHtml(untimed.join(", ")) }));
  }
  blocks.push(result.join("\n"));

  const notes = [source, t(`${NS}calc.calendar`)];
  for (const y of r.calendar) {
    if (y.status === "estimated") {
      const pending = y.pending.map((p) => t(`${NS}calc.pending.${p}`)).join("; ");
      notes.push(t(`${NS}calc.calendar_estimated`, { year: y.year, pending }));
    }
    if (y.status === "unknown") notes.push(t(`${NS}calc.calendar_rules_only`, { year: y.year }));
  }
  blocks.push(notes.join("\n"));
  return splitMessages(blocks);
}

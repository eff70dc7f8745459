// The application state machine: `decide` / `allowedActions` over THE transition table (domain/transitions.ts).
// Pure: the application layer loads an AppSnapshot, calls `decide`, and the store executes the Decision in one
// transaction with an optimistic version check.
import { actorIs } from "./access.ts";
import type { AppSnapshot, Decide, Decision, TransitionInput } from "./contracts.ts";
import { isContentPatch } from "./drafts.ts";
import { cleanFreeText } from "./text.ts";
import { type Guard, type InputRequirement, TRANSITIONS, type TransitionRow } from "./transitions.ts";
import type { Action, Actor, DomainError, Result } from "./types.ts";
import { ACTIONS, fail, ok } from "./types.ts";

export type { Guard, InputRequirement, TransitionRow, Who } from "./transitions.ts";
export { TRANSITIONS } from "./transitions.ts";

/** Error codes `decide` / `decideCreate` can return (every one has a kk and ru text: locales/{kk,ru}/errors.json). */
export const STATE_MACHINE_ERROR_CODES = [
  "wrong_status",
  "forbidden_role",
  "not_author",
  "notice_required",
  "notice_exists",
  "exclusion_in_progress",
  "consent_not_signed",
  "consent_already_signed",
  "form_not_generated",
  "form_stale",
  "draft_incomplete",
  "draft_not_saved",
  "power_of_attorney_required",
  "not_latest_version",
  "chain_has_open_version",
  "not_chosen_checker",
  "self_as_checker",
  "self_as_approver",
  "reasons_required",
  "checkers_required",
  "confirmation_required",
  "signature_required",
  "signature_invalid",
  "document_required",
  "patch_required",
] as const;
export type StateMachineErrorCode = (typeof STATE_MACHINE_ERROR_CODES)[number];

type Notice = NonNullable<AppSnapshot["activeNotice"]>;

/**
 * The notice that belongs to the current status: under review any inclusion/rejection notice; during check
 * and approval the notice of the stored decision kind; on «Включен в БД» only an exclusion notice.
 */
export function currentNotice(app: AppSnapshot): Notice | null {
  const n = app.activeNotice;
  if (!n) return null;
  switch (app.status) {
    case "UNDER_REVIEW":
      return n.kind === "EXCLUSION" ? null : n;
    case "AGREED_CHECK":
    case "REJECTED_CHECK":
    case "CONFIRMED_APPROVAL":
    case "REJECTED_APPROVAL":
      return n.kind === app.decisionKind ? n : null;
    case "INCLUDED":
      return n.kind === "EXCLUSION" ? n : null;
    default:
      return null;
  }
}

function roleErrors(row: TransitionRow, app: Pick<AppSnapshot, "authorId">, actor: Actor): DomainError[] {
  if (row.roles.some((w) => actorIs(w, app, actor))) return [];
  const onlyAuthor = row.roles.length === 1 && row.roles[0] === "AUTHOR";
  if (onlyAuthor && actor.userId !== app.authorId) return [{ code: "not_author" }];
  return [{ code: "forbidden_role", params: { action: row.action } }];
}

function guardError(guard: Guard, app: AppSnapshot, actor: Actor, notice: Notice | null): DomainError | null {
  switch (guard) {
    case "noticeRequired":
      return notice ? null : { code: "notice_required" };
    case "noNotice":
      return notice ? { code: "notice_exists", params: { kind: notice.kind } } : null;
    case "noExclusionNotice":
      return notice?.kind === "EXCLUSION" ? { code: "exclusion_in_progress" } : null;
    case "consentSigned":
      return app.consentSigned ? null : { code: "consent_not_signed", field: "D4" };
    case "consentNotSigned":
      return app.consentSigned ? { code: "consent_already_signed", field: "D4" } : null;
    case "formCurrent":
      return app.formState === "current"
        ? null
        : { code: app.formState === "stale" ? "form_stale" : "form_not_generated" };
    case "draftComplete":
      return app.draftComplete === true ? null : { code: "draft_incomplete" };
    case "draftSaved":
      return app.saved ? null : { code: "draft_not_saved" };
    case "savedOrAuthor":
      return app.saved || actor.userId === app.authorId ? null : { code: "not_author" };
    case "attorneyHasPowerOfAttorney":
      return actor.orgRoles.includes("HEAD") || app.hasPowerOfAttorney
        ? null
        : { code: "power_of_attorney_required", field: "D3" };
    case "latestVersion":
      return app.isLatestVersion ? null : { code: "not_latest_version" };
    case "noOpenVersionInChain":
      return app.chainHasOpenVersion ? { code: "chain_has_open_version" } : null;
    case "chosenChecker":
      if (!notice) return { code: "notice_required" };
      return notice.checkerIds.includes(actor.userId) ? null : { code: "not_chosen_checker" };
    case "checkerNotNoticeAuthor":
      return notice?.createdById === actor.userId
        ? { code: "self_as_checker", params: { userId: actor.userId } }
        : null;
    case "approverNotInvolved":
      if (!notice) return { code: "notice_required" };
      return notice.createdById === actor.userId || notice.checkedById === actor.userId
        ? { code: "self_as_approver", params: { userId: actor.userId } }
        : null;
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;

function inputErrors(
  req: InputRequirement,
  row: TransitionRow,
  input: TransitionInput,
  actor: Actor,
  notice: Notice | null,
): DomainError[] {
  switch (req) {
    case "reasonText":
      return cleanFreeText(input.reasonText ?? "", "reason").errors.map((e) => ({
        ...e,
        field: "reasonText",
      }));
    case "reasons":
      return (input.reasons ?? []).some((r) => r.trim() !== "")
        ? []
        : [{ code: "reasons_required", field: "reasons" }];
    case "checkers": {
      const ids = [...new Set((input.checkerIds ?? []).filter((id) => id.trim() !== ""))];
      if (ids.length === 0) return [{ code: "checkers_required", field: "checkerIds" }];
      const errors: DomainError[] = [];
      if (ids.includes(actor.userId))
        errors.push({ code: "self_as_checker", field: "checkerIds", params: { userId: actor.userId } });
      if (notice && notice.createdById !== actor.userId && ids.includes(notice.createdById))
        errors.push({ code: "self_as_checker", field: "checkerIds", params: { userId: notice.createdById } });
      return errors;
    }
    case "confirmed":
      return input.confirmed === true ? [] : [{ code: "confirmation_required" }];
    case "signature": {
      const errors: DomainError[] = [];
      for (const doc of row.effects.sign ?? []) {
        const s = input.signatures?.find((x) => x.document === doc);
        if (!s?.sha256 || !s.method) errors.push({ code: "signature_required", params: { document: doc } });
        else if (!SHA256_HEX.test(s.sha256))
          errors.push({ code: "signature_invalid", params: { document: doc } });
      }
      return errors;
    }
    case "document":
      return input.document && input.document.kind === row.effects.attach && input.document.fileId
        ? []
        : [{ code: "document_required", params: { kind: row.effects.attach ?? "" } }];
    case "patch":
      return input.patch ? [] : [{ code: "patch_required" }];
  }
}

type Found = { row: TransitionRow; notice: Notice | null };

/** The rows of this action for the status and stored decision kind (before the notice-kind condition). */
function candidatesFor(app: AppSnapshot, action: Action): TransitionRow[] {
  return TRANSITIONS.filter(
    (r) =>
      r.action === action &&
      r.from !== null &&
      r.from === app.status &&
      (r.decisionKind === "ANY" || r.decisionKind === app.decisionKind),
  );
}

/**
 * Picks the row by the current notice's kind (T12 vs T13). currentNotice() only returns kinds that have a
 * row, so the only failure is a missing notice.
 */
function pickRow(candidates: readonly TransitionRow[], notice: Notice | null): Result<Found> {
  const row = candidates.find((r) => r.noticeKind === undefined || r.noticeKind === notice?.kind);
  return row ? ok({ row, notice }) : fail({ code: "notice_required" });
}

/** Guards that need facts computed on demand; `allowedActions` does not evaluate them (buttons stay). */
const ON_DEMAND: ReadonlySet<Guard> = new Set(["draftComplete"]);

/**
 * Order of checks: the status / decision kind ("wrong_status"), the actor's role ("forbidden_role",
 * "not_author"), a notice to send ("notice_required"), then all guards and inputs at once.
 * With `input` null the input requirements and the on-demand guards are skipped (allowedActions).
 */
function evaluate(
  app: AppSnapshot,
  action: Action,
  actor: Actor,
  input: TransitionInput | null,
): Result<Found> {
  const candidates = candidatesFor(app, action);
  const first = candidates[0];
  if (!first)
    return fail({
      code: "wrong_status",
      params: { action, status: app.status, decisionKind: app.decisionKind ?? "" },
    });
  const roles = roleErrors(first, app, actor);
  if (roles.length > 0) return fail(...roles);
  const picked = pickRow(candidates, currentNotice(app));
  if (!picked.ok) return picked;
  const { row, notice } = picked.value;
  const errors: DomainError[] = [];
  for (const g of row.guards) {
    if (!input && ON_DEMAND.has(g)) continue;
    const e = guardError(g, app, actor, notice);
    if (e && !errors.some((x) => x.code === e.code)) errors.push(e);
  }
  if (input) for (const req of row.inputs) errors.push(...inputErrors(req, row, input, actor, notice));
  return errors.length > 0 ? fail(...errors) : picked;
}

function toDecision(row: TransitionRow, app: AppSnapshot): Decision {
  // DECISIONS 28: an unsaved draft concerns its author alone; nobody else is told of it.
  const notify = app.saved ? row.notify : row.notify.filter((n) => n.audience === "AUTHOR");
  const decision: Decision = {
    action: row.action,
    transitionId: row.id,
    from: app.status,
    to: row.to,
    decisionKind: row.toDecisionKind === "KEEP" ? app.decisionKind : row.toDecisionKind,
    effects: { ...row.effects },
    notify: notify.map((n) => ({ ...n })),
    final: row.final === true,
  };
  if (row.notice) decision.notice = row.notice;
  if (row.createsNotice) decision.noticeKind = row.createsNotice;
  return decision;
}

/**
 * The one transition function. Checks, in this order: the row exists for the status and decision kind
 * ("wrong_status"), the actor's role ("forbidden_role", "not_author"), a notice to send ("notice_required"),
 * then all guards and inputs at once. CREATE has no application: use `decideCreate`.
 */
export const decide: Decide = (app, action, actor, input) => {
  const r = evaluate(app, action, actor, input);
  return r.ok ? ok(toDecision(r.value.row, app)) : r;
};

/** T1: who may create an application. */
export function decideCreate(actor: Actor): Result<Omit<Decision, "from">> {
  const row = TRANSITIONS.find((r) => r.action === "CREATE");
  if (!row) return fail({ code: "wrong_status" });
  if (!row.roles.some((w) => actorIs(w, { authorId: "" }, actor)))
    return fail({ code: "forbidden_role", params: { action: "CREATE" } });
  return ok({
    action: "CREATE",
    transitionId: row.id,
    to: row.to,
    decisionKind: null,
    effects: {},
    notify: [],
    final: false,
  });
}

/**
 * The actions this actor may start now (which buttons to show): the status, role and stored-state guards
 * pass; inputs (reasons, checkers, confirmation, signature) are asked for after the button.
 */
export function allowedActions(app: AppSnapshot, actor: Actor): Action[] {
  return ACTIONS.filter((a) => a !== "CREATE" && evaluate(app, a, actor, null).ok);
}

/** The rows for an action (for docs and for the bot's prompts: which inputs to ask for). */
export function rowsFor(action: Action): TransitionRow[] {
  return TRANSITIONS.filter((r) => r.action === action);
}

/** The row `decide` would use for this application and action, if any (ignores roles and guards). */
export function transitionFor(app: AppSnapshot, action: Action): TransitionRow | null {
  const r = pickRow(candidatesFor(app, action), currentNotice(app));
  return r.ok ? r.value.row : null;
}

/** The transition table as Markdown (generated docs). */
export function transitionTableMarkdown(): string {
  const lines = [
    "| # | From | Decision kind | Action | Who | Guards | Inputs | To | Kind after | Notice | Effects | Notify |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of TRANSITIONS) {
    const from = r.from ?? "(none)";
    const kind = r.decisionKind === "ANY" ? "" : r.decisionKind;
    const notice = [r.noticeKind ? `needs ${r.noticeKind}` : "", r.notice ?? "", r.createsNotice ?? ""]
      .filter(Boolean)
      .join(" ");
    const effects = Object.entries(r.effects)
      .map(([k, v]) => (v === true ? k : Array.isArray(v) ? `${k}: ${v.join("+")}` : `${k}: ${String(v)}`))
      .concat(r.final ? ["final"] : [])
      .join(", ");
    const notify = r.notify.map((n) => `${n.audience}:${n.kind}`).join(", ");
    const inputs = [...r.inputs, ...(r.optionalInputs ?? []).map((i) => `${i}?`)].join(", ");
    lines.push(
      `| ${r.id} | ${from} | ${kind} | ${r.action} | ${r.roles.join(" / ")} | ${r.guards.join(", ")} | ${inputs} | ${r.to} | ${r.toDecisionKind ?? "null"} | ${notice} | ${effects} | ${notify} |`,
    );
  }
  return lines.join("\n");
}

/**
 * The snapshot a decision leaves (what the store writes, computed in memory): the card after a press is drawn
 * from it without reading the application again.
 */
export function snapshotAfter(
  app: AppSnapshot,
  d: Decision,
  input: TransitionInput,
  actorId: string,
): AppSnapshot {
  if (d.to === "DELETED") return app;
  const next: AppSnapshot = { ...app, status: d.to, decisionKind: d.decisionKind, version: app.version + 1 };
  const n = app.activeNotice;
  if (d.notice === "create")
    next.activeNotice = {
      kind: d.noticeKind ?? (d.decisionKind as NonNullable<typeof d.decisionKind>),
      reasons: [...(input.reasons ?? [])],
      createdById: actorId,
      checkerIds: [],
      checkedById: null,
    };
  else if (d.notice === "delete" || d.notice === "discard") next.activeNotice = null;
  else if (d.notice === "send" && n)
    next.activeNotice = { ...n, checkerIds: [...new Set(input.checkerIds ?? [])] };
  if (d.action === "CHECKER_CONFIRM" && next.activeNotice)
    next.activeNotice = { ...next.activeNotice, checkedById: actorId };
  if (d.effects.sign?.includes("CONSENT")) next.consentSigned = true;
  if (d.to !== app.status) next.consentSigned = d.effects.sign?.includes("CONSENT") ?? false;
  if (d.effects.markSaved) next.saved = true;
  if (d.effects.formCurrent) next.formState = "current";
  if (d.effects.patchDraft && input.patch && isContentPatch(input.patch)) {
    next.formState = app.formState === "none" ? "none" : "stale";
    // the facts a patch changes and a later decision reads: the region (staff roles) and D3 (T8's attorney)
    if (input.patch.regionCode !== undefined) next.regionCode = input.patch.regionCode;
    const poa = input.patch.documents?.find((x) => x.kind === "POWER_OF_ATTORNEY");
    if (poa) next.hasPowerOfAttorney = poa.fileIds.length > 0;
  }
  if (d.effects.newVersion) next.chainHasOpenVersion = false;
  delete next.draftComplete;
  return next;
}

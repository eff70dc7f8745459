// Vocabulary of the licensing-services guide (SPEC §5). Pure data types; the content lives in ./data/.
// All regional regulations are repealed (SPEC §0.1, DECISIONS 22–24): every card names its regulation,
// its date and its repeal, and the bot labels the timelines as historical.

export type Lang = "kk" | "ru";

/** A text in both languages (official terminology: GLOSSARY-kk-ru.md, SPEC Appendix A). */
export interface Text {
  kk: string;
  ru: string;
}

export type Unit = "workingDays" | "hours" | "minutes" | "seconds";

export interface Amount {
  value: number;
  unit: Unit;
}

/**
 * How long a step takes, as the source states it: `to` is the (maximum) duration; `from` makes a range
 * («10–15 секунд», «30 секунд – 1 минута»); `upTo` marks «до 15 минут» / «в течение одного рабочего дня»;
 * `wait` is a maximum waiting time before the service starts («максимально допустимое время ожидания»),
 * shown but not counted in the deadline.
 */
export interface Duration {
  to: Amount;
  from?: Amount;
  upTo?: boolean;
  wait?: Amount;
}

/**
 * Who acts. Working hours bind the staff (provider, ЦОН, state bodies); the applicant and the information
 * systems act in calendar time. A duration in working days is always counted in working days.
 */
export type ActorKind = "applicant" | "system" | "provider" | "con" | "stateBody";

export interface Step {
  /** Number as in the source: "1", "3а", "у1" (условие 1); also the id in `untimedSteps`. */
  n: string;
  /** How the number reads in each language when `n` is language-bound (e.g. «Условие 1» / «1-шарт»). */
  label?: Text;
  actor: Text;
  actorKind: ActorKind;
  action: Text;
  /** null: the source gives no duration for this step. */
  duration: Duration | null;
  /** «Форма завершения» / the step's result, when the source states it. */
  outcome?: Text;
  /** A refusal branch: shown, but not on the path to the result (not summed into deadlines). */
  branch?: "refusal";
}

export type OperationId = "issue" | "reissue" | "duplicate" | "attach";

export interface Operation {
  id: OperationId;
  steps: Step[];
  /** The overall deadline the regulation states for this channel, counted from submission; null if none. */
  statedTotal: Amount | null;
}

export type ServiceId = "medical" | "pharmaceutical" | "narcotics" | "phc";
export type ChannelId = "office" | "con" | "portal";
export type RegulationId = "AKT" | "NKO" | "EKO";

export interface Regulation {
  id: RegulationId;
  /** The seed file it comes from (../shared/seeds/<seed>_*.txt). */
  seed: string;
  /** «Постановление акимата Актюбинской области от 29 декабря 2012 года № 503». */
  act: Text;
  /** ISO date of the act. */
  date: string;
  number: string;
  repealed: { date: string; by: Text };
}

/** Which screen form of the application the card shows ([AKT] Приложение 3, SPEC §5.9). */
export interface DocumentsInfo {
  /** Where the list of documents is set (п.9 of the Standard), and that it is not in the sources. */
  basis: Text;
  /** Show the [AKT] Приложение 3 screen forms; `reference` = from another regulation, for reference only. */
  forms: "own" | "reference" | null;
  /** Further card-specific requirements (written consent at ЦОН, identity document at issue, ...). */
  extra: Text[];
}

export interface ReceiptItem {
  text: Text;
  /** Only for these operations (e.g. [EKO-pharm] a talon for re-issue and duplicate). */
  ops?: OperationId[];
}

export interface Receipt {
  /** What the applicant gets at submission, and its source clause. */
  title: Text;
  items: ReceiptItem[];
}

export interface RefusalGround {
  id: string;
  trigger: Text;
  outcome: Text;
  /** Source reference («СКО, п. 9»). */
  source: Text;
}

export interface ServiceCard {
  /** Stable id, also used in callback data: "<reg>-<svc>-<channel>", ≤ 16 ASCII characters. */
  id: string;
  regulation: RegulationId;
  service: ServiceId;
  channel: ChannelId;
  /** The official name of the state service. */
  serviceName: Text;
  /** The provider («услугодатель») as the regulation names it. */
  provider: Text;
  /** The channel as the regulation names it. */
  channelName: Text;
  /** The Standard the regulation implements. */
  standard: Text;
  /** Clauses of the regulation the card is taken from. */
  clause: Text;
  /** Result of the service and its form. */
  result: Text;
  operations: Operation[];
  documents: DocumentsInfo;
  receipts: Receipt[];
  /** How to check the status (SPEC §5.11). */
  status: Text[];
  refusals: RefusalGround[];
  /** Further remarks (electronic queue, unclaimed results, technical conditions, ...). */
  notes: Text[];
}

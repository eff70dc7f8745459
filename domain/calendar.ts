// The Kazakhstan working-day calendar, shared by the whole product (DECISIONS 19, 29).
// Pure: every function takes and returns Date values (UTC instants) and never reads the clock.
// Data (holidays, Kurban ait, government transfer days, the UTC offset history) live in
// domain/data/kz-calendar.json; this file only applies the rules.
//
// Conventions
// - "Local" means Astana wall-clock time: UTC+5 since 1 March 2024, UTC+6 before (from the JSON).
// - A working day is Monday–Friday, minus holidays, minus the day off that replaces a non-religious holiday
//   falling on a weekend (the next working day after it), with the government's transfers applied on top.
// - Working time is 09:00–13:00 and 14:00–18:00 local (DEFAULT_WORKING_HOURS), i.e. 8 hours a day.
//   The regulations' «7 часов 45 минут» is therefore 7 h 45 min of working time, a little less than one
//   working day (SPEC §0.2 leaves this open; change the constants, not the code, if the product decides
//   otherwise – e.g. lunchStart/lunchEnd = null makes a 9-hour day).
import calendarData from "./data/kz-calendar.json" with { type: "json" };

export type CalendarLang = "kk" | "ru";

/** Minutes after local midnight. Lunch may be null (no break). */
export interface WorkingHours {
  start: number;
  end: number;
  lunchStart: number | null;
  lunchEnd: number | null;
}

export const DEFAULT_WORKING_HOURS: Readonly<WorkingHours> = Object.freeze({
  start: 9 * 60,
  end: 18 * 60,
  lunchStart: 13 * 60,
  lunchEnd: 14 * 60,
});

const MINUTE = 60_000;
const DAY = 86_400_000;

// ───────────────────────────── data ─────────────────────────────

interface HolidayRule {
  md: string;
  id: string;
  moves: boolean;
  /** First year (inclusive) the holiday holds, when the Law changed (e.g. 15 March from 2027, DECISIONS 29). */
  since?: number;
  /** Last year (inclusive) the holiday holds (e.g. 30 August until 2025, DECISIONS 29). */
  until?: number;
  source?: string;
}
/** What an estimated year still waits for. */
export type CalendarPending = "transfers" | "kurbanAit";
interface YearData {
  status: "official" | "estimated";
  pending?: CalendarPending[];
  source: string;
  kurbanAit?: string;
  holidays?: HolidayRule[];
  transfers: { dayOff?: string; workingDay?: string }[];
}
interface CalendarFile {
  utcOffsets: { untilUtc: string | null; minutes: number }[];
  lawHolidays: { validSince: number; list: HolidayRule[] };
  holidayNames: Record<string, { kk: string; ru: string }>;
  years: Record<string, YearData>;
}

const DATA = calendarData as unknown as CalendarFile;

const OFFSETS: { untilMs: number; minutes: number }[] = DATA.utcOffsets.map((o) => ({
  untilMs: o.untilUtc === null ? Number.POSITIVE_INFINITY : Date.parse(o.untilUtc),
  minutes: o.minutes,
}));

/** Astana UTC offset in minutes at a UTC instant. */
export function astanaOffsetMinutes(utcMs: number): number {
  for (const o of OFFSETS) if (utcMs < o.untilMs) return o.minutes;
  return OFFSETS[OFFSETS.length - 1]!.minutes;
}

const toLocalMs = (d: Date | number): number => {
  const ms = typeof d === "number" ? d : d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("Invalid Date");
  return ms + astanaOffsetMinutes(ms) * MINUTE;
};

/** Local wall-clock milliseconds → UTC instant (for an ambiguous local time the later offset wins). */
const fromLocalMs = (local: number): Date => {
  for (let i = OFFSETS.length - 1; i >= 0; i--) {
    const utc = local - OFFSETS[i]!.minutes * MINUTE;
    const prevUntil = i === 0 ? Number.NEGATIVE_INFINITY : OFFSETS[i - 1]!.untilMs;
    if (utc >= prevUntil && utc < OFFSETS[i]!.untilMs) return new Date(utc);
  }
  // A local time skipped by a clock change: use the earliest offset.
  return new Date(local - OFFSETS[0]!.minutes * MINUTE);
};

const dayNumOfLocal = (local: number): number => Math.floor(local / DAY);
const keyOfDay = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);
const dayOfKey = (key: string): number => {
  const ms = Date.parse(`${key}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new Error(`kz-calendar.json: bad date ${key}`);
  return ms / DAY;
};
/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
const weekdayOfDay = (day: number): number => (((day + 4) % 7) + 7) % 7;
const isWeekend = (day: number): boolean => {
  const w = weekdayOfDay(day);
  return w === 0 || w === 6;
};
const yearOfDay = (day: number): number => new Date(day * DAY).getUTCFullYear();

export type DayKind =
  | "working"
  | "weekend"
  | "holiday" // a public holiday itself
  | "holiday_moved" // the working day after a holiday that fell on a weekend
  | "transfer_off" // a weekday made a day off by the government's transfer
  | "transfer_working"; // a weekend day made a working day by the transfer

interface DayInfo {
  kind: DayKind;
  /** Holiday id (key of holidayNames) for holiday / holiday_moved. */
  holiday?: string;
}

interface YearTable {
  special: Map<number, DayInfo>;
}

const yearCache = new Map<number, YearTable>();

function buildYear(year: number): YearTable {
  const yd = DATA.years[String(year)];
  const rules = (yd?.holidays ?? DATA.lawHolidays.list).filter(
    (r) => (r.since === undefined || year >= r.since) && (r.until === undefined || year <= r.until),
  );
  const special = new Map<number, DayInfo>();
  const holidays: { day: number; id: string; moves: boolean }[] = [];
  for (const r of rules) holidays.push({ day: dayOfKey(`${year}-${r.md}`), id: r.id, moves: r.moves });
  if (yd?.kurbanAit) holidays.push({ day: dayOfKey(yd.kurbanAit), id: "kurban_ait", moves: false });
  holidays.sort((a, b) => a.day - b.day);
  for (const h of holidays) special.set(h.day, { kind: "holiday", holiday: h.id });
  // Art. 5 of the Law on holidays: a holiday on a Saturday/Sunday makes the next working day a day off.
  for (const h of holidays) {
    if (!h.moves || !isWeekend(h.day)) continue;
    let d = h.day + 1;
    while (isWeekend(d) || special.has(d)) d++;
    special.set(d, { kind: "holiday_moved", holiday: h.id });
  }
  for (const t of yd?.transfers ?? []) {
    if (t.dayOff) special.set(dayOfKey(t.dayOff), { kind: "transfer_off" });
    if (t.workingDay) special.set(dayOfKey(t.workingDay), { kind: "transfer_working" });
  }
  return { special };
}

function tableFor(year: number): YearTable {
  let t = yearCache.get(year);
  if (!t) {
    t = buildYear(year);
    yearCache.set(year, t);
  }
  return t;
}

function dayInfo(day: number): DayInfo {
  const s = tableFor(yearOfDay(day)).special.get(day);
  if (s) return s;
  return { kind: isWeekend(day) ? "weekend" : "working" };
}

const isWorkingDayNum = (day: number): boolean => {
  const k = dayInfo(day).kind;
  return k === "working" || k === "transfer_working";
};

// ───────────────────────────── public API ─────────────────────────────

/**
 * How far the calendar of a year can be trusted: "official" = holidays and transfers as published; "estimated" =
 * the year is in the data but something is not published yet (see `pending`); "unknown" = the year is not in the
 * data (only the Law's holidays, no Kurban ait, no transfers).
 */
export type CalendarYearStatus = "official" | "estimated" | "unknown";

export interface CalendarYearInfo {
  year: number;
  status: CalendarYearStatus;
  /** For an estimated year: what is not published yet. */
  pending: CalendarPending[];
  source: string | null;
}

export function calendarYearStatus(year: number): CalendarYearStatus {
  return DATA.years[String(year)]?.status ?? "unknown";
}

export function calendarYearInfo(year: number): CalendarYearInfo {
  const yd = DATA.years[String(year)];
  if (!yd) return { year, status: "unknown", pending: [], source: null };
  return { year, status: yd.status, pending: [...(yd.pending ?? [])], source: yd.source };
}

/** The calendar years a computation relied on. */
export interface CalendarBasis {
  years: CalendarYearInfo[];
  /** At least one year is "estimated" or "unknown". */
  estimated: boolean;
}

/**
 * The calendar years a computation over these instants relies on (every Astana-local year from the earliest to
 * the latest, inclusive; null values are skipped) and whether any of them is not official. Every deadline result
 * carries this, so that an answer built on an estimated (or unknown) year can say so.
 */
export function calendarBasis(from: Date, ...more: (Date | null | undefined)[]): CalendarBasis {
  const ys = [from, ...more].filter((d): d is Date => d instanceof Date).map((d) => astanaParts(d).year);
  const years: CalendarYearInfo[] = [];
  for (let y = Math.min(...ys); y <= Math.max(...ys); y++) years.push(calendarYearInfo(y));
  return { years, estimated: years.some((y) => y.status !== "official") };
}

/** Years the data file covers (ascending). */
export function calendarYears(): number[] {
  return Object.keys(DATA.years)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Is the Astana-local calendar day containing this instant a working day? */
export function isWorkingDay(date: Date): boolean {
  return isWorkingDayNum(dayNumOfLocal(toLocalMs(date)));
}

/** Why the Astana-local day of this instant is (not) a working day; holiday names in kk/ru. */
export function describeDay(date: Date): { kind: DayKind; holiday?: { id: string; kk: string; ru: string } } {
  const info = dayInfo(dayNumOfLocal(toLocalMs(date)));
  if (!info.holiday) return { kind: info.kind };
  const name = DATA.holidayNames[info.holiday] ?? { kk: info.holiday, ru: info.holiday };
  return { kind: info.kind, holiday: { id: info.holiday, ...name } };
}

/**
 * The same Astana wall-clock time on the n-th working day after (n > 0) or before (n < 0) the local date of
 * `start`; n = 0 returns `start`. The start day itself is never counted, whatever it is, so from a Saturday
 * +1 is the next Monday (if that is a working day). n must be an integer.
 */
export function addWorkingDays(start: Date, n: number): Date {
  if (!Number.isInteger(n)) throw new RangeError(`addWorkingDays: n must be an integer, got ${n}`);
  const local = toLocalMs(start);
  if (n === 0) return new Date(start.getTime());
  let day = dayNumOfLocal(local);
  const timeOfDay = local - day * DAY;
  const step = n > 0 ? 1 : -1;
  let left = Math.abs(n);
  guardLoop(left, () => {
    day += step;
    if (isWorkingDayNum(day)) left--;
    return left > 0;
  });
  return fromLocalMs(day * DAY + timeOfDay);
}

/**
 * Working days d with localDate(a) < d ≤ localDate(b) (times of day are ignored); negative when b is before a.
 * Inverse of addWorkingDays: workingDaysBetween(a, addWorkingDays(a, n)) === n for n ≥ 0, and
 * workingDaysBetween(addWorkingDays(a, -n), a) === n when a falls on a working day.
 */
export function workingDaysBetween(a: Date, b: Date): number {
  const da = dayNumOfLocal(toLocalMs(a));
  const db = dayNumOfLocal(toLocalMs(b));
  if (da === db) return 0;
  const [from, to, sign] = da < db ? [da, db, 1] : [db, da, -1];
  let count = 0;
  for (let d = from + 1; d <= to; d++) if (isWorkingDayNum(d)) count++;
  return sign * count;
}

/** Working-time segments [start, end) of one local day, in local ms. */
function segmentsOf(day: number, wh: WorkingHours): [number, number][] {
  const base = day * DAY;
  if (wh.lunchStart === null || wh.lunchEnd === null || wh.lunchEnd <= wh.lunchStart) {
    return [[base + wh.start * MINUTE, base + wh.end * MINUTE]];
  }
  return [
    [base + wh.start * MINUTE, base + wh.lunchStart * MINUTE],
    [base + wh.lunchEnd * MINUTE, base + wh.end * MINUTE],
  ];
}

/** Working minutes in one working day under these hours (480 by default). */
export function workingDayMinutes(wh: WorkingHours = DEFAULT_WORKING_HOURS): number {
  return segmentsOf(0, wh).reduce((s, [a, b]) => s + (b - a) / MINUTE, 0);
}

/**
 * Add working time: counting starts at `start` if it is inside working time, otherwise at the next moment
 * working time begins (after lunch, the next morning, after a weekend or holiday). When the amount ends exactly
 * at the end of a segment the result is that end (13:00 or 18:00), not the start of the next one.
 * A zero amount returns `start` unchanged.
 */
export function addWorkingHours(
  start: Date,
  hours: number,
  minutes = 0,
  wh: WorkingHours = DEFAULT_WORKING_HOURS,
): Date {
  return addWorkingMs(start, (hours * 60 + minutes) * MINUTE, wh);
}

/** addWorkingHours in milliseconds (seconds-long steps of the e-services). */
export function addWorkingMs(start: Date, ms: number, wh: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`working time must be ≥ 0, got ${ms}`);
  if (ms === 0) return new Date(start.getTime());
  let remaining = ms;
  let t = toLocalMs(start);
  let result: number | undefined;
  guardLoop(Math.ceil(ms / DAY) * 3 + 10, () => {
    const day = dayNumOfLocal(t);
    if (isWorkingDayNum(day)) {
      for (const [a, b] of segmentsOf(day, wh)) {
        if (t >= b) continue;
        if (t < a) t = a;
        const avail = b - t;
        if (remaining <= avail) {
          result = t + remaining;
          return false;
        }
        remaining -= avail;
        t = b;
      }
    }
    t = (day + 1) * DAY;
    return true;
  });
  return fromLocalMs(result!);
}

/** `date` itself if it is inside working time, else the next moment working time begins. */
export function nextWorkingTime(date: Date, wh: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  let t = toLocalMs(date);
  let result: number | undefined;
  guardLoop(400, () => {
    const day = dayNumOfLocal(t);
    if (isWorkingDayNum(day)) {
      for (const [a, b] of segmentsOf(day, wh)) {
        if (t < b) {
          result = Math.max(t, a);
          return false;
        }
      }
    }
    t = (day + 1) * DAY;
    return true;
  });
  return result === toLocalMs(date) ? new Date(date.getTime()) : fromLocalMs(result!);
}

/** End of working hours (18:00 local by default) of the local day of `date`, whatever kind of day it is. */
export function endOfWorkingDay(date: Date, wh: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  const day = dayNumOfLocal(toLocalMs(date));
  return fromLocalMs(day * DAY + wh.end * MINUTE);
}

/**
 * The legal end of a period of n working days counted from an event (Civil Code: the period starts the next
 * day and ends when the organisation's working hours end on its last day): 18:00 local on the n-th working
 * day after the local date of `start`. n = 0: the end of `start`'s day if it is a working day, else of the
 * next working day.
 */
export function workingDaysDeadline(start: Date, n: number, wh: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  if (n === 0) {
    return endOfWorkingDay(isWorkingDay(start) ? start : addWorkingDays(start, 1), wh);
  }
  return endOfWorkingDay(addWorkingDays(start, n), wh);
}

// ───────────────────────────── local date-time helpers ─────────────────────────────

export interface AstanaParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

export function astanaParts(date: Date): AstanaParts {
  const local = new Date(toLocalMs(date));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: local.getUTCDay(),
  };
}

/** The UTC instant of an Astana wall-clock time; null when the fields do not form a real date/time. */
export function fromAstana(year: number, month: number, day: number, hour = 0, minute = 0): Date | null {
  if (![year, month, day, hour, minute].every(Number.isInteger)) return null;
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return null;
  }
  return fromLocalMs(local);
}

/** "YYYY-MM-DD" of the Astana-local day of the instant. */
export function astanaDateKey(date: Date): string {
  return keyOfDay(dayNumOfLocal(toLocalMs(date)));
}

function guardLoop(hint: number, body: () => boolean): void {
  // Bounded so that broken data (e.g. every day a holiday) fails loudly instead of hanging.
  const limit = Math.max(hint, 0) * 8 + 3660;
  for (let i = 0; i < limit; i++) if (!body()) return;
  throw new Error("calendar: no working time found within the search range");
}

// The deadline line everyone sees (issue 15): which stage holds the application — named by its role, never a
// person — since when, and the working days left or past the deadline. Pure: takes `t` and a domain StageClock.
//   ru «На проверке с 19.11, осталось 3 рабочих дня» / kk «19.11 күнінен бастап тексеруде, 3 жұмыс күні қалды»
//   breached: «…, просрочено на 2 рабочих дня» / «…, мерзімі 2 жұмыс күні бұрын өтті»
import { astanaParts } from "../../domain/calendar.ts";
import { formatDate } from "../../domain/format.ts";
import type { StageClock } from "../../domain/sla.ts";
import type { Translate } from "../kit/i18n.ts";

const p2 = (n: number) => String(n).padStart(2, "0");

/** dd.mm in Astana time; dd.mm.yyyy (domain/format.ts) when the year is not the year of `now`. */
export function dayMonth(d: Date, now: Date): string {
  const a = astanaParts(d);
  return a.year === astanaParts(now).year ? `${p2(a.day)}.${p2(a.month)}` : formatDate(d);
}

const capitalise = (s: string) => (s ? s[0]!.toLocaleUpperCase() + s.slice(1) : s);

export interface DeadlineLineOptions {
  now: Date;
  /** Prefix the role that holds the application («Проверяющий заявки БД: на проверке …»). */
  withRole?: boolean;
  /** Put the breach mark (⚠️) before a breached line. */
  mark?: boolean;
}

/** The line for a status card, a push or a staff card. Plain text (no user values inside). */
export function deadlineLine(t: Translate, clock: StageClock, opts: DeadlineLineOptions): string {
  const vars = { stage: t(`dashboard:stage_in.${clock.stage}`), since: dayMonth(clock.since, opts.now) };
  let line: string;
  if (clock.breached) {
    line =
      clock.overdueDays > 0
        ? t("dashboard:deadline.overdue", { ...vars, count: clock.overdueDays })
        : t("dashboard:deadline.overdue_now", { ...vars, date: dayMonth(clock.deadline, opts.now) });
  } else if (clock.remaining === 0) {
    line = t("dashboard:deadline.today", vars);
  } else {
    line = t("dashboard:deadline.remaining", { ...vars, count: clock.remaining });
  }
  line = opts.withRole
    ? t("dashboard:deadline.holder", { role: t(`common:roles.${clock.holder}`), line })
    : capitalise(line);
  return opts.mark && clock.breached ? `${t("dashboard:deadline.breached_mark")} ${line}` : line;
}

/** The line as a list for a card's lines (empty when the application has no stage clock). */
export function deadlineLines(
  t: Translate,
  d: { clock: StageClock; now: Date } | null | undefined,
  opts: Omit<DeadlineLineOptions, "now"> = {},
): string[] {
  return d ? [deadlineLine(t, d.clock, { ...opts, now: d.now })] : [];
}

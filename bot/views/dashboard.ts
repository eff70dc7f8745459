// The branch manager's dashboard in the reader's language: the chart's texts (adapters/charts/dashboard.ts draws
// them) and the photo caption with the key numbers. Pure: data from prisma/store/dashboard.ts (through app/), `t`.
import type { BranchDashboard, DashboardChartInput } from "../../domain/dashboard.ts";
import { formatDateTime } from "../../domain/format.ts";
import { AGE_BUCKETS, SLA_STAGES, stageClock } from "../../domain/sla.ts";
import { escapeHtml } from "../kit/html.ts";
import type { Lang, Translate } from "../kit/i18n.ts";
import { dayMonth, deadlineLine } from "./deadline.ts";

/** Telegram's caption limit. */
export const CAPTION_LIMIT = 1024;
/** People in the decisions panel. */
export const CHART_PEOPLE = 12;

const nameIn = (lang: Lang, kk: string, ru: string) => (lang === "kk" ? kk : ru);

/** The inclusive last day of a period whose `to` is exclusive (a full period ends at 00:00 of the next day). */
const lastDay = (p: { from: Date; to: Date }) => new Date(Math.max(p.from.getTime(), p.to.getTime() - 1));

export function dashboardChartInput(t: Translate, lang: Lang, d: BranchDashboard): DashboardChartInput {
  const people = d.decisions.slice(0, CHART_PEOPLE);
  return {
    title: t("dashboard:title", { branch: nameIn(lang, d.branchNameKk, d.branchNameRu) }),
    subtitle: t("dashboard:subtitle", { date: formatDateTime(d.now) }),
    open: {
      title: t("dashboard:chart.open"),
      categories: SLA_STAGES.map((s) => t(`dashboard:stage.${s}`)),
      series: AGE_BUCKETS.map((b, i) => ({
        name: t(`dashboard:age.${b.key}`),
        values: SLA_STAGES.map((s) => d.open.cells.find((c) => c.stage === s && c.bucket === i)?.count ?? 0),
      })),
    },
    weeks: {
      title: t("dashboard:chart.weeks"),
      categories: d.weeks.map((w) => dayMonth(w.weekStart, d.now)),
      overdue: { name: t("dashboard:chart.overdue"), values: d.weeks.map((w) => w.overdue) },
      newBreaches: { name: t("dashboard:chart.new"), values: d.weeks.map((w) => w.newBreaches) },
    },
    decisions: {
      title: t("dashboard:chart.decisions", {
        from: dayMonth(d.period.from, d.now),
        to: dayMonth(lastDay(d.period), d.now),
      }),
      categories: people.map((p) =>
        t("dashboard:chart.person", {
          name: p.fullName ?? t("dashboard:chart.unknown_person"),
          role: t(`dashboard:role_short.${p.role}`),
        }),
      ),
      series: [
        { name: t("dashboard:chart.forward"), values: people.map((p) => p.forward) },
        { name: t("dashboard:chart.returned"), values: people.map((p) => p.returned) },
      ],
      empty: t("dashboard:chart.no_decisions"),
    },
  };
}

/** The photo caption (HTML, within 1024 characters): open and breached per stage, weeks, decisions, the worst item. */
export function dashboardCaption(t: Translate, lang: Lang, d: BranchDashboard): string {
  const lines = [
    t("dashboard:caption.title", {
      branch: escapeHtml(nameIn(lang, d.branchNameKk, d.branchNameRu)),
      date: formatDateTime(d.now),
    }),
    t("dashboard:caption.open", { count: d.open.open, breached: d.open.breached }),
    ...SLA_STAGES.map((s) =>
      t("dashboard:caption.stage", {
        stage: t(`dashboard:stage.${s}`),
        open: d.open.byStage[s].open,
        breached: d.open.byStage[s].breached,
      }),
    ),
    t("dashboard:caption.weeks", {
      total: d.weeks.reduce((n, w) => n + w.newBreaches, 0),
      current: d.weeks.at(-1)?.overdue ?? 0,
    }),
    t("dashboard:caption.decisions", {
      from: dayMonth(d.period.from, d.now),
      to: dayMonth(lastDay(d.period), d.now),
      count: d.decisions.reduce((n, p) => n + p.forward + p.returned, 0),
      returned: d.decisions.reduce((n, p) => n + p.returned, 0),
    }),
  ];
  const head = lines.join("\n");
  const worst = d.overdue[0];
  const clock = worst ? stageClock(worst.status, worst.since, d.thresholds, d.now) : null;
  if (!worst || !clock) return `${head}\n${t("dashboard:caption.none_overdue")}`;
  // The organisation's name is user data: it is what gets shortened when the caption would be too long.
  const line = deadlineLine(t, clock, { now: d.now });
  let org = nameIn(lang, worst.orgNameKk, worst.orgNameRu);
  for (;;) {
    const full = `${head}\n${t("dashboard:caption.oldest", { org: escapeHtml(org), line })}`;
    if (full.length <= CAPTION_LIMIT || org.length <= 2) return full.slice(0, CAPTION_LIMIT);
    org = `${org.slice(0, Math.max(1, org.length - (full.length - CAPTION_LIMIT) - 1))}…`;
  }
}

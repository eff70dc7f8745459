// What people read: the deadline line (supplier and staff cards, pushes) and the dashboard caption, kk and ru.
import { describe, expect, it } from "vitest";
import { translator } from "../../bot/kit/i18n.ts";
import { dashboardCaption, dashboardChartInput } from "../../bot/views/dashboard.ts";
import { deadlineLine } from "../../bot/views/deadline.ts";
import { fromAstana } from "../../domain/calendar.ts";
import { type StageClock, stageClock, uniformThresholds } from "../../domain/sla.ts";
import { sampleDashboard } from "./sample.ts";

const at = (y: number, m: number, d: number, h = 10, min = 0) => fromAstana(y, m, d, h, min)!;
const ru = translator("ru");
const kk = translator("kk");
const clock = (status: Parameters<typeof stageClock>[0], since: Date, days: number, now: Date): StageClock =>
  stageClock(status, since, uniformThresholds(days), now)!;

describe("the deadline line", () => {
  it("says which stage holds the application, since when and the working days left (19.11, 5 days, seen 23.11)", () => {
    const c = clock("AGREED_CHECK", at(2026, 11, 19), 5, at(2026, 11, 23));
    expect(deadlineLine(ru, c, { now: at(2026, 11, 23) })).toBe(
      "На проверке с 19.11, осталось 3 рабочих дня",
    );
    expect(deadlineLine(kk, c, { now: at(2026, 11, 23) })).toBe(
      "19.11 күнінен бастап тексеруде, 3 жұмыс күні қалды",
    );
  });

  it("counts across the weekend and the Capital Day holiday (Mon 6 July 2026)", () => {
    // Under review since Fri 3 July, 3 days: Tue 7 (1), Wed 8 (2), Thu 9 (3). Seen on the holiday: 3 left.
    const c = clock("UNDER_REVIEW", at(2026, 7, 3), 3, at(2026, 7, 6, 12));
    expect(deadlineLine(ru, c, { now: at(2026, 7, 6, 12) })).toBe(
      "На рассмотрении с 03.07, осталось 3 рабочих дня",
    );
    const tue = clock("UNDER_REVIEW", at(2026, 7, 3), 3, at(2026, 7, 7, 12));
    expect(deadlineLine(ru, tue, { now: at(2026, 7, 7, 12) })).toBe(
      "На рассмотрении с 03.07, осталось 2 рабочих дня",
    );
  });

  it("uses every Russian plural form and the one Kazakh form", () => {
    const since = at(2026, 3, 2); // Monday
    const cases: [number, string][] = [
      [1, "остался 1 рабочий день"],
      [2, "осталось 2 рабочих дня"],
      [5, "осталось 5 рабочих дней"],
      [21, "остался 21 рабочий день"],
    ];
    for (const [n, want] of cases) {
      const c = clock("CONFIRMED_APPROVAL", since, 30, since);
      const fake = { ...c, remaining: n };
      expect(deadlineLine(ru, fake, { now: since })).toBe(`На согласовании с 02.03, ${want}`);
      expect(deadlineLine(kk, fake, { now: since })).toBe(
        `02.03 күнінен бастап келісуде, ${n} жұмыс күні қалды`,
      );
    }
  });

  it("marks a breach with the working days past the deadline", () => {
    // Check since Thu 2 July, 3 days → deadline Wed 8 July 18:00; on Fri 10 July: 2 working days past.
    const c = clock("REJECTED_CHECK", at(2026, 7, 2), 3, at(2026, 7, 10));
    expect(deadlineLine(ru, c, { now: at(2026, 7, 10), mark: true })).toBe(
      "⚠️ На проверке с 02.07, просрочено на 2 рабочих дня",
    );
    expect(deadlineLine(kk, c, { now: at(2026, 7, 10) })).toBe(
      "02.07 күнінен бастап тексеруде, мерзімі 2 жұмыс күні бұрын өтті",
    );
    const evening = clock("REJECTED_CHECK", at(2026, 7, 2), 3, at(2026, 7, 8, 19));
    expect(deadlineLine(ru, evening, { now: at(2026, 7, 8, 19) })).toBe(
      "На проверке с 02.07, срок истёк 08.07",
    );
    const today = clock("REJECTED_CHECK", at(2026, 7, 2), 3, at(2026, 7, 8, 9));
    expect(deadlineLine(ru, today, { now: at(2026, 7, 8, 9) })).toBe(
      "На проверке с 02.07, срок истекает сегодня",
    );
    expect(deadlineLine(kk, today, { now: at(2026, 7, 8, 9) })).toBe(
      "02.07 күнінен бастап тексеруде, мерзімі бүгін аяқталады",
    );
  });

  it("names the role that holds the application, never a person, and adds the year of another year", () => {
    const c = clock("HEAD_APPROVAL", at(2025, 12, 29), 5, at(2026, 1, 5));
    expect(deadlineLine(ru, c, { now: at(2026, 1, 5), withRole: true })).toBe(
      "Руководитель: на подписании у руководителя с 29.12.2025, осталось 2 рабочих дня",
    );
    expect(deadlineLine(kk, c, { now: at(2026, 1, 5), withRole: true })).toBe(
      "Басшы: 29.12.2025 күнінен бастап басшының қол қоюында, 2 жұмыс күні қалды",
    );
  });
});

describe("the dashboard caption and chart texts", () => {
  it("gives the key numbers in Russian, escaped, within Telegram's caption limit", () => {
    const text = dashboardCaption(ru, "ru", sampleDashboard());
    expect(text).toBe(
      [
        "<b>Филиал Фонда по г. Астана</b>",
        "Данные на 08.07.2026 12:00",
        "Открытые заявки: 4, просрочено: 2",
        "• Подписание руководителем: 1, просрочено: 0",
        "• Рассмотрение: 1, просрочено: 1",
        "• Проверка: 1, просрочено: 0",
        "• Согласование: 1, просрочено: 1",
        "Новые просрочки за 12 недель: 4; просрочены на этой неделе: 2",
        "Решения за 01.06–30.06: 12, возвращено: 1",
        "Дольше всех: ТОО «Здоровье &amp; К» – На согласовании с 08.06, просрочено на 19 рабочих дней",
      ].join("\n"),
    );
  });

  it("gives the same numbers in Kazakh", () => {
    const text = dashboardCaption(kk, "kk", sampleDashboard());
    expect(text).toContain("<b>Қордың Астана қаласы бойынша филиалы</b>");
    expect(text).toContain("Ашық өтінімдер: 4, мерзімі өткені: 2");
    expect(text).toContain("• Келісу: 1, мерзімі өткені: 1");
    expect(text).toContain("12 аптадағы жаңа мерзімі өткендер: 4; осы аптада мерзімі өткендер: 2");
    expect(text).toContain("Шешімдер (01.06–30.06): 12, қайтарылғаны: 1");
    expect(text).toContain(
      "«Денсаулық &amp; К» ЖШС – 08.06 күнінен бастап келісуде, мерзімі 19 жұмыс күні бұрын өтті",
    );
  });

  it("shortens a very long organisation name so that the caption stays within 1024 characters", () => {
    const d = sampleDashboard();
    d.overdue[0]!.orgNameRu = `ТОО «${"Очень длинное & имя ".repeat(80)}»`;
    const text = dashboardCaption(ru, "ru", d);
    expect(text.length).toBeLessThanOrEqual(1024);
    expect(text).toContain("…");
    expect(text).not.toMatch(/&(?!amp;)/);
  });

  it("says so when nothing is overdue", () => {
    const d = { ...sampleDashboard(), overdue: [] };
    expect(dashboardCaption(ru, "ru", d).split("\n").at(-1)).toBe("Просроченных заявок нет.");
  });

  it("labels the chart in the reader's language: stages, age buckets, weeks dd.mm, people with their role", () => {
    const c = dashboardChartInput(kk, "kk", sampleDashboard());
    expect(c.open.categories).toEqual(["Басшының қол қоюы", "Қарау", "Тексеру", "Келісу"]);
    expect(c.open.series.map((s) => s.name)).toEqual(["0–1", "2–3", "4–5", "6–10", "10-нан артық"]);
    expect(c.open.series[4]!.values).toEqual([0, 0, 0, 1]);
    expect(c.weeks.categories[0]).toBe("20.04");
    expect(c.weeks.categories[11]).toBe("06.07");
    expect(c.decisions.categories).toEqual([
      "Жанар Бекова (қараушы)",
      "Ерлан <Сәрсенов> (тексеруші)",
      "Қызметкер (келісуші)",
    ]);
    expect(c.decisions.title).toBe("Қызметкерлердің шешімдері: 01.06–30.06");
  });
});

// The working-day calendar (domain/data/kz-calendar.json) against an independent model: the npm package
// date-holidays (country KZ), day by day for 2023–2027. Every difference must be listed below with the reason
// and its source; an unlisted difference, or a listed one that no longer occurs, fails the test.
import Holidays from "date-holidays";
import { describe, expect, it } from "vitest";
import { describeDay, fromAstana } from "../../domain/calendar.ts";

const YEARS = [2023, 2024, 2025, 2026, 2027];

/** What a day is, in terms both models can express. */
type Kind = "holiday" | "day_off" | "working" | "weekend";

interface Exception {
  ours: Kind;
  dateHolidays: Kind;
  why: string;
  source: string;
}

const TRANSFER_2023 =
  "Government decree No. 326 of 2023 (adilet P2300000326): day off moved from Sat 01.07 to Fri 07.07";
const TRANSFER_2024 =
  "Order of the Minister of Labour and Social Protection (adilet G24G0000109): day off moved from Sat 04.05 to Wed 08.05";
const TRANSFER_2025 =
  "Order of the Minister of Labour and Social Protection (adilet G24G0000436): day off moved from Sun 05.01 to Fri 03.01";
const DECISIONS_29 =
  "DECISIONS 29 (Ministry of Labour, March 2026): Constitution Day is 15 March from 2027, not in 2026; date-holidays has it from 2026";
const LAW_ART_5 =
  "Law «О праздниках в Республике Казахстан», art. 5: a holiday on a weekend makes the next working day a day off; date-holidays puts the substitute for the first weekend Nauryz day on 23 March, itself a holiday";

/** Transfer days are government acts, not rules: date-holidays does not model them. */
const EXCEPTIONS: Record<string, Exception> = {
  "2023-07-01": {
    ours: "working",
    dateHolidays: "weekend",
    why: "transfer: Saturday worked",
    source: TRANSFER_2023,
  },
  "2023-07-07": {
    ours: "day_off",
    dateHolidays: "working",
    why: "transfer: Friday off",
    source: TRANSFER_2023,
  },
  "2024-05-04": {
    ours: "working",
    dateHolidays: "weekend",
    why: "transfer: Saturday worked",
    source: TRANSFER_2024,
  },
  "2024-05-08": {
    ours: "day_off",
    dateHolidays: "working",
    why: "transfer: Wednesday off",
    source: TRANSFER_2024,
  },
  "2025-01-03": {
    ours: "day_off",
    dateHolidays: "working",
    why: "transfer: Friday off",
    source: TRANSFER_2025,
  },
  "2025-01-05": {
    ours: "working",
    dateHolidays: "weekend",
    why: "transfer: Sunday worked",
    source: TRANSFER_2025,
  },
  "2026-03-15": {
    ours: "weekend",
    dateHolidays: "holiday",
    why: "Constitution Day on 15 March only from 2027",
    source: DECISIONS_29,
  },
  "2026-03-16": {
    ours: "working",
    dateHolidays: "day_off",
    why: "no day off for a 15 March 2026 holiday (Sunday)",
    source: DECISIONS_29,
  },
  "2026-03-25": {
    ours: "day_off",
    dateHolidays: "working",
    why: "Nauryz 21 (Sat) and 22 (Sun) March 2026 → 24 and 25 March off (the published 2026 calendar)",
    source: LAW_ART_5,
  },
  "2027-03-24": {
    ours: "day_off",
    dateHolidays: "working",
    why: "Nauryz 21 March 2027 (Sunday) → Wednesday 24 March off",
    source: LAW_ART_5,
  },
};

function ourKind(date: Date): Kind {
  switch (describeDay(date).kind) {
    case "holiday":
      return "holiday";
    case "holiday_moved":
    case "transfer_off":
      return "day_off";
    case "weekend":
      return "weekend";
    case "working":
    case "transfer_working":
      return "working";
  }
}

/** date-holidays' public holidays of a year: date → holiday itself, or only a substitute day. */
function theirDays(year: number): Map<string, "holiday" | "day_off"> {
  const out = new Map<string, "holiday" | "day_off">();
  for (const h of new Holidays("KZ").getHolidays(year)) {
    if (h.type !== "public") continue;
    const key = h.date.slice(0, 10);
    if (!h.substitute) out.set(key, "holiday");
    else if (!out.has(key)) out.set(key, "day_off");
  }
  return out;
}

function differences(): Record<string, { ours: Kind; dateHolidays: Kind }> {
  const diffs: Record<string, { ours: Kind; dateHolidays: Kind }> = {};
  for (const year of YEARS) {
    const theirs = theirDays(year);
    for (let month = 1; month <= 12; month++) {
      for (let day = 1; day <= 31; day++) {
        const date = fromAstana(year, month, day, 12);
        if (!date) continue;
        const key = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
        const weekday = date.getUTCDay(); // noon in Astana is the same UTC day
        const theirKind: Kind = theirs.get(key) ?? (weekday === 0 || weekday === 6 ? "weekend" : "working");
        const ours = ourKind(date);
        if (ours !== theirKind) diffs[key] = { ours, dateHolidays: theirKind };
      }
    }
  }
  return diffs;
}

describe("calendar vs date-holidays (KZ), 2023–2027", () => {
  it("differs only on the listed, sourced days", () => {
    const expected = Object.fromEntries(
      Object.entries(EXCEPTIONS).map(([k, e]) => [k, { ours: e.ours, dateHolidays: e.dateHolidays }]),
    );
    expect(differences()).toEqual(expected);
  });

  it("gives every exception a reason and a source", () => {
    for (const [day, e] of Object.entries(EXCEPTIONS)) {
      expect(e.why.length, day).toBeGreaterThan(10);
      expect(e.source.length, day).toBeGreaterThan(20);
      expect(YEARS).toContain(Number(day.slice(0, 4)));
    }
  });

  it("agrees with date-holidays on DECISIONS 29 itself: no 30 August from 2026, 15 March in 2027", () => {
    const theirs2026 = theirDays(2026);
    const theirs2027 = theirDays(2027);
    expect(theirs2026.has("2026-08-30") || theirs2026.has("2026-08-31")).toBe(false);
    expect(theirs2027.has("2027-08-30")).toBe(false);
    expect(theirs2027.get("2027-03-15")).toBe("holiday");
    expect(ourKind(fromAstana(2027, 3, 15, 12)!)).toBe("holiday");
    expect(ourKind(fromAstana(2026, 8, 31, 12)!)).toBe("working");
  });
});

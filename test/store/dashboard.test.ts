// The dashboard's queries on data made by real transitions at fixed Astana times (weekend and the Capital Day
// holiday, Mon 6 July 2026, inside the window); every figure is counted by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { astanaParts, fromAstana } from "../../domain/calendar.ts";
import { periodRange } from "../../domain/sla.ts";
import {
  branchDashboard,
  breachesPerWeek,
  decisionExportRows,
  decisionsByPerson,
  oldestOverdue,
  openByStageAndAge,
  registerExportRows,
} from "../../prisma/store/dashboard.ts";
import {
  branchDigestSetting,
  branchDigestTargets,
  setBranchDigest,
  setStaffDigest,
  setStageThreshold,
  settingHistory,
  staffDigestSetting,
  staffDigestSubscribers,
  stageThresholds,
  stageThresholdsOfRegion,
} from "../../prisma/store/slaSettings.ts";
import { renderDashboardPng } from "../../adapters/charts/dashboard.ts";
import { tableToCsv } from "../../adapters/export/csv.ts";
import { xlsxWriter } from "../../adapters/export/xlsx.ts";
import { translator } from "../../bot/kit/i18n.ts";
import { dashboardCaption, dashboardChartInput } from "../../bot/views/dashboard.ts";
import { exportTable } from "../../bot/views/exports.ts";
import { branchDigestSlot, digestEventKey } from "../../domain/sla.ts";
import ExcelJS from "exceljs";
import type { TestDb } from "../helpers/db.ts";
import { Chain, type World, world } from "../app/chain.ts";

const at = (m: number, d: number, h = 10, min = 0) => fromAstana(2026, m, d, h, min)!;
const NOW = at(7, 8, 12); // Wednesday 8 July 2026, 12:00 Astana
const BRANCH = "BR-ASTANA";
const REGION = "ASTANA";

let db: TestDb;
let w: World;
let f: Chain;
const ids: Record<string, string> = {};
let names: Record<string, string>;

/** Run `fn` with the clock at `when`. */
async function on<T>(when: Date, fn: () => Promise<T>): Promise<T> {
  w.clock.set(when, { frozen: true });
  return fn();
}

async function submitted(key: string, when: Date): Promise<string> {
  await f.newOrg();
  const id = await on(when, () => f.underReview(REGION));
  ids[key] = id;
  return id;
}

async function sendToCheck(id: string, when: Date, kind: "inclusion" | "rejection" = "inclusion") {
  await on(when, () =>
    kind === "inclusion"
      ? f.must("reviewer", id, "FORM_INCLUSION_NOTICE")
      : f.must("reviewer", id, "FORM_REJECTION_NOTICE", { reasons: ["INCOMPLETE_DOCS"] }),
  );
  await on(when, () =>
    f.must("reviewer", id, "SEND_TO_CHECK", { checkerIds: [f.id("checker"), f.id("checker2")] }),
  );
}

beforeAll(async () => {
  w = await world();
  db = w.db;
  f = new Chain(w);
  const u = await db.prisma.user.findMany({
    where: { id: { in: (["reviewer", "checker", "approver"] as const).map((k) => f.id(k)) } },
  });
  names = Object.fromEntries(u.map((x) => [x.id, x.fullName ?? ""]));
  expect(await db.prisma.application.count({ where: { regionCode: REGION } })).toBe(0);

  // Thresholds (working days): head 5, review 3, check 2, approval 2 — set by the manager, audited.
  for (const [stage, days] of [
    ["REVIEW", 3],
    ["CHECK", 2],
    ["APPROVAL", 2],
  ] as const) {
    const r = await setStageThreshold(db.prisma, {
      branchId: BRANCH,
      stage,
      days,
      actorId: f.id("manager"),
      now: at(5, 1),
    });
    expect(r.ok).toBe(true);
  }

  // A5: review 1→3 June (deadline 4 June, in time); check 3 June → 8 June 10:00 (deadline Fri 5 June 18:00:
  // BREACHED over the weekend); approval since 8 June (deadline 10 June 18:00): open and overdue ever since.
  const a5 = await submitted("A5", at(6, 1));
  await sendToCheck(a5, at(6, 3));
  await on(at(6, 8), () => f.must("checker", a5, "CHECKER_CONFIRM"));

  // A6: rejected in time, 15–18 June.
  const a6 = await submitted("A6", at(6, 15));
  await sendToCheck(a6, at(6, 16), "rejection");
  await on(at(6, 17), () => f.must("checker", a6, "CHECKER_CONFIRM"));
  await on(at(6, 18), () => f.must("approver", a6, "APPROVER_APPROVE"));

  // A7: included 18–21 May, excluded 22–24 June, all in time.
  const a7 = await submitted("A7", at(5, 18));
  await sendToCheck(a7, at(5, 19));
  await on(at(5, 20), () => f.must("checker", a7, "CHECKER_CONFIRM"));
  await on(at(5, 21), () => f.must("approver", a7, "APPROVER_APPROVE"));
  await on(at(6, 22), () =>
    f.must("reviewer", a7, "FORM_EXCLUSION_NOTICE", { reasons: ["LICENCE_TERMINATED"] }),
  );
  await on(at(6, 22), () =>
    f.must("reviewer", a7, "SEND_EXCLUSION_TO_CHECK", { checkerIds: [f.id("checker")] }),
  );
  await on(at(6, 23), () => f.must("checker", a7, "CHECKER_CONFIRM"));
  await on(at(6, 24), () =>
    f.must("approver", a7, "APPROVE_EXCLUSION", { confirmed: true, signatures: [f.sig("EXCLUSION_NOTICE")] }),
  );

  // A1: review 22→25 June (deadline 25 June 18:00, in time); check 25 June → Tue 30 June 10:00 (deadline
  // Mon 29 June 18:00: BREACHED overnight); approval 30 June → 1 July: included.
  const a1 = await submitted("A1", at(6, 22));
  await sendToCheck(a1, at(6, 25));
  await on(at(6, 30), () => f.must("checker", a1, "CHECKER_CONFIRM"));
  await on(at(7, 1), () => f.must("approver", a1, "APPROVER_APPROVE"));

  // A2: review 29 → 30 June, rejection under check 30 June → 1 July, refused by the checker (back to review)
  // on 1 July 10:00: review deadline Thu 2, Fri 3, (Mon 6 holiday), Tue 7 July 18:00 → overdue by 1 on 8 July.
  const a2 = await submitted("A2", at(6, 29, 9));
  await sendToCheck(a2, at(6, 30), "rejection");
  await on(at(7, 1), () => f.must("checker", a2, "CHECKER_REFUSE", { reasonText: "Неполные данные" }));

  // A3: under check since Tue 7 July (deadline Thu 9 July): in time.
  const a3 = await submitted("A3", at(7, 3));
  await sendToCheck(a3, at(7, 7));

  // A4: with the head since 1 July (5 days: deadline Thu 9 July): in time.
  await f.newOrg();
  const a4 = await on(at(7, 1), () => f.headApproval(REGION));
  ids.A4 = a4;
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe("thresholds are data, audited", () => {
  it("reads the manager's thresholds and the branch default (escalationDays) for an untouched stage", async () => {
    expect(await stageThresholds(db.prisma, BRANCH)).toEqual({
      HEAD_SIGNING: 5,
      REVIEW: 3,
      CHECK: 2,
      APPROVAL: 2,
    });
  });

  it("falls back to the branch's escalationDays for a stage without a row", async () => {
    await db.prisma.branchStageThreshold.deleteMany({ where: { branchId: "BR-ABAI", stage: "CHECK" } });
    await db.prisma.branch.update({ where: { id: "BR-ABAI" }, data: { escalationDays: 7 } });
    expect((await stageThresholds(db.prisma, "BR-ABAI"))!.CHECK).toBe(7);
    expect(await stageThresholds(db.prisma, "BR-NONE")).toBeNull();
  });

  it("records who changed which stage, when, old → new; an unchanged value writes nothing", async () => {
    const r = await setStageThreshold(db.prisma, {
      branchId: BRANCH,
      stage: "CHECK",
      days: 2,
      actorId: f.id("manager"),
      now: at(5, 2),
    });
    expect(r).toEqual({ ok: true, value: { changed: false, from: 2, to: 2 } });
    const h = await settingHistory(db.prisma, BRANCH);
    expect(h).toHaveLength(3);
    expect(h.map((x) => [x.stage, x.oldValue, x.newValue])).toEqual(
      expect.arrayContaining([
        ["REVIEW", { days: 5 }, { days: 3 }],
        ["CHECK", { days: 5 }, { days: 2 }],
        ["APPROVAL", { days: 5 }, { days: 2 }],
      ]),
    );
    expect(h[0]).toMatchObject({ key: "sla_threshold", actorId: f.id("manager"), at: at(5, 1) });
    expect(h[0]!.actorName).toBeTruthy();
  });

  it("refuses a threshold outside 1–60 working days and an unknown branch", async () => {
    const bad = await setStageThreshold(db.prisma, {
      branchId: BRANCH,
      stage: "CHECK",
      days: 0,
      actorId: null,
      now: NOW,
    });
    expect(bad).toMatchObject({ ok: false, errors: [{ code: "sla_threshold_invalid" }] });
    const none = await setStageThreshold(db.prisma, {
      branchId: "BR-NONE",
      stage: "CHECK",
      days: 3,
      actorId: null,
      now: NOW,
    });
    expect(none).toMatchObject({ ok: false, errors: [{ code: "not_found" }] });
  });
});

describe("status history from the audit", () => {
  it("keeps one stay per status change, each ended by who decided, and one open stay per application", async () => {
    const spans = await db.prisma.statusSpan.findMany({
      where: { applicationId: ids.A1 },
      orderBy: { id: "asc" },
    });
    expect(spans.map((s) => [s.status, s.endAction, s.endStatus])).toEqual([
      ["DRAFT", "SEND_TO_HEAD", "HEAD_APPROVAL"],
      ["HEAD_APPROVAL", "HEAD_SUBMIT", "UNDER_REVIEW"],
      ["UNDER_REVIEW", "SEND_TO_CHECK", "AGREED_CHECK"],
      ["AGREED_CHECK", "CHECKER_CONFIRM", "CONFIRMED_APPROVAL"],
      ["CONFIRMED_APPROVAL", "APPROVER_APPROVE", "INCLUDED"],
      ["INCLUDED", null, null],
    ]);
    expect(spans[3]).toMatchObject({ startedAt: at(6, 25), endedAt: at(6, 30), endedById: f.id("checker") });
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.startedAt).toEqual(spans[i - 1]!.endedAt);
    expect(spans.every((s) => s.regionCode === REGION)).toBe(true);
  });
});

describe("the dashboard of one region", () => {
  const q = async () => ({
    regionCode: REGION,
    now: NOW,
    thresholds: (await stageThresholds(db.prisma, BRANCH))!,
  });

  it("counts open applications by stage and age in working days, with the breached ones", async () => {
    const open = await openByStageAndAge(db.prisma, await q());
    // A4 head 1 July (4 working days: 2, 3, 7, 8 July); A2 review since 1 July (4; breached); A3 check since
    // 7 July (1); A5 approval since 8 June (more than 10; breached).
    expect(open.cells).toEqual([
      { stage: "HEAD_SIGNING", bucket: 2, count: 1, breached: 0 },
      { stage: "REVIEW", bucket: 2, count: 1, breached: 1 },
      { stage: "CHECK", bucket: 0, count: 1, breached: 0 },
      { stage: "APPROVAL", bucket: 4, count: 1, breached: 1 },
    ]);
    expect(open).toMatchObject({ open: 4, breached: 2 });
  });

  it("counts breaches per week: overdue at some moment of the week, once per application", async () => {
    const weeks = await breachesPerWeek(db.prisma, await q());
    expect(weeks).toHaveLength(12);
    expect(weeks[0]!.weekStart).toEqual(at(4, 20, 0));
    expect(weeks[11]).toMatchObject({ weekStart: at(7, 6, 0), weekEnd: at(7, 13, 0) });
    const byWeek = Object.fromEntries(
      weeks.map((w) => {
        const p = astanaParts(w.weekStart);
        return [`${p.month}/${p.day}`, [w.overdue, w.newBreaches]];
      }),
    );
    expect(byWeek).toEqual({
      "4/20": [0, 0],
      "4/27": [0, 0],
      "5/4": [0, 0],
      "5/11": [0, 0],
      "5/18": [0, 0],
      "5/25": [0, 0],
      "6/1": [1, 1], // A5's check (deadline Fri 5 June) overdue over the weekend
      "6/8": [1, 1], // A5 again (the check until Monday, then the approval: deadline 10 June) — once
      "6/15": [1, 0],
      "6/22": [1, 0],
      "6/29": [2, 1], // A5 and A1 (check deadline 29 June, decided 30 June)
      "7/6": [2, 1], // A5 and A2 (review deadline Tue 7 July after the holiday)
    });
  });

  it("lists decisions per person and role over a period: forward and returned", async () => {
    const month = await decisionsByPerson(db.prisma, { regionCode: REGION, from: at(6, 1, 0), to: NOW });
    // June–8 July: the reviewer sent A5, A6, A7 (exclusion), A1, A2, A3; the checker confirmed A5, A6, A7, A1
    // and refused A2; the approver decided A6, A7, A1.
    expect(month.map((p) => [p.userId, p.role, p.forward, p.returned])).toEqual([
      [f.id("reviewer"), "REVIEWER", 6, 0],
      [f.id("checker"), "CHECKER", 4, 1],
      [f.id("approver"), "APPROVER", 3, 0],
    ]);
    expect(month[0]!.fullName).toBe(names[f.id("reviewer")]);
    const week = await decisionsByPerson(db.prisma, { regionCode: REGION, ...periodRange("week", NOW) });
    expect(week.map((p) => [p.role, p.forward, p.returned])).toEqual([["REVIEWER", 1, 0]]);
  });

  it("lists the most overdue open applications first, with working days past the deadline", async () => {
    const items = await oldestOverdue(db.prisma, await q());
    // A5: deadline 10 June; 11, 12, 15–19, 22–26, 29, 30 June, 1–3, 7, 8 July = 19 working days. A2: 8 July = 1.
    expect(items.map((i) => [i.applicationId, i.stage, i.overdueDays])).toEqual([
      [ids.A5, "APPROVAL", 19],
      [ids.A2, "REVIEW", 1],
    ]);
    expect(items[0]).toMatchObject({ since: at(6, 8), deadline: at(6, 10, 18), versionNo: 1 });
    expect(items[0]!.bin).toMatch(/^\d{12}$/);
  });

  it("assembles everything for a branch in one call", async () => {
    const d = await branchDashboard(db.prisma, {
      branchId: BRANCH,
      now: NOW,
      period: periodRange("month", NOW, -1),
    });
    expect(d).toMatchObject({ regionCode: REGION, open: { open: 4, breached: 2 } });
    expect(d!.weeks.reduce((s, w) => s + w.newBreaches, 0)).toBe(4);
    expect(d!.decisions.map((p) => p.forward + p.returned)).toEqual([5, 4, 2]); // June only: A2's refusal and A1's approval were on 1 July
    expect(
      await branchDashboard(db.prisma, { branchId: "BR-NONE", now: NOW, period: periodRange("week", NOW) }),
    ).toBeNull();
  });
});

describe("exports", () => {
  it("the register holds the included applications with the decision makers of their inclusion", async () => {
    const rows = await registerExportRows(db.prisma, REGION);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      applicationId: ids.A1,
      status: "INCLUDED",
      submittedAt: at(6, 22),
      decidedAt: at(7, 1),
      reviewer: names[f.id("reviewer")],
      checker: names[f.id("checker")],
      approver: names[f.id("approver")],
      regionRu: "г. Астана",
    });
  });

  it("the decisions of a period: inclusion, rejection and exclusion in the order taken, with their makers", async () => {
    const rows = await decisionExportRows(db.prisma, { regionCode: REGION, from: at(6, 1, 0), to: NOW });
    expect(rows.map((r) => [r.applicationId, r.status, r.decidedAt])).toEqual([
      [ids.A6, "REJECTED", at(6, 18)],
      [ids.A7, "EXCLUDED", at(6, 24)],
      [ids.A1, "INCLUDED", at(7, 1)],
    ]);
    for (const r of rows) expect([r.reviewer, r.checker, r.approver].every(Boolean)).toBe(true);
    const may = await decisionExportRows(db.prisma, {
      regionCode: REGION,
      from: at(5, 1, 0),
      to: at(6, 1, 0),
    });
    expect(may.map((r) => [r.applicationId, r.status])).toEqual([[ids.A7, "INCLUDED"]]);
  });
});

describe("what the manager sees, from the seeded region", () => {
  it("the caption's numbers are the queries' numbers, in kk and ru, and the picture is a PNG", async () => {
    const d = (await branchDashboard(db.prisma, {
      branchId: BRANCH,
      now: NOW,
      period: { from: at(6, 1, 0), to: NOW },
    }))!;
    const ru = dashboardCaption(translator("ru"), "ru", d);
    expect(ru).toContain("Открытые заявки: 4, просрочено: 2");
    expect(ru).toContain("• Рассмотрение: 1, просрочено: 1");
    expect(ru).toContain("• Согласование: 1, просрочено: 1");
    expect(ru).toContain("Новые просрочки за 12 недель: 4; просрочены на этой неделе: 2");
    expect(ru).toContain("Решения за 01.06–08.07: 14, возвращено: 1");
    expect(ru).toMatch(
      /Дольше всех: ТОО «Тест \d{12}» – На согласовании с 08\.06, просрочено на 19 рабочих дней$/,
    );
    const kk = dashboardCaption(translator("kk"), "kk", d);
    expect(kk).toContain("Ашық өтінімдер: 4, мерзімі өткені: 2");
    expect(kk).toMatch(/08\.06 күнінен бастап келісуде, мерзімі 19 жұмыс күні бұрын өтті$/);
    const png = renderDashboardPng(dashboardChartInput(translator("kk"), "kk", d));
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect(png.length).toBeGreaterThan(20_000);
  });

  it("the register and the decisions export read back from CSV and XLSX with the expected rows", async () => {
    const reg = exportTable(translator("ru"), "ru", "register", await registerExportRows(db.prisma, REGION));
    const csv = tableToCsv(reg).slice(1).split("\r\n");
    expect(csv).toHaveLength(3); // header, A1, trailing empty line
    expect(csv[1]).toMatch(
      new RegExp(
        `^${ids.A1};1;ТОО «Тест \\d{12}»;\\d{12};г\\. Астана;Включен в БД;22\\.06\\.2026;01\\.07\\.2026;`,
      ),
    );
    const dec = exportTable(
      translator("kk"),
      "kk",
      "decisions",
      await decisionExportRows(db.prisma, { regionCode: REGION, from: at(6, 1, 0), to: NOW }),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsxWriter.write(dec) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(4);
    expect([2, 3, 4].map((r) => [ws.getRow(r).getCell(1).value, ws.getRow(r).getCell(6).value])).toEqual([
      [ids.A6, "Қабылданбады"],
      [ids.A7, "Дерекқордан шығарылды"],
      [ids.A1, "Дерекқорға енгізілді"],
    ]);
    expect(ws.getRow(4).getCell(8).value).toEqual(new Date(Date.UTC(2026, 6, 1)));
  });
});

describe("digest settings", () => {
  it("a branch digest is Monday 09:00 until the manager moves it; the change is audited", async () => {
    expect(await branchDigestSetting(db.prisma, BRANCH)).toEqual({ weekday: 1, minute: 540, enabled: true });
    const r = await setBranchDigest(db.prisma, {
      branchId: BRANCH,
      weekday: 2,
      minute: 8 * 60 + 30,
      enabled: true,
      actorId: f.id("manager"),
      now: at(7, 1),
    });
    expect(r).toMatchObject({
      ok: true,
      value: { changed: true, from: { weekday: 1 }, to: { weekday: 2, minute: 510 } },
    });
    expect((await settingHistory(db.prisma, BRANCH, 1))[0]).toMatchObject({
      key: "branch_digest",
      oldValue: { weekday: 1, minute: 540, enabled: true },
      newValue: { weekday: 2, minute: 510, enabled: true },
    });
    const bad = await setBranchDigest(db.prisma, {
      branchId: BRANCH,
      weekday: 7,
      minute: 540,
      enabled: true,
      actorId: null,
      now: NOW,
    });
    expect(bad).toMatchObject({ ok: false, errors: [{ code: "digest_weekday_invalid" }] });
    const target = (await branchDigestTargets(db.prisma)).find((b) => b.branchId === BRANCH)!;
    expect(target.managers.map((m) => m.userId)).toEqual([f.id("manager")]);
    const slot = branchDigestSlot(target.schedule, at(7, 7, 9))!; // Tuesday 7 July 08:30 has passed
    expect(slot.key).toBe("2026-07-06");
    expect(digestEventKey.branch(BRANCH, slot)).toBe("digest:b:BR-ASTANA:2026-07-06");
    await setBranchDigest(db.prisma, {
      branchId: BRANCH,
      weekday: 1,
      minute: 540,
      enabled: true,
      actorId: null,
      now: NOW,
    });
  });

  it("a staff member chooses the morning digest and its hour; only staff are subscribers", async () => {
    expect(await staffDigestSetting(db.prisma, f.id("checker"))).toEqual({ enabled: false, hour: 9 });
    expect(
      await setStaffDigest(db.prisma, { userId: f.id("checker"), enabled: true, hour: 8, now: NOW }),
    ).toMatchObject({
      ok: true,
      value: { changed: true },
    });
    expect(
      await setStaffDigest(db.prisma, { userId: f.id("checker"), enabled: true, hour: 8, now: NOW }),
    ).toMatchObject({
      ok: true,
      value: { changed: false },
    });
    await setStaffDigest(db.prisma, { userId: f.id("supplierAdmin"), enabled: true, hour: 9, now: NOW });
    const subs = await staffDigestSubscribers(db.prisma);
    expect(subs.map((s) => [s.userId, s.hour, s.branchIds])).toEqual([[f.id("checker"), 8, [BRANCH]]]);
    expect(await stageThresholdsOfRegion(db.prisma, REGION)).toMatchObject({ REVIEW: 3 });
  });
});

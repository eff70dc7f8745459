// A hand-made dashboard (the figures of test/store/dashboard.test.ts's seeded region) for the pure views and the chart.
import { fromAstana } from "../../domain/calendar.ts";
import type { BranchDashboard } from "../../domain/dashboard.ts";
import { weekBounds } from "../../domain/sla.ts";

const at = (y: number, m: number, d: number, h = 10, min = 0) => fromAstana(y, m, d, h, min)!;

export function sampleDashboard(now = at(2026, 7, 8, 12)): BranchDashboard {
  return {
    branchId: "BR-ASTANA",
    regionCode: "ASTANA",
    branchNameKk: "Қордың Астана қаласы бойынша филиалы",
    branchNameRu: "Филиал Фонда по г. Астана",
    now,
    period: { from: at(2026, 6, 1, 0), to: at(2026, 7, 1, 0) },
    thresholds: { HEAD_SIGNING: 5, REVIEW: 3, CHECK: 2, APPROVAL: 2 },
    open: {
      cells: [
        { stage: "HEAD_SIGNING", bucket: 2, count: 1, breached: 0 },
        { stage: "REVIEW", bucket: 2, count: 1, breached: 1 },
        { stage: "CHECK", bucket: 0, count: 1, breached: 0 },
        { stage: "APPROVAL", bucket: 4, count: 1, breached: 1 },
      ],
      byStage: {
        HEAD_SIGNING: { open: 1, breached: 0 },
        REVIEW: { open: 1, breached: 1 },
        CHECK: { open: 1, breached: 0 },
        APPROVAL: { open: 1, breached: 1 },
      },
      open: 4,
      breached: 2,
    },
    weeks: Array.from({ length: 12 }, (_, i) => ({
      weekStart: weekBounds(now)[i]!,
      weekEnd: weekBounds(now)[i + 1]!,
      overdue: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2][i]!,
      newBreaches: [0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1][i]!,
    })),
    decisions: [
      { userId: "u1", fullName: "Жанар Бекова", role: "REVIEWER", forward: 5, returned: 0 },
      { userId: "u2", fullName: "Ерлан <Сәрсенов>", role: "CHECKER", forward: 4, returned: 1 },
      { userId: "u3", fullName: null, role: "APPROVER", forward: 2, returned: 0 },
    ],
    overdue: [
      {
        applicationId: "a5",
        versionNo: 1,
        status: "CONFIRMED_APPROVAL",
        stage: "APPROVAL",
        orgNameKk: "«Денсаулық & К» ЖШС",
        orgNameRu: "ТОО «Здоровье & К»",
        bin: "010140001231",
        since: at(2026, 6, 8),
        deadline: at(2026, 6, 10, 18),
        overdueDays: 19,
      },
    ],
  };
}

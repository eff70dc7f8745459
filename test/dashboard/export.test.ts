// The register and the decisions as CSV and XLSX, parsed back: headers in kk/ru, rows, dates dd.mm.yyyy, a BIN
// with a leading zero kept, Kazakh letters intact, nothing executable.
import ExcelJS from "exceljs";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { csvWriter, tableToCsv } from "../../adapters/export/csv.ts";
import { columnName, excelSerial, xlsxWriter } from "../../adapters/export/xlsx.ts";
import { translator } from "../../bot/kit/i18n.ts";
import { exportFileName, exportTable } from "../../bot/views/exports.ts";
import { fromAstana } from "../../domain/calendar.ts";
import type { ExportRow } from "../../domain/dashboard.ts";

const at = (m: number, d: number, h = 10) => fromAstana(2026, m, d, h, 0)!;

const rows: ExportRow[] = [
  {
    applicationId: "0b9c…-a1",
    chainId: "c1",
    versionNo: 2,
    orgNameKk: "«Денсаулық; Қала» ЖШС",
    orgNameRu: 'ТОО "Здоровье; Город"',
    bin: "010140001231",
    regionKk: "Астана қаласы",
    regionRu: "г. Астана",
    status: "INCLUDED",
    submittedAt: at(6, 22),
    decidedAt: fromAstana(2026, 7, 1, 23, 30)!, // 18:30 UTC: still 1 July in Astana
    reviewer: "Жанар Бекова",
    checker: '=HYPERLINK("x")',
    approver: null,
  },
  {
    applicationId: "a2",
    chainId: "c2",
    versionNo: 1,
    orgNameKk: "«Ақ ниет» ЖШС",
    orgNameRu: "ТОО «Ак ниет»",
    bin: "150340003212",
    regionKk: null,
    regionRu: null,
    status: "REJECTED",
    submittedAt: null,
    decidedAt: at(6, 18),
    reviewer: null,
    checker: null,
    approver: "Гүлнар Әбілқайырова",
  },
];

/** RFC 4180 with «;»: enough to read back what tableToCsv writes. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ";") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      out.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return out;
}

describe("CSV", () => {
  it("is UTF-8 with a BOM, «;»-separated, CRLF, and reads back to the same rows (ru)", () => {
    const table = exportTable(translator("ru"), "ru", "register", rows);
    const buf = csvWriter.write(table);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.toString("utf8").slice(1);
    expect(text.endsWith("\r\n")).toBe(true);
    const parsed = parseCsv(text);
    expect(parsed[0]).toEqual([
      "№ заявки",
      "Версия",
      "Организация",
      "БИН/ИИН",
      "Регион",
      "Статус",
      "Дата подачи",
      "Дата решения",
      "Рассматривающий",
      "Проверяющий",
      "Согласующий",
    ]);
    expect(parsed[1]).toEqual([
      "0b9c…-a1",
      "2",
      'ТОО "Здоровье; Город"',
      "010140001231",
      "г. Астана",
      "Включен в БД",
      "22.06.2026",
      "01.07.2026",
      "Жанар Бекова",
      '\'=HYPERLINK("x")',
      "",
    ]);
    expect(parsed[2]!.slice(4, 8)).toEqual(["", "Отклонена", "", "18.06.2026"]);
    expect(parsed).toHaveLength(3);
  });

  it("has Kazakh headers and Kazakh names in a kk export", () => {
    const text = tableToCsv(exportTable(translator("kk"), "kk", "decisions", rows));
    const parsed = parseCsv(text.slice(1));
    expect(parsed[0]!.slice(0, 6)).toEqual(["Өтінім №", "Нұсқа", "Ұйым", "БСН/ЖСН", "Өңір", "Мәртебесі"]);
    expect(parsed[1]![2]).toBe("«Денсаулық; Қала» ЖШС");
    expect(parsed[1]![5]).toBe("Дерекқорға енгізілді");
    expect(parsed[2]![10]).toBe("Гүлнар Әбілқайырова");
  });
});

describe("XLSX", () => {
  it("is a real workbook: parsed by exceljs with the rows, text BIN, dd.mm.yyyy dates and a frozen header", async () => {
    const table = exportTable(translator("ru"), "ru", "register", rows);
    const buf = xlsxWriter.write(table);
    expect(buf.subarray(0, 2).toString("latin1")).toBe("PK");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe("Реестр");
    expect(ws.rowCount).toBe(3);
    expect(ws.getRow(1).getCell(1).value).toBe("№ заявки");
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    const r = ws.getRow(2);
    expect(r.getCell(2).value).toBe(2);
    expect(r.getCell(3).value).toBe('ТОО "Здоровье; Город"');
    expect(r.getCell(4).value).toBe("010140001231");
    expect(r.getCell(6).value).toBe("Включен в БД");
    expect(r.getCell(7).value).toEqual(new Date(Date.UTC(2026, 5, 22)));
    expect(r.getCell(7).numFmt).toMatch(/^dd\\?\.mm\\?\.yyyy$/);
    expect(r.getCell(8).value).toEqual(new Date(Date.UTC(2026, 6, 1)));
    expect(r.getCell(10).value).toBe('=HYPERLINK("x")'); // a text cell: never a formula
    expect(r.getCell(10).formula).toBeUndefined();
    expect(r.getCell(11).value).toBeNull();
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
  });

  it("unzips to the Office Open XML parts with Kazakh text intact", () => {
    const buf = xlsxWriter.write(exportTable(translator("kk"), "kk", "decisions", rows));
    const files = unzipSync(new Uint8Array(buf));
    expect(Object.keys(files).sort()).toEqual([
      "[Content_Types].xml",
      "_rels/.rels",
      "docProps/app.xml",
      "xl/_rels/workbook.xml.rels",
      "xl/styles.xml",
      "xl/workbook.xml",
      "xl/worksheets/sheet1.xml",
    ]);
    const sheet = strFromU8(files["xl/worksheets/sheet1.xml"]!);
    expect(sheet).toContain("«Денсаулық; Қала» ЖШС");
    expect(sheet).toContain("Дерекқорға енгізілді");
    expect(sheet).not.toContain("<f>");
    expect(strFromU8(files["xl/workbook.xml"]!)).toContain('name="Шешімдер"');
  });

  it("numbers columns and dates as Excel does", () => {
    expect([0, 25, 26, 701, 702].map(columnName)).toEqual(["A", "Z", "AA", "ZZ", "AAA"]);
    expect(excelSerial("1900-03-01")).toBe(61);
    expect(excelSerial("2026-07-01")).toBe(46204);
  });

  it("names the files in ASCII with the region and the Astana date", () => {
    expect(exportFileName(translator("ru"), "register", "ASTANA", at(7, 8), "xlsx")).toBe(
      "reestr-ASTANA-2026-07-08.xlsx",
    );
    expect(exportFileName(translator("kk"), "decisions", "ASTANA", at(7, 8), "csv")).toBe(
      "sheshimder-ASTANA-2026-07-08.csv",
    );
  });
});

/**
 * A streaming XLSX (Office Open XML SpreadsheetML) writer on fflate's streaming zip.
 *
 * Why not a spreadsheet library: the ones on npm that run on Workers (SheetJS `xlsx`, `write-excel-file`)
 * build the whole workbook in memory before zipping it, and ExcelJS's streaming writer needs Node
 * streams and fs. A 100,000-complaint report is ~30 MB of sheet XML, which must go out to R2 page by
 * page within a Worker's 128 MB. The format itself is small: a few fixed XML parts and one XML file
 * per sheet, written here row by row and deflated as it goes (fflate, maintained, no Node APIs).
 *
 * Cells: numbers are numeric cells, dates are numeric serials with a date style (Excel's own
 * representation), text is an inline string (no shared-strings table, which would have to hold every
 * string in memory until the end); everything UTF-8, so Bengali stays as it is.
 */
import { Zip, ZipDeflate } from "fflate";

export type Cell = string | number | Date | null | undefined | { value: number | Date | string | null; style: keyof typeof STYLE };

/** cellXfs indexes in styles.xml below. */
export const STYLE = { normal: 0, date: 1, header: 2, percent: 3, decimal: 4 } as const;

const encoder = new TextEncoder();

/** XML text: escaped, and without the control characters XML 1.0 forbids. */
export function xmlText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** A column's letters: 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Excel's serial day number of an instant, shown as Dhaka wall-clock time (UTC+6, no DST). */
export function excelSerial(date: Date): number {
  return (date.getTime() + 6 * 3_600_000) / 86_400_000 + 25_569;
}

function cellXml(ref: string, cell: Cell): string {
  let value = cell;
  let style: number = STYLE.normal;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    style = STYLE[value.style];
    value = value.value;
  }
  if (value === null || value === undefined || value === "") return "";
  if (value instanceof Date) return `<c r="${ref}" s="${style === STYLE.normal ? STYLE.date : style}"><v>${excelSerial(value)}</v></c>`;
  if (typeof value === "number") return Number.isFinite(value) ? `<c r="${ref}"${style ? ` s="${style}"` : ""}><v>${value}</v></c>` : "";
  const preserve = /^\s|\s$/.test(value) ? ' xml:space="preserve"' : "";
  return `<c r="${ref}" t="inlineStr"${style ? ` s="${style}"` : ""}><is><t${preserve}>${xmlText(value)}</t></is></c>`;
}

export function rowXml(rowNumber: number, cells: Cell[]): string {
  return `<row r="${rowNumber}">${cells.map((c, i) => cellXml(`${columnName(i)}${rowNumber}`, c)).join("")}</row>`;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const STYLES_XML = `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd hh:mm"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>`;

export interface SheetWriter {
  /** Appends rows (numbered on from the last). */
  rows(rows: Cell[][]): void;
  /** Closes the sheet's XML part. */
  end(): void;
}

/**
 * A workbook whose sheets are declared up front (their order in Excel) and then written one at a
 * time, each closed before the next. `sink` receives the zip's bytes as they are produced.
 */
export class XlsxWriter {
  private readonly zip: Zip;
  private failure: Error | null = null;
  private finished = false;

  constructor(
    private readonly sheetNames: string[],
    sink: (chunk: Uint8Array) => void,
  ) {
    this.zip = new Zip((err, chunk, final) => {
      if (err) this.failure = err;
      else {
        sink(chunk);
        if (final) this.finished = true;
      }
    });
    this.part("[Content_Types].xml", `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
${sheetNames.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join("")}
</Types>`);
    this.part("_rels/.rels", `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
    this.part("xl/workbook.xml", `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${sheetNames
      .map((name, i) => `<sheet name="${xmlText(name.slice(0, 31))}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join("")}</sheets></workbook>`);
    this.part("xl/_rels/workbook.xml.rels", `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheetNames
      .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
      .join("")}<Relationship Id="rId${sheetNames.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`);
    this.part("xl/styles.xml", STYLES_XML);
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private part(path: string, xml: string): void {
    const file = new ZipDeflate(path, { level: 6 });
    this.zip.add(file);
    file.push(encoder.encode(xml), true);
    this.check();
  }

  /** Opens the sheet named `name` (one of the declared names); `widths` in characters per column. */
  sheet(name: string, widths: number[] = []): SheetWriter {
    const index = this.sheetNames.indexOf(name);
    if (index < 0) throw new Error(`undeclared sheet ${name}`);
    const file = new ZipDeflate(`xl/worksheets/sheet${index + 1}.xml`, { level: 6 });
    this.zip.add(file);
    const cols = widths.length ? `<cols>${widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join("")}</cols>` : "";
    file.push(encoder.encode(`${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>${cols}<sheetData>`));
    let row = 0;
    return {
      rows: (rows) => {
        if (rows.length === 0) return;
        file.push(encoder.encode(rows.map((cells) => rowXml(++row, cells)).join("")));
        this.check();
      },
      end: () => {
        file.push(encoder.encode("</sheetData></worksheet>"), true);
        this.check();
      },
    };
  }

  /** Writes the zip's central directory; every sheet must have been ended. */
  end(): void {
    this.zip.end();
    this.check();
    if (!this.finished) throw new Error("xlsx: a sheet was left open");
  }
}

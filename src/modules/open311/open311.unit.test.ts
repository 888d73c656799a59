/** Pure pieces of Open311: the XML writer (checked with the tests' strict reader) and W3C datetimes. */
import { describe, expect, it } from "vitest";
import { asXmlCarries, parseXml, readXml } from "../../../test/support/xml";
import { parseRequestsQuery, parseW3cDatetime } from "./open311.input";
import { escapeXml, toXmlDocument } from "./open311.xml";

describe("XML writer", () => {
  it("escapes markup, keeps Bengali as UTF-8 characters and drops what XML 1.0 cannot carry", () => {
    const doc = toXmlDocument("errors", [{ code: 400, description: `<b>"a" & 'b'</b> রাস্তা\u0001\u0008 ok` }]);
    expect(doc.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<errors><error>')).toBe(true);
    expect(doc).toContain("&lt;b&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/b&gt; রাস্তা ok");
    expect(readXml(doc).value).toEqual([{ code: "400", description: `<b>"a" & 'b'</b> রাস্তা ok` }]);
    expect(escapeXml("\uD800x\uFFFE")).toBe("x"); // a lone surrogate and a non-character
  });

  it("writes null as an empty element and lists under the spec's item names", () => {
    const value = { service_code: "roads", attributes: [{ code: "priority", datatype_description: null, values: [{ key: "high", name: "উচ্চ" }] }] };
    const doc = toXmlDocument("service_definition", value);
    expect(doc).toContain("<attributes><attribute><code>priority</code><datatype_description/><values><value><key>high</key>");
    expect(readXml(doc)).toEqual({ root: "service_definition", value: asXmlCarries(value) });
  });

  it("refuses a list it has no item name for", () => {
    expect(() => toXmlDocument("x", { things: [1] })).toThrow(/no XML item name/);
  });

  it("the tests' reader refuses documents that are not well-formed", () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    for (const bad of [`${head}<a><b></a></b>`, `${head}<a>x & y</a>`, `${head}<a>&nbsp;</a>`, `${head}<a>`, "<a/>", `${head}<a/><b/>`, `${head}<a>1 < 2</a>`]) {
      expect(() => parseXml(bad), bad).toThrow();
    }
  });
});

describe("W3C datetimes", () => {
  it("reads the profile's forms, with the zone, and a bare date as the Dhaka day's start", () => {
    expect(parseW3cDatetime("1994-11-05T08:15:30-05:00")?.toISOString()).toBe("1994-11-05T13:15:30.000Z");
    expect(parseW3cDatetime("1994-11-05T13:15:30Z")?.toISOString()).toBe("1994-11-05T13:15:30.000Z");
    expect(parseW3cDatetime("2026-11-22T10:00+06:00")?.toISOString()).toBe("2026-11-22T04:00:00.000Z");
    expect(parseW3cDatetime("2026-11-22T10:00:00.250+06:00")?.toISOString()).toBe("2026-11-22T04:00:00.250Z");
    expect(parseW3cDatetime("2026-11-22")?.toISOString()).toBe("2026-11-21T18:00:00.000Z");
  });

  it("refuses impossible dates, missing zones and other text", () => {
    for (const bad of ["2026-02-30", "2026-13-01", "2026-11-22T25:00Z", "2026-11-22T10:00:00", "yesterday", "2026-11-22T10:00:00+15:00", "", "2026-11-22 10:00:00Z"]) {
      expect(parseW3cDatetime(bad), bad).toBeNull();
    }
  });

  it("defaults the requests window to the last 90 days, follows a start or end alone, refuses more than 90", () => {
    const now = new Date("2026-11-22T00:00:00Z");
    const whole = parseRequestsQuery({}, now);
    expect(whole.end).toEqual(now);
    expect(now.getTime() - whole.start.getTime()).toBe(90 * 86_400_000);
    const fromStart = parseRequestsQuery({ start_date: "2026-01-01T00:00:00Z" }, now);
    expect(fromStart.end.toISOString()).toBe("2026-04-01T00:00:00.000Z");
    const toEnd = parseRequestsQuery({ end_date: "2026-04-01T00:00:00Z" }, now);
    expect(toEnd.start.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(() => parseRequestsQuery({ start_date: "2026-01-01T00:00:00Z", end_date: "2026-04-02T00:00:00Z" }, now)).toThrow(/90 days/);
    expect(() => parseRequestsQuery({ start_date: "2026-02-01T00:00:00Z", end_date: "2026-01-01T00:00:00Z" }, now)).toThrow(/after end_date/);
  });
});

/**
 * The GeoReport v2 view of our complaint model, with no I/O: services are the complaint categories
 * (their English aliases are the stable ASCII `service_code`s, the Bengali names the `service_name`),
 * each with the same two attributes, and our workflow's four statuses fold into open | closed.
 */
import { canonicalEnumValue, enumCatalog } from "../../lib/enums";
import { STATUS } from "../complaints/status-machine";

const DESCRIPTIONS: Record<string, string> = {
  cleanliness: "Cleanliness: streets, drains and public places that need cleaning.",
  waste_management: "Waste management: uncollected garbage, overflowing bins, illegal dumping.",
  water_supply: "Water supply: no water, leaks, dirty water.",
  roads: "Roads: potholes, broken footpaths, waterlogging on the road.",
  electricity: "Electricity: street lights out, dangerous wires.",
  other: "Other civic problems.",
};

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: "realtime";
  keywords: string;
  group: string;
}

export const SERVICES: readonly Open311Service[] = enumCatalog.complaint_category.map((category) => ({
  service_code: category.alias,
  service_name: category.value,
  description: DESCRIPTIONS[category.alias] ?? category.en,
  metadata: true,
  type: "realtime",
  keywords: [...new Set([category.alias.replace(/_/g, " "), category.en.toLowerCase(), category.value])].join(", "),
  group: "complaints",
}));

/** The stored category for a service code (the alias; the Bengali name is accepted too), or undefined. */
export function categoryOf(serviceCode: string): string | undefined {
  return canonicalEnumValue("complaint_category", serviceCode);
}

/** The service code of a stored category. */
export function serviceCodeOf(category: string): string {
  return enumCatalog.complaint_category.find((c) => c.value === category)?.alias ?? "other";
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: "string" | "number" | "datetime" | "text" | "singlevaluelist" | "multivaluelist";
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values?: Array<{ key: string; name: string }>;
}

/**
 * Every service takes the same attributes. `priority` is a singlevaluelist: a complaint has exactly
 * one priority, so a list that allows several would describe something we cannot store.
 */
export const ATTRIBUTES: readonly Open311Attribute[] = [
  {
    variable: true,
    code: "priority",
    datatype: "singlevaluelist",
    required: false,
    datatype_description: null,
    order: 1,
    description: "Priority (অগ্রাধিকার). Medium when not given.",
    values: enumCatalog.complaint_priority.map((p) => ({ key: p.alias, name: p.value })),
  },
  {
    variable: true,
    code: "ward_number",
    datatype: "string",
    required: false,
    datatype_description: "The city ward number, 1 to 3 digits, e.g. 12.",
    order: 2,
    description: "Ward number (ওয়ার্ড নম্বর), when the reporter knows it.",
  },
];

export function serviceDefinition(serviceCode: string) {
  return { service_code: serviceCode, attributes: ATTRIBUTES.map((a) => ({ ...a })) };
}

/** Our workflow → GeoReport v2's two statuses. */
export function open311Status(status: string): "open" | "closed" {
  return status === STATUS.submitted || status === STATUS.inProgress ? "open" : "closed";
}

/** The stored statuses behind open | closed. */
export const STATUSES_OF: Record<"open" | "closed", string[]> = {
  open: [STATUS.submitted, STATUS.inProgress],
  closed: [STATUS.resolved, STATUS.cancelled],
};

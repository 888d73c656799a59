/**
 * The contract's enumerations (§2): stored and returned exactly as written, English aliases
 * accepted on input. One list per enum feeds the DB check constraints, zod schemas and /meta/enums.
 */
export interface EnumValue {
  value: string;
  en: string;
  bn: string;
  alias: string;
}

const e = (value: string, alias: string, en: string, bn = value): EnumValue => ({ value, alias, en, bn });

export const USER_TYPES = ["citizen", "admin", "super_admin", "service_provider"] as const;
export type UserType = (typeof USER_TYPES)[number];
export const STAFF_TYPES: readonly UserType[] = ["admin", "super_admin"];
/** Modules an admin's permissions are granted for (each with create/read/update/delete, per ward). */
export const PERMISSION_TYPES = ["complaints", "emergency", "notices", "calendar", "waste", "gallery", "payments", "chat", "users", "reports"] as const;
export type PermissionType = (typeof PERMISSION_TYPES)[number];
export type PermissionAction = "create" | "read" | "update" | "delete";

export const OTP_PURPOSES = ["registration", "login", "password_reset"] as const;
export type OtpPurpose = (typeof OTP_PURPOSES)[number];

export const enumCatalog = {
  complaint_category: [
    e("পরিচ্ছন্নতা", "cleanliness", "Cleanliness"),
    e("বর্জ্য ব্যবস্থাপনা", "waste_management", "Waste management"),
    e("পানি সরবরাহ", "water_supply", "Water supply"),
    e("রাস্তাঘাট", "roads", "Roads"),
    e("বিদ্যুৎ", "electricity", "Electricity"),
    e("অন্যান্য", "other", "Other"),
  ],
  complaint_priority: [e("উচ্চ", "high", "High"), e("মধ্যম", "medium", "Medium"), e("নিম্ন", "low", "Low")],
  complaint_status: [
    e("জমা দেওয়া হয়েছে", "submitted", "Submitted"),
    e("প্রক্রিয়াধীন", "in_progress", "In progress"),
    e("সমাধান হয়েছে", "resolved", "Resolved"),
    e("বাতিল", "cancelled", "Cancelled"),
  ],
  emergency_type: [
    e("অগ্নিকাণ্ড", "fire", "Fire"),
    e("চিকিৎসা জরুরি", "medical", "Medical emergency"),
    e("পুলিশ", "police", "Police"),
    e("প্রাকৃতিক দুর্যোগ", "natural_disaster", "Natural disaster"),
    e("অন্যান্য", "other", "Other"),
  ],
  emergency_status: [
    e("জমা দেওয়া হয়েছে", "submitted", "Submitted"),
    e("প্রক্রিয়াধীন", "in_progress", "In progress"),
    e("সমাধান হয়েছে", "resolved", "Resolved"),
  ],
  payment_method: [
    e("bkash", "bkash", "bKash", "বিকাশ"),
    e("nagad", "nagad", "Nagad", "নগদ"),
    e("rocket", "rocket", "Rocket", "রকেট"),
    e("upay", "upay", "Upay", "উপায়"),
    e("card", "card", "Card", "কার্ড"),
    e("bank", "bank", "Bank", "ব্যাংক"),
  ],
  payment_status: [
    e("pending", "pending", "Pending", "অপেক্ষমাণ"),
    e("processing", "processing", "Processing", "প্রক্রিয়াধীন"),
    e("completed", "completed", "Completed", "সম্পন্ন"),
    e("failed", "failed", "Failed", "ব্যর্থ"),
    e("cancelled", "cancelled", "Cancelled", "বাতিল"),
    e("refunded", "refunded", "Refunded", "ফেরত দেওয়া হয়েছে"),
  ],
  otp_purpose: [
    e("registration", "registration", "Registration", "নিবন্ধন"),
    e("login", "login", "Login", "লগইন"),
    e("password_reset", "password_reset", "Password reset", "পাসওয়ার্ড রিসেট"),
  ],
  notice_category: [
    e("general", "general", "General", "সাধারণ"),
    e("health", "health", "Health", "স্বাস্থ্য"),
    e("sanitation", "sanitation", "Sanitation", "পরিচ্ছন্নতা"),
    e("water", "water", "Water", "পানি"),
    e("roads", "roads", "Roads", "রাস্তাঘাট"),
    e("events", "events", "Events", "অনুষ্ঠান"),
    e("emergency", "emergency", "Emergency", "জরুরি অবস্থা"),
    e("tax", "tax", "Tax", "কর"),
  ],
  notice_priority: [
    e("low", "low", "Low", "নিম্ন"),
    e("normal", "normal", "Normal", "সাধারণ"),
    e("high", "high", "High", "উচ্চ"),
    e("urgent", "urgent", "Urgent", "জরুরি"),
  ],
  calendar_category: [
    e("public_holiday", "public_holiday", "Public holiday", "সরকারি ছুটি"),
    e("city_event", "city_event", "City event", "নগর অনুষ্ঠান"),
    e("vaccination", "vaccination", "Vaccination", "টিকাদান"),
    e("cleaning_drive", "cleaning_drive", "Cleaning drive", "পরিচ্ছন্নতা অভিযান"),
    e("tax_deadline", "tax_deadline", "Tax deadline", "কর পরিশোধের শেষ সময়"),
    e("meeting", "meeting", "Meeting", "সভা"),
    e("other", "other", "Other", "অন্যান্য"),
  ],
  chat_message_type: [
    e("text", "text", "Text", "লেখা"),
    e("image", "image", "Image", "ছবি"),
    e("file", "file", "File", "ফাইল"),
  ],
  waste_type: [
    e("household", "household", "Household", "গৃহস্থালি"),
    e("recyclable", "recyclable", "Recyclable", "পুনর্ব্যবহারযোগ্য"),
    e("medical", "medical", "Medical", "চিকিৎসা বর্জ্য"),
    e("construction", "construction", "Construction debris (bulky)", "নির্মাণ বর্জ্য (বড় আকারের)"),
    e("e_waste", "e_waste", "E-waste", "ই-বর্জ্য"),
  ],
  pickup_status: [
    e("requested", "requested", "Requested", "অনুরোধ করা হয়েছে"),
    e("scheduled", "scheduled", "Scheduled", "সময় নির্ধারিত"),
    e("collected", "collected", "Collected", "সংগ্রহ করা হয়েছে"),
    e("cancelled", "cancelled", "Cancelled", "বাতিল"),
  ],
  sts_status: [
    e("operational", "operational", "Operational", "চালু"),
    e("maintenance", "maintenance", "Under maintenance", "রক্ষণাবেক্ষণে"),
    e("closed", "closed", "Closed", "বন্ধ"),
  ],
  user_type: [
    e("citizen", "citizen", "Citizen", "নাগরিক"),
    e("admin", "admin", "Admin", "প্রশাসক"),
    e("super_admin", "super_admin", "Super admin", "সুপার অ্যাডমিন"),
    e("service_provider", "service_provider", "Service provider", "সেবা প্রদানকারী"),
  ],
} as const satisfies Record<string, readonly EnumValue[]>;

export type EnumName = keyof typeof enumCatalog;

/** Stored value for an input that is either the stored value or its English alias. */
export function canonicalEnumValue(name: EnumName, input: string): string | undefined {
  const needle = input.trim();
  return enumCatalog[name].find((v) => v.value === needle || v.alias === needle.toLowerCase())?.value;
}

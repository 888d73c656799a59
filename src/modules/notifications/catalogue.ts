/**
 * Every event a user can be told about: its inbox category, how it may travel, and its words in
 * Bengali and English (chosen by the recipient's language preference; Bengali by default).
 *
 * Channels: an inbox row always; push when the event allows it and the user has a device and
 * allows the category (outside their quiet hours, except emergencies); SMS `always` (emergencies:
 * both), as a `fallback` when no push reached any device, or `never` (chat: the app shows it).
 * OTP codes do not pass through here: they are always a plain SMS (src/modules/auth/otp.service.ts).
 */
export type NotificationCategory = "complaints" | "payments" | "notices" | "chat" | "emergencies" | "waste" | "account";
export type SmsPolicy = "always" | "fallback" | "never";
export type Lang = "bn" | "en";

interface Words {
  title: string;
  body: string;
  /** The SMS text when one is sent (defaults to the body with a "Clean Care:" prefix). */
  sms?: string;
}

interface EventSpec<P> {
  category: NotificationCategory;
  push: boolean;
  sms: SmsPolicy;
  words: (payload: P, lang: Lang) => Words;
  link: (payload: P) => { resource_type: string; resource_id: string; deep_link: string };
}

const spec = <P>(s: EventSpec<P>) => s;

/** Bengali digits for amounts in Bengali texts (placeholders like {{x}} are left alone). */
const bnDigits = (s: string) => s.replace(/\d/g, (d) => "০১২৩৪৫৬৭৮৯"[Number(d)]!);

export const catalogue = {
  "complaint.status_changed": spec<{ complaint_id: string; tracking_number: string; status: string }>({
    category: "complaints",
    push: true,
    sms: "fallback",
    words: (p, lang) =>
      lang === "en"
        ? { title: "Complaint updated", body: `Your complaint ${p.tracking_number} is now "${p.status}".` }
        : { title: "অভিযোগের অবস্থা বদলেছে", body: `আপনার অভিযোগ ${p.tracking_number} এর অবস্থা এখন "${p.status}"।` },
    link: (p) => ({ resource_type: "complaint", resource_id: p.complaint_id, deep_link: `cleancare://complaints/${p.complaint_id}` }),
  }),
  "complaint.assigned": spec<{ complaint_id: string; tracking_number: string; assignee: string }>({
    category: "complaints",
    push: true,
    sms: "fallback",
    words: (p, lang) =>
      lang === "en"
        ? { title: "Complaint assigned", body: `${p.assignee} is now handling your complaint ${p.tracking_number}.` }
        : { title: "অভিযোগ দায়িত্ব পেয়েছে", body: `আপনার অভিযোগ ${p.tracking_number} দেখার দায়িত্ব ${p.assignee} কে দেওয়া হয়েছে।` },
    link: (p) => ({ resource_type: "complaint", resource_id: p.complaint_id, deep_link: `cleancare://complaints/${p.complaint_id}` }),
  }),
  "emergency.raised": spec<{ emergency_id: string; reference_number: string; emergency_type: string; location: string; ward: string; reporter_phone: string }>({
    category: "emergencies",
    push: true,
    sms: "always",
    words: (p, lang) =>
      lang === "en"
        ? { title: `Emergency ${p.reference_number}`, body: `${p.emergency_type} — ${p.location}${p.ward ? `, ward ${p.ward}` : ""}. Caller: ${p.reporter_phone}`, sms: `Clean Care emergency ${p.reference_number}: ${p.emergency_type} — ${p.location}${p.ward ? `, ward ${p.ward}` : ""}. Caller: ${p.reporter_phone}` }
        : {
            title: `জরুরি ${p.reference_number}`,
            body: `${p.emergency_type} — ${p.location}${p.ward ? `, ওয়ার্ড ${p.ward}` : ""}। যোগাযোগ: ${p.reporter_phone}`,
            sms: `Clean Care জরুরি ${p.reference_number}: ${p.emergency_type} — ${p.location}${p.ward ? `, ওয়ার্ড ${p.ward}` : ""}। যোগাযোগ: ${p.reporter_phone}`,
          },
    link: (p) => ({ resource_type: "emergency", resource_id: p.emergency_id, deep_link: `cleancare://emergency/${p.emergency_id}` }),
  }),
  "emergency.updated": spec<{ emergency_id: string; reference_number: string; status: string; note?: string | null }>({
    category: "emergencies",
    push: true,
    sms: "always",
    words: (p, lang) => {
      const note = p.note ? ` ${p.note.length > 300 ? `${p.note.slice(0, 299)}…` : p.note}` : "";
      return lang === "en"
        ? { title: "Emergency update", body: `Your emergency ${p.reference_number} is now "${p.status}".${note}` }
        : { title: "জরুরি অনুরোধের খবর", body: `আপনার জরুরি অনুরোধ ${p.reference_number} এর অবস্থা এখন "${p.status}"।${note}` };
    },
    link: (p) => ({ resource_type: "emergency", resource_id: p.emergency_id, deep_link: `cleancare://emergency/${p.emergency_id}` }),
  }),
  "notice.urgent": spec<{ notice_id: string; title: string }>({
    category: "notices",
    push: true,
    sms: "fallback",
    words: (p, lang) =>
      lang === "en"
        ? { title: "Urgent notice", body: p.title, sms: `Clean Care urgent notice: ${p.title}` }
        : { title: "জরুরি নোটিশ", body: p.title, sms: `Clean Care জরুরি নোটিশ: ${p.title}` },
    link: (p) => ({ resource_type: "notice", resource_id: p.notice_id, deep_link: `cleancare://notices/${p.notice_id}` }),
  }),
  "payment.completed": spec<{ payment_id: string; amount: string; service: string; transaction_id: string; gateway_trx: string | null }>({
    category: "payments",
    push: true,
    sms: "fallback",
    words: (p, lang) => {
      const trx = p.gateway_trx ? `, TrxID ${p.gateway_trx}` : "";
      return lang === "en"
        ? { title: "Payment received", body: `Your payment of ৳${p.amount} (${p.service}) is complete. Transaction ${p.transaction_id}${trx}.` }
        : {
            title: "পেমেন্ট সম্পন্ন হয়েছে",
            body: `আপনার ৳${bnDigits(p.amount)} পেমেন্ট (${p.service}) সম্পন্ন হয়েছে। লেনদেন নং ${p.transaction_id}${trx}। ধন্যবাদ।`,
          };
    },
    link: (p) => ({ resource_type: "payment", resource_id: p.payment_id, deep_link: `cleancare://payments/${p.payment_id}` }),
  }),
  "donation.completed": spec<{ payment_id: string; amount: string; project: string; receipt_number: string }>({
    category: "payments",
    push: true,
    sms: "fallback",
    words: (p, lang) =>
      lang === "en"
        ? { title: "Thank you for your donation", body: `Thank you for donating ৳${p.amount} to "${p.project}". Receipt ${p.receipt_number}.` }
        : { title: "অনুদানের জন্য ধন্যবাদ", body: `"${p.project}" প্রকল্পে ৳${bnDigits(p.amount)} অনুদানের জন্য ধন্যবাদ। রসিদ নং ${p.receipt_number}।` },
    link: (p) => ({ resource_type: "payment", resource_id: p.payment_id, deep_link: `cleancare://payments/${p.payment_id}` }),
  }),
  "waste.pickup_status": spec<{ pickup_id: string; reference_number: string; status_bn: string; status_en: string; when_bn: string; when_en: string; note: string | null }>({
    category: "waste",
    push: true,
    sms: "fallback",
    words: (p, lang) => {
      const note = p.note ? ` ${p.note.length > 300 ? `${p.note.slice(0, 299)}…` : p.note}` : "";
      return lang === "en"
        ? { title: "Pickup request updated", body: `Your waste pickup request ${p.reference_number} is now "${p.status_en}"${p.when_en}.${note}` }
        : { title: "বর্জ্য অপসারণ অনুরোধ", body: `আপনার বর্জ্য অপসারণ অনুরোধ ${p.reference_number} এর অবস্থা এখন "${p.status_bn}"${p.when_bn}।${note}` };
    },
    link: (p) => ({ resource_type: "waste_pickup", resource_id: p.pickup_id, deep_link: `cleancare://waste/pickups/${p.pickup_id}` }),
  }),
  "chat.message": spec<{ room_id: string; sender: string; preview: string }>({
    category: "chat",
    push: true,
    sms: "never",
    words: (p, lang) => ({ title: lang === "en" ? `Message from ${p.sender}` : `${p.sender} এর বার্তা`, body: p.preview }),
    link: (p) => ({ resource_type: "chat_room", resource_id: p.room_id, deep_link: `cleancare://chat/${p.room_id}` }),
  }),
} as const;

export type EventType = keyof typeof catalogue;
export type PayloadOf<E extends EventType> = Parameters<(typeof catalogue)[E]["words"]>[0];

export interface NotificationEvent<E extends EventType = EventType> {
  type: E;
  /** What happened, unique per event: a recipient gets each key once (e.g. "complaint:<id>:status:<n>"). */
  key: string;
  payload: PayloadOf<E>;
}

/** The event in both languages, ready to be written into inbox rows. */
export function render<E extends EventType>(event: NotificationEvent<E>) {
  const s = catalogue[event.type] as unknown as EventSpec<PayloadOf<E>>;
  const both = { bn: s.words(event.payload, "bn"), en: s.words(event.payload, "en") };
  const sms = (w: Words) => w.sms ?? `Clean Care: ${w.body}`;
  return { category: s.category, push: s.push, sms: s.sms, data: s.link(event.payload), bn: { ...both.bn, sms: sms(both.bn) }, en: { ...both.en, sms: sms(both.en) } };
}

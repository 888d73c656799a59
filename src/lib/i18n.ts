/** Human messages for error codes and common notices, English and Bengali. */
export type Lang = "en" | "bn";

export function pickLang(acceptLanguage: string | undefined | null): Lang {
  if (!acceptLanguage) return "en";
  // First language tag wins; "bn", "bn-BD" both select Bengali.
  const first = acceptLanguage.split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("bn") ? "bn" : "en";
}

const messages = {
  validation_error: { en: "The request has invalid fields.", bn: "অনুরোধে কিছু তথ্য সঠিক নয়।" },
  invalid_json: { en: "The request body is not valid JSON.", bn: "অনুরোধের বডি সঠিক JSON নয়।" },
  unauthorized: { en: "Authentication is required.", bn: "প্রবেশের জন্য লগইন করুন।" },
  invalid_credentials: { en: "Phone number or password is incorrect.", bn: "ফোন নম্বর বা পাসওয়ার্ড সঠিক নয়।" },
  token_expired: { en: "The token has expired.", bn: "টোকেনের মেয়াদ শেষ হয়ে গেছে।" },
  token_invalid: { en: "The token is invalid or has been revoked.", bn: "টোকেনটি সঠিক নয় বা বাতিল করা হয়েছে।" },
  forbidden: { en: "You are not allowed to do this.", bn: "আপনার এই কাজের অনুমতি নেই।" },
  not_verified: { en: "The phone number is not verified yet.", bn: "ফোন নম্বরটি এখনও যাচাই করা হয়নি।" },
  account_disabled: { en: "This account is disabled.", bn: "এই অ্যাকাউন্টটি নিষ্ক্রিয় করা হয়েছে।" },
  not_found: { en: "Not found.", bn: "খুঁজে পাওয়া যায়নি।" },
  method_not_allowed: { en: "Method not allowed.", bn: "এই পদ্ধতি অনুমোদিত নয়।" },
  conflict: { en: "The request conflicts with the current state.", bn: "বর্তমান অবস্থার সাথে অনুরোধটি সাংঘর্ষিক।" },
  payload_too_large: { en: "The request body is too large.", bn: "অনুরোধের আকার অনেক বড়।" },
  unsupported_media_type: { en: "This file or content type is not supported.", bn: "এই ধরনের ফাইল সমর্থিত নয়।" },
  rate_limited: { en: "Too many requests. Try again later.", bn: "অনেক বেশি অনুরোধ। কিছুক্ষণ পরে আবার চেষ্টা করুন।" },
  service_unavailable: { en: "The service is temporarily unavailable.", bn: "সেবাটি সাময়িকভাবে বন্ধ আছে।" },
  internal_error: { en: "Something went wrong on our side.", bn: "আমাদের দিকে একটি সমস্যা হয়েছে।" },
  otp_invalid: { en: "The code is wrong, expired or already used.", bn: "কোডটি ভুল, মেয়াদোত্তীর্ণ বা আগেই ব্যবহৃত।" },
  otp_attempts_exceeded: { en: "Too many wrong codes. Request a new code.", bn: "অনেকবার ভুল কোড দেওয়া হয়েছে। নতুন কোড নিন।" },
  phone_taken: { en: "An account with this phone number already exists.", bn: "এই ফোন নম্বরে ইতিমধ্যে একটি অ্যাকাউন্ট আছে।" },
  phone_pending: {
    en: "A sign-up for this phone number is waiting for its code. Enter the code we sent by SMS, or ask for a new one (resend-otp).",
    bn: "এই ফোন নম্বরের নিবন্ধন যাচাইয়ের অপেক্ষায় আছে। SMS-এ পাঠানো কোডটি দিন, অথবা নতুন কোড চান (resend-otp)।",
  },
  email_taken: { en: "An account with this email already exists.", bn: "এই ইমেইলে ইতিমধ্যে একটি অ্যাকাউন্ট আছে।" },
  wrong_password: { en: "The current password is incorrect.", bn: "বর্তমান পাসওয়ার্ড সঠিক নয়।" },
  payment_method_unavailable: {
    en: "This payment method is not available yet. Please choose another one.",
    bn: "এই পেমেন্ট পদ্ধতি এখনও চালু হয়নি। অন্য একটি পদ্ধতি বেছে নিন।",
  },
  payment_declined: { en: "The payment gateway declined the request.", bn: "পেমেন্ট গেটওয়ে অনুরোধটি গ্রহণ করেনি।" },
  payment_gateway_unavailable: {
    en: "The payment gateway is not answering. Please try again shortly.",
    bn: "পেমেন্ট গেটওয়ে সাড়া দিচ্ছে না। একটু পরে আবার চেষ্টা করুন।",
  },
  payment_not_refundable: { en: "Only a completed payment can be refunded.", bn: "শুধু সম্পন্ন পেমেন্ট ফেরত দেওয়া যায়।" },
  refund_in_progress: {
    en: "Another refund of this payment is still being processed. Try again in a minute.",
    bn: "এই পেমেন্টের আরেকটি ফেরত প্রক্রিয়াধীন। এক মিনিট পরে আবার চেষ্টা করুন।",
  },
  payment_service_unknown: {
    en: "Unknown service. Choose one from the list of payable services.",
    bn: "অজানা সেবা। পরিশোধযোগ্য সেবার তালিকা থেকে একটি বেছে নিন।",
  },
  payment_service_inactive: { en: "This service cannot be paid online at the moment.", bn: "এই সেবার ফি এখন অনলাইনে পরিশোধ করা যাচ্ছে না।" },
  payment_amount_not_allowed: { en: "The amount does not match this service's fee.", bn: "পরিমাণটি এই সেবার নির্ধারিত ফি-র সাথে মেলে না।" },
  payable_service_taken: {
    en: "Another payable service already uses this code or name.",
    bn: "অন্য একটি সেবা ইতিমধ্যে এই কোড বা নাম ব্যবহার করছে।",
  },
  payable_service_reserved: {
    en: "The donation entry cannot be removed: donations are made through POST /donations.",
    bn: "অনুদানের এন্ট্রি মুছে ফেলা যায় না: অনুদান POST /donations দিয়ে করা হয়।",
  },
  emergency_open_limit: {
    en: "You already have 3 open emergencies. Staff are on them; call 999 if it is urgent.",
    bn: "আপনার ৩টি জরুরি অনুরোধ এখনও খোলা আছে। কর্মীরা কাজ করছেন; খুব জরুরি হলে ৯৯৯-এ কল করুন।",
  },
  emergency_hourly_limit: {
    en: "At most 5 emergencies per hour. Call 999 if it is urgent.",
    bn: "এক ঘণ্টায় সর্বোচ্চ ৫টি জরুরি অনুরোধ করা যায়। খুব জরুরি হলে ৯৯৯-এ কল করুন।",
  },
  emergency_status_move: {
    en: "An emergency moves submitted → in progress → resolved, one step at a time.",
    bn: "জরুরি অনুরোধের অবস্থা ধাপে ধাপে বদলায়: জমা দেওয়া হয়েছে → প্রক্রিয়াধীন → সমাধান হয়েছে।",
  },
  waste_schedule_taken: {
    en: "This ward already has a schedule for this waste type; change that one instead.",
    bn: "এই ওয়ার্ডে এই ধরনের বর্জ্যের সময়সূচি আগে থেকেই আছে; সেটিই পরিবর্তন করুন।",
  },
  pickup_status_move: {
    en: "A pickup moves requested → scheduled → collected, or is cancelled while requested or scheduled.",
    bn: "অপসারণ অনুরোধের অবস্থা বদলায়: অনুরোধ করা হয়েছে → সময় নির্ধারিত → সংগ্রহ করা হয়েছে; অনুরোধ বা নির্ধারিত অবস্থায় বাতিল করা যায়।",
  },
  pickup_unpaid: {
    en: "This pickup carries a fee that has not been paid yet: it cannot be scheduled.",
    bn: "এই অপসারণের ফি এখনও পরিশোধ করা হয়নি: সময় নির্ধারণ করা যাবে না।",
  },
  pickup_not_payable: {
    en: "Nothing to pay: the pickup is free, already paid, or no longer waiting.",
    bn: "পরিশোধের কিছু নেই: অপসারণটি বিনামূল্যে, ইতিমধ্যে পরিশোধিত, অথবা আর অপেক্ষমাণ নয়।",
  },
  pickup_fee_elsewhere: {
    en: "Pickup fees are paid through POST /waste/pickup-requests/{id}/pay.",
    bn: "অপসারণ ফি POST /waste/pickup-requests/{id}/pay দিয়ে পরিশোধ করুন।",
  },
  upgrade_required: { en: "This endpoint needs a WebSocket upgrade.", bn: "এই ঠিকানায় WebSocket সংযোগ প্রয়োজন।" },
  // Chat (error frames and REST validation details)
  chat_text_too_long: { en: "A message may have at most 4,000 characters.", bn: "একটি বার্তায় সর্বোচ্চ ৪,০০০ অক্ষর থাকতে পারে।" },
  chat_text_empty: { en: "A text message cannot be empty.", bn: "লেখা বার্তা খালি রাখা যাবে না।" },
  chat_text_has_file: { en: "A text message has no file_url; upload files as attachments.", bn: "লেখা বার্তায় file_url থাকে না; ফাইল সংযুক্তি হিসেবে আপলোড করুন।" },
  chat_file_url_invalid: { en: "file_url must be an attachment uploaded to this room.", bn: "file_url অবশ্যই এই কক্ষে আপলোড করা একটি সংযুক্তি হতে হবে।" },
  chat_not_an_image: { en: 'This attachment is not an image; use message_type "file".', bn: 'এই সংযুক্তিটি ছবি নয়; message_type "file" ব্যবহার করুন।' },
  chat_client_msg_id_invalid: { en: "client_msg_id must be 1–64 letters, digits or . _ : -", bn: "client_msg_id-এ ১–৬৪টি অক্ষর, সংখ্যা বা . _ : - থাকতে পারে।" },
  chat_client_msg_id_taken: { en: "Someone else in this room already used this client_msg_id.", bn: "এই কক্ষে অন্য কেউ এই client_msg_id ব্যবহার করেছেন।" },
  chat_rate_limited: { en: "You are sending too fast. Slow down.", bn: "আপনি খুব দ্রুত পাঠাচ্ছেন। একটু ধীরে পাঠান।" },
  chat_frame_invalid: { en: "This frame is not valid chat protocol.", bn: "এই ফ্রেমটি সঠিক চ্যাট প্রোটোকল নয়।" },
  chat_frame_too_large: { en: "This frame is too large.", bn: "এই ফ্রেমটি অনেক বড়।" },
  chat_unknown_message: { en: "There is no such message in this room.", bn: "এই কক্ষে এমন কোনো বার্তা নেই।" },
  chat_replay_truncated: {
    en: "You missed more messages than one replay carries: reconnect with since=<last id received>, or page the history over REST.",
    bn: "একবারে পাঠানোর চেয়ে বেশি বার্তা বাদ পড়েছে: শেষ পাওয়া বার্তার id দিয়ে since সহ আবার সংযোগ করুন, অথবা REST থেকে ইতিহাস দেখুন।",
  },
  // Success notices
  payment_callback_received: { en: "Callback received; the payment is being verified.", bn: "কলব্যাক পাওয়া গেছে; পেমেন্ট যাচাই করা হচ্ছে।" },
  registered: { en: "Registered. A verification code was sent by SMS.", bn: "নিবন্ধন সম্পন্ন। যাচাইকরণ কোড SMS এ পাঠানো হয়েছে।" },
  verified: { en: "Phone number verified.", bn: "ফোন নম্বর যাচাই করা হয়েছে।" },
  otp_sent: { en: "If the number can receive a code, it has been sent.", bn: "নম্বরটি কোড পাওয়ার যোগ্য হলে কোড পাঠানো হয়েছে।" },
  logged_out: { en: "Logged out.", bn: "লগআউট সম্পন্ন।" },
  password_changed: { en: "Password changed.", bn: "পাসওয়ার্ড পরিবর্তন করা হয়েছে।" },
  password_reset_requested: { en: "If an account exists for this number, a code has been sent.", bn: "এই নম্বরে অ্যাকাউন্ট থাকলে কোড পাঠানো হয়েছে।" },
  password_reset_done: { en: "Password has been reset. Please sign in.", bn: "পাসওয়ার্ড রিসেট হয়েছে। আবার লগইন করুন।" },
  user_deactivated: { en: "User deactivated.", bn: "ব্যবহারকারী নিষ্ক্রিয় করা হয়েছে।" },
  last_super_admin: {
    en: "The last active super admin cannot be demoted or deactivated.",
    bn: "সর্বশেষ সক্রিয় সুপার অ্যাডমিনকে পদচ্যুত বা নিষ্ক্রিয় করা যায় না।",
  },
  report_link_expired: { en: "This download link has expired; open the report again for a new one.", bn: "ডাউনলোড লিংকের মেয়াদ শেষ; নতুন লিংকের জন্য রিপোর্টটি আবার খুলুন।" },
  range_not_satisfiable: { en: "The requested range is outside the file.", bn: "অনুরোধ করা অংশটি ফাইলের বাইরে।" },
  calendar_event_full: { en: "This event is full.", bn: "এই অনুষ্ঠানে আর কোনো আসন খালি নেই।" },
  calendar_event_ended: { en: "This event is over.", bn: "এই অনুষ্ঠানটি শেষ হয়ে গেছে।" },
  permissions_admin_only: { en: "Permissions apply to admin accounts only.", bn: "অনুমতি শুধু অ্যাডমিন অ্যাকাউন্টের জন্য।" },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof messages;

export function t(key: MessageKey, lang: Lang): string {
  return messages[key][lang];
}

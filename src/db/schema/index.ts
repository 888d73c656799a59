export * from "./users";
export * from "./sms";

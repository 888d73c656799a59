export * from "./users";
export * from "./sms";
export * from "./wards";
export * from "./sequences";
export * from "./complaints";
export * from "./payable-services";
export * from "./payments";
export * from "./chat";

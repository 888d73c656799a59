import type { ServiceContext } from "../../context";
import { OutboxSmsProvider } from "./outbox-provider";
import type { SmsProvider } from "./sms-provider";
import { SslWirelessSmsProvider } from "./sslwireless-provider";

export function smsProviderFor(services: ServiceContext): SmsProvider {
  const { config } = services;
  if (config.SMS_PROVIDER === "outbox") return new OutboxSmsProvider(services.db);
  // readConfig guarantees these are present when the provider is sslwireless.
  return new SslWirelessSmsProvider({
    apiUrl: config.SSLWIRELESS_API_URL!,
    apiToken: config.SSLWIRELESS_API_TOKEN!,
    sid: config.SSLWIRELESS_SID!,
  });
}

/** The configured push provider, or null when none is configured (then push is skipped: SMS fallback). */
import type { ServiceContext } from "../../context";
import { FcmProvider } from "./fcm-provider";
import type { PushProvider } from "./push-provider";

export function pushProviderFor(services: ServiceContext): PushProvider | null {
  const account = services.config.FCM_SERVICE_ACCOUNT;
  if (!account) return null;
  const auth = services.env.PUSH_AUTH.get(services.env.PUSH_AUTH.idFromName("fcm"));
  return new FcmProvider(services.config.FCM_API_URL, account.project_id, auth);
}

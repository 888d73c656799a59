import { get, type User } from "./api";
import { state, update } from "./state";

async function loadEnums(): Promise<void> {
  if (Object.keys(state.enums).length) return;
  update({ enums: await get("/meta/enums") });
}

/** After sign-in (or a reload's refresh): the enum labels, then the app at the same route. */
export async function signedIn(user: User): Promise<void> {
  await loadEnums().catch(() => undefined);
  update({ user, notice: null });
}

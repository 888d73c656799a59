/**
 * Development only: make a room copy its log to Postgres now, and report what each side holds. The
 * benchmark uses it to prove every message reached Postgres exactly once.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { uuidParam } from "../../lib/schemas";
import { copiedMessageStats } from "./messages.service";
import { roomObject } from "./room-object";
import { roomExists } from "./rooms.service";

export const syncRoute = createRoute({
  method: "post",
  path: "/dev/chat/rooms/{id}/sync",
  tags: ["Development"],
  summary: "Copy a room's pending messages to Postgres now and compare both sides (development only; 404 elsewhere)",
  request: { params: uuidParam(), query: z.object({ include_ids: z.enum(["true", "false"]).optional() }) },
  responses: {
    200: {
      description: "Counts in the room's own log and in Postgres",
      content: {
        "application/json": {
          schema: z
            .object({
              room: z.object({
                messages: z.number(),
                pending_messages: z.number(),
                rejected_messages: z.number(),
                pending_reads: z.number(),
                sockets: z.number(),
                sync_failures: z.number(),
              }),
              postgres: z.object({ messages: z.number(), distinct_client_msg_ids: z.number(), client_msg_ids: z.array(z.string().nullable()).optional() }),
            })
            .openapi("DevChatSync"),
        },
      },
    },
  },
});

export const sync: RouteHandler<typeof syncRoute, AppEnv> = async (c) => {
  const services = c.get("services");
  const { id } = c.req.valid("param") as { id: string };
  if (!(await roomExists(services, id))) throw new ApiError("not_found");
  const room = await roomObject(services.env, id).syncNow(id);
  const pg = await copiedMessageStats(services, id);
  return c.json(
    {
      room: {
        messages: room.messages,
        pending_messages: room.pendingMessages,
        rejected_messages: room.rejectedMessages,
        pending_reads: room.pendingReads,
        sockets: room.sockets,
        sync_failures: room.syncFailures,
      },
      postgres: {
        messages: pg.messages,
        distinct_client_msg_ids: pg.distinctClientMsgIds,
        ...(c.req.valid("query").include_ids === "true" ? { client_msg_ids: pg.clientMsgIds } : {}),
      },
    },
    200,
  );
};

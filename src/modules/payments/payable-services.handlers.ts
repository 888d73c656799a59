import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { pageEnvelope } from "../../lib/pagination";
import type * as routes from "./payable-services.routes";
import { toPayableServiceDto } from "./payable-services.schemas";
import * as catalogue from "./payable-services.service";

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>;

export const listPayableServices: Handler<"listPayableServices"> = async (c) => {
  const { include_inactive, ...page } = c.req.valid("query");
  const { rows, count } = await catalogue.listPayableServices(c.get("services"), include_inactive === "true", page);
  return c.json(pageEnvelope(c.req.url, page, count, rows.map(toPayableServiceDto)), 200);
};

export const createPayableService: Handler<"createPayableService"> = async (c) => {
  const service = await catalogue.createPayableService(c.get("services"), c.get("user"), c.req.valid("json"));
  return c.json(toPayableServiceDto(service), 201);
};

export const updatePayableService: Handler<"updatePayableService"> = async (c) => {
  const service = await catalogue.updatePayableService(c.get("services"), c.get("user"), c.req.valid("param").code, c.req.valid("json"));
  return c.json(toPayableServiceDto(service), 200);
};

export const removePayableService: Handler<"removePayableService"> = async (c) => {
  const { outcome, service } = await catalogue.removePayableService(c.get("services"), c.get("user"), c.req.valid("param").code);
  return c.json({ outcome, service: toPayableServiceDto(service) }, 200);
};

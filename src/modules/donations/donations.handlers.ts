import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { pageEnvelope } from "../../lib/pagination";
import { publicOrigin } from "../../lib/request";
import { startedPaymentBody } from "../payments/payments.schemas";
import { callbackUrl } from "../payments/payments.service";
import type * as routes from "./donations.routes";
import * as donationsService from "./donations.service";

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>;

export const listProjects: Handler<"listProjects"> = async (c) => {
  const page = c.req.valid("query");
  const { rows, count } = await donationsService.listProjects(c.get("services"), page);
  return c.json(pageEnvelope(c.req.url, page, count, rows), 200);
};

export const createDonation: Handler<"createDonation"> = async (c) => {
  const body = c.req.valid("json");
  const user = c.get("user");
  const { donationId, payment, paymentUrl } = await donationsService.startDonation(
    c.get("services"),
    user,
    {
      projectId: body.project_id,
      projectName: body.project_name,
      amount: body.amount,
      method: body.payment_method,
      phone: body.phone_number ?? user.phone,
      message: body.message,
    },
    callbackUrl(publicOrigin(c), body.payment_method),
  );
  return c.json({ donation_id: donationId, ...startedPaymentBody(payment, paymentUrl) }, 201);
};

export const listDonations: Handler<"listDonations"> = async (c) => {
  const page = c.req.valid("query");
  const { rows, count } = await donationsService.listOwnDonations(c.get("services"), c.get("user"), page);
  return c.json(pageEnvelope(c.req.url, page, count, rows), 200);
};

export const getDonation: Handler<"getDonation"> = async (c) => {
  const donation = await donationsService.getDonation(c.get("services"), c.get("user"), (c.req.valid("param") as { id: string }).id);
  return c.json(donation, 200);
};

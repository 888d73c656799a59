import { createRoute, z } from "@hono/zod-openapi";
import { amountSchema } from "../../lib/money";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { phoneSchema, uuidParam } from "../../lib/schemas";
import { requireAuth } from "../../middleware/auth";
import { paymentMethodSchema } from "../payments/payments.schemas";
import { donationSchema, donationStartedSchema, projectSchema } from "./donations.schemas";

const tags = ["Donations"];
const security = [{ bearerAuth: [] }];

export const listProjects = createRoute({
  method: "get",
  path: "/donations/projects",
  tags,
  summary: "Active donation projects with their goal and the amount raised (public)",
  request: { query: paginationQuery },
  responses: { 200: jsonContent(pageEnvelopeSchema(projectSchema).openapi("DonationProjectPage"), "A page of projects"), ...errorResponses(400) },
});

const donationBody = z
  .object({
    project_name: z.string().trim().min(1).max(200).optional().openapi({ example: "Buriganga riverbank cleanup" }),
    project_id: z.string().uuid().optional().openapi({ description: "Alternative to project_name" }),
    amount: amountSchema,
    payment_method: paymentMethodSchema,
    message: z.string().trim().max(500).optional(),
    phone_number: phoneSchema.optional().openapi({ description: "The wallet paying; defaults to the account's phone" }),
  })
  .refine((b) => b.project_name !== undefined || b.project_id !== undefined, { message: "Name the project (project_name or project_id).", path: ["project_name"] })
  .openapi("DonationRequest");

export const createDonation = createRoute({
  method: "post",
  path: "/donations",
  tags,
  security,
  middleware: requireAuth,
  summary: "Donate: starts a payment like POST /payments/process; the receipt number comes on completion",
  request: jsonBody(donationBody),
  responses: { 201: jsonContent(donationStartedSchema, "Started; open payment_url to pay"), ...errorResponses(400, 401, 422, 503) },
});

export const listDonations = createRoute({
  method: "get",
  path: "/donations",
  tags,
  security,
  middleware: requireAuth,
  summary: "Own donations, newest first",
  request: { query: paginationQuery },
  responses: { 200: jsonContent(pageEnvelopeSchema(donationSchema).openapi("DonationPage"), "A page of donations"), ...errorResponses(400, 401) },
});

export const getDonation = createRoute({
  method: "get",
  path: "/donations/{id}",
  tags,
  security,
  middleware: requireAuth,
  summary: "A donation with its receipt number (donor or staff)",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(donationSchema, "Donation"), ...errorResponses(401, 404) },
});

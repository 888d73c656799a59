import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth, requireRole } from "../../middleware/auth";
import { amountSchema } from "../../lib/money";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { messageSchema, phoneSchema, uuidParam } from "../../lib/schemas";
import { callbackParamsSchema } from "./callbacks.service";
import { PAYMENT_METHODS, paymentMethodSchema, paymentSchema, paymentStartedSchema, PAYMENT_STATUSES, refundSchema } from "./payments.schemas";

const tags = ["Payments"];
const security = [{ bearerAuth: [] }];
const signedIn = requireAuth;

export const serviceTypeSchema = z
  .string()
  .trim()
  .min(1, 'Name the service being paid: its code (holding_tax) or its name ("Holding Tax", "হোল্ডিং ট্যাক্স").')
  .max(100)
  .openapi({
    example: "Holding Tax",
    description:
      "The city service being paid (GET /payments/services): its code (`holding_tax`), its English name in any letter case and spacing (`Holding Tax`, ` HOLDING   tax `, `Holding_Tax`) or its Bengali name (`হোল্ডিং ট্যাক্স`). Stored as the code. Unknown or inactive services are a 400 on `service_type`; `donation` is paid through POST /donations.",
  });

const processBody = z
  .object({
    service_type: serviceTypeSchema,
    amount: amountSchema,
    payment_method: paymentMethodSchema,
    phone_number: phoneSchema.optional().openapi({ description: "The wallet paying; defaults to the account's phone" }),
  })
  .openapi("PaymentRequest");

export const processPayment = createRoute({
  method: "post",
  path: "/payments/process",
  tags,
  security,
  middleware: signedIn,
  summary: "Start a payment; open `payment_url` to pay",
  description:
    "Checks `service_type` against the catalogue (GET /payments/services) and `amount` against its fee rule (400 `validation_error` on `amount`, the rule in the message: a fixed fee exactly, a range fee within its bounds), creates the payment (`pending`), asks the gateway to create it and answers `processing` with the gateway's page. The status changes only after the gateway confirms (callback → queue → execute/query), never from the callback alone. Methods without a configured gateway answer 422 `payment_method_unavailable`.",
  request: jsonBody(processBody),
  responses: { 201: jsonContent(paymentStartedSchema, "Started"), ...errorResponses(400, 401, 422, 503) },
});

const listQuery = paginationQuery.extend({
  status: z.enum(PAYMENT_STATUSES).optional(),
  payment_method: z.enum(PAYMENT_METHODS).optional(),
  service_type: z.string().trim().max(100).optional().openapi({ description: "A service code, English name (any case) or Bengali name" }),
  user_id: z.string().uuid().optional().openapi({ description: "Staff only; ignored for citizens" }),
  search: z.string().trim().min(1).max(100).optional().openapi({ description: "Matches transaction id, gateway transaction id or phone" }),
  ordering: z.enum(["created_at", "-created_at", "amount", "-amount"]).optional(),
});

const paymentPage = pageEnvelopeSchema(paymentSchema).openapi("PaymentPage");

export const listPayments = createRoute({
  method: "get",
  path: "/payments",
  tags,
  security,
  middleware: signedIn,
  summary: "Payments: own for citizens, everyone's for admin/super_admin (filters)",
  request: { query: listQuery },
  responses: { 200: jsonContent(paymentPage, "A page of payments, newest first"), ...errorResponses(400, 401) },
});

export const paymentHistory = createRoute({
  method: "get",
  path: "/payments/history",
  tags,
  security,
  middleware: signedIn,
  summary: "Own payment history (staff included: their own)",
  request: { query: listQuery.omit({ user_id: true }) },
  responses: { 200: jsonContent(paymentPage, "A page of own payments, newest first"), ...errorResponses(400, 401) },
});

export const getPayment = createRoute({
  method: "get",
  path: "/payments/{id}",
  tags,
  security,
  middleware: signedIn,
  summary: "A payment (owner or staff)",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(paymentSchema, "Payment"), ...errorResponses(401, 404) },
});

export const verifyPayment = createRoute({
  method: "post",
  path: "/payments/verify",
  tags,
  security,
  middleware: signedIn,
  summary: "Ask the gateway now and settle the payment if it has an answer (owner or staff)",
  request: jsonBody(z.object({ payment_id: z.string().uuid() }).openapi("PaymentVerifyRequest")),
  responses: { 200: jsonContent(paymentSchema, "The payment after the check"), ...errorResponses(400, 401, 404, 503) },
});

export const refundPayment = createRoute({
  method: "post",
  path: "/payments/refund",
  tags,
  security,
  middleware: [requireAuth, requireRole("admin", "super_admin")],
  summary: "Refund a completed payment, fully or partly (admin, super_admin)",
  description:
    "Without `amount`, refunds whatever has not been refunded yet. Several partial refunds may add up to the amount paid, never more (400 on `amount`). The payment becomes `refunded` once fully refunded. Send an `Idempotency-Key` header to make retries safe: the same key returns the same refund.",
  request: {
    headers: z.object({ "idempotency-key": z.string().trim().min(1).max(100).optional() }),
    ...jsonBody(
      z
        .object({ payment_id: z.string().uuid(), amount: amountSchema.optional(), reason: z.string().trim().min(1).max(500) })
        .openapi("RefundRequest"),
    ),
  },
  responses: {
    200: jsonContent(z.object({ payment: paymentSchema, refund: refundSchema.nullable() }).openapi("RefundResult"), "The refund and the payment after it"),
    ...errorResponses(400, 401, 403, 404, 409, 422, 503),
  },
});

const gatewayParam = z.object({
  gateway: z.enum(["bkash", "nagad", "rocket", "upay"]).openapi({ param: { name: "gateway", in: "path" }, example: "bkash" }),
});

export const callbackGet = createRoute({
  method: "get",
  path: "/payments/{gateway}/callback",
  tags,
  summary: "Gateway return (browser): queues the callback and redirects to the app",
  description:
    "The gateway sends the customer's browser here with `?paymentID=…&status=success|failure|cancel`. Nothing changes here: the callback is queued and verified with the gateway. The browser is redirected (302) to the app's return URL with `payment_id` (ours) and `status` (what the gateway's redirect said — the app should read the payment for the verified status), or `error=unknown_payment`.",
  request: { params: gatewayParam, query: callbackParamsSchema },
  responses: { 302: { description: "To the app's return URL" }, ...errorResponses(400, 404) },
});

export const callbackPost = createRoute({
  method: "post",
  path: "/payments/{gateway}/callback",
  tags,
  summary: "Gateway callback (server to server): queues the callback",
  description: "Same parameters as the GET form, in the query string, a JSON body or a form body. Answers at once; the payment is verified from the queue.",
  request: { params: gatewayParam },
  responses: {
    200: jsonContent(messageSchema.extend({ payment_id: z.string().uuid() }).openapi("CallbackReceived"), "Queued"),
    ...errorResponses(400, 404),
  },
});

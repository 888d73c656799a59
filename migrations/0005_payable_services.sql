CREATE TABLE "payable_services" (
	"code" varchar(50) PRIMARY KEY NOT NULL,
	"name_bn" varchar(100) NOT NULL,
	"name_en" varchar(100) NOT NULL,
	"fee_type" varchar(10) NOT NULL,
	"fixed_amount" numeric(12, 2),
	"min_amount" numeric(12, 2),
	"max_amount" numeric(12, 2),
	"is_active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payable_services_code_check" CHECK ("payable_services"."code" ~ '^[a-z][a-z0-9_]{1,49}$'),
	CONSTRAINT "payable_services_fee_type_check" CHECK ("payable_services"."fee_type" in ('fixed', 'range', 'free')),
	CONSTRAINT "payable_services_fee_rule_check" CHECK (("payable_services"."fee_type" = 'fixed' and "payable_services"."fixed_amount" is not null and "payable_services"."fixed_amount" > 0 and "payable_services"."min_amount" is null and "payable_services"."max_amount" is null)
        or ("payable_services"."fee_type" = 'range' and "payable_services"."fixed_amount" is null and "payable_services"."min_amount" is not null and "payable_services"."max_amount" is not null and "payable_services"."min_amount" > 0 and "payable_services"."max_amount" > "payable_services"."min_amount")
        or ("payable_services"."fee_type" = 'free' and "payable_services"."fixed_amount" is null and "payable_services"."min_amount" is null and "payable_services"."max_amount" is null)),
	CONSTRAINT "payable_services_donation_free_check" CHECK ("payable_services"."code" <> 'donation' or "payable_services"."fee_type" = 'free')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "payable_services_name_en_unique" ON "payable_services" USING btree (lower("name_en"));--> statement-breakpoint
CREATE UNIQUE INDEX "payable_services_name_bn_unique" ON "payable_services" USING btree ("name_bn");--> statement-breakpoint
-- The catalogue every database starts with (hand-added to the generated migration: data, not schema).
INSERT INTO "payable_services" ("code", "name_bn", "name_en", "fee_type", "fixed_amount", "min_amount", "max_amount", "sort_order") VALUES
	('holding_tax', 'হোল্ডিং ট্যাক্স', 'Holding Tax', 'free', NULL, NULL, NULL, 10),
	('trade_license', 'ট্রেড লাইসেন্স', 'Trade License', 'range', NULL, 500.00, 25000.00, 20),
	('waste_collection_fee', 'বর্জ্য সংগ্রহ ফি', 'Waste Collection Fee', 'range', NULL, 100.00, 10000.00, 30),
	('birth_certificate', 'জন্ম নিবন্ধন সনদ', 'Birth Certificate', 'fixed', 50.00, NULL, NULL, 40),
	('death_certificate', 'মৃত্যু নিবন্ধন সনদ', 'Death Certificate', 'fixed', 50.00, NULL, NULL, 50),
	('building_plan_approval', 'ইমারতের নকশা অনুমোদন', 'Building Plan Approval', 'range', NULL, 5000.00, 500000.00, 60),
	('market_shop_rent', 'মার্কেটের দোকান ভাড়া', 'Market Shop Rent', 'range', NULL, 1000.00, 100000.00, 70),
	('donation', 'অনুদান', 'Donation', 'free', NULL, NULL, NULL, 100);
--> statement-breakpoint
-- Codes already stored on payments (any lowercase code was accepted before the catalogue) keep
-- working: each gets an inactive, free-amount entry named after its code, so the foreign key holds,
-- old payments stay listable and filterable, and staff can rename or reactivate them.
INSERT INTO "payable_services" ("code", "name_bn", "name_en", "fee_type", "is_active", "sort_order")
SELECT DISTINCT "service_type", "service_type", "service_type", 'free', false, 1000
FROM "payments"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_service_type_payable_services_code_fk" FOREIGN KEY ("service_type") REFERENCES "public"."payable_services"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_payments_service_created" ON "payments" USING btree ("service_type","created_at" DESC NULLS LAST);
CREATE TABLE "login_throttle" (
	"phone" varchar(20) PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"failures" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "otp_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" varchar(20) NOT NULL,
	"purpose" varchar(20) NOT NULL,
	"code_hash" varchar(64) NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "otp_purpose_check" CHECK ("otp_codes"."purpose" in ('registration', 'login', 'password_reset'))
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"family_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"rotated_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" varchar(20) NOT NULL,
	"name" varchar(100) NOT NULL,
	"email" varchar(255),
	"password_hash" varchar(255) NOT NULL,
	"nid" varchar(17),
	"address" text,
	"ward_number" varchar(10),
	"profile_picture_key" varchar(255),
	"user_type" varchar(20) DEFAULT 'citizen' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"is_verified" boolean DEFAULT false NOT NULL,
	"token_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login" timestamp with time zone,
	CONSTRAINT "users_phone_unique" UNIQUE("phone"),
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_user_type_check" CHECK ("users"."user_type" in ('citizen', 'admin', 'super_admin', 'service_provider')),
	CONSTRAINT "users_phone_check" CHECK ("users"."phone" ~ '^\+8801[3-9][0-9]{8}$')
);
--> statement-breakpoint
CREATE TABLE "sms_dead_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"csms_id" varchar(64) NOT NULL,
	"phone" varchar(20) NOT NULL,
	"message" text NOT NULL,
	"attempts" integer NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_dead_letters_csms_id_unique" UNIQUE("csms_id")
);
--> statement-breakpoint
CREATE TABLE "sms_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"csms_id" varchar(64) NOT NULL,
	"phone" varchar(20) NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_outbox_csms_id_unique" UNIQUE("csms_id")
);
--> statement-breakpoint
CREATE TABLE "wards" (
	"number" integer PRIMARY KEY NOT NULL,
	"name_en" varchar(100) NOT NULL,
	"name_bn" varchar(100) NOT NULL,
	"zone" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "daily_sequences" (
	"scope" varchar(20) NOT NULL,
	"day" date NOT NULL,
	"last_value" integer NOT NULL,
	CONSTRAINT "daily_sequences_scope_day_pk" PRIMARY KEY("scope","day")
);
--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_otp_phone_created" ON "otp_codes" USING btree ("phone","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_refresh_user" ON "refresh_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_refresh_family" ON "refresh_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "idx_users_ward" ON "users" USING btree ("ward_number");--> statement-breakpoint
CREATE INDEX "idx_users_type" ON "users" USING btree ("user_type");--> statement-breakpoint
CREATE INDEX "idx_users_created_at" ON "users" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_sms_outbox_phone_created" ON "sms_outbox" USING btree ("phone","created_at" DESC NULLS LAST);
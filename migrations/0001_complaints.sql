CREATE TABLE "complaint_images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"object_key" varchar(255) NOT NULL,
	"image_name" varchar(255) NOT NULL,
	"file_size" integer NOT NULL,
	"content_type" varchar(50) NOT NULL,
	"position" smallint NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "complaint_images_object_key_unique" UNIQUE("object_key")
);
--> statement-breakpoint
CREATE TABLE "complaint_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"updated_by" uuid NOT NULL,
	"old_status" varchar(30),
	"new_status" varchar(30) NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tracking_number" varchar(20) NOT NULL,
	"user_id" uuid NOT NULL,
	"title" varchar(200) NOT NULL,
	"description" text NOT NULL,
	"category" varchar(50) NOT NULL,
	"priority" varchar(20) DEFAULT 'মধ্যম' NOT NULL,
	"status" varchar(30) DEFAULT 'জমা দেওয়া হয়েছে' NOT NULL,
	"location" varchar(255) NOT NULL,
	"latitude" numeric(10, 8),
	"longitude" numeric(11, 8),
	"ward_number" varchar(10),
	"assigned_to" uuid,
	"rating" smallint,
	"feedback" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "complaints_tracking_number_unique" UNIQUE("tracking_number"),
	CONSTRAINT "complaints_category_check" CHECK ("complaints"."category" in ('পরিচ্ছন্নতা', 'বর্জ্য ব্যবস্থাপনা', 'পানি সরবরাহ', 'রাস্তাঘাট', 'বিদ্যুৎ', 'অন্যান্য')),
	CONSTRAINT "complaints_priority_check" CHECK ("complaints"."priority" in ('উচ্চ', 'মধ্যম', 'নিম্ন')),
	CONSTRAINT "complaints_status_check" CHECK ("complaints"."status" in ('জমা দেওয়া হয়েছে', 'প্রক্রিয়াধীন', 'সমাধান হয়েছে', 'বাতিল')),
	CONSTRAINT "complaints_rating_check" CHECK ("complaints"."rating" between 1 and 5),
	CONSTRAINT "complaints_latitude_check" CHECK ("complaints"."latitude" between -90 and 90),
	CONSTRAINT "complaints_longitude_check" CHECK ("complaints"."longitude" between -180 and 180)
);
--> statement-breakpoint
ALTER TABLE "complaint_images" ADD CONSTRAINT "complaint_images_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_updates" ADD CONSTRAINT "complaint_updates_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_updates" ADD CONSTRAINT "complaint_updates_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_assigned_to_users_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_complaint_images_complaint" ON "complaint_images" USING btree ("complaint_id","position");--> statement-breakpoint
CREATE INDEX "idx_complaint_updates_complaint" ON "complaint_updates" USING btree ("complaint_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_complaints_user_created" ON "complaints" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_complaints_status" ON "complaints" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_complaints_category_status" ON "complaints" USING btree ("category","status");--> statement-breakpoint
CREATE INDEX "idx_complaints_ward" ON "complaints" USING btree ("ward_number");--> statement-breakpoint
CREATE INDEX "idx_complaints_assigned" ON "complaints" USING btree ("assigned_to");--> statement-breakpoint
CREATE INDEX "idx_complaints_created_at" ON "complaints" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_complaints_lat_lng" ON "complaints" USING btree ("latitude","longitude");
CREATE TABLE "device_authorizations" (
	"user_id" text PRIMARY KEY NOT NULL,
	"object_id" text NOT NULL,
	"login" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "device_authorizations_object_id_unique" UNIQUE("object_id")
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"bucket" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_erasures" (
	"user_hash" text PRIMARY KEY NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rate_limits_user_id" ON "rate_limits" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received_at" ON "webhook_deliveries" USING btree ("received_at");
CREATE TABLE "settings_links" (
	"link_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"return_to" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "settings_links_expires_at" ON "settings_links" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "settings_links_user_id" ON "settings_links" USING btree ("user_id");
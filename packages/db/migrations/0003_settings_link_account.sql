ALTER TABLE "settings_links" ADD COLUMN "account_name" text;--> statement-breakpoint
ALTER TABLE "settings_links" ADD COLUMN "account_avatar_url" text;
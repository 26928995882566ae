CREATE TABLE "install_states" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"browser_binding_hash" text NOT NULL,
	"return_to" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "installation_claims" (
	"tenant_id" text NOT NULL,
	"installation_id" bigint NOT NULL,
	"via" text NOT NULL,
	"claimed_by_user_id" text,
	"caller" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "installation_claims_tenant_id_installation_id_pk" PRIMARY KEY("tenant_id","installation_id"),
	CONSTRAINT "installation_claims_via" CHECK ("installation_claims"."via" in ('install_flow', 'grant', 'migration'))
);
--> statement-breakpoint
ALTER TABLE "settings_links" ADD COLUMN "tenant_id" text;--> statement-breakpoint
CREATE INDEX "install_states_expires_at" ON "install_states" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "installation_claims_installation_id" ON "installation_claims" USING btree ("installation_id");
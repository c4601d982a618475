CREATE TABLE "users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"unit_code" text,
	"display_name" text,
	"password_hash" text NOT NULL,
	"totp_secret" text,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_role_check" CHECK ("role" IN ('admin', 'operator', 'unit_officer', 'unit_head', 'inspector')),
	CONSTRAINT "users_unit_check" CHECK (("role" IN ('unit_officer', 'unit_head')) = ("unit_code" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX "users_unit_idx" ON "users" USING btree ("unit_code");--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "merged_into_id" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "public_answer" text;--> statement-breakpoint
-- answered_at comes with 0005_conversation.
CREATE INDEX "tickets_received_idx" ON "tickets" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "tickets_unit_received_idx" ON "tickets" USING btree ("unit_code","received_at","id");

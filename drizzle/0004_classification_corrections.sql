CREATE TABLE "classification_corrections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" bigint,
	"text" text NOT NULL,
	"category" text NOT NULL,
	"kind" text NOT NULL,
	"conduct" boolean NOT NULL,
	"emergency" boolean NOT NULL,
	"predicted" jsonb,
	"corrected_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "classification_corrections" ADD CONSTRAINT "classification_corrections_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "classification_corrections_created_idx" ON "classification_corrections" USING btree ("created_at");
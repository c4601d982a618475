CREATE TABLE "progress_updates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"seq" integer DEFAULT 0 NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"outbox_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"zns_msg_id" text,
	"error_code" text,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" text
);
--> statement-breakpoint
ALTER TABLE "progress_updates" ADD CONSTRAINT "progress_updates_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "progress_updates_once_key" ON "progress_updates" USING btree ("ticket_id","kind","seq");--> statement-breakpoint
CREATE INDEX "progress_updates_calls_idx" ON "progress_updates" USING btree ("channel","status","created_at");--> statement-breakpoint
CREATE TABLE "digests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"unit_code" text NOT NULL,
	"period_key" text NOT NULL,
	"recipients" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" text NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "digests_once_key" ON "digests" USING btree ("kind","unit_code","period_key");--> statement-breakpoint
CREATE INDEX "digests_unit_idx" ON "digests" USING btree ("unit_code","created_at");

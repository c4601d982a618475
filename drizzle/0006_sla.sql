CREATE TABLE "calendar_overrides" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"date" text NOT NULL,
	"kind" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_overrides_kind_check" CHECK ("kind" in ('holiday', 'workday')),
	CONSTRAINT "calendar_overrides_date_check" CHECK ("date" ~ '^\d{4}-\d{2}-\d{2}$')
);
--> statement-breakpoint
CREATE INDEX "calendar_overrides_date_idx" ON "calendar_overrides" USING btree ("date","id");
--> statement-breakpoint
CREATE TABLE "ticket_clocks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"unit_code" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"basis" jsonb NOT NULL,
	"pauses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"due_at" timestamp with time zone,
	"status" text DEFAULT 'running' NOT NULL,
	"met_at" timestamp with time zone,
	"scheduled_due_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_clocks_kind_check" CHECK ("kind" in ('first_response', 'forward', 'answer', 'publish')),
	CONSTRAINT "ticket_clocks_status_check" CHECK ("status" in ('running', 'paused', 'met', 'superseded'))
);
--> statement-breakpoint
CREATE TABLE "sla_alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"clock_id" bigint NOT NULL,
	"ticket_id" bigint NOT NULL,
	"stage" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" bigint,
	"unit_code" text NOT NULL,
	"role" text NOT NULL,
	"kind" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "ticket_clocks" ADD CONSTRAINT "ticket_clocks_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_alerts" ADD CONSTRAINT "sla_alerts_clock_id_ticket_clocks_id_fk" FOREIGN KEY ("clock_id") REFERENCES "public"."ticket_clocks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_alerts" ADD CONSTRAINT "sla_alerts_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_clocks_open_key" ON "ticket_clocks" USING btree ("ticket_id","kind") WHERE "ticket_clocks"."status" in ('running', 'paused');--> statement-breakpoint
CREATE INDEX "ticket_clocks_due_idx" ON "ticket_clocks" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "ticket_clocks_unit_idx" ON "ticket_clocks" USING btree ("unit_code","status");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_alerts_once_key" ON "sla_alerts" USING btree ("clock_id","stage","due_at");--> statement-breakpoint
CREATE INDEX "notifications_unit_idx" ON "notifications" USING btree ("unit_code","role","created_at");

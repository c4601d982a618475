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

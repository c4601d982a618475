ALTER TABLE "tickets" ADD COLUMN "commune_code" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "routing" jsonb;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "routing_version" integer;
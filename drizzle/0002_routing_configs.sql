CREATE TABLE "routing_configs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"province_code" text NOT NULL,
	"version" integer NOT NULL,
	"config" jsonb NOT NULL,
	"source" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "routing_configs_province_version_key" ON "routing_configs" USING btree ("province_code","version");--> statement-breakpoint
-- Routing history is append-only: a change is a new version, so who changed what and when stays true.
CREATE FUNCTION routing_configs_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'routing_configs is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER routing_configs_append_only BEFORE UPDATE OR DELETE ON routing_configs
  FOR EACH ROW EXECUTE FUNCTION routing_configs_refuse_change();

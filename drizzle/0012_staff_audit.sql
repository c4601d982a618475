-- Console actions on things that are neither a ticket nor a conversation (canned answers first):
-- who, when, what, append-only like ticket_events. "subject" names the thing, e.g. canned_answer:12,
-- so its history survives the row's deletion.
CREATE TABLE "staff_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "staff_audit_subject_idx" ON "staff_audit" USING btree ("subject","id");
--> statement-breakpoint
CREATE INDEX "staff_audit_type_idx" ON "staff_audit" USING btree ("type","id");
--> statement-breakpoint
CREATE TRIGGER staff_audit_append_only BEFORE UPDATE OR DELETE ON staff_audit
  FOR EACH ROW EXECUTE FUNCTION ticket_events_refuse_change();

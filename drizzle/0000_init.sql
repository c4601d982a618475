CREATE TABLE "conversations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"zalo_user_id" text NOT NULL,
	"state" text DEFAULT 'idle' NOT NULL,
	"state_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"following" boolean DEFAULT true NOT NULL,
	"last_user_message_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversations_zalo_user_id_unique" UNIQUE("zalo_user_id")
);
--> statement-breakpoint
CREATE TABLE "dead_letters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"job_id" text NOT NULL,
	"job_name" text NOT NULL,
	"payload" jsonb NOT NULL,
	"error_code" text NOT NULL,
	"error_message" text NOT NULL,
	"attempts" integer NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retried_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inbound_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"zalo_msg_id" text,
	"event_name" text NOT NULL,
	"zalo_user_id" text,
	"status" text DEFAULT 'received' NOT NULL,
	"problem" text,
	"raw" text NOT NULL,
	"payload" jsonb,
	"event_timestamp" text,
	"received_at" timestamp with time zone NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "inbound_events_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "outbound_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"zalo_user_id" text NOT NULL,
	"ticket_id" bigint,
	"status" text DEFAULT 'pending' NOT NULL,
	"message" jsonb NOT NULL,
	"zalo_message_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbound_messages_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "ticket_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" bigint NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tracking_code" text NOT NULL,
	"conversation_id" bigint NOT NULL,
	"zalo_user_id" text NOT NULL,
	"source_event_id" bigint NOT NULL,
	"status" text DEFAULT 'moi_tiep_nhan' NOT NULL,
	"content" text NOT NULL,
	"category" text,
	"kind" text,
	"conduct" boolean DEFAULT false NOT NULL,
	"emergency" boolean DEFAULT false NOT NULL,
	"unit_code" text,
	"external_pakn_code" text,
	"needs_other_channel_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	"forward_due_at" timestamp with time zone,
	"answer_due_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tickets_tracking_code_unique" UNIQUE("tracking_code"),
	CONSTRAINT "tickets_source_event_id_unique" UNIQUE("source_event_id")
);
--> statement-breakpoint
CREATE TABLE "tracking_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last_seq" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zalo_tokens" (
	"app_id" text PRIMARY KEY NOT NULL,
	"access_token" text NOT NULL,
	"refresh_token" text,
	"access_expires_at" timestamp with time zone,
	"seed_fingerprint" text,
	"refreshed_at" timestamp with time zone,
	"refresh_failed_at" timestamp with time zone,
	"refresh_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD CONSTRAINT "outbound_messages_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD CONSTRAINT "ticket_events_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_source_event_id_inbound_events_id_fk" FOREIGN KEY ("source_event_id") REFERENCES "public"."inbound_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dead_letters_queue_idx" ON "dead_letters" USING btree ("queue","failed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_events_zalo_msg_id_key" ON "inbound_events" USING btree ("zalo_msg_id") WHERE "inbound_events"."zalo_msg_id" is not null;--> statement-breakpoint
CREATE INDEX "inbound_events_user_idx" ON "inbound_events" USING btree ("zalo_user_id","received_at");--> statement-breakpoint
CREATE INDEX "outbound_messages_status_idx" ON "outbound_messages" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "outbound_messages_zalo_msg_idx" ON "outbound_messages" USING btree ("zalo_message_id");--> statement-breakpoint
CREATE INDEX "ticket_events_ticket_idx" ON "ticket_events" USING btree ("ticket_id","id");--> statement-breakpoint
CREATE INDEX "tickets_status_idx" ON "tickets" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "tickets_user_idx" ON "tickets" USING btree ("zalo_user_id");
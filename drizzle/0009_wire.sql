-- One status vocabulary (src/tickets/statuses.ts). The dialogue used to write its own names for two
-- statuses; any other unknown value goes back to the operators' triage, where a person looks at it.
-- Each change is recorded on the ticket's audit trail before it is made.
INSERT INTO "ticket_events" ("ticket_id", "type", "actor", "data")
SELECT "id", 'status_migrated', 'system', jsonb_build_object('from', "status", 'to',
  CASE "status"
    WHEN 'da_chuyen_xu_ly' THEN 'da_chuyen_don_vi'
    WHEN 'huong_dan_khieu_nai' THEN 'huong_dan_kenh_khac'
    ELSE 'moi_tiep_nhan'
  END, 'migration', '0009_wire')
FROM "tickets"
WHERE "status" NOT IN ('moi_tiep_nhan', 'da_phan_loai', 'da_chuyen_don_vi', 'dang_xu_ly', 'cho_bo_sung',
  'tra_ve_tong_dai', 'da_co_ket_qua', 'da_cong_khai', 'dong', 'khong_du_dieu_kien', 'da_gop',
  'huong_dan_kenh_khac', 'da_huy');
--> statement-breakpoint
UPDATE "tickets" SET "updated_at" = now(), "status" =
  CASE "status"
    WHEN 'da_chuyen_xu_ly' THEN 'da_chuyen_don_vi'
    WHEN 'huong_dan_khieu_nai' THEN 'huong_dan_kenh_khac'
    ELSE 'moi_tiep_nhan'
  END
WHERE "status" NOT IN ('moi_tiep_nhan', 'da_phan_loai', 'da_chuyen_don_vi', 'dang_xu_ly', 'cho_bo_sung',
  'tra_ve_tong_dai', 'da_co_ket_qua', 'da_cong_khai', 'dong', 'khong_du_dieu_kien', 'da_gop',
  'huong_dan_kenh_khac', 'da_huy');
--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_status_check" CHECK ("status" in ('moi_tiep_nhan', 'da_phan_loai',
  'da_chuyen_don_vi', 'dang_xu_ly', 'cho_bo_sung', 'tra_ve_tong_dai', 'da_co_ket_qua', 'da_cong_khai', 'dong',
  'khong_du_dieu_kien', 'da_gop', 'huong_dan_kenh_khac', 'da_huy'));
--> statement-breakpoint
-- A ticket closed without an answer (withdrawn, merged, not eligible) stops its clocks as 'cancelled'.
ALTER TABLE "ticket_clocks" DROP CONSTRAINT "ticket_clocks_status_check";
--> statement-breakpoint
ALTER TABLE "ticket_clocks" ADD CONSTRAINT "ticket_clocks_status_check"
  CHECK ("status" in ('running', 'paused', 'met', 'superseded', 'cancelled'));
--> statement-breakpoint
-- Console actions on a conversation that has no ticket (a "gặp tổng đài viên" request): who did what
-- and when, append-only like ticket_events. No message text here: it stays in the outbox, which the
-- deletion flow erases.
CREATE TABLE "conversation_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"conversation_id" bigint NOT NULL REFERENCES "conversations"("id"),
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "conversation_audit_conversation_idx" ON "conversation_audit" USING btree ("conversation_id","id");
--> statement-breakpoint
CREATE TRIGGER conversation_audit_append_only BEFORE UPDATE OR DELETE ON conversation_audit
  FOR EACH ROW EXECUTE FUNCTION ticket_events_refuse_change();

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

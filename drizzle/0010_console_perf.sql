-- Console lists and dashboard stay fast with a large history (issue 5, bench:console).
-- The open-ticket predicate below must list exactly CLOSED from src/console/statuses.ts: the queries
-- repeat it verbatim (src/console/open-tickets.ts) so the planner can use these partial indexes, and
-- test/console-perf.test.ts checks the two lists agree.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX IF EXISTS "tickets_status_idx";--> statement-breakpoint
CREATE INDEX "tickets_status_idx" ON "tickets" USING btree ("status","received_at","id");--> statement-breakpoint
CREATE INDEX "tickets_category_received_idx" ON "tickets" USING btree ("category","received_at","id");--> statement-breakpoint
CREATE INDEX "tickets_commune_received_idx" ON "tickets" USING btree ("commune_code","received_at","id");--> statement-breakpoint
CREATE INDEX "tickets_conduct_received_idx" ON "tickets" USING btree ("received_at","id") WHERE "conduct";--> statement-breakpoint
-- The operators' inbox: tickets waiting at the hotline (AT_HOTLINE), not merged.
CREATE INDEX "tickets_triage_idx" ON "tickets" USING btree ("received_at","id")
  WHERE "status" IN ('moi_tiep_nhan', 'tra_ve_tong_dai') AND "merged_into_id" IS NULL;--> statement-breakpoint
-- Work by deadline (a unit's list, or all units'), open tickets only; no deadline sorts last.
CREATE INDEX "tickets_open_unit_deadline_idx" ON "tickets" USING btree ("unit_code",(coalesce("answer_due_at", 'infinity'::timestamptz)),"id")
  WHERE "status" NOT IN ('da_co_ket_qua', 'da_cong_khai', 'dong', 'khong_du_dieu_kien', 'da_gop', 'huong_dan_kenh_khac', 'da_huy');--> statement-breakpoint
CREATE INDEX "tickets_open_deadline_idx" ON "tickets" USING btree ((coalesce("answer_due_at", 'infinity'::timestamptz)),"id")
  WHERE "status" NOT IN ('da_co_ket_qua', 'da_cong_khai', 'dong', 'khong_du_dieu_kien', 'da_gop', 'huong_dan_kenh_khac', 'da_huy');--> statement-breakpoint
-- Overdue and soon-due counts and lists.
-- An expression rather than a partial index: ANALYZE keeps statistics on the expression, so the
-- planner knows how few open tickets are overdue (with a partial index it multiplies "open" by
-- "deadline passed", counts every recent open ticket, and walks the whole recent history instead).
CREATE INDEX "tickets_open_due_idx" ON "tickets" USING btree ((CASE WHEN "status" NOT IN ('da_co_ket_qua', 'da_cong_khai', 'dong', 'khong_du_dieu_kien', 'da_gop', 'huong_dan_kenh_khac', 'da_huy') THEN "answer_due_at" END)) INCLUDE ("unit_code","received_at","answered_at");--> statement-breakpoint
-- Open tickets of handed-over conversations (the triage's second half).
CREATE INDEX "tickets_open_conversation_idx" ON "tickets" USING btree ("conversation_id")
  WHERE "status" NOT IN ('da_co_ket_qua', 'da_cong_khai', 'dong', 'khong_du_dieu_kien', 'da_gop', 'huong_dan_kenh_khac', 'da_huy');--> statement-breakpoint
CREATE INDEX "conversations_handoff_idx" ON "conversations" USING btree ("id") WHERE "state" = 'handoff';--> statement-breakpoint
-- Text search (ILIKE '%…%') on the content and the tracking code.
CREATE INDEX "tickets_content_trgm_idx" ON "tickets" USING gin ("content" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tickets_tracking_code_trgm_idx" ON "tickets" USING gin ("tracking_code" gin_trgm_ops);--> statement-breakpoint
-- The dashboard's figures per local day and per local month (Asia/Ho_Chi_Minh), kept by a trigger
-- on tickets, so a period costs one row per month (whole months) or day (the ends) and key instead
-- of a scan of its tickets.
--   grain d: day is that day; grain m: day is the first of that month;
--   dim unit|category|commune: tickets received then (answered, on time: of those tickets);
--   dim rating: ratings given then, by the ticket's unit.
-- key '' stands for none (no unit, category or commune).
CREATE TABLE "ticket_stats_daily" (
	"grain" text NOT NULL,
	"dim" text NOT NULL,
	"day" date NOT NULL,
	"key" text NOT NULL,
	"received" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"on_time" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ticket_stats_daily_pkey" PRIMARY KEY ("dim","grain","day","key"),
	CONSTRAINT "ticket_stats_daily_grain_check" CHECK ("grain" IN ('d', 'm')),
	CONSTRAINT "ticket_stats_daily_dim_check" CHECK ("dim" IN ('unit', 'category', 'commune', 'rating'))
);--> statement-breakpoint
CREATE FUNCTION ticket_stats_add(t tickets, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d date := (t.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
  m date := date_trunc('month', d)::date;
  r date := (t.rated_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
  a integer := CASE WHEN t.answered_at IS NOT NULL THEN sign ELSE 0 END;
  o integer := CASE WHEN t.answered_at IS NOT NULL AND t.answered_at <= t.answer_due_at THEN sign ELSE 0 END;
BEGIN
  INSERT INTO ticket_stats_daily AS s (grain, dim, day, key, received, answered, on_time)
  VALUES ('d', 'unit', d, coalesce(t.unit_code, ''), sign, a, o),
         ('d', 'category', d, coalesce(t.category, ''), sign, a, o),
         ('d', 'commune', d, coalesce(t.commune_code, ''), sign, a, o),
         ('m', 'unit', m, coalesce(t.unit_code, ''), sign, a, o),
         ('m', 'category', m, coalesce(t.category, ''), sign, a, o),
         ('m', 'commune', m, coalesce(t.commune_code, ''), sign, a, o)
  ON CONFLICT (dim, grain, day, key) DO UPDATE SET received = s.received + excluded.received,
    answered = s.answered + excluded.answered, on_time = s.on_time + excluded.on_time;
  IF t.rating IS NOT NULL AND t.rated_at IS NOT NULL THEN
    INSERT INTO ticket_stats_daily AS s (grain, dim, day, key, rated, rating_sum)
    VALUES ('d', 'rating', r, coalesce(t.unit_code, ''), sign, sign * t.rating),
           ('m', 'rating', date_trunc('month', r)::date, coalesce(t.unit_code, ''), sign, sign * t.rating)
    ON CONFLICT (dim, grain, day, key) DO UPDATE SET rated = s.rated + excluded.rated,
      rating_sum = s.rating_sum + excluded.rating_sum;
  END IF;
END $$;--> statement-breakpoint
CREATE FUNCTION ticket_stats_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM ticket_stats_add(OLD, -1); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM ticket_stats_add(NEW, 1); END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "tickets_stats_insert_delete" AFTER INSERT OR DELETE ON "tickets"
  FOR EACH ROW EXECUTE FUNCTION ticket_stats_trigger();--> statement-breakpoint
-- Most updates (status, routing) touch none of the counted columns: they cost nothing here.
CREATE TRIGGER "tickets_stats_update" AFTER UPDATE ON "tickets" FOR EACH ROW
  WHEN ((OLD.received_at, OLD.unit_code, OLD.category, OLD.commune_code, OLD.answered_at, OLD.answer_due_at, OLD.rating, OLD.rated_at)
    IS DISTINCT FROM (NEW.received_at, NEW.unit_code, NEW.category, NEW.commune_code, NEW.answered_at, NEW.answer_due_at, NEW.rating, NEW.rated_at))
  EXECUTE FUNCTION ticket_stats_trigger();--> statement-breakpoint
-- Rebuilds the figures from the tickets: at this migration, and after a bulk load with the triggers off.
CREATE FUNCTION ticket_stats_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM ticket_stats_daily;
  INSERT INTO ticket_stats_daily (grain, dim, day, key, received, answered, on_time)
  SELECT g.grain, k.dim, CASE g.grain WHEN 'd' THEN t.d ELSE date_trunc('month', t.d)::date END, k.key, count(*),
         count(*) FILTER (WHERE answered_at IS NOT NULL),
         count(*) FILTER (WHERE answered_at IS NOT NULL AND answered_at <= answer_due_at)
  FROM (SELECT (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS d, answered_at, answer_due_at,
               unit_code, category, commune_code FROM tickets) t
  CROSS JOIN (VALUES ('d'), ('m')) AS g(grain)
  CROSS JOIN LATERAL (VALUES ('unit', coalesce(unit_code, '')), ('category', coalesce(category, '')),
                             ('commune', coalesce(commune_code, ''))) AS k(dim, key)
  GROUP BY 1, 2, 3, 4;
  INSERT INTO ticket_stats_daily (grain, dim, day, key, rated, rating_sum)
  SELECT g.grain, 'rating', CASE g.grain WHEN 'd' THEN t.d ELSE date_trunc('month', t.d)::date END, t.key, count(*), sum(t.rating)
  FROM (SELECT (rated_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS d, coalesce(unit_code, '') AS key, rating
        FROM tickets WHERE rating IS NOT NULL AND rated_at IS NOT NULL) t
  CROSS JOIN (VALUES ('d'), ('m')) AS g(grain)
  GROUP BY 1, 3, 4;
$$;--> statement-breakpoint
SELECT ticket_stats_rebuild();
--> statement-breakpoint
-- Operators' canned answers (issue 5 §3), kept by admins and operators.
CREATE TABLE "canned_answers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"category" text,
	"created_by" bigint NOT NULL,
	"updated_by" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "canned_answers_title_unique" UNIQUE("title")
);

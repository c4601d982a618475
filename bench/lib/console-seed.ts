// Seeds a large ticket history for bench:console, entirely server-side (INSERT … SELECT over
// generate_series, in batches so progress can be printed). Distribution, over two years:
//   - tickets older than 40 days are almost all closed (answered, merged, ineligible, withdrawn…),
//     about 0.2 % stuck open and overdue; the last 40 days hold the live work (about half open);
//   - 16 categories, 100 communes (80 % of tickets name one), 20 departments + one unit per commune,
//     88 % routed automatically, the rest suggested or unrouted (the operators' inbox);
//   - about 1.5 % conduct reports, 30 % of answered tickets rated 1–5;
//   - one answer clock (ticket_clocks) and a 'created' event per ticket, 'rated' events for ratings.
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { CATEGORY_CODES } from '../../src/classify/taxonomy';

export const COMMUNES = Array.from({ length: 100 }, (_, i) => `xa-${String(i + 1).padStart(3, '0')}`);
export const DEPARTMENTS = Array.from({ length: 20 }, (_, i) => `so-${String(i + 1).padStart(2, '0')}`);
const CONVERSATIONS = 200_000;

/** Citizen sentences the content is assembled from (the last one is rare: the selective search). */
export const PHRASES = [
  'Hồ sơ cấp giấy chứng nhận quyền sử dụng đất nộp đã lâu nhưng chưa được giải quyết',
  'Cán bộ một cửa hẹn nhiều lần mà vẫn chưa trả kết quả',
  'Đề nghị hướng dẫn thủ tục đăng ký khai sinh cho con',
  'Đường vào khu dân cư xuống cấp nghiêm trọng, nhiều ổ gà',
  'Hệ thống dịch vụ công trực tuyến báo lỗi khi nộp hồ sơ',
  'Xin hỏi thủ tục cấp đổi giấy phép lái xe quá hạn',
  'Chưa nhận được tiền bảo hiểm xã hội một lần',
  'Công trình xây dựng không phép lấn chiếm vỉa hè',
  'Rác thải tập kết lâu ngày gây ô nhiễm môi trường',
  'Thủ tục đăng ký thường trú yêu cầu giấy tờ không đúng quy định',
  'Đề nghị kiểm tra thái độ phục vụ của cán bộ tiếp nhận hồ sơ',
  'Hóa đơn thuế đất tính sai diện tích',
  'Trường học thu thêm các khoản ngoài quy định',
  'Trạm y tế không tiếp nhận thẻ bảo hiểm y tế',
  'Đăng ký kinh doanh hộ cá thể bị trả hồ sơ nhiều lần',
  'Xin cấp bản sao trích lục hộ tịch',
];
const RARE = 'Quán karaoke hoạt động quá giờ gây tiếng ồn';

const textArray = (xs: readonly string[]) =>
  sql`array[${sql.join(
    xs.map((x) => sql`${x}`),
    sql`, `,
  )}]::text[]`;

export async function seedConversations(db: Db): Promise<void> {
  await db.execute(sql`
    insert into conversations (id, zalo_user_id, state, last_user_message_at)
    select g, 'bench-u' || g, case when g % 4000 = 0 then 'handoff' else 'idle' end,
           now() - (g % 700) * interval '1 day'
    from generate_series(1, ${CONVERSATIONS}) g`);
  await db.execute(sql`select setval(pg_get_serial_sequence('conversations', 'id'), ${CONVERSATIONS})`);
}

/** Tickets with ids [from, to] out of `total`; ids grow with time, as they would. */
export async function seedBatch(db: Db, from: number, to: number, total: number): Promise<void> {
  const span = (730 * 86400) / total;
  await db.execute(sql`
    insert into inbound_events (id, dedupe_key, zalo_msg_id, event_name, zalo_user_id, status, raw, received_at)
    select g, 'bench-' || g, 'bench-' || g, 'user_send_text', 'bench-u' || (1 + g % ${CONVERSATIONS}::int), 'processed', '{}',
           now() - (${total}::int - g) * ${span}::float8 * interval '1 second'
    from generate_series(${from}::int, ${to}::int) g`);
  await db.execute(sql`
    insert into tickets (id, tracking_code, conversation_id, zalo_user_id, source_event_id, status, content,
      category, kind, conduct, emergency, unit_code, commune_code, routing, merged_into_id, received_at,
      forward_due_at, answer_due_at, answered_at, rating, rated_at, created_at, updated_at)
    select g, 'PA-' || extract(year from rec at time zone 'Asia/Ho_Chi_Minh')::int || '-' || lpad((g % 1000000)::text, 6, '0'),
      1 + g % ${CONVERSATIONS}::int, 'bench-u' || (1 + g % ${CONVERSATIONS}::int), g, status,
      (case when g % 5000 = 0 then ${RARE} else (${textArray(PHRASES)})[1 + floor(r9 * ${PHRASES.length})::int] end)
        || coalesce(' tại ' || commune, '') || '. ' || (${textArray(PHRASES)})[1 + floor(r8 * ${PHRASES.length})::int]
        || case when g % 50 = 0 then '. Liên hệ 0912' || lpad((g % 1000000)::text, 6, '0') else '' end,
      category, case when r7 < 0.8 then 'phan_anh' else 'kien_nghi' end, r6 < 0.015, r6 > 0.998,
      case when mode = 'auto' and commune is not null and r4 < 0.5 then 'ubnd-' || commune
           when mode = 'auto' then (${textArray(DEPARTMENTS)})[1 + g % 20]
           when r4 < 0.5 then 'tong-dai' end,
      commune,
      jsonb_build_object('mode', mode, 'reason', 'bench', 'scores', jsonb_build_object('category', round(r3::numeric, 2)),
                         'rule', jsonb_build_object('id', category || '-chung')),
      case when status = 'da_gop' then greatest(g - 1, 1) end,
      rec, rec + interval '1 day', rec + interval '21 days', answered,
      case when answered is not null and r7 < 0.3 then 1 + floor(r8 * 5)::int end,
      case when answered is not null and r7 < 0.3 then answered + interval '1 hour' end,
      rec, rec
    from (
      select *, case when status in ('da_co_ket_qua', 'dong', 'da_cong_khai')
                     then least(rec + r5 * interval '25 days', now()) end as answered
      from (
        select *,
          case when age > 40 then
                 case when r1 < 0.80 then (array['da_co_ket_qua', 'dong', 'da_cong_khai'])[1 + floor(r5 * 3)::int]
                      when r1 < 0.86 then 'khong_du_dieu_kien' when r1 < 0.90 then 'da_gop'
                      when r1 < 0.93 then 'huong_dan_kenh_khac' when r1 < 0.96 then 'da_huy'
                      when r1 < 0.998 then 'dong' else 'dang_xu_ly' end
               else
                 case when r1 < 0.04 then 'moi_tiep_nhan' when r1 < 0.06 then 'tra_ve_tong_dai'
                      when r1 < 0.10 then 'da_phan_loai' when r1 < 0.25 then 'da_chuyen_don_vi'
                      when r1 < 0.45 then 'dang_xu_ly' when r1 < 0.50 then 'cho_bo_sung' when r1 < 0.52 then 'da_gop'
                      else (array['da_co_ket_qua', 'dong', 'da_cong_khai'])[1 + floor(r5 * 3)::int] end
          end as status,
          (${textArray(CATEGORY_CODES)})[1 + floor(r2 * ${CATEGORY_CODES.length})::int] as category,
          case when r10 < 0.8 then (${textArray(COMMUNES)})[1 + floor(r10 / 0.8 * 100)::int] end as commune,
          case when r3 < 0.88 then 'auto' when r3 < 0.96 then 'suggest' else 'none' end as mode
        from (
          select g, rec, extract(epoch from now() - rec) / 86400 as age,
            random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, random() r7,
            random() r8, random() r9, random() r10
          from (select g, now() - (${total}::int - g) * ${span}::float8 * interval '1 second' as rec
                from generate_series(${from}::int, ${to}::int) g) base
        ) r
      ) s
    ) t`);
  await db.execute(sql`
    insert into ticket_clocks (ticket_id, kind, unit_code, started_at, basis, due_at, status, met_at)
    select id, 'answer', coalesce(unit_code, 'tong-dai'), received_at, '{"count":"working","days":15}', answer_due_at,
           case when answered_at is null and status not in ('da_gop', 'khong_du_dieu_kien', 'huong_dan_kenh_khac', 'da_huy')
                then 'running' else 'met' end, answered_at
    from tickets where id between ${from} and ${to}`);
  await db.execute(sql`
    insert into ticket_events (ticket_id, type, actor, data, created_at)
    select id, 'created', 'system', '{}', received_at from tickets where id between ${from} and ${to}
    union all
    select id, 'rated', 'citizen', jsonb_build_object('rating', rating), rated_at
      from tickets where id between ${from} and ${to} and rating is not null
    union all
    select id, 'answered', 'user:1:bench', '{}', answered_at
      from tickets where id between ${from} and ${to} and conduct and answered_at is not null`);
}

export async function seedTickets(db: Db, total: number, batch: number, progress: (done: number) => void) {
  await seedConversations(db);
  // The rollup is rebuilt once at the end (as after any bulk load) rather than row by row.
  await db.execute(sql`alter table tickets disable trigger tickets_stats_insert_delete`);
  for (let from = 1; from <= total; from += batch) {
    const to = Math.min(total, from + batch - 1);
    await seedBatch(db, from, to, total);
    progress(to);
  }
  await db.execute(sql`alter table tickets enable trigger tickets_stats_insert_delete`);
  await db.execute(sql`select ticket_stats_rebuild()`);
  for (const t of ['inbound_events', 'tickets', 'ticket_events', 'ticket_clocks'])
    await db.execute(
      sql`select setval(pg_get_serial_sequence(${t}, 'id'), (select max(id) from ${sql.identifier(t)}))`,
    );
}

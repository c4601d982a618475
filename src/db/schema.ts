import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Status } from '../tickets/statuses';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const id = () => bigserial('id', { mode: 'number' }).primaryKey();
const ref = (name: string) => bigint(name, { mode: 'number' });

/** One row per Zalo user (id scoped to our OA): the state of their conversation with the bot. */
/** Mirrors CLOSED (src/tickets/statuses.ts) in the partial indexes of migration 0010. */
const OPEN_PREDICATE = `"status" not in ('da_co_ket_qua', 'da_cong_khai', 'dong', 'khong_du_dieu_kien', 'da_gop', 'huong_dan_kenh_khac', 'da_huy')`;

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    zaloUserId: text('zalo_user_id').notNull().unique(),
    state: text('state').notNull().default('idle'),
    stateData: jsonb('state_data').$type<Record<string, unknown>>().notNull().default({}),
    following: boolean('following').notNull().default(true),
    /** Last time the user wrote to us: the 7-day CS window is counted from here. */
    lastUserMessageAt: ts('last_user_message_at'),
    /** Zalo timestamp of the newest event handled: an older one arriving later is out of order. */
    lastEventAt: ts('last_event_at'),
    /** Set while an operator holds the conversation (the bot answers only emergencies). */
    handoffAt: ts('handoff_at'),
    handoffReason: text('handoff_reason'),
    /** Contact details, stored only after consent to the contact notice (see consents); erased on request. */
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('conversations_handoff_idx')
      .on(t.id)
      .where(sql`${t.state} = 'handoff'`),
  ],
);

/** Every webhook event we accepted, raw, deduplicated: the Postgres half of idempotency. */
export const inboundEvents = pgTable(
  'inbound_events',
  {
    id: id(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    zaloMsgId: text('zalo_msg_id'),
    eventName: text('event_name').notNull(),
    zaloUserId: text('zalo_user_id'),
    /** received → processed | ignored | invalid */
    status: text('status').notNull().default('received'),
    problem: text('problem'),
    raw: text('raw').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    eventTimestamp: text('event_timestamp'),
    receivedAt: ts('received_at').notNull(),
    processedAt: ts('processed_at'),
  },
  (t) => [
    uniqueIndex('inbound_events_zalo_msg_id_key')
      .on(t.zaloMsgId)
      .where(sql`${t.zaloMsgId} is not null`),
    index('inbound_events_user_idx').on(t.zaloUserId, t.receivedAt),
  ],
);

export const tickets = pgTable(
  'tickets',
  {
    id: id(),
    trackingCode: text('tracking_code').notNull().unique(),
    conversationId: ref('conversation_id')
      .notNull()
      .references(() => conversations.id),
    zaloUserId: text('zalo_user_id').notNull(),
    /** The event that opened the ticket: one ticket per inbound message, however often it is delivered. */
    sourceEventId: ref('source_event_id')
      .notNull()
      .unique()
      .references(() => inboundEvents.id),
    /** One of src/tickets/statuses.ts (a CHECK constraint refuses anything else). */
    status: text('status').$type<Status>().notNull().default('moi_tiep_nhan'),
    content: text('content').notNull(),
    category: text('category'),
    kind: text('kind'),
    conduct: boolean('conduct').notNull().default(false),
    emergency: boolean('emergency').notNull().default(false),
    unitCode: text('unit_code'),
    communeCode: text('commune_code'),
    /** The routing decision: mode, unit, commune, the rule that fired, the scores, the reason. */
    routing: jsonb('routing').$type<Record<string, unknown>>(),
    routingVersion: integer('routing_version'),
    externalPaknCode: text('external_pakn_code'),
    /** Set when an operator merged this duplicate into another ticket. */
    mergedIntoId: ref('merged_into_id'),
    /** The unit's answer as published (personal data masked); the internal note stays in the events. */
    publicAnswer: text('public_answer'),
    /** Set when Zalo refused a message because the 7-day window closed: another channel is needed. */
    needsOtherChannelAt: ts('needs_other_channel_at'),
    receivedAt: ts('received_at').notNull(),
    forwardDueAt: ts('forward_due_at'),
    answerDueAt: ts('answer_due_at'),
    /** When the answer was pushed to the citizen: rating and reopening count from here. */
    answeredAt: ts('answered_at'),
    rating: integer('rating'),
    ratingComment: text('rating_comment'),
    ratedAt: ts('rated_at'),
    /** The citizen asked for a phone call back (their number is on the conversation, with consent). */
    callbackRequested: boolean('callback_requested').notNull().default(false),
    /** Flagged for an operator (handoff, emergency, a confused conversation). */
    needsOperatorAt: ts('needs_operator_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('tickets_status_idx').on(t.status, t.receivedAt, t.id),
    index('tickets_user_idx').on(t.zaloUserId),
    // Console lists page by (received_at, id), across units or within one (0010 adds the rest).
    index('tickets_received_idx').on(t.receivedAt, t.id),
    index('tickets_unit_received_idx').on(t.unitCode, t.receivedAt, t.id),
    index('tickets_category_received_idx').on(t.category, t.receivedAt, t.id),
    index('tickets_commune_received_idx').on(t.communeCode, t.receivedAt, t.id),
    index('tickets_open_conversation_idx').on(t.conversationId).where(sql.raw(OPEN_PREDICATE)),
    index('tickets_conduct_received_idx')
      .on(t.receivedAt, t.id)
      .where(sql`${t.conduct}`),
    index('tickets_triage_idx')
      .on(t.receivedAt, t.id)
      .where(sql`${t.status} in ('moi_tiep_nhan', 'tra_ve_tong_dai') and ${t.mergedIntoId} is null`),
    index('tickets_open_unit_deadline_idx')
      .on(t.unitCode, sql`coalesce(${t.answerDueAt}, 'infinity'::timestamptz)`, t.id)
      .where(sql.raw(OPEN_PREDICATE)),
    index('tickets_open_deadline_idx')
      .on(sql`coalesce(${t.answerDueAt}, 'infinity'::timestamptz)`, t.id)
      .where(sql.raw(OPEN_PREDICATE)),
    index('tickets_open_due_idx').on(sql`(case when ${sql.raw(OPEN_PREDICATE)} then ${t.answerDueAt} end)`),
    index('tickets_content_trgm_idx').using('gin', sql`${t.content} gin_trgm_ops`),
    index('tickets_tracking_code_trgm_idx').using('gin', sql`${t.trackingCode} gin_trgm_ops`),
    index('tickets_needs_operator_idx')
      .on(t.needsOperatorAt)
      .where(sql`${t.needsOperatorAt} is not null`),
  ],
);

/** Append-only audit trail of a ticket (a trigger refuses UPDATE and DELETE). */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: id(),
    ticketId: ref('ticket_id')
      .notNull()
      .references(() => tickets.id),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.id)],
);

/**
 * Console actions and views on a conversation without a ticket (a citizen who asked for a person
 * first): append-only like ticket_events (the same trigger refuses UPDATE and DELETE).
 */
export const conversationAudit = pgTable(
  'conversation_audit',
  {
    id: id(),
    conversationId: ref('conversation_id')
      .notNull()
      .references(() => conversations.id),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('conversation_audit_conversation_idx').on(t.conversationId, t.id)],
);

/**
 * Console actions on what is neither a ticket nor a conversation (canned answers): append-only like
 * ticket_events. subject names the thing ("canned_answer:12") so its history outlives the row.
 */
export const staffAudit = pgTable(
  'staff_audit',
  {
    id: id(),
    subject: text('subject').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('staff_audit_subject_idx').on(t.subject, t.id), index('staff_audit_type_idx').on(t.type, t.id)],
);

/** Per-year sequence behind tracking codes PA-<year>-<seq>. */
export const trackingCounters = pgTable('tracking_counters', {
  year: integer('year').primaryKey(),
  lastSeq: integer('last_seq').notNull(),
});

/** The outbox: every message to a citizen is a row first, then a queue job keyed by the row id. */
export const outboundMessages = pgTable(
  'outbound_messages',
  {
    id: id(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    zaloUserId: text('zalo_user_id').notNull(),
    ticketId: ref('ticket_id').references(() => tickets.id),
    /** pending → sent → delivered → seen | window_closed | failed */
    status: text('status').notNull().default('pending'),
    message: jsonb('message').$type<Record<string, unknown>>().notNull(),
    zaloMessageId: text('zalo_message_id'),
    attempts: integer('attempts').notNull().default(0),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('outbound_messages_status_idx').on(t.status, t.createdAt),
    index('outbound_messages_zalo_msg_idx').on(t.zaloMessageId),
    // The outbound worker sends one citizen's messages in order: "is an earlier one still pending?"
    index('outbound_messages_pending_user_idx')
      .on(t.zaloUserId, t.id)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/** The OA's OAuth pair. The refresh token is single-use, so a new pair is written here before it is used. */
export const zaloTokens = pgTable('zalo_tokens', {
  appId: text('app_id').primaryKey(),
  accessToken: text('access_token').notNull(),
  refreshToken: text('refresh_token'),
  accessExpiresAt: ts('access_expires_at'),
  /** Hash of the env-supplied refresh token this row was seeded from: a new env pair re-seeds. */
  seedFingerprint: text('seed_fingerprint'),
  refreshedAt: ts('refreshed_at'),
  refreshFailedAt: ts('refresh_failed_at'),
  refreshError: text('refresh_error'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Jobs that exhausted their attempts or failed permanently, kept for inspection and retry. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: id(),
    queue: text('queue').notNull(),
    jobId: text('job_id').notNull(),
    jobName: text('job_name').notNull(),
    payload: jsonb('payload').$type<unknown>().notNull(),
    errorCode: text('error_code').notNull(),
    errorMessage: text('error_message').notNull(),
    attempts: integer('attempts').notNull(),
    failedAt: ts('failed_at').notNull().defaultNow(),
    retriedAt: ts('retried_at'),
  },
  (t) => [index('dead_letters_queue_idx').on(t.queue, t.failedAt)],
);

/**
 * Every version of a province's routing configuration, never edited: the highest version is in force,
 * and the history says who changed routing and when (it changed by decree three times in 2025).
 */
export const routingConfigs = pgTable(
  'routing_configs',
  {
    id: id(),
    provinceCode: text('province_code').notNull(),
    version: integer('version').notNull(),
    config: jsonb('config').$type<Record<string, unknown>>().notNull(),
    /** The file as submitted, so problems found later can be reported at its lines. */
    source: text('source').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    note: text('note'),
  },
  (t) => [uniqueIndex('routing_configs_province_version_key').on(t.provinceCode, t.version)],
);

/** Operator corrections of the classifier's labels: new training examples (exported for retraining). */
export const classificationCorrections = pgTable(
  'classification_corrections',
  {
    id: id(),
    ticketId: ref('ticket_id').references(() => tickets.id),
    text: text('text').notNull(),
    category: text('category').notNull(),
    kind: text('kind').notNull(),
    conduct: boolean('conduct').notNull(),
    emergency: boolean('emergency').notNull(),
    /** What the classifier had said, to measure what operators fix most. */
    predicted: jsonb('predicted').$type<Record<string, unknown>>(),
    correctedBy: text('corrected_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('classification_corrections_created_idx').on(t.createdAt)],
);

/**
 * Administrators' corrections to the shipped holiday data (data/calendar/vn-holidays.json): a date
 * made a day off (a storm, a newly announced swap) or a working day. The latest row per date wins.
 */
export const calendarOverrides = pgTable(
  'calendar_overrides',
  {
    id: id(),
    date: text('date').notNull(),
    /** holiday | workday */
    kind: text('kind').notNull(),
    note: text('note').notNull().default(''),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('calendar_overrides_date_idx').on(t.date, t.id)],
);

/**
 * A ticket's deadlines, one row per clock and unit: a transfer supersedes the old unit's answer clock
 * and opens the new unit's, so both stay on record next to the ticket's original receipt.
 */
export const ticketClocks = pgTable(
  'ticket_clocks',
  {
    id: id(),
    ticketId: ref('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /** first_response | forward | answer | publish */
    kind: text('kind').notNull(),
    unitCode: text('unit_code').notNull(),
    startedAt: ts('started_at').notNull(),
    /** {count: working|calendar, days} or {count: working_minutes, minutes} */
    basis: jsonb('basis').$type<Record<string, unknown>>().notNull(),
    /** Waits for the citizen's information: [{from, to?}] (ISO strings). */
    pauses: jsonb('pauses').$type<Array<{ from: string; to?: string | null }>>().notNull().default([]),
    /** Null while paused. */
    dueAt: ts('due_at'),
    /** running → paused → running … → met | superseded | cancelled (the ticket closed without an answer) */
    status: text('status').notNull().default('running'),
    metAt: ts('met_at'),
    /** The due time the reminder jobs were scheduled for (null: none yet, or removed). */
    scheduledDueAt: ts('scheduled_due_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ticket_clocks_open_key')
      .on(t.ticketId, t.kind)
      .where(sql`${t.status} in ('running', 'paused')`),
    index('ticket_clocks_due_idx').on(t.status, t.dueAt),
    index('ticket_clocks_unit_idx').on(t.unitCode, t.status),
  ],
);

/** Each reminder that fired: the unique key makes a second firing of the same reminder a no-op. */
export const slaAlerts = pgTable(
  'sla_alerts',
  {
    id: id(),
    clockId: ref('clock_id')
      .notNull()
      .references(() => ticketClocks.id),
    ticketId: ref('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /** warn | due | escalate */
    stage: text('stage').notNull(),
    dueAt: ts('due_at').notNull(),
    firedAt: ts('fired_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sla_alerts_once_key').on(t.clockId, t.stage, t.dueAt)],
);

/** What officials must see (the console lists them; e-mail digests read them too). */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    ticketId: ref('ticket_id').references(() => tickets.id),
    unitCode: text('unit_code').notNull(),
    /** unit | unit_head | inspection */
    role: text('role').notNull(),
    /** sla_warning | sla_due | sla_escalated */
    kind: text('kind').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
    readAt: ts('read_at'),
  },
  (t) => [index('notifications_unit_idx').on(t.unitCode, t.role, t.createdAt)],
);

/** People who use the console. Unit roles belong to one unit of the routing configuration. */
export const users = pgTable(
  'users',
  {
    id: id(),
    /** Stored lower-cased: one account per address however it is typed. */
    email: text('email').notNull().unique(),
    /** admin | operator | unit_officer | unit_head | inspector */
    role: text('role').notNull(),
    unitCode: text('unit_code'),
    displayName: text('display_name'),
    passwordHash: text('password_hash').notNull(),
    /** Base32 TOTP secret (RFC 6238); when set, login asks for the 6-digit code. */
    totpSecret: text('totp_secret'),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastLoginAt: ts('last_login_at'),
  },
  (t) => [index('users_unit_idx').on(t.unitCode)],
);

/**
 * Consent per purpose (Law 91/2025): what notice version was shown, the answer and when. Never
 * edited: a withdrawal or a new answer is a new row, so the record proves what was agreed and when.
 */
export const consents = pgTable(
  'consents',
  {
    id: id(),
    zaloUserId: text('zalo_user_id').notNull(),
    purpose: text('purpose').notNull(),
    noticeVersion: text('notice_version').notNull(),
    /** granted | declined | withdrawn */
    answer: text('answer').notNull(),
    sourceEventId: ref('source_event_id'),
    answeredAt: ts('answered_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('consents_user_idx').on(t.zaloUserId, t.purpose, t.id)],
);

/** Data-subject deletion requests and what was erased, kept without the personal data itself. */
export const deletionRequests = pgTable('deletion_requests', {
  id: id(),
  /** A one-way hash of the Zalo user id: proves the request was honoured without keeping who. */
  subjectHash: text('subject_hash').notNull(),
  requestedAt: ts('requested_at').notNull(),
  completedAt: ts('completed_at'),
  summary: jsonb('summary').$type<Record<string, unknown>>().notNull().default({}),
});

/**
 * A citizen's image or file: Zalo's URL expires, so each is downloaded at once into
 * DATA_DIR/uploads/<yyyy>/<mm>/<sha256> (content-addressed: the same bytes are stored once).
 */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    /** Null until the attachment belongs to a ticket (it may come before the text that opens one). */
    ticketId: ref('ticket_id').references(() => tickets.id),
    conversationId: ref('conversation_id')
      .notNull()
      .references(() => conversations.id),
    inboundEventId: ref('inbound_event_id')
      .notNull()
      .references(() => inboundEvents.id),
    /** Index in the event's attachments array: one row per attachment however often the event is handled. */
    position: integer('position').notNull(),
    /** Zalo's attachment type: image, gif, file, audio, video. */
    kind: text('kind').notNull(),
    originalUrl: text('original_url').notNull(),
    originalName: text('original_name'),
    declaredSize: bigint('declared_size', { mode: 'number' }),
    /** From the file's first bytes, never from what was declared. */
    mime: text('mime'),
    bytes: bigint('bytes', { mode: 'number' }),
    sha256: text('sha256'),
    /** Relative to DATA_DIR. */
    storagePath: text('storage_path'),
    /** pending → downloaded | refused | failed */
    status: text('status').notNull().default('pending'),
    /** When refused or failed: too_large, type_not_allowed, host_forbidden, bad_url, empty, or an error code. */
    refusalReason: text('refusal_reason'),
    createdAt: ts('created_at').notNull().defaultNow(),
    downloadedAt: ts('downloaded_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('attachments_event_position_key').on(t.inboundEventId, t.position),
    index('attachments_ticket_idx').on(t.ticketId),
    index('attachments_conversation_idx').on(t.conversationId, t.createdAt),
    index('attachments_sha256_idx').on(t.sha256),
  ],
);

/**
 * The dashboard's figures per local day and month (Asia/Ho_Chi_Minh), kept by triggers on tickets
 * (0010). grain d: that day; grain m: day is the first of the month. dim unit|category|commune:
 * tickets received then, how many of them are answered and on time; dim rating: ratings given then,
 * by the ticket's unit. key '' stands for none.
 */
export const ticketStatsDaily = pgTable(
  'ticket_stats_daily',
  {
    grain: text('grain').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    dim: text('dim').notNull(),
    key: text('key').notNull(),
    received: integer('received').notNull().default(0),
    answered: integer('answered').notNull().default(0),
    onTime: integer('on_time').notNull().default(0),
    rated: integer('rated').notNull().default(0),
    ratingSum: integer('rating_sum').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'ticket_stats_daily_pkey', columns: [t.dim, t.grain, t.day, t.key] })],
);

/** Operators' canned answers: a title to pick it by, the text to send (edited before sending). */
export const cannedAnswers = pgTable('canned_answers', {
  id: id(),
  title: text('title').notNull().unique(),
  body: text('body').notNull(),
  /** A taxonomy category it suits, or none. */
  category: text('category'),
  createdBy: ref('created_by').notNull(),
  updatedBy: ref('updated_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Each message the citizen got (or is owed) without asking: a progress update every N days while the
 * ticket is open, the answer, the rating request. The unique key makes each happen once; the channel
 * says how: zalo_cs (the outbox), zns (a template to the phone) or call (an operator's call list).
 */
export const progressUpdates = pgTable(
  'progress_updates',
  {
    id: id(),
    ticketId: ref('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /** progress | answer | rating */
    kind: text('kind').notNull(),
    /** The n-th progress update (1, 2, …); 0 for the answer and the rating request. */
    seq: integer('seq').notNull().default(0),
    /** zalo_cs | zns | call */
    channel: text('channel').notNull(),
    /** queued | sending | sent | to_call | called | failed */
    status: text('status').notNull(),
    outboxIds: jsonb('outbox_ids').$type<number[]>().notNull().default([]),
    znsMsgId: text('zns_msg_id'),
    /** Why the channel was not the first choice, or why it failed (a stable error code). */
    errorCode: text('error_code'),
    dueAt: ts('due_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    /** For calls: when and by whom the call was made. */
    doneAt: ts('done_at'),
    doneBy: text('done_by'),
  },
  (t) => [
    uniqueIndex('progress_updates_once_key').on(t.ticketId, t.kind, t.seq),
    index('progress_updates_calls_idx').on(t.channel, t.status, t.createdAt),
  ],
);

/** Each e-mail digest built: what it said, to whom, and whether it went (sent | skipped | failed). */
export const digests = pgTable(
  'digests',
  {
    id: id(),
    /** unit_daily | inspection_weekly */
    kind: text('kind').notNull(),
    /** The unit the digest is about (the inspection unit for the weekly summary). */
    unitCode: text('unit_code').notNull(),
    /** The local date (daily) or the Monday of the week (weekly): one digest per kind, unit and period. */
    periodKey: text('period_key').notNull(),
    recipients: jsonb('recipients').$type<string[]>().notNull().default([]),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull(),
    error: text('error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    uniqueIndex('digests_once_key').on(t.kind, t.unitCode, t.periodKey),
    index('digests_unit_idx').on(t.unitCode, t.createdAt),
  ],
);

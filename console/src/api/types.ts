// Types of the atende HTTP API, as docs/openapi.yaml describes them, plus the
// fields CONTRACT.md adds that this build does not serve yet (sessions,
// media, reactions, notes, snooze). Fields the server may not send yet are
// optional, so the console works with today's engine and tomorrow's.

export type Id = string;
/** RFC 3339 UTC with milliseconds, e.g. 2026-11-21T13:05:00.123Z. */
export type Time = string;

// ---- errors -------------------------------------------------------------

export type ErrorCode =
  | 'malformed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'already_exists'
  | 'conflict'
  | 'too_large'
  | 'invalid_phone'
  | 'invalid_value'
  | 'unknown_reference'
  | 'not_assignee'
  | 'not_eligible'
  | 'already_assigned'
  | 'at_capacity'
  | 'conversation_finished'
  | 'conversation_open'
  | 'reason_required'
  | 'unknown_reason'
  | 'window_closed'
  | 'template_required'
  | 'template_not_approved'
  | 'template_params_mismatch'
  | 'already_paused'
  | 'not_paused'
  | 'pause_not_allowed_yet'
  | 'bad_credentials'
  | 'too_many_attempts'
  | 'unsupported'
  | 'unavailable'
  | 'moved'
  | 'internal';

export interface ErrorDetail {
  code: ErrorCode | string;
  message: string;
  field?: string;
  /** Only with conversation_open: the conversation that is already open. */
  conversation_id?: string;
}

export interface ErrorBody {
  error: ErrorDetail;
}

// ---- paging -------------------------------------------------------------

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Counts {
  all: number;
  mine: number;
  unassigned: number;
}

// ---- sessions (contract "Sign-in"; not served by this build yet) -------

export interface SessionRequest {
  tenant: string;
  login: string;
  password: string;
}

export type Role = 'admin' | 'agent';

export interface SessionAgent {
  id: Id;
  name: string;
  role: Role;
}

export interface SessionCreated {
  token: string;
  agent: SessionAgent;
  expires_at: Time | null;
}

// ---- configuration -------------------------------------------------------

export type ChannelKind = 'whatsapp' | 'instagram' | 'other';

export interface Channel {
  id: Id;
  kind: ChannelKind;
  name: string;
  phone: string;
  phone_number_id: string | null;
  default_team: Id;
}

export type Distribution = 'manual' | 'round_robin' | 'least_busy' | 'contact_group';

export interface Team {
  id: Id;
  name: string;
  distribution: Distribution;
  max_per_agent: number;
  require_reason: boolean;
}

export interface Agent {
  id: Id;
  name: string;
  role: Role;
  teams: Id[];
  max_concurrent: number | null;
}

export type AgentStatus = 'online' | 'offline';

export interface AgentPause {
  /** A pause type id. */
  type: Id;
  since: Time;
  /** Whole minutes from `since` when the board was read (docs/api.md). */
  elapsed_minutes?: number;
  overdue: boolean;
}

/** A row of the supervisors' board (GET /v1/agents); also `agent.updated`. */
export interface AgentBoard extends Agent {
  status: AgentStatus;
  pause: AgentPause | null;
  open_count: number;
}

export interface PauseType {
  id: Id;
  name: string;
  max_minutes: number;
  /** "HH:MM" in the tenant's time zone, or null for any time. */
  allowed_from: string | null;
}

export interface Reason {
  id: Id;
  name: string;
}

export type TemplateStatus = 'approved' | 'pending' | 'rejected' | 'paused' | 'disabled';

export interface Template {
  id: Id;
  channel: Id;
  name: string;
  language: string;
  /** Text with {{1}}, {{2}}… placeholders. */
  body: string;
  status: TemplateStatus;
}

export interface TemplateSend {
  name: string;
  language?: string;
  params: string[];
}

// ---- portfolios ---------------------------------------------------------

export interface ContactRef {
  id: Id;
  name: string;
  phone: string;
}

export interface PortfolioItem {
  id: Id;
  name: string;
  code: string | null;
  responsible: Id;
  members: Id[];
  contact_count: number;
  contacts: ContactRef[];
}

/** A contact record (GET /v1/contacts/{id}). */
export interface Contact extends ContactRef {
  tags: string[];
  stage: string | null;
  departments: string[];
  /** The portfolios (carteiras) that hold the contact. */
  portfolios: Id[];
}

/** One finished conversation of a contact (GET /v1/contacts/{id}/history). */
export interface ContactHistoryItem {
  id: Id;
  channel: Id;
  agent: Id | null;
  team: Id;
  reason: string | null;
  description: string | null;
  opened_at: Time;
  finished_at: Time;
}

export interface ContactsChanged {
  added: number;
  removed: number;
}

// ---- conversations and messages ------------------------------------------

export type ConversationStatus = 'waiting' | 'open' | 'finished' | 'snoozed';
export type MessageDirection = 'in' | 'out' | 'note';
export type MessageStatus = 'received' | 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface MessageError {
  code: string | number;
  title?: string;
  message?: string;
}

export interface Media {
  /** atende's media id (GET /v1/media/{id}); absent until the file is stored. */
  id?: Id;
  /** The provider's media id. */
  provider_id?: string;
  mime_type: string;
  /** Bytes; absent until the file is stored. */
  size?: number;
  sha256?: string;
  filename?: string;
  caption?: string;
  /** A voice note. */
  voice?: boolean;
}

export interface Reaction {
  /** "customer" or an agent id. */
  by: string;
  emoji: string;
  at: Time;
}

export interface MessageLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

/** A contact card the customer shared, as WhatsApp sent it (abridged). */
export interface SharedContact {
  name?: string;
  phones?: { phone?: string; wa_id?: string; type?: string }[];
}

export interface Message {
  id: Id;
  direction: MessageDirection;
  /** text, template, automation, image, audio, video, document, sticker… */
  kind: string;
  text: string;
  at: Time;
  /** Absent on a note (never sent). */
  status?: MessageStatus;
  error?: MessageError;
  template?: TemplateSend;
  automation?: string;
  media?: Media;
  location?: MessageLocation;
  contacts?: SharedContact[];
  interactive?: unknown;
  reply_to?: Id | null;
  reactions?: Reaction[];
  /** Notes: the agent who wrote it. */
  author?: Id;
}

export interface LastMessage {
  id: Id;
  direction: MessageDirection;
  kind: string;
  text: string;
  at: Time;
  /** Absent on a note (never sent). */
  status?: MessageStatus;
}

/** The conversation object, exactly as the lists show it. */
export interface Conversation {
  id: Id;
  contact: ContactRef;
  channel: Id;
  team: Id;
  assignee: Id | null;
  portfolio: Id | null;
  outside_hours?: boolean;
  status: ConversationStatus;
  awaiting_customer: boolean;
  send_failed: boolean;
  automation: boolean;
  composer_locked: boolean;
  window_expires_at: Time | null;
  tags: string[];
  stage: string | null;
  created_at: Time;
  last_activity_at: Time;
  finished_at: Time | null;
  reason: Id | null;
  description: string | null;
  last_message: LastMessage | null;
}

export interface ConversationDetail extends Conversation {
  messages: Message[];
}

export type ListView = 'all' | 'mine' | 'unassigned';
export type ListStatus = 'open' | 'awaiting_customer' | 'send_failed' | 'finished' | 'automation';
export type SortOrder = 'recent' | 'oldest';

/** The query of GET /v1/conversations, without paging. */
export interface ConversationQuery {
  view: ListView;
  status: ListStatus;
  sort: SortOrder;
  channel?: string;
  tag?: string;
  stage?: string;
  team?: string;
  contact?: string;
}

export interface ConversationPage extends Page<Conversation> {
  counts: Counts;
}

export interface WaitingAudience {
  team: Id;
  portfolios: Id[];
  owners: Id[];
}

export interface TimelineItem {
  seq: number;
  id: string;
  tenant?: string;
  at: Time;
  type: string;
  /** agent:<id>, connector, root or rule:<name>. */
  actor: string;
  data: Record<string, unknown>;
  waiting?: WaitingAudience | null;
  summary: string;
}

export interface SendRequest {
  text?: string;
  template?: TemplateSend;
  /** An upload's id (POST /v1/media), with an optional caption. */
  media?: { id: Id; caption?: string };
  idempotency_key?: string;
  reply_to?: Id;
}

/** POST /v1/media: the stored upload. */
export interface UploadedMedia {
  id: Id;
  kind: string;
  mime_type: string;
  size: number;
  sha256: string;
  filename?: string;
}

export interface SendResult {
  message: Message;
  conversation: Conversation;
}

/** The reply of a reaction: the message reacted to and its conversation. */
export interface ReactResult {
  message: Message;
  conversation: Conversation;
}

export interface StartRequest {
  channel: Id;
  to?: string;
  contact?: Id;
  team?: Id;
  text?: string;
  template?: TemplateSend;
}

export interface TransferRequest {
  agent?: Id;
  team?: Id;
  note?: string;
}

export interface FinishRequest {
  reason?: Id;
  description?: string;
}

export type BulkAction = 'finish' | 'transfer' | 'automation';

export interface BulkRequest {
  action: BulkAction;
  ids: Id[];
  reason?: Id;
  description?: string;
  agent?: Id;
  team?: Id;
  automation?: string;
}

export type BulkItemResult = { id: Id; ok: true } | { id: Id; ok: false; error: ErrorDetail };

export interface BulkResult {
  results: BulkItemResult[];
}

/** Stream `note.mention`: the note (its `author` is who mentioned). */
export interface NoteMention {
  conversation: Id;
  message: Message;
}

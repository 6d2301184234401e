import type { ConsoleApi } from '../state/deps';
import type { RefKind } from '../state/config';
import type { Agent, AgentBoard, Channel, PauseType, Reason, Team, Template } from './types';

// The configuration resources an admin manages (docs/api.md,
// "Configuration"): their records as the API answers them, and the calls
// that list, read, create and change them.

/** A channel as the API answers it: secrets are never shown, only whether they are set. */
export interface ChannelRecord extends Channel {
  /** Meta's WhatsApp Business Account id; absent when not set. */
  waba_id?: string | null;
  has_access_token: boolean;
  has_app_secret: boolean;
  mark_read: boolean;
}

/** A Meta error about a number or a send, as `health` keeps the last one. */
export interface ChannelError {
  code: string | number;
  title?: string;
  details?: string;
  at?: string;
}

/**
 * `health` of GET /v1/channels/{id} (WhatsApp channels), counted since the
 * server started. The sends and media parts are there only when the channel
 * has an access token.
 */
export interface ChannelHealth {
  webhook_errors?: Record<string, number>;
  last_webhook_error?: ChannelError | null;
  accepted?: number;
  failed?: Record<string, number>;
  retried?: number;
  timeouts?: number;
  pending?: number;
  read_marks?: number;
  read_mark_failures?: number;
  last_error?: ChannelError | null;
  media?: {
    fetched?: number;
    failed?: Record<string, number>;
    retried?: number;
    pending?: number;
    last_error?: ChannelError | null;
  };
}

export interface ChannelDetail extends ChannelRecord {
  health?: ChannelHealth;
}

/** A row of GET /v1/agents (the board) with the sign-in fields of the record. */
export interface AgentRecord extends AgentBoard {
  login?: string | null;
  has_password?: boolean;
}

/** POST /v1/agents: the record and the agent's API token, shown only here. */
export interface AgentCreated extends Agent {
  token: string;
  login?: string | null;
  has_password?: boolean;
}

/** The record type of each resource. */
export interface SettingsRecords {
  teams: Team;
  channels: ChannelRecord;
  agents: AgentRecord;
  'pause-types': PauseType;
  reasons: Reason;
  templates: Template;
}

export type SettingsResource = keyof SettingsRecords;

/** The store's reference list that mirrors each resource. */
export const REF_KIND: Record<SettingsResource, RefKind> = {
  teams: 'teams',
  channels: 'channels',
  agents: 'agents',
  'pause-types': 'pauseTypes',
  reasons: 'reasons',
  templates: 'templates',
};

type Api = Pick<ConsoleApi, 'request' | 'listAll'>;

function path(resource: SettingsResource, id?: string): string {
  return id === undefined ? `/v1/${resource}` : `/v1/${resource}/${encodeURIComponent(id)}`;
}

/** Every record of the resource (every page), ordered by id. */
export function listRecords<R extends SettingsResource>(api: Api, resource: R): Promise<Array<SettingsRecords[R]>> {
  return api.listAll<SettingsRecords[R]>(path(resource));
}

/** POST: the stored record (agents: with the token). */
export function createRecord<R extends SettingsResource, Reply = SettingsRecords[R]>(api: Api, resource: R, body: Record<string, unknown>): Promise<Reply> {
  return api.request<Reply>('POST', path(resource), { body });
}

/** PATCH with only the fields that change: the record after the change. */
export function patchRecord<R extends SettingsResource>(api: Api, resource: R, id: string, body: Record<string, unknown>): Promise<SettingsRecords[R]> {
  return api.request<SettingsRecords[R]>('PATCH', path(resource, id), { body });
}

/** GET /v1/channels/{id}: the record and, for WhatsApp, its `health`. */
export function getChannel(api: Api, id: string): Promise<ChannelDetail> {
  return api.request<ChannelDetail>('GET', path('channels', id));
}

import type { ApiClient } from '../api/client';
import type { Scheduler } from '../live/source';
import type { KeyValueStorage } from './storage';

/** The part of ApiClient the store uses; tests hand in a fake. */
export type ConsoleApi = Pick<
  ApiClient,
  | 'request'
  | 'listAll'
  | 'signIn'
  | 'signOut'
  | 'listConversations'
  | 'getConversation'
  | 'timeline'
  | 'startConversation'
  | 'send'
  | 'addNote'
  | 'uploadMedia'
  | 'assign'
  | 'transfer'
  | 'finish'
  | 'bulk'
  | 'addToPortfolio'
  | 'react'
  | 'getContact'
  | 'contactHistory'
  | 'listChannels'
  | 'listTeams'
  | 'listAgents'
  | 'getAgent'
  | 'listReasons'
  | 'listPauseTypes'
  | 'listTemplates'
  | 'listPortfolios'
  | 'setStatus'
  | 'startPause'
  | 'endPause'
  | 'media'
>;

/** Everything the store needs from outside, so tests control all of it. */
export interface StoreDeps {
  api: ConsoleApi;
  /** localStorage: drafts, language. */
  local: KeyValueStorage;
  /** sessionStorage: the token. */
  session: KeyValueStorage;
  /** The clock (ms since the epoch). */
  now(): number;
  /** A fresh unique id (idempotency keys). */
  newId(): string;
  scheduler: Scheduler;
}

import { signal } from '@preact/signals';
import { toApiError, type ApiError } from '../api/error';
import type { TemplateSend } from '../api/types';
import { clearDraft, draftsKey, dropIdempotencyKey, loadDrafts, saveDrafts, setDraftText, withIdempotencyKey, type Drafts } from './drafts';
import type { Store } from './store';

export interface SendState {
  busy: boolean;
  error: ApiError | null;
}

const IDLE: SendState = { busy: false, error: null };

/**
 * ComposerSlice: what the agent types in each conversation and sending it.
 * The draft stays until the server accepted the message: a failed send
 * keeps the text and shows the API's message.
 */
export class ComposerSlice {
  readonly drafts = signal<Drafts>({});
  readonly sending = signal<Readonly<Record<string, SendState>>>({});
  /** The message each conversation's reply quotes (reply_to), if any. */
  readonly replyTo = signal<Readonly<Record<string, string>>>({});
  /** The conversation whose template picker is open (from the composer or a failed message's retry). */
  readonly picker = signal<string | null>(null);

  constructor(private readonly store: Store) {}

  private get key(): string | null {
    const s = this.store.auth.session.value;
    return s ? draftsKey(s.tenant, s.agent.id) : null;
  }

  loadDrafts(): void {
    const key = this.key;
    this.drafts.value = key ? loadDrafts(this.store.deps.local, key) : {};
  }

  reset(): void {
    this.drafts.value = {};
    this.sending.value = {};
    this.replyTo.value = {};
    this.picker.value = null;
  }

  openPicker(id: string): void {
    this.picker.value = id;
  }

  closePicker(): void {
    this.picker.value = null;
  }

  private setDrafts(next: Drafts): void {
    if (next === this.drafts.value) {
      return;
    }
    this.drafts.value = next;
    const key = this.key;
    if (key) {
      saveDrafts(this.store.deps.local, key, next);
    }
  }

  text(id: string): string {
    return this.drafts.value[id]?.text ?? '';
  }

  state(id: string): SendState {
    return this.sending.value[id] ?? IDLE;
  }

  setText(id: string, text: string): void {
    this.setDrafts(setDraftText(this.drafts.value, id, text));
  }

  setReplyTo(id: string, messageId: string | null): void {
    const next = { ...this.replyTo.value };
    if (messageId) {
      next[id] = messageId;
    } else {
      delete next[id];
    }
    this.replyTo.value = next;
  }

  clearError(id: string): void {
    if (this.state(id).error) {
      this.setState(id, { busy: false, error: null });
    }
  }

  private setState(id: string, s: SendState): void {
    this.sending.value = { ...this.sending.value, [id]: s };
  }

  /** Send the draft as free text. true when the server accepted it. */
  async sendText(id: string): Promise<boolean> {
    const text = this.text(id).trim();
    if (!text || this.state(id).busy) {
      return false;
    }
    const { drafts, key } = withIdempotencyKey(this.drafts.value, id, this.store.deps.newId);
    this.setDrafts(drafts);
    const replyTo = this.replyTo.value[id];
    return this.run(id, key, async () => {
      const res = await this.store.deps.api.send(id, { text, idempotency_key: key, ...(replyTo ? { reply_to: replyTo } : {}) });
      this.store.apply({ type: 'message.created', data: { conversation: id, message: res.message } });
      this.store.applyConversation(res.conversation);
      // The agent may have typed on while it went: only the sent text goes.
      if (this.text(id).trim() === text) {
        this.setDrafts(clearDraft(this.drafts.value, id));
      } else {
        this.setDrafts(dropIdempotencyKey(this.drafts.value, id));
      }
      this.setReplyTo(id, null);
    });
  }

  /** Send a template; the typed draft is left as it is. */
  async sendTemplate(id: string, template: TemplateSend): Promise<boolean> {
    if (this.state(id).busy) {
      return false;
    }
    const key = this.store.deps.newId();
    return this.run(id, null, async () => {
      const res = await this.store.deps.api.send(id, { template, idempotency_key: key });
      this.store.apply({ type: 'message.created', data: { conversation: id, message: res.message } });
      this.store.applyConversation(res.conversation);
    });
  }

  /**
   * Send `file` (an image, audio, video or document): uploaded first, then
   * sent with the draft as its caption. The draft stays until the server
   * accepted the message; a refused file shows the API's reason. A voice
   * note (`caption: false`) goes alone and leaves the draft as it is.
   */
  async sendFile(id: string, file: File, options: { caption?: boolean } = {}): Promise<boolean> {
    if (this.state(id).busy) {
      return false;
    }
    const withCaption = options.caption !== false;
    const caption = withCaption ? this.text(id).trim() : '';
    const { drafts, key } = withIdempotencyKey(this.drafts.value, id, this.store.deps.newId);
    this.setDrafts(drafts);
    const replyTo = this.replyTo.value[id];
    return this.run(id, key, async () => {
      const media = await this.store.deps.api.uploadMedia(file, file.name || undefined);
      const res = await this.store.deps.api.send(id, {
        media: { id: media.id, ...(caption ? { caption } : {}) },
        idempotency_key: key,
        ...(replyTo ? { reply_to: replyTo } : {}),
      });
      this.store.apply({ type: 'message.created', data: { conversation: id, message: res.message } });
      this.store.applyConversation(res.conversation);
      if (withCaption && this.text(id).trim() === caption) {
        this.setDrafts(clearDraft(this.drafts.value, id));
      } else {
        this.setDrafts(dropIdempotencyKey(this.drafts.value, id));
      }
      this.setReplyTo(id, null);
    });
  }

  /** The draft as a private note (never sent to the customer). */
  async addNote(id: string): Promise<boolean> {
    const text = this.text(id).trim();
    if (!text || this.state(id).busy) {
      return false;
    }
    return this.run(id, null, async () => {
      const { message } = await this.store.deps.api.addNote(id, text);
      this.store.apply({ type: 'message.created', data: { conversation: id, message } });
      if (this.text(id).trim() === text) {
        this.setDrafts(clearDraft(this.drafts.value, id));
      }
    });
  }

  private async run(id: string, idempotencyKey: string | null, body: () => Promise<void>): Promise<boolean> {
    this.setState(id, { busy: true, error: null });
    try {
      await body();
      this.setState(id, IDLE);
      this.store.poke();
      return true;
    } catch (e) {
      const error = toApiError(e);
      if (idempotencyKey && error.isDefinite) {
        // Refused for good: a retry (after a fix) is a new message.
        this.setDrafts(dropIdempotencyKey(this.drafts.value, id));
      }
      this.setState(id, { busy: false, error });
      return false;
    }
  }
}

import type { StartRequest, TemplateSend } from '../../api/types';
import { checkPhone } from '../../lib/phone';

export interface StartForm {
  channel: string;
  team: string;
  to: string;
  text: string;
}

export type StartCheck = { ok: true; request: StartRequest } | { ok: false; missing: 'channel' | 'to' | 'message' };

/** The body of POST /v1/conversations from the form, with free text or a template. */
export function startRequest(form: StartForm, template: TemplateSend | null): StartCheck {
  if (!form.channel) {
    return { ok: false, missing: 'channel' };
  }
  const phone = checkPhone(form.to);
  if (phone.state !== 'valid') {
    return { ok: false, missing: 'to' };
  }
  const request: StartRequest = { channel: form.channel, to: phone.digits };
  if (form.team) {
    request.team = form.team;
  }
  if (template) {
    request.template = template;
  } else if (form.text.trim()) {
    request.text = form.text.trim();
  } else {
    return { ok: false, missing: 'message' };
  }
  return { ok: true, request };
}
